// `{{ name }}` substitution, so task text and checks share one source of names.

const VAR = /\{\{\s*(\w+)\s*\}\}/g;

export interface MissingVar {
  name: string;
  /** offset of the reference in the text */
  offset: number;
}

export function renderText(text: string, vars: Record<string, string | number>, missing: MissingVar[] = []): string {
  return text.replace(VAR, (whole, name: string, offset: number) => {
    if (name in vars) return String(vars[name]);
    missing.push({ name, offset });
    return whole;
  });
}

/** Substitutes inside every string of a value. A string that is exactly one reference keeps the var's type. */
export function renderValue(
  value: unknown,
  vars: Record<string, string | number>,
  missing: MissingVar[] = [],
): unknown {
  if (typeof value === "string") {
    const exact = /^\{\{\s*(\w+)\s*\}\}$/.exec(value);
    if (exact && exact[1] in vars) return vars[exact[1]];
    return renderText(value, vars, missing);
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, vars, missing));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, vars, missing)]));
  }
  return value;
}
