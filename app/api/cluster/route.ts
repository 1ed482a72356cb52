import { getClusterStatusView } from "@/lib/player/cluster-status";

// The cluster bar's status: driver, versions, readiness of each piece (cached a few seconds).
export async function GET() {
  return Response.json(await getClusterStatusView(), { headers: { "cache-control": "no-store" } });
}
