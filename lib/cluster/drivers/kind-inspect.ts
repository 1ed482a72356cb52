// What a running kind cluster has: Kubernetes and Istio versions and the readiness of each piece
// `up` installs. `up` repairs what is missing from it; `status` prints it.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { PROBER_NAMESPACE } from "../prober/prober-manifests";
import { PROBER_DEPLOYMENTS, SAMPLES_NAMESPACE, sampleFiles } from "./kind-plan";
import type { ToolRun } from "./kind-run";

export interface Piece {
  name: string;
  present: boolean;
  ready: boolean;
  detail: string;
}

export interface ClusterInspection {
  kubernetes?: string;
  /** istiod's image tag */
  istio?: string;
  gatewayApi?: string;
  istiod: Piece;
  ingress: Piece;
  samples: Piece[];
  /** both prober Deployments (traffic checks send requests from them) */
  prober: Piece;
}

interface DeploymentList {
  items: {
    metadata: { name: string; namespace: string };
    spec: { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } };
    status?: { availableReplicas?: number };
  }[];
}

/** The Deployments the sample manifests define (curl, helloworld-v1, ...). */
export function sampleDeployments(): string[] {
  return sampleFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(file, "utf8"))
      .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string } } | null)
      .filter((m) => m?.kind === "Deployment" && m.metadata?.name)
      .map((m) => m!.metadata!.name!),
  );
}

function pieceOf(list: DeploymentList, namespace: string, name: string): Piece {
  const d = list.items.find((i) => i.metadata.namespace === namespace && i.metadata.name === name);
  if (!d) return { name, present: false, ready: false, detail: "missing" };
  const want = d.spec.replicas ?? 1;
  const have = d.status?.availableReplicas ?? 0;
  return { name, present: true, ready: have >= want, detail: `${have}/${want} available` };
}

/** One piece for several Deployments: present when all are, ready when all are. */
function pieceOfAll(name: string, pieces: Piece[]): Piece {
  const present = pieces.every((p) => p.present);
  return {
    name,
    present,
    ready: present && pieces.every((p) => p.ready),
    detail: pieces.some((p) => p.present) ? pieces.map((p) => `${p.name} ${p.detail}`).join(", ") : "missing",
  };
}

const parse = <T>(text: string): T | undefined => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

export async function inspectCluster(run: ToolRun, kubectl: string, kubeconfig: string): Promise<ClusterInspection> {
  const k = (args: string[]) => run(kubectl, ["--kubeconfig", kubeconfig, ...args], { timeoutS: 30 });
  const version = await k(["version", "-o", "json"]);
  const deployments = await k(["get", "deployments", "-A", "-o", "json"]);
  if (deployments.code !== 0) {
    throw new Error(`the kind cluster does not answer (kubectl get deployments: ${deployments.stderr.trim()})`);
  }
  const crd = await k(["get", "crd", "gateways.gateway.networking.k8s.io", "-o", "json"]);

  const list = parse<DeploymentList>(deployments.stdout) ?? { items: [] };
  const istiodImage = list.items.find((i) => i.metadata.namespace === "istio-system" && i.metadata.name === "istiod")
    ?.spec.template?.spec?.containers?.[0]?.image;
  const crdJson =
    crd.code === 0 ? parse<{ metadata?: { annotations?: Record<string, string> } }>(crd.stdout) : undefined;
  return {
    kubernetes: parse<{ serverVersion?: { gitVersion?: string } }>(version.stdout)?.serverVersion?.gitVersion,
    istio: istiodImage
      ?.split(":")
      .pop()
      ?.replace(/-distroless$/, ""),
    gatewayApi: crdJson
      ? (crdJson.metadata?.annotations?.["gateway.networking.k8s.io/bundle-version"] ?? "unknown version")
      : undefined,
    istiod: pieceOf(list, "istio-system", "istiod"),
    ingress: pieceOf(list, "istio-system", "istio-ingressgateway"),
    samples: sampleDeployments().map((name) => pieceOf(list, SAMPLES_NAMESPACE, name)),
    prober: pieceOfAll(
      "prober",
      PROBER_DEPLOYMENTS.map((name) => pieceOf(list, PROBER_NAMESPACE, name)),
    ),
  };
}

/** Istio, the Gateway API CRDs and the samples are ready (what the waits of `up` wait for). */
export function isMeshReady(c: ClusterInspection): boolean {
  return Boolean(c.gatewayApi) && c.istiod.ready && c.ingress.ready && c.samples.every((s) => s.ready);
}

export function isHealthy(c: ClusterInspection): boolean {
  return isMeshReady(c) && c.prober.ready;
}
