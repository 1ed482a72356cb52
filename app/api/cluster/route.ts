import { getClusterStatusView } from "@/lib/player/cluster-status";

// The cluster bar's status: driver, versions, readiness of each piece (cached a few seconds);
// ?cluster=bare for the bare cluster of install tasks.
export async function GET(request: Request) {
  const of = new URL(request.url).searchParams.get("cluster") === "bare" ? "bare" : "active";
  return Response.json(await getClusterStatusView(Date.now(), of), { headers: { "cache-control": "no-store" } });
}
