import { AppError, HTTP_STATUS } from "@/lib/errors";
import { beginExam, prepareExamStart } from "@/lib/player/begin-exam";
import { progressStream } from "@/lib/player/progress-stream";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZExamChoice } from "@/lib/player/start-exam";

// Starts an exam: { exam: "<id>" } or { random: true, seed? }. What can be known up front gets a
// status (404, 400, 503 with {error}); the setup streams progress lines, then
// {"done": true, "result": {id, endsAt, ...}} or {"done": false, "error": ...}.
export async function POST(request: Request) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const choice = ZExamChoice.safeParse(await request.json().catch(() => null));
  if (!choice.success)
    return Response.json({ error: 'expected { exam: "<id>" } or { random: true, seed? }' }, { status: 400 });
  try {
    await prepareExamStart(choice.data);
  } catch (e) {
    if (e instanceof AppError) return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
    throw e;
  }
  return new Response(
    progressStream((onProgress) => beginExam(choice.data, onProgress)),
    { headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" } },
  );
}
