// Envoy access log lines as Istio writes them: the default text format
// ([%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% ...)
// or the JSON encoding (accessLogEncoding: JSON), whose keys are the same fields.

export interface AccessLogEntry {
  method: string;
  path: string;
  status: number;
  responseFlags: string;
  userAgent: string;
  requestId: string;
  authority: string;
  upstreamCluster: string;
}

/** The order of the default text format's fields, after the start time and the request line. */
const TEXT_FIELDS = [
  "status",
  "responseFlags",
  "responseCodeDetails",
  "connectionTerminationDetails",
  "upstreamTransportFailureReason",
  "bytesReceived",
  "bytesSent",
  "duration",
  "upstreamServiceTime",
  "forwardedFor",
  "userAgent",
  "requestId",
  "authority",
  "upstreamHost",
  "upstreamCluster",
] as const;

/** One line, or undefined when it is not an access log entry (istio-proxy logs other things too). */
export function parseAccessLogLine(line: string): AccessLogEntry | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith("{")) return parseJsonLine(trimmed);
  const tokens = trimmed.match(/\[[^\]]*\]|"(?:[^"\\]|\\.)*"|\S+/g);
  if (!tokens || tokens.length < 2 + TEXT_FIELDS.length || !tokens[0].startsWith("[")) return undefined;
  const request = unquote(tokens[1]).split(" ");
  if (request.length < 3 || !/^HTTP\/|^-$/.test(request[2])) return undefined;
  const f = Object.fromEntries(TEXT_FIELDS.map((name, i) => [name, unquote(tokens[i + 2])])) as Record<
    (typeof TEXT_FIELDS)[number],
    string
  >;
  const status = Number(f.status);
  if (!Number.isInteger(status)) return undefined;
  return {
    method: request[0],
    path: request[1],
    status,
    responseFlags: f.responseFlags,
    userAgent: f.userAgent,
    requestId: f.requestId,
    authority: f.authority,
    upstreamCluster: f.upstreamCluster,
  };
}

export function parseAccessLog(lines: readonly string[]): AccessLogEntry[] {
  return lines.map(parseAccessLogLine).filter((e): e is AccessLogEntry => e !== undefined);
}

/** Envoy marks a mirrored copy by appending -shadow to the host of its authority. */
export function isShadowCopy(entry: AccessLogEntry): boolean {
  return /-shadow(:\d+)?$/.test(entry.authority);
}

function unquote(token: string): string {
  return token.startsWith('"') && token.endsWith('"') ? token.slice(1, -1) : token;
}

function parseJsonLine(line: string): AccessLogEntry | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o.response_code !== "number" || typeof o.method !== "string") return undefined;
  const s = (v: unknown) => (typeof v === "string" ? v : "-");
  return {
    method: o.method,
    path: s(o.path),
    status: o.response_code,
    responseFlags: s(o.response_flags),
    userAgent: s(o.user_agent),
    requestId: s(o.request_id),
    authority: s(o.authority),
    upstreamCluster: s(o.upstream_cluster),
  };
}
