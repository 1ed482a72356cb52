// Reads the server's NDJSON progress stream (lib/player/progress-stream.ts): each progress line
// as it comes, then the last line's result or error.

export type ProgressEnd<T> = { done: true; result: T } | { done: false; error: string };

export async function readProgressStream<T>(res: Response, onLine: (line: string) => void): Promise<ProgressEnd<T>> {
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    return { done: false, error: body?.error ?? `the server answered ${res.status}` };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const part of parts.filter(Boolean)) {
      const msg = JSON.parse(part) as { progress?: string; done?: boolean; error?: string; result?: T };
      if (msg.progress !== undefined) onLine(msg.progress);
      if (msg.done === true) return { done: true, result: msg.result as T };
      if (msg.done === false) return { done: false, error: msg.error ?? "failed" };
    }
  }
  // the server went away mid-stream
  return { done: false, error: "the server stopped answering before the end" };
}
