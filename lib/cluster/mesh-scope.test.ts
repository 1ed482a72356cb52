import { describe, expect, it } from "vitest";
import {
  type BaselineKind,
  baselineFileName,
  cleanObject,
  kindOfRef,
  type MeshBaseline,
  parseApiResources,
  planMeshObject,
} from "./mesh-scope";
import type { KubeObject } from "./types";

// The mesh text istioctl renders for the default profile (sequences level with their key).
const INSTALLED = `defaultConfig:
  discoveryAddress: istiod.istio-system.svc:15012
defaultProviders:
  metrics:
  - prometheus
enablePrometheusMerge: true
rootNamespace: istio-system
trustDomain: cluster.local
`;

const PA: BaselineKind = {
  resource: "peerauthentications.security.istio.io",
  group: "security.istio.io",
  kind: "PeerAuthentication",
  namespaced: true,
};
const INGRESS_CLASS: BaselineKind = {
  resource: "ingressclasses.networking.k8s.io",
  group: "networking.k8s.io",
  kind: "IngressClass",
  namespaced: false,
};
const ISTIO_GATEWAY: BaselineKind = {
  resource: "gateways.networking.istio.io",
  group: "networking.istio.io",
  kind: "Gateway",
  namespaced: true,
};
const K8S_GATEWAY_CLASS: BaselineKind = {
  resource: "gatewayclasses.gateway.networking.k8s.io",
  group: "gateway.networking.k8s.io",
  kind: "GatewayClass",
  namespaced: false,
};

function pa(name: string, mode: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name, namespace: "istio-system", ...extra },
    spec: { mtls: { mode } },
  };
}

const ingressClass: KubeObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: { name: "istio" },
  spec: { controller: "istio.io/ingress-controller" },
};

function baselineOf(objects: KubeObject[]): MeshBaseline {
  return {
    version: 1,
    cluster: "test",
    recordedAt: "2026-01-01T00:00:00Z",
    rootNamespace: "istio-system",
    kinds: [PA, INGRESS_CLASS, ISTIO_GATEWAY, K8S_GATEWAY_CLASS],
    mesh: INSTALLED,
    objects,
  };
}

describe("planMeshObject", () => {
  const serverSet = { resourceVersion: "42", uid: "u", generation: 3, creationTimestamp: "2026-01-01T00:00:00Z" };
  const ref = { kind: "PeerAuthentication", name: "default" };

  it("deletes a declared object the baseline does not have", () => {
    const now = pa("default", "STRICT", serverSet);
    expect(planMeshObject(ref, PA, baselineOf([]), now)).toEqual({
      action: "delete",
      ref: "PeerAuthentication istio-system/default",
      current: now,
    });
    expect(planMeshObject(ref, PA, baselineOf([]), undefined).action).toBe("keep");
  });

  it("puts back the baseline's version of a changed object, and recreates a deleted one", () => {
    const base = pa("default", "PERMISSIVE");
    const changed = planMeshObject(ref, PA, baselineOf([base]), pa("default", "STRICT", serverSet));
    expect(changed).toMatchObject({ action: "restore", baseline: base });
    expect(planMeshObject(ref, PA, baselineOf([base]), undefined)).toMatchObject({
      action: "recreate",
      baseline: base,
    });
  });

  it("keeps an object equal to the baseline's but for server-set fields and status", () => {
    const base = pa("default", "PERMISSIVE");
    const now = { ...pa("default", "PERMISSIVE", { ...serverSet, managedFields: [{}] }), status: { x: 1 } };
    expect(planMeshObject(ref, PA, baselineOf([base]), now).action).toBe("keep");
    // a label the learner added is a change
    const labelled = pa("default", "PERMISSIVE", { labels: { mine: "yes" } });
    expect(planMeshObject(ref, PA, baselineOf([base]), labelled).action).toBe("restore");
  });

  it("matches by namespace (the root one by default) and name", () => {
    const elsewhere = { ...pa("default", "PERMISSIVE"), metadata: { name: "default", namespace: "other" } };
    expect(planMeshObject(ref, PA, baselineOf([elsewhere]), undefined).action).toBe("keep");
    const inOther = { ...ref, namespace: "other" };
    expect(planMeshObject(inOther, PA, baselineOf([elsewhere]), undefined)).toMatchObject({
      action: "recreate",
      ref: "PeerAuthentication other/default",
    });
  });

  it("gives cluster-scoped kinds no namespace", () => {
    const ref = { kind: "IngressClass", name: "istio" };
    expect(planMeshObject(ref, INGRESS_CLASS, baselineOf([ingressClass]), undefined)).toMatchObject({
      action: "recreate",
      ref: "IngressClass istio",
    });
  });
});

describe("kindOfRef", () => {
  const kinds = baselineOf([]).kinds;
  it("finds the kind, narrowed by the apiVersion's group", () => {
    expect(kindOfRef({ kind: "PeerAuthentication", name: "x" }, kinds)).toEqual([PA]);
    expect(
      kindOfRef({ apiVersion: "security.istio.io/v1beta1", kind: "PeerAuthentication", name: "x" }, kinds),
    ).toEqual([PA]);
    expect(kindOfRef({ apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", name: "x" }, kinds)).toEqual([]);
  });
  it("knows no kind the baseline did not list (a Namespace is never touched)", () => {
    expect(kindOfRef({ kind: "Namespace", name: "istio-system" }, kinds)).toEqual([]);
    expect(kindOfRef({ kind: "ConfigMap", name: "istio" }, kinds)).toEqual([]);
  });
});

describe("recording", () => {
  it("reads the baseline kinds from kubectl api-resources, short names or not", () => {
    const text = [
      "configmaps                          cm           v1                                true         ConfigMap",
      "ingressclasses                                   networking.k8s.io/v1              false        IngressClass",
      "ingresses                           ing          networking.k8s.io/v1              true         Ingress",
      "gatewayclasses                      gc           gateway.networking.k8s.io/v1      false        GatewayClass",
      "gateways                            gtw          gateway.networking.k8s.io/v1      true         Gateway",
      "wasmplugins                                      extensions.istio.io/v1alpha1      true         WasmPlugin",
      "gateways                            gw           networking.istio.io/v1            true         Gateway",
      "peerauthentications                 pa           security.istio.io/v1              true         PeerAuthentication",
      "telemetries                         telemetry    telemetry.istio.io/v1             true         Telemetry",
    ].join("\n");
    expect(parseApiResources(text).map((k) => `${k.resource} ${k.kind} ${k.namespaced}`)).toEqual([
      "gatewayclasses.gateway.networking.k8s.io GatewayClass false",
      "gateways.networking.istio.io Gateway true",
      "ingressclasses.networking.k8s.io IngressClass false",
      "peerauthentications.security.istio.io PeerAuthentication true",
      "telemetries.telemetry.istio.io Telemetry true",
      "wasmplugins.extensions.istio.io WasmPlugin true",
    ]);
  });

  it("cleans server-set fields and status", () => {
    const o = {
      ...pa("a", "STRICT", { resourceVersion: "1", uid: "u", managedFields: [], generation: 1 }),
      status: {},
    };
    expect(cleanObject(o)).toEqual(pa("a", "STRICT"));
  });

  it("names a current cluster's baseline file safely, one per kubeconfig and context", () => {
    const a = baselineFileName("/home/me/.kube/config", "arn:aws:eks:eu-west-1:1:cluster/prod");
    expect(a).toMatch(/^arn_aws_eks_eu-west-1_1_cluster_prod-[0-9a-f]{10}\.json$/);
    expect(baselineFileName("/other/config", "arn:aws:eks:eu-west-1:1:cluster/prod")).not.toBe(a);
    expect(baselineFileName("/home/me/.kube/config", undefined)).toMatch(/^config-[0-9a-f]{10}\.json$/);
  });
});
