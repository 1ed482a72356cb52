import { z } from "zod";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { requestExamEnd } from "@/lib/player/end-exam";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZExamSittingId } from "@/lib/terminal/terminal-target";

// End exam, Grade again, or the countdown at zero ({ atDeadline: true }). Answers with the outcome
// only ({status, reason} or {status: "running", remainingMs}); the results are on the report page.
const ZBody = z.object({ atDeadline: z.boolean().default(false) }).strict();

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const id = ZExamSittingId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "no such exam" }, { status: 404 });
  const body = ZBody.safeParse(await request.json().catch(() => ({})));
  if (!body.success) return Response.json({ error: "expected { atDeadline? }" }, { status: 400 });
  try {
    return Response.json(await requestExamEnd(id.data, body.data));
  } catch (e) {
    if (e instanceof AppError) return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
    throw e;
  }
}
