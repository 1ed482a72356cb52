import { HTTP_STATUS } from "@/lib/errors";
import { findResetObstacle } from "@/lib/player/find-reset-obstacle";
import { progressStream } from "@/lib/player/progress-stream";
import { resetScenario } from "@/lib/player/reset-scenario";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZScenarioId } from "@/lib/scenarios/schema";

// What can be known up front gets a status (404, 503 with {error}); what fails later is the
// stream's last line, {"done": false, "error": ...}.
export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const id = ZScenarioId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "no such scenario" }, { status: 404 });
  const obstacle = findResetObstacle(id.data);
  if (obstacle) return Response.json({ error: obstacle.message }, { status: HTTP_STATUS[obstacle.code] });
  return new Response(
    progressStream((onProgress) => resetScenario(id.data, onProgress)),
    {
      headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
    },
  );
}
