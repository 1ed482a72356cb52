import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ISTIO_VERSION } from "./control-plane-binaries";
import { ISTIO_CHART_VERSION, istioChartsDir, releaseChartFile } from "./istio-charts";

describe("Istio's charts in the cache", () => {
  it("live in <cache>/istio-charts/<Istio version>-<commit>", () => {
    const dir = istioChartsDir({ ICA_CACHE_DIR: "/tmp/ica-cache" });
    expect(dir.startsWith(join("/tmp/ica-cache", "istio-charts", `${ISTIO_VERSION}-`))).toBe(true);
    expect(dir).toMatch(/-[0-9a-f]{12}$/);
  });

  it("get a SemVer chart version and the release's hub and tag, as Istio's release build does", () => {
    expect(ISTIO_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const chart = releaseChartFile("Chart.yaml", "apiVersion: v2\nname: istiod\nversion: 1.0.0\nappVersion: 1.0.0\n");
    expect(chart).toContain(`version: ${ISTIO_CHART_VERSION}\n`);
    expect(chart).toContain(`appVersion: ${ISTIO_VERSION}\n`);
    const values = releaseChartFile(
      "values.yaml",
      '_internal_defaults_do_not_set:\n  global:\n    hub: registry.istio.io/testing\n    tag: latest\n  pilot:\n    hub: ""\n',
    );
    expect(values).toContain("    hub: docker.io/istio\n");
    expect(values).toContain(`    tag: ${ISTIO_VERSION}\n`);
    expect(values).toContain('    hub: ""\n');
    expect(releaseChartFile("deployment.yaml", "tag: latest\n")).toBe("tag: latest\n");
  });
});
