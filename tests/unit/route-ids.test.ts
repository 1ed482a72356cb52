// The API routes take only catalog ids: an id that is a path (an encoded `/` arrives decoded in
// the route's params) or too long is a 404 before any file is read or any cluster touched.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as check } from "../../app/api/scenarios/[id]/check/route";
import { POST as reset } from "../../app/api/scenarios/[id]/reset/route";
import { brokenCopy, copyScenarios } from "./scenario-fixtures";

// No cluster: were a path taken as a scenario, nothing could reach a real cluster from here.
const saved = process.env.ICA_CLUSTER;
beforeAll(() => {
  process.env.ICA_CLUSTER = "none";
});
afterAll(() => {
  process.env.ICA_CLUSTER = saved;
});

const request = () =>
  new Request("http://127.0.0.1:3000/api/scenarios/x/check", {
    method: "POST",
    headers: { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000", "content-type": "application/json" },
    body: JSON.stringify({ taskId: "mirror" }),
  });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe("scenario ids at the HTTP edge", () => {
  it("refuses the absolute path of a real scenario folder outside the catalog", async () => {
    const dir = brokenCopy(copyScenarios([]), "traffic-mirroring", "elsewhere", (y) => y);
    expect(path.isAbsolute(dir)).toBe(true);
    expect((await check(request(), params(dir))).status).toBe(404);
    expect((await reset(request(), params(dir))).status).toBe(404);
  });

  for (const id of ["/tmp/x/scenario", "../scenarios/traffic-mirroring", "a/b", "x".repeat(101), "Traffic"]) {
    it(`refuses ${JSON.stringify(id.slice(0, 30))} on Check and Reset with 404`, async () => {
      expect((await check(request(), params(id))).status).toBe(404);
      expect((await reset(request(), params(id))).status).toBe(404);
    });
  }
});
