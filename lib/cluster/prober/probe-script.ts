// The shell loop run in the prober pod, and the parsing of what it prints (pure, tested on
// recorded answers). Every request is framed by marker lines so bodies and errors cannot mix.
import type { ProbeAnswer, ProbeRequest } from "../types";

const START = "@@ica-probe ";
const RESULT = "@@ica-result ";
const BODY_LIMIT = 2000;

/** Quotes a word for sh. */
function shq(s: string): string {
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

/** curl in a loop: headers and body on stdout, then one line with status, time and curl's exit code. */
export function probeScript(r: ProbeRequest): string {
  const args = [
    "-sS",
    "-D",
    "-",
    "--max-time",
    String(r.timeoutSeconds ?? 10),
    "-X",
    shq(r.method ?? "GET"),
    ...Object.entries(r.headers ?? {}).flatMap(([k, v]) => ["-H", shq(`${k}: ${v}`)]),
    "-A",
    `${shq(r.userAgent)}/$i`,
    "-w",
    shq(`\n${RESULT}code=%{http_code} time=%{time_total} exit=%{exitcode}\n`),
    shq(r.url),
  ];
  return [
    "i=1",
    `while [ $i -le ${Math.max(1, Math.floor(r.count))} ]; do`,
    `  echo ${shq(`${START}`)}$i`,
    `  curl ${args.join(" ")} 2>&1`,
    "  i=$((i+1))",
    "done",
  ].join("\n");
}

/** The answers in the order sent; a request whose result line is missing counts as no answer. */
export function parseProbeOutput(out: string): ProbeAnswer[] {
  const answers: ProbeAnswer[] = [];
  for (const record of out.split(START).slice(1)) {
    const text = record.slice(record.indexOf("\n") + 1);
    const at = text.lastIndexOf(RESULT);
    const result = at === -1 ? "" : text.slice(at + RESULT.length).split("\n")[0];
    const fields = Object.fromEntries(result.split(" ").map((kv) => kv.split("=") as [string, string]));
    const raw = at === -1 ? text : text.slice(0, at).replace(/\r?\n$/, "");
    const { headers, body } = splitResponse(raw);
    answers.push({
      status: Number(fields.code ?? 0) || 0,
      seconds: Number(fields.time ?? 0) || 0,
      headers,
      body: body.slice(0, BODY_LIMIT),
      curlExit: at === -1 ? -1 : Number(fields.exit ?? 0) || 0,
    });
  }
  return answers;
}

/** Headers of the last response head (curl prints one per 1xx too), then the body. */
function splitResponse(raw: string): { headers: Record<string, string>; body: string } {
  let rest = raw;
  let headers: Record<string, string> = {};
  while (rest.startsWith("HTTP/")) {
    const end = rest.search(/\r?\n\r?\n/);
    const head = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? "" : rest.slice(end).replace(/^\r?\n\r?\n/, "");
    headers = {};
    for (const line of head.split(/\r?\n/).slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return { headers, body: rest };
}
