// The terminal's settings from the environment; read when used, so a change needs no restart of
// the module (and tests can shorten the timers).
import path from "node:path";
import { z } from "zod";

const ZOrigin = z.string().refine((s) => URL.canParse(s), "not a URL");

const ZTerminalEnv = z.object({
  ICA_WORKSPACES_DIR: z.string().min(1).optional(),
  ICA_TERMINAL_GRACE_SECONDS: z.coerce.number().min(0).default(300),
  ICA_TERMINAL_IDLE_SECONDS: z.coerce.number().positive().default(1800),
  ICA_TERMINAL_LEAVE_SECONDS: z.coerce.number().min(0).default(10),
  ICA_TERMINAL_ORIGINS: z.string().optional(),
});

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

export function readTerminalConfig(env: NodeJS.ProcessEnv = process.env): TerminalConfig {
  const e = ZTerminalEnv.parse(env);
  const extraOrigins = (e.ICA_TERMINAL_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => ZOrigin.parse(s));
  return {
    workspacesDir: path.resolve(
      /* turbopackIgnore: true */ e.ICA_WORKSPACES_DIR ?? path.join(process.cwd(), "data", "workspaces"),
    ),
    graceMs: e.ICA_TERMINAL_GRACE_SECONDS * 1000,
    idleMs: e.ICA_TERMINAL_IDLE_SECONDS * 1000,
    leaveMs: e.ICA_TERMINAL_LEAVE_SECONDS * 1000,
    extraOrigins,
  };
}
