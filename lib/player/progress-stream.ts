import { AppError } from "../errors";

/**
 * Runs long work and streams its progress as NDJSON: {"progress": "..."} lines, then one last
 * line, {"done": true, "result": ...} or {"done": false, "error": "...", "code"?: AppErrorCode}.
 */
export function progressStream<T>(
  work: (onProgress: (line: string) => void) => Promise<T>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      const send = (value: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
      try {
        const result = await work((line) => send({ progress: line }));
        send({ done: true, result });
      } catch (e) {
        send(failureLine(e));
      }
      controller.close();
    },
  });
}

function failureLine(e: unknown): { done: false; error: string; code?: string } {
  const message = e instanceof Error ? e.message || e.name : String(e);
  return e instanceof AppError ? { done: false, error: message, code: e.code } : { done: false, error: message };
}
