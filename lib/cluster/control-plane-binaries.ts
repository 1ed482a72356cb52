import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { delimiter, join } from "node:path";
import { cacheDir, REPO_ROOT, toolsBinDir } from "../paths";
import type { ProgressFn } from "./drivers/types";

// Pinned control-plane binaries, and the learner's tools that come with them (kubectl, istioctl,
// kwokctl, yq, helm), built with `go build` from the wrapper modules in scripts/control-plane/ (their
// go.mod files hold the versions) and cached by version.

export type BinaryName =
  | "etcd"
  | "kube-apiserver"
  | "kube-controller-manager"
  | "kube-scheduler"
  | "kubectl"
  | "kwok"
  | "kwokctl"
  | "istioctl"
  | "pilot-discovery"
  | "yq"
  | "helm";

interface BinarySpec {
  name: BinaryName;
  version: string;
  wrapper: string; // folder under scripts/control-plane/
  pkg: string;
  ldflags: string[];
}

const WRAPPERS = join(REPO_ROOT, "scripts", "control-plane");

/** The release line of the Istio commit pinned in scripts/control-plane/istioctl/go.mod. */
export const ISTIO_VERSION = "1.31-dev";
export const ISTIO_HUB = "docker.io/istio";

function readRequiredVersion(wrapper: string, modulePath: string): string {
  const goMod = readFileSync(join(WRAPPERS, wrapper, "go.mod"), "utf8");
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const match = goMod.match(new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, "m"));
  if (!match) throw new Error(`scripts/control-plane/${wrapper}/go.mod does not require ${modulePath}`);
  return match[1];
}

/** The pinned Istio module's version: a pseudo-version v0.0.0-<date>-<commit>. */
export function istioModuleVersion(): string {
  return readRequiredVersion("istioctl", "istio.io/istio");
}

/** The commit that names the Istio build (the last part of the pseudo-version). */
export function istioCommitOf(moduleVersion: string): string {
  return moduleVersion.split("-").pop() ?? "unknown";
}

export function kubernetesVersion(): string {
  return readRequiredVersion("kubernetes", "k8s.io/kubernetes");
}

/** Every binary the build makes, in build order, with the version its cached file is named by. */
export function listBinaries(): { name: BinaryName; version: string }[] {
  return listSpecs().map(({ name, version }) => ({ name, version }));
}

function listSpecs(): BinarySpec[] {
  const kube = kubernetesVersion();
  const [, major, minor] = kube.match(/^v(\d+)\.(\d+)\./) ?? [];
  const kubeLdflags = [
    `-X k8s.io/component-base/version.gitVersion=${kube}`,
    `-X k8s.io/component-base/version.gitMajor=${major}`,
    `-X k8s.io/component-base/version.gitMinor=${minor}`,
    "-X k8s.io/component-base/version.gitTreeState=clean",
    `-X k8s.io/client-go/pkg/version.gitVersion=${kube}`,
    `-X k8s.io/client-go/pkg/version.gitMajor=${major}`,
    `-X k8s.io/client-go/pkg/version.gitMinor=${minor}`,
  ];
  const kubeSpec = (name: BinaryName): BinarySpec => ({
    name,
    version: kube,
    wrapper: "kubernetes",
    pkg: `k8s.io/kubernetes/cmd/${name}`,
    ldflags: kubeLdflags,
  });
  const kwokVersion = readRequiredVersion("kwok", "sigs.k8s.io/kwok");
  const kwokSpec = (name: BinaryName): BinarySpec => ({
    name,
    version: kwokVersion,
    wrapper: "kwok",
    pkg: `sigs.k8s.io/kwok/cmd/${name}`,
    ldflags: [], // the module sets its own version (pkg/consts)
  });
  const istioCommit = istioCommitOf(istioModuleVersion());
  const istioPkg = "istio.io/istio/pkg/version";
  // istioctl and pilot-discovery (istiod) come from the same Istio commit and wrapper module.
  const istioSpec = (name: BinaryName, pkg: string): BinarySpec => ({
    name,
    version: `${ISTIO_VERSION}-${istioCommit}`,
    wrapper: "istioctl",
    pkg,
    ldflags: [
      `-X ${istioPkg}.buildVersion=${ISTIO_VERSION}`,
      `-X ${istioPkg}.buildGitRevision=${istioCommit}`,
      `-X ${istioPkg}.buildTag=${ISTIO_VERSION}`,
      `-X ${istioPkg}.buildStatus=Clean`,
      `-X ${istioPkg}.buildHub=${ISTIO_HUB}`,
      `-X ${istioPkg}.buildOS=linux`,
      `-X ${istioPkg}.buildArch=${process.arch === "arm64" ? "arm64" : "amd64"}`,
    ],
  });
  return [
    {
      name: "etcd",
      version: readRequiredVersion("etcd", "go.etcd.io/etcd/server/v3"),
      wrapper: "etcd",
      pkg: "go.etcd.io/etcd/server/v3",
      ldflags: [],
    },
    kubeSpec("kube-apiserver"),
    kubeSpec("kube-controller-manager"),
    kubeSpec("kube-scheduler"),
    kubeSpec("kubectl"),
    kwokSpec("kwok"),
    kwokSpec("kwokctl"),
    istioSpec("istioctl", "istio.io/istio/istioctl/cmd/istioctl"),
    istioSpec("pilot-discovery", "istio.io/istio/pilot/cmd/pilot-discovery"),
    // mikefarah's yq, one of the exam terminal's tools; the module sets its own version (cmd.Version).
    {
      name: "yq",
      version: readRequiredVersion("yq", "github.com/mikefarah/yq/v4"),
      wrapper: "yq",
      pkg: "github.com/mikefarah/yq/v4",
      ldflags: [],
    },
    helmSpec(),
  ];
}

/**
 * helm v4, not v3: Istio's own module renders its charts with helm.sh/helm/v4 (the version its
 * go.mod requires), so the learner's helm is the engine istioctl uses, and the wrapper takes
 * Istio's versions of the shared modules (client-go, ...), whose compiled packages Go's build
 * cache already holds from istioctl. The commands an install task needs (install, upgrade,
 * template, ls, uninstall, show values) are the same in v3 and v4.
 */
function helmSpec(): BinarySpec {
  const version = readRequiredVersion("helm", "helm.sh/helm/v4");
  const pkg = "helm.sh/helm/v4/internal/version";
  return {
    name: "helm",
    version,
    wrapper: "helm",
    pkg: "helm.sh/helm/v4/cmd/helm",
    // Without it `helm version` says v4.2 (helm's Makefile sets it from the git tag).
    ldflags: [`-X ${pkg}.version=${version}`, `-X ${pkg}.gitTreeState=clean`],
  };
}

function findSpec(name: BinaryName): BinarySpec {
  const spec = listSpecs().find((s) => s.name === name);
  if (!spec) throw new Error(`unknown binary ${name}`);
  return spec;
}

/** Where the pinned build of a binary lives: <cache>/bin/<name>-<version>. */
export function binaryPath(name: BinaryName): string {
  const spec = findSpec(name);
  return join(cacheDir(), "bin", `${spec.name}-${spec.version}`);
}

export function findGo(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "go"))) return join(dir, "go");
  }
  if (existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error("Go is needed to build the control plane: no `go` on PATH or in /usr/local/go/bin");
}

function runGoBuild(go: string, spec: BinarySpec, output: string): Promise<void> {
  const args = ["build", "-trimpath", "-ldflags", ["-s -w", ...spec.ldflags].join(" "), "-o", output, spec.pkg];
  const env = {
    ...process.env,
    CGO_ENABLED: "0",
    GOTOOLCHAIN: "local",
    GOWORK: "off",
    GOFLAGS: "-mod=readonly -buildvcs=false",
  };
  return new Promise((resolveBuild, reject) => {
    const child = spawn(go, args, { cwd: join(WRAPPERS, spec.wrapper), env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolveBuild();
      else reject(new Error(`go build ${spec.pkg} (${spec.version}) failed with exit code ${code}:\n${output.trim()}`));
    });
  });
}

function linkCurrent(spec: BinarySpec): void {
  mkdirSync(toolsBinDir(), { recursive: true });
  const link = join(toolsBinDir(), spec.name);
  const temp = `${link}.new`;
  rmSync(temp, { force: true });
  symlinkSync(join("..", `${spec.name}-${spec.version}`), temp);
  renameSync(temp, link); // atomic swap, so the link is never missing
}

/**
 * Builds every missing binary, one at a time (the builds are CPU-bound), and points the
 * stable links in toolsBinDir() at them. Returns the path of each binary.
 */
export async function ensureBinaries(onProgress: ProgressFn = () => {}): Promise<Record<BinaryName, string>> {
  const specs = listSpecs();
  const paths = {} as Record<BinaryName, string>;
  let go: string | undefined;
  for (const spec of specs) {
    const path = binaryPath(spec.name);
    if (!existsSync(path)) {
      go ??= findGo();
      onProgress(`building ${spec.name} ${spec.version} (go build ${spec.pkg})`);
      const started = Date.now();
      mkdirSync(join(cacheDir(), "bin"), { recursive: true });
      // Build beside the target and rename, so an interrupted build never looks cached.
      const partial = `${path}.partial`;
      await runGoBuild(go, spec, partial);
      renameSync(partial, path);
      onProgress(`built ${spec.name} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    linkCurrent(spec);
    paths[spec.name] = path;
  }
  return paths;
}
