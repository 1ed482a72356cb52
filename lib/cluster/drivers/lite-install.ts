import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { REPO_ROOT } from "../../paths";
import { findGo, ISTIO_HUB, ISTIO_VERSION } from "../control-plane-binaries";
import { FAKE_NODE_ANNOTATION } from "./lite-components";
import { runCommandOrThrow } from "./run-command";
import type { ProgressFn } from "./types";
import { waitUntil } from "./wait-until";

// What the lite cluster holds besides the control plane: a fake node, Istio's CRDs and
// istio-system objects (with istiod's webhooks), the Gateway API CRDs and the sample apps.

export const GATEWAY_API_VERSION = "v1.3.0";
export const SAMPLES_NAMESPACE = "samples";
const SAMPLES_DIR = join(REPO_ROOT, "lib", "cluster", "samples");
const FAKE_NODE = "lite-node-0";

type Manifest = Record<string, unknown> & { kind?: string };

export type Kubectl = (args: string[], input?: string) => Promise<string>;

export function createKubectl(kubectlBinary: string, kubeconfig: string): Kubectl {
  return (args, input) => runCommandOrThrow(kubectlBinary, ["--kubeconfig", kubeconfig, ...args], { input });
}

function toYaml(manifests: Manifest[]): string {
  return manifests.map((m) => stringify(m)).join("---\n");
}

function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === "object" && typeof m.kind === "string");
}

export async function applyManifests(kubectl: Kubectl, manifests: Manifest[], namespace?: string): Promise<void> {
  const ns = namespace ? ["--namespace", namespace] : [];
  await kubectl(
    ["apply", "--server-side", "--force-conflicts", "--field-manager=ica-lite", ...ns, "-f", "-"],
    toYaml(manifests),
  );
}

export async function addFakeNode(kubectl: Kubectl, kubeletVersion: string): Promise<void> {
  const resources = { cpu: "32", memory: "256Gi", pods: "250" };
  await applyManifests(kubectl, [
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: FAKE_NODE,
        annotations: { [FAKE_NODE_ANNOTATION]: "fake" },
        labels: {
          "kubernetes.io/hostname": FAKE_NODE,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          type: "kwok",
        },
      },
      // No taints: kube-scheduler must place every pod here.
      spec: {},
      status: {
        allocatable: resources,
        capacity: resources,
        nodeInfo: { kubeletVersion, operatingSystem: "linux", architecture: "amd64" },
      },
    },
  ]);
}

/**
 * Renders Istio's default profile with the pinned istioctl. The webhook configurations are
 * kept: the local istiod answers them (lite-istiod.ts) and patches their caBundle.
 */
export async function renderIstio(
  istioctl: string,
  manifestsDir: string,
): Promise<{ crds: Manifest[]; objects: Manifest[] }> {
  const rendered = await runCommandOrThrow(istioctl, [
    "manifest",
    "generate",
    "--set",
    `hub=${ISTIO_HUB}`,
    "--set",
    `tag=${ISTIO_VERSION}`,
  ]);
  writeFileSync(join(manifestsDir, "istio-rendered.yaml"), rendered);
  const manifests = parseManifests(rendered);
  return {
    crds: manifests.filter((m) => m.kind === "CustomResourceDefinition"),
    objects: manifests.filter((m) => m.kind !== "CustomResourceDefinition"),
  };
}

/** The standard-channel Gateway API CRDs from the pinned module in Go's module cache. */
async function readGatewayApiCrds(): Promise<Manifest[]> {
  const download = await runCommandOrThrow(
    findGo(),
    ["mod", "download", "-json", `sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}`],
    { env: { ...process.env, GOTOOLCHAIN: "local" }, cwd: REPO_ROOT },
  );
  const { Dir } = JSON.parse(download) as { Dir?: string };
  if (!Dir) throw new Error(`go mod download gave no directory for sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}`);
  const crdDir = join(Dir, "config", "crd", "standard");
  return readdirSync(crdDir)
    .filter((file) => file.endsWith(".yaml") && file !== "kustomization.yaml")
    .sort()
    .flatMap((file) => parseManifests(readFileSync(join(crdDir, file), "utf8")));
}

export async function installCrds(kubectl: Kubectl, istioCrds: Manifest[], onProgress: ProgressFn): Promise<void> {
  const gatewayApi = await readGatewayApiCrds();
  onProgress(
    istioCrds.length > 0
      ? `applying ${istioCrds.length} Istio CRDs and Gateway API ${GATEWAY_API_VERSION} (standard channel)`
      : `applying Gateway API ${GATEWAY_API_VERSION} CRDs (standard channel); no Istio CRDs on a bare cluster`,
  );
  await applyManifests(kubectl, [...istioCrds, ...gatewayApi]);
  await kubectl(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"]);
}

export async function installIstioObjects(
  kubectl: Kubectl,
  objects: Manifest[],
  onProgress: ProgressFn,
): Promise<void> {
  onProgress(`applying ${objects.length} istio-system objects (default profile, with istiod's webhooks)`);
  const namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "istio-system" } };
  await applyManifests(kubectl, [namespace, ...objects]);
}

export async function deploySamples(kubectl: Kubectl, onProgress: ProgressFn): Promise<void> {
  const files = readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  onProgress(`deploying sample apps (${files.join(", ")}) into namespace ${SAMPLES_NAMESPACE}`);
  await applyManifests(kubectl, [{ apiVersion: "v1", kind: "Namespace", metadata: { name: SAMPLES_NAMESPACE } }]);
  const samples = files.flatMap((f) => parseManifests(readFileSync(join(SAMPLES_DIR, f), "utf8")));
  await applyManifests(kubectl, samples, SAMPLES_NAMESPACE);
}

interface DeploymentList {
  items: {
    metadata: { name: string; namespace: string };
    spec: { replicas?: number };
    status?: { availableReplicas?: number };
  }[];
}

/** Waits until every Deployment in the namespaces has all replicas available (Running on the fake node). */
export async function waitForDeployments(
  kubectl: Kubectl,
  namespaces: string[],
  onProgress: ProgressFn,
  timeoutMs = 180_000,
): Promise<void> {
  onProgress(`waiting for the Deployments in ${namespaces.join(", ")} to have Running pods`);
  await waitUntil(
    async () => {
      const pending: string[] = [];
      for (const namespace of namespaces) {
        const list = JSON.parse(await kubectl(["get", "deployments", "-n", namespace, "-o", "json"])) as DeploymentList;
        for (const d of list.items) {
          const want = d.spec.replicas ?? 1;
          const have = d.status?.availableReplicas ?? 0;
          if (have < want) pending.push(`${namespace}/${d.metadata.name} ${have}/${want}`);
        }
      }
      return pending.length === 0 || `not yet available: ${pending.join(", ")}`;
    },
    { what: "Deployments to be available", timeoutMs, onProgress, intervalMs: 500 },
  );
}
