/** Runs long work and streams its progress as NDJSON: {"progress": "..."} lines, then {"done": ...}. */
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
        send({ done: false, error: (e as Error).message });
      }
      controller.close();
    },
  });
}
