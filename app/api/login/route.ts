import { z } from "zod";
import { sessionCookie } from "@/lib/access/access-sessions";
import { logIn } from "@/lib/access/log-in";
import { isSameOrigin } from "@/lib/player/same-origin";

const ZLoginForm = z.object({ secret: z.string().trim().min(1).max(256) });

const seeOther = (location: string, headers: Record<string, string> = {}) =>
  new Response(null, { status: 303, headers: { location, "cache-control": "no-store", ...headers } });

/** The login form's POST: the right secret gets a session cookie and the catalog; a wrong one the form again. */
export async function POST(request: Request) {
  // a foreign page must not log a browser into this server either
  if (!isSameOrigin(request.headers)) return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  const form = ZLoginForm.safeParse(Object.fromEntries(await request.formData().catch(() => new FormData())));
  const session = form.success ? logIn(form.data.secret) : undefined;
  if (!session) return seeOther("/login?failed=1");
  const isHttps = new URL(request.headers.get("origin") ?? "http://x").protocol === "https:";
  return seeOther("/", { "set-cookie": sessionCookie(session, isHttps) });
}
