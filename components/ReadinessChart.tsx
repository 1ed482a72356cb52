"use client";

import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ReferenceLine, XAxis, YAxis } from "recharts";

export interface ReadinessBar {
  domain: string;
  title: string;
  /** null when the catalog has no scenario in the domain */
  percent: number | null;
}

// Each domain's bar has its own pattern as well as its own colour, and its value written at its
// end, so the chart reads the same in greyscale or to a colour-blind eye.
const PATTERNS: Record<string, { color: string; draw: (c: string) => ReactNode }> = {
  install: { color: "#0369a1", draw: (c) => <path d="M0 8 L8 0 M-2 2 L2 -2 M6 10 L10 6" stroke={c} strokeWidth={2} /> },
  traffic: { color: "#047857", draw: (c) => <circle cx={4} cy={4} r={1.8} fill={c} /> },
  security: { color: "#b45309", draw: (c) => <path d="M0 0 L8 8 M8 0 L0 8" stroke={c} strokeWidth={1.5} /> },
  troubleshooting: { color: "#7c3aed", draw: (c) => <path d="M0 2 H8 M0 6 H8" stroke={c} strokeWidth={1.5} /> },
};

export function ReadinessChart({ bars, passPercent }: { bars: ReadinessBar[]; passPercent: number }) {
  const data = bars.map((b) => ({
    ...b,
    value: b.percent ?? 0,
    label: b.percent === null ? "no scenarios" : `${Math.round(b.percent)}%`,
  }));
  return (
    <BarChart
      responsive
      width="100%"
      height={64 * data.length + 48}
      data={data}
      layout="vertical"
      margin={{ top: 24, right: 96, bottom: 8, left: 8 }}
      accessibilityLayer={false}
    >
      <defs>
        {Object.entries(PATTERNS).map(([domain, p]) => (
          <pattern key={domain} id={`readiness-${domain}`} width={8} height={8} patternUnits="userSpaceOnUse">
            <rect width={8} height={8} fill={`${p.color}33`} />
            {p.draw(p.color)}
          </pattern>
        ))}
      </defs>
      <CartesianGrid horizontal={false} strokeDasharray="3 3" />
      <XAxis type="number" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" />
      <YAxis type="category" dataKey="title" width={260} tick={{ fontSize: 13 }} />
      <ReferenceLine
        x={passPercent}
        stroke="#0f172a"
        strokeDasharray="6 4"
        label={{ value: `pass mark ${passPercent}%`, position: "top", fontSize: 12 }}
      />
      {/* minPointSize: a 0% bar keeps a sliver, so its "0%" label is drawn */}
      <Bar dataKey="value" isAnimationActive={false} barSize={28} minPointSize={2}>
        {data.map((d) => (
          <Cell
            key={d.domain}
            fill={`url(#readiness-${d.domain})`}
            stroke={PATTERNS[d.domain]?.color ?? "#334155"}
            strokeWidth={1.5}
          />
        ))}
        <LabelList dataKey="label" position="right" fontSize={13} fill="#0f172a" />
      </Bar>
    </BarChart>
  );
}
