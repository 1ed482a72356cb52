import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";
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

describe("virtualservice.mirror by effect (issue #13)", () => {
  const dr = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: hw }
spec:
  host: helloworld
  subsets:
  - { name: primary, labels: { version: v1 } }
  - { name: shadow, labels: { version: v2, app: helloworld } }
---
`;
  const mirrorTo = (subset: string, port = "") =>
    vs(
      `  - route: [{ destination: { host: helloworld, subset: primary } }]\n    mirror: { host: helloworld, subset: ${subset}${port} }`,
    );
  it("subsetLabels: a subset of any name that selects the version's pods passes", async () => {
    await expectPass(
      "virtualservice.mirror",
      { ...target, subsetLabels: { version: "v2" } },
      helloworld() + dr + mirrorTo("shadow"),
    );
    await expectFail(
      "virtualservice.mirror",
      { ...target, subsetLabels: { version: "v2" } },
      helloworld() + dr + mirrorTo("primary"),
      /spec\.http\[0\]\.mirror\.subset is "primary", whose DestinationRule shop\/hw spec\.subsets\[0\]\.labels are version=v1, expected the pods version=v2/,
    );
  });
  it("a mirror port the Service lacks fails, naming the field", async () => {
    await expectPass(
      "virtualservice.mirror",
      { ...target, subsetLabels: { version: "v2" } },
      helloworld() + dr + mirrorTo("shadow", ", port: { number: 5000 }"),
    );
    await expectFail(
      "virtualservice.mirror",
      { ...target, subsetLabels: { version: "v2" } },
      helloworld() + dr + mirrorTo("shadow", ", port: { number: 8080 }"),
      /spec\.http\[0\]\.mirror\.port\.number is 8080, but Service shop\/helloworld has no port 8080/,
    );
  });
});
