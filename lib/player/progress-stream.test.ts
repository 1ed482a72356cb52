import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { progressStream } from "./progress-stream";

async function linesOf(stream: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const text = await new Response(stream).text();
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe("progressStream", () => {
  it("sends progress lines, then the result", async () => {
    const lines = await linesOf(
      progressStream(async (onProgress) => {
        onProgress("one");
        return { seconds: 1 };
      }),
    );
    expect(lines).toEqual([{ progress: "one" }, { done: true, result: { seconds: 1 } }]);
  });

  it("ends with {done: false, error, code} when the work fails with an AppError", async () => {
    const lines = await linesOf(
      progressStream(async () => {
        throw new AppError("unavailable", "no cluster");
      }),
    );
    expect(lines.at(-1)).toEqual({ done: false, error: "no cluster", code: "unavailable" });
  });

  it("ends with an error line that always has a message, whatever was thrown", async () => {
    const lines = await linesOf(
      progressStream(async () => {
        throw "kubectl exited 1";
      }),
    );
    expect(lines.at(-1)).toEqual({ done: false, error: "kubectl exited 1" });
    const empty = await linesOf(
      progressStream(async () => {
        throw new Error("");
      }),
    );
    expect(empty.at(-1)).toEqual({ done: false, error: "Error" });
  });
});
