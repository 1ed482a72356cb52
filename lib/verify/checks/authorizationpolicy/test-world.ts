// Test helper: YAML the AuthorizationPolicy check tests build on.

/** An AuthorizationPolicy with this spec (YAML flow map). */
export const ap = (name: string, spec: string, ns = "shop") => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ${name}, namespace: ${ns} }
spec: ${spec}
---
`;
