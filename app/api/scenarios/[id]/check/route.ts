import { z } from "zod";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { checkTask } from "@/lib/player/check-task";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZScenarioId, ZTaskId } from "@/lib/scenarios/schema";

const ZBody = z.object({ taskId: ZTaskId });

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const id = ZScenarioId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "no such scenario" }, { status: 404 });
  const body = ZBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: "expected { taskId }" }, { status: 400 });
  try {
    return Response.json(await checkTask(id.data, body.data.taskId));
  } catch (e) {
    if (e instanceof AppError) return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
    throw e;
  }
}
