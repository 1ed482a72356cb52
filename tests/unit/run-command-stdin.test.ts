// runCommand writes its input to the command's stdin; a command that exits before reading it
// (EPIPE) must not take the process down, and the result is what the command did.
import { describe, expect, it } from "vitest";
import { runCommand } from "../../lib/cluster/drivers/run-command";

describe("runCommand input", () => {
  it("survives a command that exits before reading a large input", { timeout: 20_000 }, async () => {
    const input = "x".repeat(10 * 1024 * 1024);
    for (let i = 0; i < 3; i++) {
      expect(await runCommand("true", [], { input, timeoutMs: 15_000 })).toEqual({ code: 0, stdout: "", stderr: "" });
      expect((await runCommand("sh", ["-c", "exit 3"], { input, timeoutMs: 15_000 })).code).toBe(3);
    }
  });
});
