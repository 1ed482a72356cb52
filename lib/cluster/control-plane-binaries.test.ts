import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { binaryPath, listBinaries } from "./control-plane-binaries";

describe("listBinaries", () => {
  it("builds mikefarah's yq v4, pinned in scripts/control-plane/yq/go.mod", () => {
    const yq = listBinaries().find((b) => b.name === "yq");
    expect(yq?.version).toMatch(/^v4\.\d+\.\d+$/);
    expect(basename(binaryPath("yq"))).toBe(`yq-${yq?.version}`);
  });

  it("builds helm v4, the major Istio's own module requires, pinned in scripts/control-plane/helm/go.mod", () => {
    const helm = listBinaries().find((b) => b.name === "helm");
    expect(helm?.version).toMatch(/^v4\.\d+\.\d+$/);
    expect(basename(binaryPath("helm"))).toBe(`helm-${helm?.version}`);
  });

  it("names each binary once, with a version", () => {
    const names = listBinaries().map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(["kubectl", "istioctl", "yq", "helm"]));
    for (const b of listBinaries()) expect(b.version).not.toBe("");
  });
});
