// serviceentry.host: a ServiceEntry registers a host with the mesh.
import { z } from "zod";
import { K } from "../../../cluster/kinds";
import { isExportedTo } from "../../../istio/export-to";
import { arr, describeObject, num, rec, show, specOf, str, strs } from "../../../istio/fields";
import { exportToProblem } from "../../../istio/validation";
import { defineCheck } from "../../types";
import { evidenceOf, fail, firstPassing, listNamed, pass, ZPort } from "../common";

const ZResolution = z.enum(["NONE", "STATIC", "DNS", "DNS_ROUND_ROBIN"]);
const listOf = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export const serviceEntryHost = defineCheck({
  name: "serviceentry.host",
  description:
    "A ServiceEntry names the host, with the given location (default MESH_EXTERNAL), resolution (default NONE) and ports (protocols case-insensitive). Optionally it must be visible to a namespace.",
  params: z.strictObject({
    host: z.string().min(1).describe("exactly as in spec.hosts, e.g. httpbin.org"),
    namespace: z.string().min(1).optional().describe("namespace of the ServiceEntry; any when omitted"),
    name: z.string().min(1).optional(),
    location: z.enum(["MESH_EXTERNAL", "MESH_INTERNAL"]).optional(),
    resolution: z
      .union([ZResolution, z.array(ZResolution).min(1)])
      .optional()
      .describe("one resolution, or the list of those that work for the task"),
    ports: z
      .array(
        z.strictObject({
          number: ZPort,
          protocol: z
            .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
            .optional()
            .describe("one protocol, or the list of those that work (e.g. [TLS, HTTPS] for HTTPS the app sends)"),
        }),
      )
      .optional(),
    visibleTo: z.string().min(1).optional().describe("a namespace that must see it (exportTo)"),
  }),
  example: {
    host: "httpbin.org",
    namespace: "shop",
    location: "MESH_EXTERNAL",
    resolution: "DNS",
    ports: [{ number: 443, protocol: "TLS" }],
  },
  kinds: [K.serviceEntry],
  run(p, { snapshot }) {
    const all = listNamed(snapshot, K.serviceEntry, p.namespace, p.name);
    const withHost = all.filter((se) => strs(specOf(se).hosts).some((h) => h.toLowerCase() === p.host.toLowerCase()));
    const where = p.namespace ? ` in namespace ${p.namespace}` : "";
    const nothing =
      all.length > 0
        ? `no ServiceEntry${where} names host ${p.host} (${all.map((se) => `${describeObject(se)} has ${show(specOf(se).hosts)}`).join("; ")})`
        : `no ServiceEntry${where}${p.name ? ` named ${p.name}` : ""}`;
    return firstPassing(
      withHost,
      (se) => {
        const spec = specOf(se);
        const wrong: string[] = [];
        const location = str(spec.location) ?? "MESH_EXTERNAL";
        const resolution = str(spec.resolution) ?? "NONE";
        if (p.location && location !== p.location) wrong.push(`location is ${location}, expected ${p.location}`);
        const resolutions: string[] = p.resolution ? listOf(p.resolution) : [];
        if (resolutions.length > 0 && !resolutions.includes(resolution))
          wrong.push(`resolution is ${resolution}, expected ${resolutions.join(" or ")}`);
        const ports = arr(spec.ports).map(rec);
        for (const want of p.ports ?? []) {
          const port = ports.find((x) => num(x.number) === want.number);
          if (!port) wrong.push(`ports lack ${want.number}`);
          else if (want.protocol) {
            const protocols = listOf(want.protocol).map((x) => x.toUpperCase());
            if (!protocols.includes((str(port.protocol) ?? "").toUpperCase()))
              wrong.push(
                `ports[${ports.indexOf(port)}] (${want.number}) protocol is ${show(port.protocol)}, expected ${protocols.join(" or ")}`,
              );
          }
        }
        const rejected = exportToProblem(se);
        if (rejected) wrong.push(`Istio rejects it: ${rejected}`);
        else if (p.visibleTo && !isExportedTo(se, p.visibleTo))
          wrong.push(`exportTo ${show(spec.exportTo)} hides it from namespace ${p.visibleTo}`);
        const evidence = [evidenceOf(se, "spec", spec)];
        if (wrong.length > 0) return fail(`${describeObject(se)} spec: ${wrong.join("; ")}`, evidence);
        return pass(`${describeObject(se)} registers ${p.host} (${location}, resolution ${resolution})`, evidence);
      },
      nothing,
    );
  },
});
