import { AppError, HTTP_STATUS } from "@/lib/errors";
import { claimClusterUp } from "@/lib/player/bring-cluster-up";
import { progressStream } from "@/lib/player/progress-stream";
import { isSameOrigin } from "@/lib/player/same-origin";

// Brings the cluster up (or repairs it) as `npm run cluster -- up` does with no --driver, and
// streams its progress as NDJSON. Another origin is refused (403), and so is a second up while one
// runs (503).
export async function POST(request: Request) {
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  let work: ReturnType<typeof claimClusterUp>;
  try {
    work = claimClusterUp();
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return Response.json({ error: e.message }, { status: HTTP_STATUS[e.code] });
  }
  return new Response(progressStream(work), {
    headers: { "content-type": "application/x-ndjson", "cache-control": "no-store" },
  });
}
