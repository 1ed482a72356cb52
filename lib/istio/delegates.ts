// A root VirtualService's effective HTTP rules with delegates merged in (pilot's
// mergeVirtualServicesIfNeeded): a root rule with `delegate` is replaced by the delegate's
// rules, matches merged with the root's, unset fields filled from the root rule.
import type { KubeObject } from "../cluster/types";
import { isExportedTo } from "./export-to";
import { arr, isRec, type Rec, rec, specOf, str } from "./fields";
import { virtualServiceProblems } from "./validation";
import { isDelegate } from "./virtual-service";

export interface HttpRule {
  rule: Rec;
  /** the VirtualService the rule is written in (the delegate, for delegated rules) */
  vs: KubeObject;
  /** field path of the rule in `vs`: `spec.http[0]` */
  path: string;
  /** for delegated rules: the root rule that delegated, `VirtualService ns/root spec.http[1]` */
  via?: string;
}

export interface DelegateProblem {
  vs: KubeObject;
  path: string;
  message: string;
}

const ROOT_FILLS = ["rewrite", "timeout", "retries", "fault", "corsPolicy", "headers"] as const;

export function expandHttpRules(
  root: KubeObject,
  all: readonly KubeObject[],
): { rules: HttpRule[]; problems: DelegateProblem[] } {
  const rules: HttpRule[] = [];
  const problems: DelegateProblem[] = [];
  const rootNs = root.metadata.namespace ?? "";
  arr(specOf(root).http).forEach((raw, i) => {
    const rule = rec(raw);
    const path = `spec.http[${i}]`;
    if (!isRec(rule.delegate)) {
      rules.push({ rule, vs: root, path });
      return;
    }
    const problem = (message: string, vs = root, at = path): void => {
      problems.push({ vs, path: at, message });
    };
    if (rule.route !== undefined || rule.redirect !== undefined) {
      problem("has both `delegate` and `route`/`redirect`; Istio rejects it");
      return;
    }
    const name = str(rule.delegate.name) ?? "";
    const ns = str(rule.delegate.namespace) ?? rootNs;
    const delegate = all.find((vs) => vs.metadata.name === name && vs.metadata.namespace === ns);
    if (!delegate) {
      problem(`delegates to VirtualService ${ns}/${name}, which does not exist: the rule is dropped`);
      return;
    }
    if (!isDelegate(delegate)) {
      problem(
        `delegates to VirtualService ${ns}/${name}, which has hosts (a delegate must have none): the rule is dropped`,
      );
      return;
    }
    const rejected = virtualServiceProblems(delegate);
    if (rejected.length > 0) {
      problem(
        `delegates to VirtualService ${ns}/${name}, which Istio rejects (${rejected.join("; ")}): the rule is dropped`,
      );
      return;
    }
    if (!isExportedTo(delegate, rootNs)) {
      problem(
        `delegates to VirtualService ${ns}/${name}, which is not exported to namespace ${rootNs}: the rule is dropped`,
      );
      return;
    }
    const spec = specOf(delegate);
    for (const field of ["gateways", "tcp", "tls"] as const) {
      if (arr(spec[field]).length > 0) problem(`a delegate must not set \`${field}\``, delegate, `spec.${field}`);
    }
    const via = `VirtualService ${rootNs}/${root.metadata.name} ${path}`;
    arr(spec.http).forEach((leafRaw, j) => {
      const leaf = rec(leafRaw);
      const leafPath = `spec.http[${j}]`;
      if (isRec(leaf.delegate)) {
        problem("a delegate cannot delegate again (one level only): the rule is dropped", delegate, leafPath);
        return;
      }
      const match = mergeMatches(arr(rule.match), arr(leaf.match));
      if (match === undefined) {
        problem(`its match conflicts with the root's match in ${via}: the rule is dropped`, delegate, leafPath);
        return;
      }
      rules.push({ rule: mergeRule(rule, leaf, match), vs: delegate, path: leafPath, via });
    });
  });
  return { rules, problems };
}

function mergeRule(root: Rec, leaf: Rec, match: unknown[]): Rec {
  const out: Rec = { ...leaf };
  if (match.length > 0) out.match = match;
  else delete out.match;
  for (const f of ROOT_FILLS) if (out[f] === undefined && root[f] !== undefined) out[f] = root[f];
  if (out.mirror === undefined && out.mirrors === undefined) {
    if (root.mirror !== undefined) out.mirror = root.mirror;
    if (root.mirrors !== undefined) out.mirrors = root.mirrors;
    if (out.mirrorPercentage === undefined && root.mirrorPercentage !== undefined)
      out.mirrorPercentage = root.mirrorPercentage;
  }
  return out;
}

/** The merged match list, or undefined when every combination conflicts. */
function mergeMatches(root: unknown[], leaf: unknown[]): unknown[] | undefined {
  if (root.length === 0) return leaf;
  if (leaf.length === 0) return root;
  const out: unknown[] = [];
  for (const r of root)
    for (const l of leaf) {
      const merged = mergeMatch(rec(r), rec(l));
      if (merged) out.push(merged);
    }
  return out.length > 0 ? out : undefined;
}

function mergeMatch(root: Rec, leaf: Rec): Rec | undefined {
  if (hasConflict(root, leaf)) return undefined;
  const out: Rec = { ...leaf };
  for (const f of ["uri", "scheme", "method", "authority", "port", "sourceNamespace", "gateways"] as const) {
    if (out[f] === undefined && root[f] !== undefined) out[f] = root[f];
  }
  for (const f of ["headers", "withoutHeaders", "queryParams", "sourceLabels"] as const) {
    if (root[f] !== undefined || leaf[f] !== undefined) out[f] = { ...rec(root[f]), ...rec(leaf[f]) };
  }
  return out;
}

// pilot's hasConflict: the delegate's match must narrow the root's, never contradict it.
function hasConflict(root: Rec, leaf: Rec): boolean {
  for (const f of ["uri", "scheme", "method", "authority"] as const) {
    if (stringMatchConflict(root[f], leaf[f])) return true;
  }
  for (const f of ["headers", "withoutHeaders", "queryParams"] as const) {
    const r = rec(root[f]);
    for (const [k, v] of Object.entries(rec(leaf[f]))) if (stringMatchConflict(r[k], v)) return true;
  }
  if ((root.ignoreUriCase === true) !== (leaf.ignoreUriCase === true)) return true;
  if (typeof root.port === "number" && typeof leaf.port === "number" && root.port !== leaf.port) return true;
  if (typeof root.sourceNamespace === "string" && leaf.sourceNamespace !== root.sourceNamespace) return true;
  const rootLabels = rec(root.sourceLabels);
  for (const [k, v] of Object.entries(rec(leaf.sourceLabels))) if (k in rootLabels && rootLabels[k] !== v) return true;
  const rg = arr(root.gateways);
  const lg = arr(leaf.gateways);
  if (rg.length > 0 && lg.length > 0 && !lg.every((g) => rg.includes(g))) return true;
  return false;
}

function stringMatchConflict(root: unknown, leaf: unknown): boolean {
  if (!isRec(root) || !isRec(leaf)) return false;
  const [rExact, rPrefix, rRegex] = [str(root.exact), str(root.prefix), str(root.regex)];
  const [lExact, lPrefix, lRegex] = [str(leaf.exact), str(leaf.prefix), str(leaf.regex)];
  if (rRegex && (lRegex || lPrefix || lExact)) return true;
  if (lRegex && (rRegex || rPrefix || rExact)) return true;
  if (rExact) return Boolean(lPrefix) || lExact !== rExact;
  if (rPrefix) {
    if (lPrefix) return !lPrefix.startsWith(rPrefix);
    if (lExact) return !lExact.startsWith(rPrefix);
  }
  return true;
}
