"use client";

import type { ReactNode } from "react";
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { clock, clockSeconds } from "./format";
import type { Sample } from "./use-stats";

// The app's accent and two companions that stay apart for colour-blind readers.
const ACCENT = "oklch(0.53 0.21 264)";
const TEAL = "oklch(0.62 0.12 190)";
const AMBER = "oklch(0.72 0.15 70)";
const GRID = "oklch(0.91 0.008 264)";
const AXIS = { fontSize: 11, fill: "oklch(0.52 0.02 264)" };

export function ChartCard({
  title,
  note,
  children,
  testId,
}: {
  title: string;
  note?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section className="card flex min-w-0 flex-col gap-2 p-4" data-testid={testId}>
      <header className="flex items-baseline justify-between gap-2">
        <h2 className="text-sm font-semibold">{title}</h2>
        {note ? <span className="text-xs text-muted">{note}</span> : null}
      </header>
      <div className="h-56 min-w-0">{children}</div>
    </section>
  );
}

export function MessageRateChart({ points }: { points: { at: number; rate: number }[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="at" tickFormatter={clock} tick={AXIS} minTickGap={40} />
        <YAxis tick={AXIS} allowDecimals />
        <Tooltip labelFormatter={(at) => clock(Number(at))} formatter={(v) => [v, "msg/s"]} />
        <Area
          type="monotone"
          dataKey="rate"
          stroke={ACCENT}
          fill={ACCENT}
          fillOpacity={0.15}
          isAnimationActive={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}

export function InstancesChart({
  instances,
}: {
  instances: { name: string; users: number; streams: number }[];
}) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={instances} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="name" tick={AXIS} />
        <YAxis tick={AXIS} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="users" name="Online users" fill={ACCENT} isAnimationActive={false} />
        <Bar dataKey="streams" name="Open streams" fill={TEAL} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LatencyChart({ samples }: { samples: Sample[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={samples} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="at" tickFormatter={clockSeconds} tick={AXIS} minTickGap={40} />
        <YAxis tick={AXIS} unit=" ms" width={76} />
        <Tooltip
          labelFormatter={(at) => clockSeconds(Number(at))}
          formatter={(v) => `${Number(v).toFixed(1)} ms`}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {(
          [
            ["p50", ACCENT],
            ["p90", TEAL],
            ["p99", AMBER],
          ] as const
        ).map(([key, color]) => (
          <Line
            key={key}
            type="linear"
            dataKey={key}
            stroke={color}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export function LagChart({ samples }: { samples: Sample[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <AreaChart data={samples} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="at" tickFormatter={clockSeconds} tick={AXIS} minTickGap={40} />
        <YAxis tick={AXIS} allowDecimals={false} />
        <Tooltip
          labelFormatter={(at) => clockSeconds(Number(at))}
          formatter={(v) => [v, "records"]}
        />
        <Area
          type="stepAfter"
          dataKey="lag"
          stroke={AMBER}
          fill={AMBER}
          fillOpacity={0.2}
          isAnimationActive={false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}
