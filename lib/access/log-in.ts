import type { EnvSource } from "../env";
import { accessSecretPath } from "../paths";
import { verifyAccessSecret } from "./access-secret";
import { startAccessSession } from "./access-sessions";

/** A new session's cookie value for the right access secret; undefined for a wrong one. */
export function logIn(secret: string, env: EnvSource = process.env): string | undefined {
  return verifyAccessSecret(secret, accessSecretPath(env)) ? startAccessSession() : undefined;
}
