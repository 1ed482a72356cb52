// Kubernetes resource quantities ("250m", "0.25", "512Mi", "1Gi", "1e3") as numbers, so that two
// ways of writing one amount compare equal. (@kubernetes/client-node's quantityToScalar refuses
// decimals with binary suffixes such as "1.5Gi" and mixes number and bigint.)

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The amount a quantity stands for, or undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(
    value.trim(),
  );
  if (!match) return undefined;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ""] as number);
}

/** Same amount, allowing for float rounding ("0.1" and "100m"). */
export function isSameQuantity(a: unknown, b: unknown): boolean {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) return false;
  return Math.abs(x - y) <= Math.max(Math.abs(x), Math.abs(y)) * 1e-9;
}
