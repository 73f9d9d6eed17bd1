"use client";

import type { DependencyHealth, GetStatsResponse } from "@parley/proto";
import { FormError } from "@/components/form-error";
import { ChartCard, InstancesChart, LagChart, LatencyChart, MessageRateChart } from "./charts";
import { formatCount, formatMs, formatRate } from "./format";
import { ratePoints, useLiveStats } from "./use-stats";

function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="card flex flex-col gap-1 px-4 py-3">
      <span className="text-xs font-medium text-muted">{label}</span>
      <span className="text-xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function Health({ dependencies }: { dependencies: DependencyHealth[] }) {
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Dependencies">
      {dependencies.map((d) => (
        <li
          key={d.name}
          data-testid={`health-${d.name.toLowerCase()}`}
          data-healthy={d.healthy}
          title={d.detail}
          className="card flex items-center gap-2 px-3 py-2 text-sm"
        >
          <span
            aria-hidden="true"
            className={`size-2.5 rounded-full ${d.healthy ? "bg-emerald-500" : "bg-red-500"}`}
          />
          <span className="font-medium">{d.name}</span>
          <span className="text-xs text-muted">{d.healthy ? d.detail : `down: ${d.detail}`}</span>
        </li>
      ))}
    </ul>
  );
}

function tiles(stats: GetStatsResponse | undefined) {
  const streams = stats?.instances.reduce((sum, i) => sum + i.openStreams, 0) ?? 0;
  const lastRate = stats?.messageRate.at(-1)?.messagesPerSecond ?? 0;
  const lag = Number(stats?.consumerLag ?? 0);
  return [
    { label: "Online users", value: formatCount(stats?.onlineUsers ?? 0), id: "online-users" },
    { label: "Open streams", value: formatCount(streams), id: "open-streams" },
    { label: "Messages / s (this minute)", value: formatRate(lastRate), id: "message-rate" },
    { label: "Delivery p50", value: formatMs(stats?.latencyP50Ms ?? 0), id: "latency-p50" },
    { label: "Delivery p99", value: formatMs(stats?.latencyP99Ms ?? 0), id: "latency-p99" },
    { label: "Consumer lag", value: lag < 0 ? "unknown" : formatCount(lag), id: "consumer-lag" },
    { label: "Users", value: formatCount(stats?.totalUsers ?? 0n), id: "total-users" },
    {
      label: "Messages stored",
      value: formatCount(stats?.totalMessages ?? 0n),
      id: "total-messages",
    },
  ];
}

/** The dashboard's first page: live numbers and charts, refreshed every few seconds. */
export function AdminOverview() {
  const { stats, samples, updatedAt, error } = useLiveStats();
  const instances = (stats?.instances ?? []).map((i) => ({
    name: i.instanceId,
    users: i.onlineUsers,
    streams: i.openStreams,
  }));
  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <Health dependencies={stats?.dependencies ?? []} />
        <span className="text-xs text-muted" role="status" data-testid="stats-updated">
          {updatedAt ? `Live · updated ${new Date(updatedAt).toLocaleTimeString()}` : "Loading…"}
        </span>
      </div>
      <FormError message={error} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {tiles(stats).map((tile) => (
          <Tile key={tile.id} label={tile.label} value={tile.value} testId={`tile-${tile.id}`} />
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <ChartCard title="Messages per second" note="last hour, per minute" testId="chart-rate">
          <MessageRateChart points={ratePoints(stats)} />
        </ChartCard>
        <ChartCard title="Instances" note="online users and open streams" testId="chart-instances">
          <InstancesChart instances={instances} />
        </ChartCard>
        <ChartCard title="Delivery latency" note="last 5 min, sampled live" testId="chart-latency">
          <LatencyChart samples={samples} />
        </ChartCard>
        <ChartCard title="Kafka consumer lag" note="records not yet stored" testId="chart-lag">
          <LagChart samples={samples} />
        </ChartCard>
      </div>
    </>
  );
}
