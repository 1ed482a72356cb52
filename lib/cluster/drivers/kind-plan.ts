// What the kind driver runs, as data: the pinned versions, where its files live, the kind and
// IstioOperator configs, and every command of `up` in order. `up` runs these steps; `--dry-run`
// prints the same steps, so the plan shown is the plan run.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { type EnvSource, readEnv } from "../../env";
import { cacheDir, REPO_ROOT, toolsBinDir } from "../../paths";
import { PLAIN_PROBER_APP, PROBER_APP, PROBER_NAMESPACE, proberManifestPath } from "../prober/prober-manifests";

export const KIND_CLUSTER = "ica-practice";
export const KIND_CONTEXT = `kind-${KIND_CLUSTER}`;
/** kind's container for the one node: `<cluster>-control-plane`. */
export const KIND_NODE_CONTAINER = `${KIND_CLUSTER}-control-plane`;
/** kind v0.29.0's own image for Kubernetes 1.33, pinned by digest. */
export const KIND_NODE_IMAGE =
  "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f";
/** The oldest kind that runs that image. */
export const KIND_MIN_VERSION = "0.29.0";
export const GATEWAY_API_VERSION = "v1.3.0";
export const GATEWAY_API_URL = `https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml`;
export const SAMPLES_NAMESPACE = "samples";
const SAMPLES_DIR = path.join(REPO_ROOT, "lib", "cluster", "samples");
/** Docker memory below this cannot hold a node, istiod, the ingress gateway and the samples. */
export const MIN_MEMORY_BYTES = 4 * 1024 ** 3;

/** The ingress gateway's NodePorts, which the kind node publishes on the host's loopback. */
export const INGRESS_PORTS = [
  { name: "http2", hostPort: 80, nodePort: 30080, targetPort: 8080 },
  { name: "https", hostPort: 443, nodePort: 30443, targetPort: 8443 },
] as const;

export const TIMEOUTS = {
  createClusterS: 180,
  istioReadinessS: 300,
  deploymentsS: 300,
  crdsS: 60,
  proberS: 180,
} as const;

/** The prober's Deployments (lib/cluster/prober/prober.yaml), named by their app labels. */
export const PROBER_DEPLOYMENTS = [PROBER_APP, PLAIN_PROBER_APP] as const;

export interface KindPaths {
  dir: string;
  kubeconfig: string;
  /** Check's read-only credential (see kind-grader.ts) */
  graderKubeconfig: string;
  kindConfig: string;
  istioOperator: string;
  /** istioctl and kubectl links for a learner's PATH (and the player's terminal) */
  binDir: string;
}

export function kindPaths(env: EnvSource = process.env): KindPaths {
  const dir = path.join(cacheDir(env), "kind");
  return {
    dir,
    kubeconfig: path.join(dir, "kubeconfig"),
    graderKubeconfig: path.join(dir, "grader-kubeconfig"),
    kindConfig: path.join(dir, "kind-config.yaml"),
    istioOperator: path.join(dir, "istio-operator.yaml"),
    binDir: path.join(dir, "bin"),
  };
}

/** The pinned kubectl the lite build made, else the one on PATH. */
export function kubectlCommand(env: EnvSource = process.env): string {
  const built = path.join(toolsBinDir(env), "kubectl");
  return existsSync(built) ? built : "kubectl";
}

/** One node; the gateway's NodePorts published on 127.0.0.1:80 and :443. */
export function kindConfigYaml(): string {
  return stringify({
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: KIND_CLUSTER,
    nodes: [
      {
        role: "control-plane",
        extraPortMappings: INGRESS_PORTS.map((p) => ({
          containerPort: p.nodePort,
          hostPort: p.hostPort,
          listenAddress: "127.0.0.1",
          protocol: "TCP",
        })),
      },
    ],
  });
}

/**
 * The default profile, with the ingress gateway's Service on the NodePorts kind publishes. Access
 * logs stay off mesh-wide, as the scenarios' baseline expects (the access-logging scenario turns
 * them on); the scenarios whose traffic checks read them, and the prober, turn them on in their
 * own namespaces with a Telemetry.
 */
export function istioOperatorYaml(): string {
  return stringify({
    apiVersion: "install.istio.io/v1alpha1",
    kind: "IstioOperator",
    spec: {
      profile: "default",
      components: {
        ingressGateways: [
          {
            name: "istio-ingressgateway",
            enabled: true,
            k8s: {
              service: {
                type: "NodePort",
                ports: [
                  { name: "status-port", port: 15021, targetPort: 15021 },
                  ...INGRESS_PORTS.map((p) => ({
                    name: p.name,
                    port: p.hostPort,
                    targetPort: p.targetPort,
                    nodePort: p.nodePort,
                  })),
                ],
              },
            },
          },
        ],
      },
    },
  });
}

export function sampleFiles(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => path.join(SAMPLES_DIR, f));
}

/** A command of the plan; `what` is its progress line, `timeoutS` bounds it. */
export interface Step {
  what: string;
  command: string;
  args: string[];
  input?: string;
  timeoutS: number;
}

export interface PlanContext {
  paths: KindPaths;
  kubectl: string;
  istioctl: string;
}

const kubectlStep = (ctx: PlanContext, what: string, args: string[], timeoutS = 60): Step => ({
  what,
  command: ctx.kubectl,
  args: ["--kubeconfig", ctx.paths.kubeconfig, ...args],
  timeoutS,
});

export function createClusterSteps(ctx: PlanContext): Step[] {
  const { createClusterS } = TIMEOUTS;
  return [
    {
      what: `creating kind cluster ${KIND_CLUSTER} (${KIND_NODE_IMAGE}; pulls the image the first time)`,
      command: "kind",
      args: [
        "create",
        "cluster",
        "--name",
        KIND_CLUSTER,
        "--image",
        KIND_NODE_IMAGE,
        "--config",
        ctx.paths.kindConfig,
        "--kubeconfig",
        ctx.paths.kubeconfig,
        "--wait",
        `${createClusterS}s`,
      ],
      timeoutS: createClusterS + 420, // the image pull (about 450 MB) comes before the wait
    },
  ];
}

export function gatewayApiSteps(ctx: PlanContext): Step[] {
  return [
    kubectlStep(ctx, `applying the Gateway API ${GATEWAY_API_VERSION} CRDs (standard channel)`, [
      "apply",
      "--server-side",
      "--force-conflicts",
      "-f",
      GATEWAY_API_URL,
    ]),
    kubectlStep(
      ctx,
      "waiting for the CRDs to be established",
      ["wait", "--for=condition=Established", "crd", "--all", `--timeout=${TIMEOUTS.crdsS}s`],
      TIMEOUTS.crdsS + 10,
    ),
  ];
}

export function istioSteps(ctx: PlanContext, version: string): Step[] {
  const { istioReadinessS } = TIMEOUTS;
  return [
    {
      what: `installing Istio ${version} (istioctl install, default profile; pulls istiod and proxy images)`,
      command: ctx.istioctl,
      args: [
        "install",
        "--kubeconfig",
        ctx.paths.kubeconfig,
        "-f",
        ctx.paths.istioOperator,
        "--readiness-timeout",
        `${istioReadinessS}s`,
        "-y",
      ],
      timeoutS: istioReadinessS + 60,
    },
  ];
}

export function samplesSteps(ctx: PlanContext): Step[] {
  return [
    {
      ...kubectlStep(ctx, `creating namespace ${SAMPLES_NAMESPACE}`, ["apply", "--server-side", "-f", "-"]),
      input: stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: SAMPLES_NAMESPACE } }),
    },
    kubectlStep(ctx, `deploying the sample apps into namespace ${SAMPLES_NAMESPACE}`, [
      "apply",
      "--server-side",
      "-n",
      SAMPLES_NAMESPACE,
      ...sampleFiles().flatMap((f) => ["-f", f]),
    ]),
  ];
}

export function waitSteps(ctx: PlanContext): Step[] {
  const { deploymentsS } = TIMEOUTS;
  return ["istio-system", SAMPLES_NAMESPACE].map((namespace) =>
    kubectlStep(
      ctx,
      `waiting for the Deployments in ${namespace} to be available`,
      ["wait", "--for=condition=Available", "deployment", "--all", "-n", namespace, `--timeout=${deploymentsS}s`],
      deploymentsS + 10,
    ),
  );
}

/** Waits for the prober's two Deployments (with a sidecar, and plain). */
export function proberWaitSteps(ctx: PlanContext): Step[] {
  const { proberS } = TIMEOUTS;
  return [
    kubectlStep(
      ctx,
      `waiting for the prober (${PROBER_DEPLOYMENTS.join(", ")}) in ${PROBER_NAMESPACE} to be available`,
      [
        "wait",
        "--for=condition=Available",
        ...PROBER_DEPLOYMENTS.map((d) => `deployment/${d}`),
        "-n",
        PROBER_NAMESPACE,
        `--timeout=${proberS}s`,
      ],
      proberS + 10,
    ),
  ];
}

/**
 * The prober that traffic checks send requests from: its own namespace (sidecar injection on, so
 * istiod must answer first), curl with and without a sidecar, exec for Check only there.
 */
export function proberSteps(ctx: PlanContext): Step[] {
  return [
    kubectlStep(
      ctx,
      `deploying the prober for traffic checks (namespace ${PROBER_NAMESPACE}: curl with and without a sidecar)`,
      ["apply", "--server-side", "-f", proberManifestPath(REPO_ROOT)],
    ),
    ...proberWaitSteps(ctx),
  ];
}

/** Every command of `up` on a machine with no cluster yet, in order. */
export function planFreshUp(ctx: PlanContext, version: string): Step[] {
  return [
    ...createClusterSteps(ctx),
    ...gatewayApiSteps(ctx),
    ...istioSteps(ctx, version),
    ...samplesSteps(ctx),
    ...waitSteps(ctx),
    // after istiod is Available: its injection webhook gives the prober its sidecar
    ...proberSteps(ctx),
  ];
}

/** The exam's Istio version (ICA_ISTIO_VERSION). */
export function examIstioVersion(env: EnvSource = process.env): string {
  return readEnv(env).ICA_ISTIO_VERSION;
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

/** A step as a shell line (and the input it is given): what --dry-run prints. */
export function formatStep(step: Step): string {
  const line = [step.command, ...step.args].map(quote).join(" ");
  if (!step.input) return line;
  const input = step.input.trimEnd().replaceAll("\n", "\n    ");
  return `${line} <<EOF\n    ${input}\nEOF`;
}
