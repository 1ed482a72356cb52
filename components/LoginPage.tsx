/** The access-secret form. A `?secret=` link fills it in; the POST (same site) sets the cookie. */
export function LoginPage({
  secret,
  hasFailed,
  isLoginRequired,
}: {
  secret?: string;
  hasFailed: boolean;
  isLoginRequired: boolean;
}) {
  return (
    <main className="mx-auto max-w-md px-6 py-12">
      <h1 className="text-xl font-semibold tracking-tight">Log in</h1>
      {!isLoginRequired && (
        <p className="mt-3 text-sm text-slate-600">
          This server needs no login. <a href="/">Go to the scenarios</a>.
        </p>
      )}
      {isLoginRequired && (
        <form method="post" action="/api/login" className="mt-4 flex flex-col gap-3 text-sm">
          <p className="text-slate-600">
            The terminal is a shell on the server&apos;s machine, so this server asks for its access secret. It was
            printed as a login link when the server first started.
          </p>
          <label className="flex flex-col gap-1">
            Access secret
            <input
              type="password"
              name="secret"
              defaultValue={secret}
              required
              autoComplete="current-password"
              className="rounded-md border border-slate-300 px-2 py-1 font-mono"
            />
          </label>
          {hasFailed && (
            <p className="text-red-700" data-login-failed>
              That is not this server&apos;s access secret.
            </p>
          )}
          <button
            type="submit"
            className="self-start rounded-md border border-slate-300 bg-white px-3 py-1 text-slate-700 hover:bg-slate-50"
          >
            Log in
          </button>
        </form>
      )}
    </main>
  );
}
