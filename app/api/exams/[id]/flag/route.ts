import { z } from "zod";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { flagTaskForReview } from "@/lib/player/end-exam";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZExamSittingId } from "@/lib/terminal/terminal-target";

const ZBody = z.object({ position: z.number().int().min(0), flagged: z.boolean() }).strict();

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const id = ZExamSittingId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "no such exam" }, { status: 404 });
  const body = ZBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: "expected { position, flagged }" }, { status: 400 });
  try {
    return Response.json(await flagTaskForReview(id.data, body.data.position, body.data.flagged));
  } catch (e) {
    if (e instanceof AppError) return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
    throw e;
  }
}
