// traffic.mtls: mutual TLS observed between the prober and a workload. The prober with a sidecar
// calls it (a server sidecar that terminated mTLS passes the caller's identity on in
// X-Forwarded-Client-Cert, which httpbin's /headers echoes); the prober without a sidecar calls it
// in plain text, which STRICT refuses (the connection is reset, so curl gets no answer).
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import type { ProbeAnswer } from "../../../cluster/types";
import { type CheckOutcome, defineCheck } from "../../types";
import { fail, pass, ZInt } from "../common";
import { describeAnswers, requestOf, send, targetUrl, ZTarget } from "./context";

const params = z
  .object({
    ...ZTarget,
    path: z.string().startsWith("/").default("/headers").describe("a path whose body echoes the request headers"),
    strict: z
      .boolean()
      .default(true)
      .describe("plain text must be refused (STRICT); false: it must be accepted (PERMISSIVE)"),
    count: ZInt.pipe(z.number().min(1).max(20)).default(3).describe("requests to send from each prober"),
  })
  .strict();

/** The caller identity a server sidecar passed on, from an echoed X-Forwarded-Client-Cert. */
export function clientIdentityOf(body: string): string | undefined {
  if (!/x-forwarded-client-cert/i.test(body)) return undefined;
  return /URI=(spiffe:\/\/[^;"\s,\]]+)/i.exec(body)?.[1];
}

/** Pure: the answers to the prober with a sidecar (mTLS) and to the one without (plain text). */
export function judgeMtls(
  x: { strict: boolean; target: string },
  viaMesh: readonly ProbeAnswer[],
  plain: readonly ProbeAnswer[],
): CheckOutcome {
  const ok = (a: ProbeAnswer) => a.status >= 200 && a.status < 300;
  if (!viaMesh.every(ok) || viaMesh.length === 0)
    return fail(`requests ${x.target} from the prober with a sidecar were not answered: ${describeAnswers(viaMesh)}`);
  const identity = clientIdentityOf(viaMesh[0].body);
  if (!identity)
    return fail(
      `requests ${x.target} from the prober with a sidecar were answered, but the server saw no client certificate (no X-Forwarded-Client-Cert): the call was not mutual TLS`,
    );
  const mtls = `mutual TLS in use: the server's sidecar saw the prober as ${identity}`;
  const refused = plain.filter((a) => a.status === 0).length;
  if (x.strict && refused === plain.length)
    return pass(`${mtls}; plain-text requests were refused (${describeAnswers(plain)})`);
  if (!x.strict && plain.every(ok)) return pass(`${mtls}; plain-text requests were accepted too (PERMISSIVE)`);
  const want = x.strict ? "refused (STRICT)" : "accepted (PERMISSIVE)";
  return fail(
    `${mtls}, but plain-text requests ${x.target} from the prober without a sidecar got ${describeAnswers(plain)}; expected them ${want}`,
  );
}

export const trafficMtls = defineCheck({
  name: "traffic.mtls",
  description:
    "Calls a workload from the prober with a sidecar and from the prober without one. The first call must be mutual TLS: the server's sidecar passes the prober's SPIFFE identity on in X-Forwarded-Client-Cert, which the path must echo (httpbin's `/headers`). With `strict` (the default) the plain-text call must be refused; with `strict: false` accepted. Skipped where no data plane runs (lite, files).",
  params,
  example: { host: "httpbin", namespace: "shop", strict: true },
  kinds: [K.service],
  requires: ["traffic"],
  async run(p, ctx) {
    const target = targetUrl(p, ctx.snapshot);
    if ("missing" in target) return fail(target.missing);
    const viaMesh = await send(ctx, requestOf(p, target.url, p.count, 5));
    const plain = await send(ctx, { ...requestOf(p, target.url, p.count, 5), isPlainText: true });
    return judgeMtls({ strict: p.strict, target: `to ${target.text}` }, viaMesh, plain);
  },
});
