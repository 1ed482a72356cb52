// The learner's shell: bash in the scenario's (or the exam's) workspace folder, pointed at the
// active cluster.
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type IPty, spawn } from "node-pty";
import type { ActiveCluster } from "../cluster/active-cluster";
import { copiedIstioCharts } from "../cluster/istio-charts";
import { promptNameOf, type TerminalTarget, targetOf, terminalKey, workspaceOf } from "./terminal-target";

// Sourced instead of ~/.bashrc: the learner's own settings first, then ours, so a ~/.bashrc that
// sets PS1 or PATH cannot hide the practice tools.
const BASHRC = `# Written by ICA Practice on every terminal start.
[ -f ~/.bashrc ] && . ~/.bashrc
[ -n "$ICA_BIN_DIR" ] && PATH="$ICA_BIN_DIR:$PATH"
PS1='$ICA_PROMPT \\$ '
# As on the exam: k for kubectl, completion for both tools (each only when it is there).
alias k=kubectl
if command -v kubectl >/dev/null; then . <(kubectl completion bash 2>/dev/null); complete -o default -F __start_kubectl k; fi
command -v istioctl >/dev/null && . <(istioctl completion bash 2>/dev/null)
`;

// The exam terminal's tools: the banner names those this shell has and those it lacks.
const EXAM_TOOLS = ["kubectl", "istioctl", "helm", "yq", "curl", "wget"] as const;

/** The first executable file called `name` in the folders of `searchPath` (a PATH value). */
export function findOnPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The exam's editor: vim, or nano when there is no vim; undefined when neither is on `searchPath`. */
export function pickEditor(searchPath: string | undefined): "vim" | "nano" | undefined {
  if (findOnPath("vim", searchPath)) return "vim";
  if (findOnPath("nano", searchPath)) return "nano";
  return undefined;
}

// node-pty 1.1.0 lets the child inherit the server's descriptors, among them the pty masters of
// the shells started before (microsoft/node-pty#657): one scenario's shell could read or type into
// another's. This bash closes every descriptor above 2 (the pty's stdin, stdout and stderr stay),
// then exec's the learner's shell, which keeps the pid node-pty reports. The descriptor that
// lists /dev/fd is closed once the list is read, hence the -e test. (`eval "exec N>&-"`, not
// `exec {fd}>&-`: macOS's bash 3.2 has no {fd}.)
const CLOSE_INHERITED_FDS =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
  'for fd in /dev/fd/*; do fd=${fd##*/}; if [ "$fd" -gt 2 ] 2>/dev/null && [ -e "/dev/fd/$fd" ]; then eval "exec $fd>&-"; fi; done; exec bash "$@"';

// The server's own settings have no business in the learner's shell.
const DROPPED_PREFIXES = ["npm_", "NEXT_", "__NEXT", "TURBOPACK", "ICA_"];
const DROPPED_NAMES = new Set([
  "NODE_ENV",
  "NODE_OPTIONS",
  "PORT",
  "HOST",
  "DATABASE_URL",
  "KUBECONFIG",
  "PS1",
  "PROMPT_COMMAND",
]);

export interface Shell {
  pty: IPty;
  /** a few dim lines to show above the first prompt: which cluster, which tools */
  banner: string;
  /**
   * `ICA_TERMINAL_SHELL=<random>`, in the environment of the shell and so of everything it starts:
   * how endProcessSession finds the processes that left the shell's session
   */
  envMarker: string;
}

/**
 * Starts bash in the target's workspace (`<workspacesDir>/<scenarioId>/`, an exam's
 * `<workspacesDir>/.exams/<id>/`; created on demand); a bare string is a scenario. The prompt
 * names the scenario, or says `exam`. With a context, KUBECONFIG
 * gets a small file in front that only sets current-context (the first file to set it wins), so
 * kubectl and istioctl use that context with no alias or flag.
 */
export function spawnShell(target: TerminalTarget | string, cluster: ActiveCluster, workspacesDir: string): Shell {
  const t = targetOf(target);
  const workspace = workspaceOf(t, workspacesDir);
  const own = path.join(workspacesDir, ".ica");
  mkdirSync(workspace, { recursive: true });
  mkdirSync(own, { recursive: true });
  const bashrc = path.join(own, "bashrc");
  writeFileSync(bashrc, BASHRC);

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || DROPPED_NAMES.has(name) || DROPPED_PREFIXES.some((p) => name.startsWith(p))) continue;
    env[name] = value;
  }
  const shellId = randomBytes(16).toString("hex");
  Object.assign(env, {
    TERM: "xterm-256color",
    COLORTERM: "truecolor",
    ICA_PROMPT: promptNameOf(t),
    ICA_TERMINAL_SHELL: shellId,
  });
  if (t.kind === "scenario") env.ICA_SCENARIO = t.id;
  else env.ICA_EXAM = t.id;
  env.LANG ??= "C.UTF-8";
  if (cluster.binDir) {
    env.ICA_BIN_DIR = cluster.binDir;
    env.PATH = [cluster.binDir, env.PATH].filter(Boolean).join(path.delimiter);
  }
  // Istio's Helm charts, once the lite driver's `up` has copied them (helm is in binDir):
  // `helm install istiod $ICA_ISTIO_CHARTS/istiod -n istio-system`.
  const charts = copiedIstioCharts();
  if (charts) env.ICA_ISTIO_CHARTS = charts;
  const lines = [`cluster: ${cluster.name}`];
  if (cluster.kubeconfig) {
    env.KUBECONFIG = cluster.kubeconfig;
    lines[0] += ` (KUBECONFIG=${cluster.kubeconfig})`;
  } else {
    lines[0] += " (no kubeconfig: kubectl has no cluster to talk to)";
  }
  if (cluster.kubeconfig && cluster.context) {
    const contextFile = path.join(own, `${terminalKey(t).replace(":", "-")}.context.kubeconfig`);
    writeFileSync(
      contextFile,
      JSON.stringify({ apiVersion: "v1", kind: "Config", "current-context": cluster.context }),
    );
    env.KUBECONFIG = [contextFile, cluster.kubeconfig, ...(cluster.alsoKubeconfigs ?? [])].join(path.delimiter);
    env.ICA_KUBE_CONTEXT = cluster.context;
    lines.push(`context: ${cluster.context} (set through KUBECONFIG; also in $ICA_KUBE_CONTEXT)`);
  }
  // As on the exam: $EDITOR (and kubectl edit's KUBE_EDITOR) is vim, or nano without vim; with
  // neither, the inherited values stay. A learner's ~/.bashrc may still choose another.
  const editor = pickEditor(env.PATH);
  if (editor) {
    env.EDITOR = editor;
    env.KUBE_EDITOR = editor;
  }
  const present = EXAM_TOOLS.filter((tool) => findOnPath(tool, env.PATH));
  const missing = EXAM_TOOLS.filter((tool) => !present.includes(tool));
  const named = present.map((tool) => (tool === "kubectl" ? "kubectl (k)" : tool));
  lines.push(
    `tools: ${named.join(", ") || "none of the exam's"}; $EDITOR: ${editor ?? `${env.EDITOR ?? "unset"} (no vim or nano)`}`,
  );
  if (missing.length > 0) lines.push(`missing: ${missing.join(", ")}`);
  lines.push(`kubectl, istioctl, helm, yq: ${cluster.binDir ?? "from PATH"}`);
  if (env.ICA_ISTIO_CHARTS)
    lines.push(`Istio's Helm charts: $ICA_ISTIO_CHARTS (helm install istio-base $ICA_ISTIO_CHARTS/base ...)`);
  const banner = lines.map((l) => `\x1b[2m# ${l}\x1b[0m\r\n`).join("");
  const pty = spawn("bash", ["-c", CLOSE_INHERITED_FDS, "bash", "--rcfile", bashrc, "-i"], {
    name: "xterm-256color",
    cols: 80,
    rows: 24,
    cwd: workspace,
    env,
  });
  return { pty, banner, envMarker: `ICA_TERMINAL_SHELL=${shellId}` };
}
