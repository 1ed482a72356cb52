import { z } from "zod";
import type { TerminalClientMessage } from "./protocol";

const ZClientMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string() }),
  z.object({ type: z.literal("resize"), cols: z.number(), rows: z.number() }),
  z.object({ type: z.literal("leave") }),
]);

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(n)));

/** A client frame as a message, or undefined for anything else (junk is ignored, never fatal). */
export function parseClientMessage(frame: string): TerminalClientMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const parsed = ZClientMessage.safeParse(json);
  if (!parsed.success) return undefined;
  const message = parsed.data;
  if (message.type !== "resize") return message;
  return { type: "resize", cols: clamp(message.cols, 2, 500), rows: clamp(message.rows, 2, 200) };
}
