"use client";

import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

const KEY = "ica:split";

/** Two panes side by side with a draggable divider; the width is remembered. */
export function SplitPane({ left, right }: { left: ReactNode; right: ReactNode }) {
  const [percent, setPercent] = useState(45);
  const container = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    const saved = Number(localStorage.getItem(KEY));
    if (saved >= 20 && saved <= 80) setPercent(saved);
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

  return (
    <div ref={container} className="flex min-h-0 flex-1">
      <div className="min-w-0 overflow-y-auto" style={{ width: `${percent}%` }}>
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
