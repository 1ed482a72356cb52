// Who may use the server, from the environment: the Host allow-list and whether a login with the
// access secret is needed (a non-loopback HOST needs one unless ICA_AUTH=none).
import { type EnvSource, isLoopback, readEnv } from "../env";
import { listAllowedHosts, type TAllowedHost } from "./host-allow-list";

export interface TAccessConfig {
  host: string;
  port: number;
  /** the access secret and a session cookie are needed for everything but the login */
  isLoginRequired: boolean;
  /** ICA_AUTH=none beyond loopback: anyone who can reach the port gets a shell */
  isOpenBeyondLoopback: boolean;
  /** besides the loopback names */
  allowedHosts: TAllowedHost[];
}

export function readAccessConfig(source: EnvSource = process.env): TAccessConfig {
  const env = readEnv(source);
  const isLocal = isLoopback(env.HOST);
  const isLoginRequired = env.ICA_AUTH === "secret" || (env.ICA_AUTH === undefined && !isLocal);
  return {
    host: env.HOST,
    port: env.PORT,
    isLoginRequired,
    isOpenBeyondLoopback: !isLocal && !isLoginRequired,
    allowedHosts: listAllowedHosts(env.HOST, env.ICA_ALLOWED_HOSTS),
  };
}

/**
 * The origins of pages served under the allowed names (for the terminal's Origin check): a name
 * without a port by http on the server's port, or by http/https on their default ports (a
 * reverse proxy); with a port, by http and https on that port.
 */
export function listAllowedHostOrigins({ port, allowedHosts }: TAccessConfig): string[] {
  const origins = allowedHosts.flatMap(({ hostname, port: p }) => {
    const name = hostname.includes(":") ? `[${hostname}]` : hostname;
    return p === undefined
      ? [`http://${name}:${port}`, `http://${name}`, `https://${name}`]
      : [`http://${name}:${p}`, `https://${name}:${p}`];
  });
  return [...new Set(origins.map((o) => new URL(o).origin))];
}
