// Configuration from the environment: every variable the app reads, parsed with zod in one
// place. Every default works with no .env at all; a bad value is an error that names the
// variable and what it accepts. Parsed when read (cheap), so tests and tools can pass their own.
import { z } from "zod";

const ZSeconds = (fallback: number) => z.coerce.number().min(0).default(fallback);
/** Unset and empty mean the same: the default. */
const ZOptionalText = z
  .string()
  .optional()
  .transform((s) => (s?.trim() ? s : undefined));

const ZEnv = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NODE_ENV: z.string().default("development"),
  DATABASE_URL: ZOptionalText,
  /** which cluster the player uses; unset = lite, else kind, when its kubeconfig exists; else current */
  ICA_CLUSTER: z.enum(["lite", "kind", "current", "none"]).optional(),
  /** the exam's Istio release: what the kind driver installs (the ICA exam runs 1.26) */
  ICA_ISTIO_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, "expected a release version like 1.26.8")
    .default("1.26.8"),
  /** an istioctl release binary for the kind driver, instead of downloading ICA_ISTIO_VERSION's */
  ICA_ISTIOCTL: ZOptionalText,
  /** where Istio releases are downloaded from (<base>/<version>/istioctl-<version>-<os>.tar.gz and .sha256) */
  ICA_ISTIO_RELEASE_URL: ZOptionalText.pipe(
    z
      .string()
      .refine((u) => URL.canParse(u), "expected a URL like https://example.org/releases")
      .optional(),
  ),
  ICA_KUBE_CONTEXT: ZOptionalText,
  ICA_GRADER_KUBECONFIG: ZOptionalText,
  KUBECONFIG: ZOptionalText,
  ICA_CACHE_DIR: ZOptionalText,
  ICA_SCENARIOS_DIR: ZOptionalText,
  ICA_WORKSPACES_DIR: ZOptionalText,
  ICA_TERMINAL_GRACE_SECONDS: ZSeconds(300),
  ICA_TERMINAL_IDLE_SECONDS: z.coerce.number().positive().default(1800),
  ICA_TERMINAL_LEAVE_SECONDS: ZSeconds(600),
  ICA_TERMINAL_ORIGINS: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().refine((o) => URL.canParse(o), "expected a comma-separated list of origins like https://x.example"),
      ),
    ),
  /** `secret`: a login with the access secret; `none`: no login. Unset: secret when HOST is not loopback. */
  ICA_AUTH: z.enum(["secret", "none"]).optional(),
  /** extra names the server answers to (Host header), besides loopback and its own HOST */
  ICA_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(:\d{1,5})?$/i,
            "expected a comma-separated list of host names, each optionally with a port (ica.example.org, 10.0.0.5:3000)",
          ),
      ),
    ),
  /** where the access secret's hash is kept (default data/access-secret.json) */
  ICA_ACCESS_SECRET_FILE: ZOptionalText,
});

export type TEnv = z.infer<typeof ZEnv>;
/** process.env, or a plain object of variables (tests, tools). */
export type EnvSource = Record<string, string | undefined>;

/** A configuration error: names the variable, the value and what is allowed. */
export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses the environment (process.env by default); throws EnvError naming every bad variable. */
export function readEnv(source: EnvSource = process.env): TEnv {
  const result = ZEnv.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = JSON.stringify(source[name]);
    const allowed =
      issue.code === "invalid_value" ? `expected one of ${issue.values.map(String).join(", ")}` : issue.message;
    return `${name}=${value}: ${allowed}`;
  });
  throw new EnvError(`bad configuration: ${lines.join("; ")}`);
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
