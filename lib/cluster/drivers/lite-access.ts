import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { GRADER_NAME, graderRbac, tokenKubeconfig } from "./grader-access";
import type { litePaths } from "./lite-state";

// Credentials of the lite cluster: one admin token (system:masters) shared by the
// learner and the control-plane components; a grader token that RBAC lets only read
// (what Check uses, see liteGraderRbac); and the service-account signing key.

type Paths = ReturnType<typeof litePaths>;

export const CONTEXT_NAME = "ica-lite";
/** The bare cluster's context (and cluster) name: both kubeconfigs can be merged in one KUBECONFIG. */
export const BARE_CONTEXT_NAME = "ica-lite-bare";
export const GRADER_USER = GRADER_NAME;
const GRADER_GROUP = "ica:graders";

export function writeCredentials(paths: Paths): void {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(paths.pki, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const admin = randomBytes(24).toString("hex");
  const grader = randomBytes(24).toString("hex");
  const lines = [`${admin},admin,admin,system:masters`, `${grader},${GRADER_USER},${GRADER_USER},${GRADER_GROUP}`];
  writeFileSync(paths.tokens, `${lines.join("\n")}\n`, { mode: 0o600 });
}

/** The token of a user in tokens.csv (line format: token,user,uid,groups). */
export function readToken(paths: Paths, user = "admin"): string {
  const line = readFileSync(paths.tokens, "utf8")
    .split("\n")
    .find((l) => l.split(",")[1] === user);
  if (!line) throw new Error(`${paths.tokens} has no token for ${user}`);
  return line.split(",")[0];
}

/** Read-only access to every resource for the grader's group (tokens.csv puts the grader in it). */
export function liteGraderRbac(): Record<string, unknown>[] {
  return graderRbac({ kind: "Group", name: GRADER_GROUP });
}

/** kube-apiserver's self-signed serving cert (it also carries its CA), once it wrote it. */
function readServingCert(paths: Paths): string | undefined {
  const file = join(paths.pki, "apiserver.crt");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/** The learner's (admin) kubeconfig and the grader's read-only one. */
export function writeKubeconfigs(paths: Paths, apiserverPort: number, context = CONTEXT_NAME): void {
  const ca = readServingCert(paths);
  if (!ca) throw new Error(`kube-apiserver wrote no serving certificate in ${paths.pki}`);
  writeFileSync(paths.kubeconfig, kubeconfigFor(ca, apiserverPort, context, "admin", readToken(paths)), {
    mode: 0o600,
  });
  const graderToken = readToken(paths, GRADER_USER);
  writeFileSync(paths.graderKubeconfig, kubeconfigFor(ca, apiserverPort, context, "grader", graderToken), {
    mode: 0o600,
  });
}

function kubeconfigFor(ca: string, apiserverPort: number, context: string, user: string, token: string): string {
  const server = `https://127.0.0.1:${apiserverPort}`;
  return tokenKubeconfig({ name: context, server, caData: Buffer.from(ca).toString("base64"), user, token });
}

interface Probe {
  port: number;
  path: string;
  tls?: { ca?: string; token?: string };
}

/** GET on a loopback port; true on 200. */
function probe({ port, path, tls }: Probe): Promise<boolean> {
  const send = tls ? httpsRequest : httpRequest;
  const options = tls
    ? tls.ca
      ? { ca: tls.ca, headers: tls.token ? { authorization: `Bearer ${tls.token}` } : {} }
      : { rejectUnauthorized: false } // kube-controller-manager and kube-scheduler serve in-memory self-signed certs
    : {};
  return new Promise((resolve) => {
    const req = send({ host: "127.0.0.1", port, path, timeout: 2_000, ...options }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

export function isApiserverReady(paths: Paths, port: number): Promise<boolean> {
  const ca = readServingCert(paths);
  if (!ca || !existsSync(paths.tokens)) return Promise.resolve(false);
  return probe({ port, path: "/readyz", tls: { ca, token: readToken(paths) } });
}

export function isComponentHealthy(port: number, path: string, isTls: boolean): Promise<boolean> {
  return probe({ port, path, tls: isTls ? {} : undefined });
}
