// The ICA exam's domains (CNCF curriculum in force since 2025-08-12; exam runs Istio 1.26).

export const DOMAINS = {
  install: {
    title: "Installation, Upgrades, and Configuration",
    weight: 20,
    competencies: [
      "Install with istioctl or Helm",
      "Install in sidecar or ambient mode",
      "Customize the installation",
      "Upgrade (canary, in-place)",
    ],
  },
  traffic: {
    title: "Traffic Management",
    weight: 35,
    competencies: [
      "Ingress and egress",
      "Routing within the mesh",
      "Traffic policies with DestinationRules",
      "Traffic shifting",
      "Connecting to external workloads and services",
      "Resilience",
      "Fault injection",
    ],
  },
  security: {
    title: "Securing Workloads",
    weight: 25,
    competencies: ["Authorization", "Authentication (mTLS, JWT)", "Securing edge traffic with TLS"],
  },
  troubleshooting: {
    title: "Troubleshooting",
    weight: 20,
    competencies: ["Configuration", "Mesh control plane", "Mesh data plane"],
  },
} as const;

export type DomainId = keyof typeof DOMAINS;
export const DOMAIN_IDS = Object.keys(DOMAINS) as DomainId[];
