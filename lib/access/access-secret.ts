// The access secret: 32 random bytes (base64url) made at the first start that needs a login,
// shown once as a login URL, kept on disk only as a SHA-256 hash (mode 0600). The secret has
// 256 bits of entropy, so a plain hash is as good as a slow one here.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const ZSecretFile = z.object({ algorithm: z.literal("sha256"), hash: z.string().min(1), createdAt: z.string() });

const hashOf = (secret: string) => createHash("sha256").update(secret, "utf8").digest();

function readStoredHash(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const parsed = ZSecretFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file}: not an access secret file; delete it to make a new secret`);
  return Buffer.from(parsed.data.hash, "base64url");
}

/**
 * Makes the secret if the file has none yet and returns it (the only time it is known in
 * clear); undefined when one was made before.
 */
export function ensureAccessSecret(file: string): string | undefined {
  if (readStoredHash(file) !== undefined) return undefined;
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  const content = {
    algorithm: "sha256",
    hash: hashOf(secret).toString("base64url"),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600); // the umask may have taken bits off, never added: this is for clarity
  return secret;
}

/** Whether this is the secret whose hash the file holds; compares hashes in constant time. */
export function verifyAccessSecret(presented: string, file: string): boolean {
  const stored = readStoredHash(file);
  if (!stored || presented.length === 0) return false;
  const hash = hashOf(presented);
  return stored.length === hash.length && timingSafeEqual(stored, hash);
}
