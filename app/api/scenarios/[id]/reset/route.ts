import { progressStream } from "@/lib/player/progress-stream";
import { resetScenario } from "@/lib/player/reset-scenario";
import { isSameOrigin } from "@/lib/player/same-origin";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const { id } = await params;
  return new Response(
    progressStream((onProgress) => resetScenario(id, onProgress)),
    {
      headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
    },
  );
}
