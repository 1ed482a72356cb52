import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { serveV1, target, vs, world } from "./test-world";

const MIRROR = "virtualservice.mirror";

describe("virtualservice.mirror", () => {
  it("accepts mirror + mirrorPercentage, mirrors[], 50 vs 50.0, FQDN mirror hosts, the old mirrorPercent", async () => {
    const p = { ...target, subset: "v2", percent: 50 };
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50 }`)),
    );
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50.0 }`)),
    );
    await expectPass(
      MIRROR,
      p,
      world(
        vs(
          `${serveV1}    mirrors: [{ destination: { host: helloworld.shop.svc.cluster.local, subset: v2 }, percentage: { value: 50 } }]`,
        ),
      ),
    );
    await expectPass(
      MIRROR,
      p,
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercent: 50`)),
    );
    await expectPass(
      MIRROR,
      { ...p, percent: "50" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 50 }`)),
    );
  });
  it("reads a missing percentage as 100%", async () => {
    await expectPass(
      MIRROR,
      { ...target, subset: "v2", percent: 100 },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2", percent: 50 },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }`)),
      /mirrorPercentage is unset \(mirrors 100%\), expected 50/,
    );
  });
  it("rejects the wrong subset, naming the field", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v1 }`)),
      /spec\.http\[0\]\.mirror\.subset is "v1", expected "v2"/,
    );
  });
  it("rejects both mirror and mirrors, and no mirror at all", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(
        vs(
          `${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrors: [{ destination: { host: helloworld, subset: v2 } }]`,
        ),
      ),
      /both mirror and mirrors/,
    );
    await expectFail(MIRROR, { ...target, subset: "v2" }, world(vs(serveV1)), /has no mirror/);
  });
  it("rejects a zero percentage", async () => {
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: { value: 0 }`)),
      /nothing is mirrored/,
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirror: { host: helloworld, subset: v2 }\n    mirrorPercentage: {}`)),
      /mirrorPercentage\.value is 0: nothing is mirrored/,
    );
    await expectFail(
      MIRROR,
      { ...target, subset: "v2" },
      world(vs(`${serveV1}    mirrors: [{ destination: { host: helloworld, subset: v2 }, percentage: {} }]`)),
      /mirrors\[0\]\.percentage\.value is 0: nothing is mirrored/,
    );
  });
});
