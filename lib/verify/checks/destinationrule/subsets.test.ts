import { describe, it } from "vitest";
import { expectFail, expectPass } from "../test-harness";
import { helloworld } from "../test-objects";
import { dr, subsets, target, world } from "./test-world";

const SUBSETS = "destinationrule.subsets";

describe("destinationrule.subsets", () => {
  it("accepts subsets that select the service's pods, with short or FQDN hosts, in any order", async () => {
    await expectPass(SUBSETS, { ...target, subsets: ["v1", "v2"] }, world(dr(`  host: helloworld\n${subsets}`)));
    await expectPass(
      SUBSETS,
      { ...target, subsets: ["v2", "v1"] },
      world(dr(`  host: helloworld.shop.svc.cluster.local\n${subsets}`)),
    );
    await expectPass(
      SUBSETS,
      { ...target, subsets: { v1: { version: "v1" } } },
      world(dr(`  host: helloworld\n  subsets: [{ name: v1, labels: { version: v1, app: helloworld } }]`)),
    );
  });
  it("accepts subsets merged from two DestinationRules for the same host", async () => {
    await expectPass(
      SUBSETS,
      { ...target, subsets: ["v1", "v2"] },
      world(
        dr("  host: helloworld\n  subsets: [{ name: v1, labels: { version: v1 } }]", "a") +
          dr("  host: helloworld\n  subsets: [{ name: v2, labels: { version: v2 } }]", "b"),
      ),
    );
  });
  it("rejects a missing subset and labels that select no pod", async () => {
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1", "v3"] },
      world(dr(`  host: helloworld\n${subsets}`)),
      /has no subset "v3" \(it has "v1" and "v2"\)/,
    );
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1"] },
      world(dr('  host: helloworld\n  subsets: [{ name: v1, labels: { version: "1" } }]')),
      /spec\.subsets\[0\]\.labels version=1 select no pod of Service shop\/helloworld \(its pods have version=v1 and version=v2\)/,
    );
    await expectFail(
      SUBSETS,
      { ...target, subsets: { v1: { track: "stable" } } },
      world(dr(`  host: helloworld\n${subsets}`)),
      /expected track=stable/,
    );
  });
  it("grades expected labels by the pods they select: other keys that select the same pods pass", async () => {
    // helloworld-v1's pods also carry track=stable, so track=stable selects exactly the version=v1 pods.
    const tracked = () =>
      helloworld().replace("\n        version: v1\n", "\n        version: v1\n        track: stable\n");
    const dr1 = (labels: string) => dr(`  host: helloworld\n  subsets: [{ name: v1, labels: ${labels} }]`);
    await expectPass(SUBSETS, { ...target, subsets: { v1: { version: "v1" } } }, tracked() + dr1("{ track: stable }"));
    await expectPass(
      SUBSETS,
      { ...target, subsets: { v1: { version: "v1" } } },
      tracked() + dr1("{ app: helloworld, track: stable }"),
    );
    // app=helloworld selects the v2 pods as well.
    await expectFail(
      SUBSETS,
      { ...target, subsets: { v1: { version: "v1" } } },
      tracked() + dr1("{ app: helloworld }"),
      /spec\.subsets\[0\]\.labels app=helloworld select .*helloworld-v2.*, expected only the pods labelled version=v1/,
    );
  });
  it("rejects a DR on an unexpanded host and explains it", async () => {
    await expectFail(
      SUBSETS,
      { ...target, subsets: ["v1"] },
      world(dr(`  host: helloworld.shop\n${subsets}`)),
      /no DestinationRule for host .* "helloworld\.shop", which Istio takes as written/,
    );
  });
  it("lets the client namespace's DR shadow the service namespace's", async () => {
    const both = world(
      dr(
        `  host: helloworld.shop.svc.cluster.local\n  subsets: [{ name: v1, labels: { version: v1 } }]`,
        "client-dr",
        "client",
      ),
      dr(`  host: helloworld\n${subsets}`),
    );
    await expectPass(SUBSETS, { ...target, subsets: ["v1", "v2"] }, both);
    await expectFail(
      SUBSETS,
      { ...target, fromNamespace: "client", subsets: ["v1", "v2"] },
      both,
      /DestinationRule client\/client-dr has no subset "v2"/,
    );
  });
  it("checks running pods when there are any", async () => {
    const pod =
      "apiVersion: v1\nkind: Pod\nmetadata: { name: p, labels: { app: helloworld, version: v3 } }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Running }\n---\n";
    await expectPass(
      SUBSETS,
      { ...target, subsets: { v3: { version: "v3" } } },
      world(pod, dr("  host: helloworld\n  subsets: [{ name: v3, labels: { version: v3 } }]")),
    );
  });
});
