"use client";

import "@xterm/xterm/css/xterm.css";
import type { FitAddon } from "@xterm/addon-fit";
import type { ITheme, Terminal as XTerm } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { TERMINAL_CLOSE, TERMINAL_PATH, type TerminalClientMessage } from "@/lib/terminal/protocol";
import { onRunInTerminal } from "./terminal-bus";

type TerminalState = "connecting" | "connected" | "disconnected";

const LABEL: Record<TerminalState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  disconnected: "Disconnected",
};
const DOT: Record<TerminalState, string> = {
  connecting: "bg-amber-400",
  connected: "bg-emerald-500",
  disconnected: "bg-slate-400",
};

/** Closes after which reconnecting by itself would not help (or would fight another tab). */
const FINAL_CLOSE_NOTICE: Record<number, string | undefined> = {
  [TERMINAL_CLOSE.exited]: "the shell ended",
  [TERMINAL_CLOSE.ended]: "the shell ended",
  [TERMINAL_CLOSE.replaced]: "the terminal was opened in another tab",
  [TERMINAL_CLOSE.failed]: "the shell could not start",
  [TERMINAL_CLOSE.timeUp]: "the exam's terminal is closed",
};

/** Retries after a dropped connection: 0.5 s, 1 s, 2 s … up to 8 s, then the learner decides. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000];

// Slate on white; ANSI colours dark enough to read on white (minimumContrastRatio fixes the rest).
const THEME: ITheme = {
  background: "#ffffff",
  foreground: "#1e293b",
  cursor: "#334155",
  cursorAccent: "#ffffff",
  selectionBackground: "#bae6fd",
  black: "#1e293b",
  red: "#b91c1c",
  green: "#15803d",
  yellow: "#a16207",
  blue: "#1d4ed8",
  magenta: "#a21caf",
  cyan: "#0e7490",
  white: "#94a3b8",
  brightBlack: "#64748b",
  brightRed: "#dc2626",
  brightGreen: "#16a34a",
  brightYellow: "#ca8a04",
  brightBlue: "#2563eb",
  brightMagenta: "#c026d3",
  brightCyan: "#0891b2",
  brightWhite: "#cbd5e1",
};

/**
 * The scenario's shell in the browser, or the exam's (one for the whole exam). `token` comes from
 * issueTerminalToken() while rendering the page; a new token on a re-render does not reconnect
 * (the open socket stays, later connects use it).
 */
export function Terminal(props: ({ scenarioId: string } | { examId: string }) & { token: string }) {
  const { token } = props;
  // the upgrade's query names what the shell belongs to
  const target = "examId" in props ? `exam=${props.examId}` : `scenario=${props.scenarioId}`;
  const containerRef = useRef<HTMLDivElement>(null);
  const tokenRef = useRef(token);
  const reconnectRef = useRef<() => void>(undefined);
  const [state, setState] = useState<TerminalState>("connecting");
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    tokenRef.current = token;
  }, [token]);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let term: XTerm | undefined;
    let fit: FitAddon | undefined;
    let socket: WebSocket | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let isDisposed = false;
    /** set on pagehide: the socket's close is expected, do not reconnect */
    let hasLeft = false;
    const pending: string[] = [];
    /** while the server's replay is written: what xterm answers then is not the learner's input */
    let isReplaying = false;

    const send = (message: TerminalClientMessage) => {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    };

    const run = (command: string) => {
      if (!term || socket?.readyState !== WebSocket.OPEN) {
        pending.push(command);
        return;
      }
      // paste() wraps it in bracketed-paste when the shell asked for that, so a multi-line block
      // arrives whole; the Enter runs it.
      term.paste(command.trimEnd());
      term.input("\r");
      term.focus();
    };

    const connect = () => {
      if (isDisposed || !term) return;
      clearTimeout(retryTimer);
      setState("connecting");
      setNotice(undefined);
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      const query = new URLSearchParams(target);
      query.set("token", tokenRef.current);
      const ws = new WebSocket(`${scheme}//${location.host}${TERMINAL_PATH}?${query}`);
      socket = ws;
      ws.onopen = () => {
        failures = 0;
        setState("connected");
        // the server replays the shell's recent output on every attach
        term?.reset();
        if (term) send({ type: "resize", cols: term.cols, rows: term.rows });
        for (const command of pending.splice(0)) run(command);
      };
      ws.binaryType = "arraybuffer";
      ws.onmessage = (e: MessageEvent) => {
        if (typeof e.data === "string") term?.write(e.data);
        else if (term) {
          // the replay of earlier output: xterm answers the queries in it (vim asking for the
          // cursor or the colours), and those answers must not reach today's shell as input
          isReplaying = true;
          term.write(new TextDecoder().decode(e.data as ArrayBuffer), () => {
            isReplaying = false;
          });
        }
      };
      ws.onclose = (e: CloseEvent) => {
        if (socket !== ws) return;
        socket = undefined;
        if (isDisposed || hasLeft) return;
        if (e.code === TERMINAL_CLOSE.restarted) {
          connect();
          return;
        }
        setState("disconnected");
        const final = FINAL_CLOSE_NOTICE[e.code];
        if (final) {
          setNotice(final);
        } else if (failures >= RETRY_DELAYS_MS.length) {
          setNotice("cannot reach the terminal; reload the page");
        } else {
          const delay = RETRY_DELAYS_MS[failures++];
          setNotice(`retrying in ${Math.ceil(delay / 1000)} s`);
          retryTimer = setTimeout(connect, delay);
        }
      };
    };
    reconnectRef.current = () => {
      failures = 0;
      connect();
    };

    const onPageHide = () => {
      hasLeft = true;
      send({ type: "leave" });
    };
    const onPageShow = (e: PageTransitionEvent) => {
      if (!e.persisted) return;
      hasLeft = false;
      if (!socket) connect();
    };
    window.addEventListener("pagehide", onPageHide);
    window.addEventListener("pageshow", onPageShow);
    const offRun = onRunInTerminal(run);

    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => fit?.fit());
    });

    // xterm touches the DOM when imported, so it loads in the browser only.
    void (async () => {
      const [{ Terminal: XTermTerminal }, { FitAddon: Fit }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
      ]);
      const mono = getComputedStyle(document.documentElement).getPropertyValue("--font-geist-mono").trim();
      const fontFamily = [mono, "ui-monospace", "SFMono-Regular", "Menlo", "monospace"].filter(Boolean).join(", ");
      // measure the cell size with the real font, not its fallback
      await document.fonts.load(`13px ${fontFamily}`).catch(() => []);
      if (isDisposed) return;
      term = new XTermTerminal({
        fontFamily,
        fontSize: 13,
        lineHeight: 1.15,
        cursorBlink: true,
        scrollback: 5000,
        minimumContrastRatio: 4.5,
        theme: THEME,
      });
      fit = new Fit();
      term.loadAddon(fit);
      term.open(container);
      fit.fit();
      term.onData((data) => {
        if (!isReplaying) send({ type: "input", data });
      });
      term.onResize(({ cols, rows }) => send({ type: "resize", cols, rows }));
      observer.observe(container);
      connect();
    })();

    return () => {
      isDisposed = true;
      // leaving the scenario inside the app (no pagehide): the server ends the shell shortly
      send({ type: "leave" });
      socket?.close();
      clearTimeout(retryTimer);
      cancelAnimationFrame(frame);
      observer.disconnect();
      offRun();
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      term?.dispose();
    };
  }, [target]);

  return (
    <div data-terminal-state={state} className="flex h-full min-h-0 flex-col bg-white">
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-1.5 text-xs text-slate-600">
        <span className={`inline-block size-2 rounded-full ${DOT[state]}`} aria-hidden />
        <span>{LABEL[state]}</span>
        {notice && <span className="truncate text-slate-500">· {notice}</span>}
        {state === "disconnected" && (
          <button
            type="button"
            onClick={() => reconnectRef.current?.()}
            className="ml-auto shrink-0 rounded border border-slate-300 bg-white px-2 py-0.5 text-slate-700 hover:bg-slate-100"
          >
            Reconnect
          </button>
        )}
      </div>
      <div ref={containerRef} className="min-h-0 flex-1 overflow-hidden py-1 pl-2" />
    </div>
  );
}
