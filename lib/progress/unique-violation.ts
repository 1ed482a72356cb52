/** Did a write fail on a unique constraint (Prisma P2002, from SQLite or PostgreSQL)? */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "P2002";
}
