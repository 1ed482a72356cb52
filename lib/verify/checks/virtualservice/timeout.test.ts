import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

const TIMEOUT = "virtualservice.timeout";

describe("virtualservice.timeout", () => {
  it("accepts equivalent values", async () => {
    await expectPass(TIMEOUT, { ...target, timeout: "5s" }, world(vs(`${serveV1}    timeout: 5.0s`)));
    await expectPass(TIMEOUT, { ...target, timeout: "5s" }, world(vs(`${serveV1}    timeout: 5000ms`)));
  });
  it("rejects wrong or missing values", async () => {
    await expectFail(
      TIMEOUT,
      { ...target, timeout: "5s" },
      world(vs(`${serveV1}    timeout: 10s`)),
      /timeout is "10s", expected 5s/,
    );
    await expectFail(TIMEOUT, { ...target, timeout: "5s" }, world(vs(serveV1)), /unset/);
  });
  it("reads an unset timeout as 0s (no timeout)", async () => {
    await expectPass(TIMEOUT, { ...target, timeout: "0s" }, world(vs(serveV1)));
    await expectPass(TIMEOUT, { ...target, timeout: "0s" }, world(vs(`${serveV1}    timeout: 0.0s`)));
  });
});
