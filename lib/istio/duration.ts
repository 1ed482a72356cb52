// Durations as Istio accepts them ("5s", "0.5s", "5000ms", "1m30s", "1h"), compared by value.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "0") return 0;
  if (text === "") return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const at = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== at) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return Math.round(total * 1e6) / 1e6;
}

/** "5s" equals "5.0s" and "5000ms"; unparseable values are never equal. */
export function isSameDuration(a: unknown, b: unknown): boolean {
  const x = parseDuration(a);
  const y = parseDuration(b);
  return x !== undefined && y !== undefined && x === y;
}
