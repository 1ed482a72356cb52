import { describe, expect, it } from "vitest";
import { clientDeadline, formatCountdown, isRunningOut, secondsLeft } from "./exam-countdown";

describe("the exam page's countdown", () => {
  it("counts from the server's time left on the browser's own clock, whatever that clock says", () => {
    const browserNow = Date.parse("1999-01-01T00:00:00Z"); // a browser clock far off
    const deadline = clientDeadline(75 * 60_000, browserNow);
    expect(secondsLeft(deadline, browserNow)).toBe(75 * 60);
    expect(secondsLeft(deadline, browserNow + 60_500)).toBe(74 * 60);
    expect(secondsLeft(deadline, deadline)).toBe(0);
    expect(secondsLeft(deadline, deadline + 10_000)).toBe(0);
    expect(clientDeadline(-5, browserNow)).toBe(browserNow);
  });

  it("a reload gets the server's time left again: the remaining time is kept, not restarted", () => {
    // 120 minutes, reloaded 45 minutes in: the server says 75 minutes are left
    const reloadedAt = 1_000_000;
    expect(secondsLeft(clientDeadline(75 * 60_000, reloadedAt), reloadedAt)).toBe(75 * 60);
  });

  it("shows hours only when there are any, and warns in the last five minutes", () => {
    expect(formatCountdown(7200)).toBe("2:00:00");
    expect(formatCountdown(7199)).toBe("1:59:59");
    expect(formatCountdown(245)).toBe("4:05");
    expect(formatCountdown(0)).toBe("0:00");
    expect(formatCountdown(-3)).toBe("0:00");
    expect(isRunningOut(301)).toBe(false);
    expect(isRunningOut(300)).toBe(true);
  });
});
