// `{{ name }}` substitution, so task text and checks share one source of names. The loader
// renders scenario.yaml before the schema validates it, so what loads has the schema's types.

const VAR = /\{\{\s*(\w+)\s*\}\}/g;

export type Vars = Record<string, string | number>;

export interface MissingVar {
  name: string;
  /** offset of the reference in a text (Markdown) */
  offset: number;
  /** where the string that holds it sits in a YAML document */
  path: (string | number)[];
}

export function renderText(text: string, vars: Vars, missing: MissingVar[] = [], path: (string | number)[] = []) {
  return text.replace(VAR, (whole, name: string, offset: number) => {
    if (name in vars) return String(vars[name]);
    missing.push({ name, offset, path });
    return whole;
  });
}

/**
 * Substitutes inside every string of a scenario.yaml document, except its `vars`. Everything
 * renders to text, but inside a check's `with` a string that is exactly one reference keeps
 * the var's type (so `percent: "{{percent}}"` stays a number there).
 */
export function renderScenarioDoc(doc: unknown, vars: Vars, missing: MissingVar[] = []): unknown {
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === "string") {
      const exact = /^\{\{\s*(\w+)\s*\}\}$/.exec(value);
      if (exact && exact[1] in vars && isCheckParam(path)) return vars[exact[1]];
      return renderText(value, vars, missing, path);
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, path.length === 0 && k === "vars" ? v : walk(v, [...path, k])]),
      );
    }
    return value;
  };
  return walk(doc, []);
}

/** tasks[i].checks[j].with... */
function isCheckParam(path: readonly (string | number)[]): boolean {
  return path[0] === "tasks" && path[2] === "checks" && path[4] === "with";
}
