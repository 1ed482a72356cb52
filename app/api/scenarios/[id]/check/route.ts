import { z } from "zod";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { checkTask } from "@/lib/player/check-task";
import { isSameOrigin } from "@/lib/player/same-origin";

const ZBody = z.object({ taskId: z.string().regex(/^[a-z0-9-]+$/) });

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const body = ZBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: "expected { taskId }" }, { status: 400 });
  try {
    return Response.json(await checkTask((await params).id, body.data.taskId));
  } catch (e) {
    if (e instanceof AppError) return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
    throw e;
  }
}
