import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { stringify } from "yaml";
import type { litePaths } from "./lite-state";

// Credentials of the lite cluster: one admin token (system:masters) shared by the
// learner and the control-plane components, and the service-account signing key.

type Paths = ReturnType<typeof litePaths>;

export const CONTEXT_NAME = "ica-lite";

export function writeCredentials(paths: Paths): void {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(paths.pki, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  const token = randomBytes(24).toString("hex");
  writeFileSync(paths.tokens, `${token},admin,admin,system:masters\n`, { mode: 0o600 });
}

function readToken(paths: Paths): string {
  return readFileSync(paths.tokens, "utf8").split(",")[0];
}

/** kube-apiserver's self-signed serving cert (it also carries its CA), once it wrote it. */
function readServingCert(paths: Paths): string | undefined {
  const file = join(paths.pki, "apiserver.crt");
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

export function writeKubeconfig(paths: Paths, apiserverPort: number): void {
  const ca = readServingCert(paths);
  if (!ca) throw new Error(`kube-apiserver wrote no serving certificate in ${paths.pki}`);
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: CONTEXT_NAME,
        cluster: {
          server: `https://127.0.0.1:${apiserverPort}`,
          "certificate-authority-data": Buffer.from(ca).toString("base64"),
        },
      },
    ],
    users: [{ name: `${CONTEXT_NAME}-admin`, user: { token: readToken(paths) } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: `${CONTEXT_NAME}-admin` } }],
    "current-context": CONTEXT_NAME,
  };
  writeFileSync(paths.kubeconfig, stringify(kubeconfig), { mode: 0o600 });
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
