// virtualservice.routes graded by effect (issue #13): the Service port a destination names, a
// subset recognised by the pods its labels select, Istio's default route, and "not routed to".
import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";
import { serveV1, target, vs, world } from "./test-world";

const ROUTES = "virtualservice.routes";
const byLabels = { v1: { version: "v1" }, v2: { version: "v2" } };

/** helloworld with subsets named stable/canary (and one extra label) instead of v1/v2. */
const otherNames = `${helloworld()}apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: hw }
spec:
  host: helloworld.shop.svc.cluster.local
  subsets:
  - { name: stable, labels: { version: v1, app: helloworld } }
  - { name: canary, labels: { version: v2 } }
---
`;
const split = (a: string, b: string, wa: number, wb: number, port = "") =>
  vs(
    `  - route:\n    - destination: { host: helloworld, subset: ${a}${port} }\n      weight: ${wa}\n    - destination: { host: helloworld, subset: ${b}${port} }\n      weight: ${wb}`,
  );

describe("virtualservice.routes by effect", () => {
  it("a destination port the Service lacks fails, naming the field; the Service's port passes", async () => {
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 } },
      world(split("v1", "v2", 90, 10, ", port: { number: 5000 }")),
    );
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 } },
      world(split("v1", "v2", 90, 10, ", port: { number: 80 }")),
      /VirtualService shop\/helloworld spec\.http\[0\]\.route\[0\]\.destination\.port\.number is 80, but Service shop\/helloworld has no port 80 \(it has 5000\)/,
    );
  });

  it("with subsetLabels, a subset of another name that selects the same pods is the same answer", async () => {
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      otherNames + split("stable", "canary", 9, 1),
    );
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      world(split("v1", "v2", 90, 10)),
    );
    // swapped: "stable" (version v1) gets 10%
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      otherNames + split("stable", "canary", 1, 9),
      /v1 \(pods version=v1\) gets 10%, expected 90%/,
    );
    // by name only, the other names are not v1/v2
    await expectFail(ROUTES, { ...target, expect: { v1: 90, v2: 10 } }, otherNames + split("stable", "canary", 9, 1));
  });

  it("with subsetLabels, a subset whose labels select other pods is not the one asked for", async () => {
    const wrongLabels = `${helloworld()}apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: hw }
spec:
  host: helloworld
  subsets:
  - { name: v1, labels: { version: "1" } }
  - { name: v2, labels: { version: v2 } }
---
`;
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      wrongLabels + split("v1", "v2", 90, 10),
      /v1 \(pods version=v1\) gets 0%/,
    );
  });

  it("no VirtualService: Istio's default route sends everything to the Service", async () => {
    await expectPass(ROUTES, { ...target, expect: { helloworld: 100 } }, world(""));
    await expectPass(ROUTES, { ...target, notTo: ["v2"], subsetLabels: byLabels }, world(""));
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(""),
      /no VirtualService for host "helloworld" .* so Istio's default route sends 100% to host/,
    );
  });

  it("notTo: a destination that must get no request", async () => {
    await expectPass(ROUTES, { ...target, notTo: ["v2"] }, world(vs(serveV1)));
    await expectFail(
      ROUTES,
      { ...target, notTo: ["v2"] },
      world(split("v1", "v2", 90, 10)),
      /spec\.http\[0\]\.route sends .*: v2 gets 10%, expected none/,
    );
  });
});

describe("objects Istio's validation refuses apply nowhere (issue #13)", () => {
  it("a root rule with both route and delegate: the VirtualService is refused, the default route applies", async () => {
    const both = vs("  - delegate: { name: leaf }\n    route: [{ destination: { host: helloworld, subset: v2 } }]\n");
    await expectFail(
      ROUTES,
      { ...target, expect: { v2: 100 } },
      world(both),
      /VirtualService shop\/helloworld names the host but Istio rejects it: spec\.http\[0\] has both route and delegate/,
    );
    await expectPass(ROUTES, { ...target, expect: { helloworld: 100 } }, world(both));
  });
  it("a delegate with gateways is refused, so the root's rule that delegates to it is dropped", async () => {
    const root = vs("  - delegate: { name: leaf }\n");
    const leaf = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: leaf }
spec:
  gateways: [mesh]
  http:
${serveV1}---
`;
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 100 } },
      world(root + leaf),
      /delegates to VirtualService shop\/leaf, which Istio rejects \(spec\.gateways is set on a delegate VirtualService/,
    );
  });
});

describe("a request that misses a dropped delegated rule (issue #13)", () => {
  it("the failure says which rule Istio dropped and why", async () => {
    const root = vs(`  - match: [{ uri: { prefix: /api } }]\n    delegate: { name: leaf }\n${serveV1}`);
    await expectFail(
      ROUTES,
      { ...target, request: { path: "/api/x" }, expect: { v2: 100 } },
      world(root),
      /spec\.http\[1\]\.route sends 100% to subset v1: .*Istio drops a rule: VirtualService shop\/helloworld spec\.http\[0\] delegates to VirtualService shop\/leaf, which does not exist/,
    );
  });
});

describe("subsetLabels with no pods in sight (issue #13)", () => {
  it("compares the labels, leaving out those the Service's selector already fixes", async () => {
    const onlyService = `apiVersion: v1
kind: Service
metadata: { name: helloworld }
spec:
  selector: { app: helloworld }
  ports: [{ name: http, port: 5000 }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: hw }
spec:
  host: helloworld
  subsets:
  - { name: stable, labels: { app: helloworld, version: v1 } }
  - { name: canary, labels: { version: v2 } }
---
`;
    await expectPass(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      onlyService + split("stable", "canary", 9, 1),
    );
    await expectFail(
      ROUTES,
      { ...target, expect: { v1: 90, v2: 10 }, subsetLabels: byLabels },
      onlyService + split("canary", "stable", 9, 1),
      /v1 \(pods version=v1\) gets 10%, expected 90%/,
    );
  });
});
