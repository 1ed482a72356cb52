import type { z } from "zod";
import type { Snapshot } from "../cluster/snapshot";
import type { Capabilities, KindRef, Prober } from "../cluster/types";

export type { Snapshot };

export type CheckStatus = "pass" | "fail" | "error" | "skipped";

/** Which object and field a verdict was read from, shown to the learner. */
export interface Evidence {
  kind: string;
  name: string;
  namespace?: string;
  field?: string;
  value?: unknown;
}

/** What a check function returns: a verdict over the snapshot, always with a reason. */
export interface CheckOutcome {
  status: "pass" | "fail";
  message: string;
  evidence?: Evidence[];
}

/** One check's result as the engine reports it. */
export interface CheckResult {
  /** "<taskId>/<checkId>" */
  id: string;
  use: string;
  status: CheckStatus;
  message: string;
  hint?: string;
  evidence: Evidence[];
  durationMs: number;
}

/** What a check may rely on: the cluster's Capabilities, plus what the engine derives. */
export interface CheckCapabilities extends Capabilities {
  objectStatus: boolean;
  /** a data plane and a prober to send requests through it (traffic checks) */
  traffic: boolean;
}

export interface CheckContext {
  snapshot: Snapshot;
  capabilities: CheckCapabilities;
  /** present when `traffic` is: sends requests from the prober pod, reads access logs */
  prober?: Prober;
}

export type Capability = keyof CheckCapabilities;

export interface CheckDefinition<P extends z.ZodType = z.ZodType> {
  /** Dotted name used in scenario.yaml `use:` (built-ins) or the export name (verify.ts). */
  name: string;
  description: string;
  params: P;
  /** Parameters that make sense, for docs/checks.md and the tests. */
  example?: z.input<P>;
  /** Kinds this check reads; the engine lists each once per Check. */
  kinds: readonly KindRef[] | ((params: z.infer<P>) => readonly KindRef[]);
  requires?: readonly Capability[];
  /** Pure over the snapshot; traffic checks are async (they send requests through ctx.prober). */
  run(params: z.infer<P>, ctx: CheckContext): CheckOutcome | Promise<CheckOutcome>;
}

export function defineCheck<P extends z.ZodType>(def: CheckDefinition<P>): CheckDefinition<P> {
  return def;
}
