import { describe, it } from "vitest";
import { expectLive } from "../test-harness";
import { revision, revisionTag } from "./test-world";

const use = "install.revision-tag";
const two = revision("default") + revision("canary");

describe("install.revision-tag", () => {
  it("passes a tag whose webhooks call the revision's istiod", async () => {
    await expectLive(
      use,
      { tag: "prod-stable", revision: "canary" },
      two + revisionTag("prod-stable", "canary"),
      "pass",
      /revision tag prod-stable points at revision canary: .*istiod-canary/,
    );
    await expectLive(use, { tag: "default", revision: "default" }, two, "pass", /points at revision default/);
  });
  it("fails a tag that points elsewhere, naming the object and the Service", async () => {
    await expectLive(
      use,
      { tag: "prod-stable", revision: "canary" },
      two + revisionTag("prod-stable", "default"),
      "fail",
      /points at revision default, expected canary: MutatingWebhookConfiguration istio-revision-tag-prod-stable .*Service istio-system\/istiod /,
    );
  });
  it("judges by the Service called, not only by the configuration's label", async () => {
    const relabelled = revisionTag("prod-stable", "default").replace(
      "istio.io/rev: default, istio.io/tag",
      "istio.io/rev: canary, istio.io/tag",
    );
    await expectLive(
      use,
      { tag: "prod-stable", revision: "canary" },
      two + relabelled,
      "fail",
      /points at revision default.*istio.io\/rev=canary/,
    );
  });
  it("names the tags found when the tag is missing", async () => {
    await expectLive(
      use,
      { tag: "prod-stable", revision: "canary" },
      two,
      "fail",
      /no revision tag prod-stable: no MutatingWebhookConfiguration is labelled istio.io\/tag=prod-stable \(tags found: default\)/,
    );
  });
});
