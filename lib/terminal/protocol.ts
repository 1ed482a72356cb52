// The terminal's wire protocol, shared by the server and the browser (no runtime dependencies).
//   server → client: text frames of terminal output
//   client → server: JSON text frames, one TerminalClientMessage each
export const TERMINAL_PATH = "/api/terminal";

export type TerminalClientMessage =
  | { type: "input"; data: string }
  | { type: "resize"; cols: number; rows: number }
  | { type: "leave" };

/** Close codes the server uses; any other close (1006 on a network drop) is transient. */
export const TERMINAL_CLOSE = {
  /** the shell exited */
  exited: 1000,
  /** another page attached to this scenario's shell */
  replaced: 4001,
  /** ended by the server: idle timeout or the learner left */
  ended: 4002,
  /** ended so that the next attach starts a fresh shell (scenario reset) */
  restarted: 4003,
  /** the shell could not be started */
  failed: 4004,
  /** the exam's shell closed for good: time is up, or the exam ended */
  timeUp: 4005,
} as const;
