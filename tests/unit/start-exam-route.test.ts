// POST /api/exams refuses what it can before any cluster is touched or any sitting stored:
// another origin, a body that names no exam, an exam that does not exist, no cluster to set it up on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as start } from "../../app/api/exams/route";

const saved = process.env.ICA_CLUSTER;
beforeAll(() => {
  process.env.ICA_CLUSTER = "none";
});
afterAll(() => {
  process.env.ICA_CLUSTER = saved;
});

const request = (body: unknown, origin = "http://127.0.0.1:3000") =>
  new Request("http://127.0.0.1:3000/api/exams", {
    method: "POST",
    headers: { host: "127.0.0.1:3000", origin, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function refusal(res: Response): Promise<{ status: number; error: string }> {
  return { status: res.status, error: ((await res.json()) as { error: string }).error };
}

describe("POST /api/exams", () => {
  it("refuses another origin", async () => {
    expect((await start(request({ exam: "mock-1" }, "http://evil.example"))).status).toBe(403);
  });

  it("refuses a body that names no exam", async () => {
    for (const body of [
      {},
      { exam: "../x" },
      { random: false },
      { exam: "mock-1", random: true },
      { random: true, seed: -1 },
    ]) {
      expect((await refusal(await start(request(body)))).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("says an exam does not exist", async () => {
    expect(await refusal(await start(request({ exam: "mock-99" })))).toEqual({
      status: 404,
      error: "no exam 'mock-99'",
    });
  });

  it("says there is no cluster, and how to start one", async () => {
    const { status, error } = await refusal(await start(request({ exam: "mock-1" })));
    expect(status).toBe(503);
    expect(error).toContain("npm run cluster -- up --driver lite");
  });
});
