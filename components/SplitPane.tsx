"use client";

import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

const KEY = "ica:split";
/** Below this width the panes stack and a switch shows one at a time. */
const NARROW = "(max-width: 899px)";

/**
 * Two panes side by side with a draggable divider (the width is remembered); on a narrow
 * screen one pane at a time with a switch. Both stay mounted, so the terminal keeps its shell.
 */
export function SplitPane({ left, right }: { left: ReactNode; right: ReactNode }) {
  const [percent, setPercent] = useState(45);
  const [isNarrow, setNarrow] = useState(false);
  const [shown, setShown] = useState<"left" | "right">("left");
  const container = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    const saved = Number(localStorage.getItem(KEY));
    if (saved >= 20 && saved <= 80) setPercent(saved);
    const query = window.matchMedia(NARROW);
    const update = () => setNarrow(query.matches);
    update();
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);

  const move = useCallback((clientX: number) => {
    const box = container.current?.getBoundingClientRect();
    if (!dragging.current || !box) return;
    const p = Math.min(80, Math.max(20, ((clientX - box.left) / box.width) * 100));
    setPercent(p);
    localStorage.setItem(KEY, String(Math.round(p)));
  }, []);

  useEffect(() => {
    const onMove = (e: PointerEvent) => move(e.clientX);
    const onUp = () => {
      dragging.current = false;
      document.body.style.userSelect = "";
    };
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp);
    return () => {
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
    };
  }, [move]);

  if (isNarrow) {
    const tab = (side: "left" | "right", label: string) => (
      <button
        type="button"
        role="tab"
        aria-selected={shown === side}
        onClick={() => setShown(side)}
        className={`flex-1 py-2 text-sm font-medium ${shown === side ? "border-b-2 border-sky-700 text-sky-800" : "text-slate-600"}`}
      >
        {label}
      </button>
    );
    return (
      <div className="flex min-h-0 flex-1 flex-col" data-split="stacked">
        <div role="tablist" className="flex shrink-0 border-b border-slate-200 bg-white">
          {tab("left", "Instructions")}
          {tab("right", "Terminal")}
        </div>
        <div className={`relative min-h-0 flex-1 overflow-y-auto ${shown === "left" ? "" : "hidden"}`}>{left}</div>
        <div className={`min-h-0 flex-1 ${shown === "right" ? "" : "hidden"}`}>{right}</div>
      </div>
    );
  }
  return (
    <div ref={container} className="flex min-h-0 flex-1" data-split="side-by-side">
      {/* relative: screen-reader-only text inside stays in this pane instead of growing the page */}
      <div className="relative min-w-0 overflow-y-auto" style={{ width: `${percent}%` }}>
        {left}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a draggable divider, not a form separator */}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-valuenow={Math.round(percent)}
        tabIndex={0}
        className="w-1.5 shrink-0 cursor-col-resize bg-slate-200 hover:bg-sky-300"
        onPointerDown={() => {
          dragging.current = true;
          document.body.style.userSelect = "none";
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowLeft") setPercent((p) => Math.max(20, p - 2));
          if (e.key === "ArrowRight") setPercent((p) => Math.min(80, p + 2));
        }}
      />
      <div className="min-w-0 flex-1">{right}</div>
    </div>
  );
}
