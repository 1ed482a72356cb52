// Check's read-only credential on kind, as lite has one: a ServiceAccount in kube-system (Reset
// never touches it) bound to the read-only ClusterRole, and a kubeconfig with its token next to
// the admin one. kind's API server sets no maximum token lifetime, so the token lasts a year;
// `up` writes it again whenever the file is missing.
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { GRADER_NAME, graderRbac, tokenKubeconfig } from "./grader-access";
import { KIND_CONTEXT, type KindPaths, type PlanContext, type Step } from "./kind-plan";
import { runStep, type ToolRun } from "./kind-run";
import type { ProgressFn } from "./types";

const NAMESPACE = "kube-system";
const TOKEN_DURATION = "8760h";

export function graderSteps(ctx: PlanContext): Step[] {
  const account = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: GRADER_NAME, namespace: NAMESPACE } };
  const objects = [account, ...graderRbac({ kind: "ServiceAccount", name: GRADER_NAME, namespace: NAMESPACE })];
  const kubectl = (what: string, args: string[]) => ({
    what,
    command: ctx.kubectl,
    args: ["--kubeconfig", ctx.paths.kubeconfig, ...args],
    timeoutS: 30,
  });
  return [
    {
      ...kubectl(`giving Check read-only access (ServiceAccount ${NAMESPACE}/${GRADER_NAME}: get, list, watch)`, [
        "apply",
        "--server-side",
        "-f",
        "-",
      ]),
      input: objects.map((o) => stringify(o)).join("---\n"),
    },
    kubectl(`creating the read-only token for Check (valid ${TOKEN_DURATION})`, [
      "create",
      "token",
      GRADER_NAME,
      "-n",
      NAMESPACE,
      `--duration=${TOKEN_DURATION}`,
    ]),
  ];
}

/** What --dry-run prints after the grader's commands. */
export const describeGraderKubeconfig = (paths: KindPaths) =>
  `write ${paths.graderKubeconfig}: the server and CA of ${paths.kubeconfig}, the token above`;

/** Runs the grader's steps and writes its kubeconfig. */
export async function setUpGrader(run: ToolRun, ctx: PlanContext, onProgress: ProgressFn): Promise<void> {
  const [rbac, token] = graderSteps(ctx);
  await runStep(run, rbac, onProgress);
  writeGraderKubeconfig(ctx.paths, (await runStep(run, token, onProgress)).trim());
}

interface AdminKubeconfig {
  clusters?: { name: string; cluster: { server: string; "certificate-authority-data"?: string } }[];
}

function writeGraderKubeconfig(paths: KindPaths, token: string): void {
  if (!token) throw new Error("kubectl create token printed no token");
  const admin = parse(readFileSync(paths.kubeconfig, "utf8")) as AdminKubeconfig;
  const cluster = admin.clusters?.find((c) => c.name === KIND_CONTEXT)?.cluster;
  if (!cluster) throw new Error(`${paths.kubeconfig} has no cluster ${KIND_CONTEXT}`);
  const caData = cluster["certificate-authority-data"] ?? "";
  const text = tokenKubeconfig({ name: KIND_CONTEXT, server: cluster.server, caData, user: GRADER_NAME, token });
  writeFileSync(paths.graderKubeconfig, text, { mode: 0o600 });
}
