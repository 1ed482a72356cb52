// Configuration from the environment, parsed once. Every default works with no .env at all.
import { z } from "zod";

const ZEnv = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().optional(),
});

export type TEnv = z.infer<typeof ZEnv>;

let parsed: TEnv | undefined;

export function env(): TEnv {
  parsed ??= ZEnv.parse(process.env);
  return parsed;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
