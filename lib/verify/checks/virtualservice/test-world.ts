// Test helper: YAML the VirtualService check tests build on (helloworld with subsets v1 and v2).
import { helloworld } from "../test-objects";

const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: helloworld }
spec:
  host: helloworld
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
`;

/** helloworld, its DestinationRule, and `vs`. */
export const world = (vs: string) => `${helloworld()}${DR}${vs}`;

/** A VirtualService for host helloworld with these http rules (`extra` goes under spec, before http). */
export const vs = (http: string, extra = "", name = "helloworld") => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${name} }
spec:
  hosts: [helloworld]
${extra}  http:
${http}
---
`;

/** An http rule sending everything to subset v1. */
export const serveV1 = "  - route: [{ destination: { host: helloworld, subset: v1 } }]\n";

export const target = { host: "helloworld", namespace: "shop" };

/** Gateway gw in shop, accepting every host on port 80. */
export const gatewayGw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: ["*"] }]
---
`;

/** The ingress gateway's pod, in istio-system. */
export const ingressGatewayPod =
  "apiVersion: v1\nkind: Pod\nmetadata: { name: igw, namespace: istio-system, labels: { istio: ingressgateway } }\nspec: { containers: [{ name: istio-proxy }] }\n---\n";

/** A rule's route to subset v2 (to follow a match line). */
export const toV2 = "    route: [{ destination: { host: helloworld, subset: v2 } }]\n";

/**
 * VirtualService `a` (older) sending everything to v1, and `b` (newer) sending `match` to v2,
 * both bound to Gateway gw for any host.
 */
export const boundToGw = {
  a: (http = serveV1) =>
    vs(http, '  gateways: [gw]\n  hosts: ["*"]\n', "a")
      .replace("  hosts: [helloworld]\n", "")
      .replace("metadata: { name: a }", 'metadata: { name: a, creationTimestamp: "2024-01-01T00:00:00Z" }'),
  b: (match: string) =>
    vs(`  - match: [${match}]\n${toV2}`, '  gateways: [gw]\n  hosts: ["*"]\n', "b")
      .replace("  hosts: [helloworld]\n", "")
      .replace("metadata: { name: b }", 'metadata: { name: b, creationTimestamp: "2024-02-01T00:00:00Z" }'),
};
