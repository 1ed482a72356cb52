// The terminal's settings from the environment (lib/env.ts); read when used, so tests can
// shorten the timers.
import { type EnvSource, readEnv } from "../env";
import { workspacesDir } from "../paths";

export interface TerminalConfig {
  /** one folder per scenario below this */
  workspacesDir: string;
  /** how long a shell waits for a page to reattach after its socket closed */
  graceMs: number;
  /** a shell with no input for this long ends */
  idleMs: number;
  /** after the page said it leaves; long enough for a reload to reattach */
  leaveMs: number;
  /** origins allowed besides the server's own (a reverse proxy's https://...) */
  extraOrigins: string[];
}

export function readTerminalConfig(env: EnvSource = process.env): TerminalConfig {
  const e = readEnv(env);
  return {
    workspacesDir: workspacesDir(env),
    graceMs: e.ICA_TERMINAL_GRACE_SECONDS * 1000,
    idleMs: e.ICA_TERMINAL_IDLE_SECONDS * 1000,
    leaveMs: e.ICA_TERMINAL_LEAVE_SECONDS * 1000,
    extraOrigins: e.ICA_TERMINAL_ORIGINS,
  };
}
