// The exam page's countdown, from the server's deadline: the page gets the milliseconds left when
// the server read the sitting and counts down on its own clock from when it arrived, so a
// browser clock that is off does not move the deadline, and a reload reads the server again.

/** The moment on this browser's clock when the time is up. */
export function clientDeadline(remainingMs: number, receivedAt: number): number {
  return receivedAt + Math.max(0, remainingMs);
}

/** Whole seconds left at `now` (0 once the deadline is reached). */
export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** `1:59:07`, `4:05`, `0:00`: hours only when there are any. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** The last minutes are shown as urgent. */
export function isRunningOut(seconds: number): boolean {
  return seconds <= 5 * 60;
}
