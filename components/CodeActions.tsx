"use client";

import { useEffect, useRef, useState } from "react";
import { runInTerminal } from "./terminal-bus";

type CopyState = "idle" | "copied" | "failed";

const LABEL: Record<CopyState, string> = { idle: "Copy", copied: "Copied", failed: "Not copied" };

export function CodeActions({ code, runnable }: { code: string; runnable: boolean }) {
  const [copyState, setCopyState] = useState<CopyState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async (button: HTMLElement) => {
    const block = button.closest("[data-code-block]")?.querySelector("pre") ?? null;
    const isCopied = (await writeClipboard(code)) || copyBySelecting(block);
    setCopyState(isCopied ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setCopyState("idle"), isCopied ? 1500 : 6000);
  };
  return (
    <>
      {copyState === "failed" && (
        // Below the code, not over it; the code stays selected for the keyboard.
        <p role="status" className="border-t border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800">
          Clipboard blocked: the code is selected, press {isMac() ? "⌘C" : "Ctrl+C"} to copy it.
        </p>
      )}
      <div className="absolute top-1.5 right-1.5 flex items-center gap-1 opacity-80 group-hover:opacity-100">
        {runnable && (
          <button
            type="button"
            onClick={() => runInTerminal(code)}
            aria-label="Run in terminal"
            title="Run in terminal"
            className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-sky-50"
          >
            ▶ Run
          </button>
        )}
        <button
          type="button"
          onClick={(e) => void copy(e.currentTarget)}
          className={`rounded border bg-white px-2 py-0.5 text-xs hover:bg-slate-100 ${
            copyState === "failed" ? "border-amber-400 text-amber-800" : "border-slate-300 text-slate-700"
          }`}
        >
          {LABEL[copyState]}
        </button>
      </div>
    </>
  );
}

/** The Clipboard API: missing outside a secure context (plain http on an address not localhost). */
async function writeClipboard(text: string): Promise<boolean> {
  if (!navigator.clipboard?.writeText) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Selects the code on the page and asks the browser to copy the selection. When that is refused
 * too, the code stays selected for Ctrl+C.
 */
function copyBySelecting(pre: HTMLElement | null): boolean {
  const selection = window.getSelection();
  if (!pre || !selection) return false;
  const range = document.createRange();
  range.selectNodeContents(pre);
  selection.removeAllRanges();
  selection.addRange(range);
  let isCopied = false;
  try {
    isCopied = document.execCommand("copy");
  } catch {
    // refused
  }
  if (isCopied) selection.removeAllRanges();
  return isCopied;
}

function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}
