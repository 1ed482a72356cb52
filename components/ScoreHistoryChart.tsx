"use client";

import { CartesianGrid, LabelList, Legend, ReferenceLine, Scatter, ScatterChart, XAxis, YAxis } from "recharts";

export interface HistoryPoint {
  kind: "practice" | "exam";
  /** milliseconds since the epoch */
  at: number;
  percent: number;
  /** the time as the page writes it (formatted on the server, so the client shows the same) */
  when: string;
}

const HOUR = 3_600_000;

// Practice attempts are circles, exams diamonds joined by a line; each point has its score written
// above it, and the pass mark is a dashed line: nothing depends on telling colours apart.
export function ScoreHistoryChart({ points, passPercent }: { points: HistoryPoint[]; passPercent: number }) {
  const withLabel = points.map((p) => ({ ...p, label: `${Math.round(p.percent)}%` }));
  const practice = withLabel.filter((p) => p.kind === "practice");
  const exams = withLabel.filter((p) => p.kind === "exam");
  const times = points.map((p) => p.at);
  const min = Math.min(...times);
  const max = Math.max(...times);
  const pad = Math.max(HOUR, (max - min) * 0.05);
  const whenOf = new Map(points.map((p) => [p.at, p.when]));
  return (
    <ScatterChart
      responsive
      width="100%"
      height={300}
      margin={{ top: 24, right: 104, bottom: 8, left: 0 }}
      accessibilityLayer={false}
    >
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey="at"
        domain={[min - pad, max + pad]}
        ticks={[...new Set(times)]}
        tickFormatter={(t: number) => whenOf.get(t) ?? ""}
        tick={{ fontSize: 12 }}
        name="when"
      />
      <YAxis type="number" dataKey="percent" domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" name="score" />
      <ReferenceLine
        y={passPercent}
        stroke="#0f172a"
        strokeDasharray="6 4"
        label={{ value: `pass mark ${passPercent}%`, position: "right", fontSize: 12 }}
      />
      <Legend verticalAlign="bottom" height={32} iconSize={12} wrapperStyle={{ fontSize: 13, color: "#0f172a" }} />
      <Scatter
        name="Practice attempt (scenario)"
        data={practice}
        shape="circle"
        legendType="circle"
        fill="#0369a1"
        isAnimationActive={false}
      >
        <LabelList dataKey="label" position="top" fontSize={12} fill="#0f172a" />
      </Scatter>
      <Scatter
        name="Mock exam"
        data={exams}
        shape="diamond"
        legendType="diamond"
        fill="#b45309"
        line={{ stroke: "#b45309", strokeDasharray: "2 2" }}
        isAnimationActive={false}
      >
        <LabelList dataKey="label" position="top" fontSize={12} fill="#0f172a" />
      </Scatter>
    </ScatterChart>
  );
}
