// Which Istio versions a scenario is written for (`istio:` in scenario.yaml, a semver range) and
// whether a running Istio is one of them. Versions compare by major.minor.patch only: a
// development or pre-release build compares as its release (`1.31-dev-eed52ebb66ad-Clean`, what
// lite's istiod reports, is 1.31.0; `1.27.0-beta.1` is 1.27.0).
import semver from "semver";

/** The version a running Istio compares as, like "1.31.0"; undefined when it names no version. */
export function comparableIstioVersion(version: string): string | undefined {
  // semver.coerce takes the first digits anywhere ("build9" → 9.0.0): a version starts with them
  if (!/^v?\d+\.\d+/.test(version.trim())) return undefined;
  return semver.coerce(version.trim())?.version;
}

/** A semver range like ">=1.26", ">=1.26 <1.30" or "1.26.x". */
export function isIstioRange(range: string): boolean {
  return range.trim() !== "" && semver.validRange(range) !== null;
}

/**
 * Whether a running Istio version is inside a scenario's range; undefined when either cannot be
 * read (an unknown version is never reported as unsupported).
 */
export function supportsIstioVersion(range: string, version: string): boolean | undefined {
  const comparable = comparableIstioVersion(version);
  if (comparable === undefined || !isIstioRange(range)) return undefined;
  return semver.satisfies(comparable, range);
}

export interface IstioSupportNote {
  /** short, for a badge: "not for Istio 1.31" */
  label: string;
  /** the longer why, for its title */
  title: string;
}

/**
 * What the catalog and the scenario page say of a scenario whose range leaves out the running
 * Istio; undefined when the range includes it, or when either cannot be read.
 */
export function unsupportedIstioNote(range: string, version: string): IstioSupportNote | undefined {
  if (supportsIstioVersion(range, version) !== false) return undefined;
  const comparable = semver.parse(comparableIstioVersion(version));
  if (!comparable) return undefined;
  const as = comparable.version === version.trim() ? "" : ` (compared as ${comparable.version})`;
  return {
    label: `not for Istio ${comparable.major}.${comparable.minor}`,
    title: `Written for Istio ${range}; the running cluster has Istio ${version.trim()}${as}. Its tasks and checks may not match this version.`,
  };
}
