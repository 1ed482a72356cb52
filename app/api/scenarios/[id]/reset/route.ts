import { progressStream } from "@/lib/player/progress-stream";
import { resetScenario } from "@/lib/player/reset-scenario";
import { isSameOrigin } from "@/lib/player/same-origin";
import { ZScenarioId } from "@/lib/scenarios/schema";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const id = ZScenarioId.safeParse((await params).id);
  if (!id.success) return Response.json({ error: "no such scenario" }, { status: 404 });
  return new Response(
    progressStream((onProgress) => resetScenario(id.data, onProgress)),
    {
      headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
    },
  );
}
