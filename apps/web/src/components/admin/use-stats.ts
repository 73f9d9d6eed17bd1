"use client";

import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { GetStatsResponse } from "@parley/proto";
import { useEffect, useState } from "react";
import { errorMessage } from "@/lib/errors";
import { useParley } from "@/lib/parley-provider";

// Instances report every five seconds, so asking more often shows nothing new.
const REFRESH_MS = 5_000;
// The latency and lag charts show what this page has seen: ten minutes of samples.
const KEEP_SAMPLES = 120;

/** One poll's numbers; null where there was nothing to measure (no deliveries, lag unknown). */
export interface Sample {
  at: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  lag: number | null;
}

export interface LiveStats {
  stats: GetStatsResponse | undefined;
  samples: Sample[];
  updatedAt: number;
  error: string;
}

/** GetStats, asked again every few seconds while the page is open, with a short history. */
export function useLiveStats(): LiveStats {
  const { client } = useParley();
  const [live, setLive] = useState<LiveStats>({
    stats: undefined,
    samples: [],
    updatedAt: 0,
    error: "",
  });

  useEffect(() => {
    let stopped = false;
    async function load() {
      try {
        const stats = await client.admin.getStats({});
        if (stopped) return;
        const lag = Number(stats.consumerLag);
        const sample: Sample = {
          at: Date.now(),
          p50: stats.latencyP50Ms || null,
          p90: stats.latencyP90Ms || null,
          p99: stats.latencyP99Ms || null,
          lag: lag >= 0 ? lag : null,
        };
        setLive((prev) => ({
          stats,
          samples: [...prev.samples, sample].slice(-KEEP_SAMPLES),
          updatedAt: sample.at,
          error: "",
        }));
      } catch (error) {
        if (!stopped) setLive((prev) => ({ ...prev, error: errorMessage(error) }));
      }
    }
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client]);

  return live;
}

/** The messages-per-second series as chart points. */
export function ratePoints(stats: GetStatsResponse | undefined) {
  return (stats?.messageRate ?? []).map((point) => ({
    at: point.at ? timestampMs(point.at) : 0,
    rate: Number(point.messagesPerSecond.toFixed(2)),
  }));
}
