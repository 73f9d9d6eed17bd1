import { readFileSync } from "node:fs";
import { loadavg } from "node:os";

// Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream build.
const TICKS_PER_SECOND = 100;

/** CPU and resident memory of a set of processes, sampled from /proc while a phase runs. */
export interface ProcessFigures {
  label: string;
  pid: number;
  /** Mean CPU over the phase, in percent of one core. */
  cpuMean: number;
  /** Highest CPU over one sampling interval, percent of one core. */
  cpuMax: number;
  rssStartMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
}

export interface MachineFigures {
  /** Whole-machine CPU busy over the phase, percent of all cores. */
  cpuBusy: number;
  /** Highest 1-minute load average seen during the phase. */
  loadAverageMax: number;
}

interface Track {
  label: string;
  pid: number;
  startTicks: number;
  lastTicks: number;
  lastAt: number;
  cpuMax: number;
  rssStart: number;
  rssLast: number;
  rssMax: number;
}

/** Total CPU ticks (user + system) of a process, or undefined when it is gone. */
export function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS), or undefined when the process is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th columns.
  return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
}

/** Samples every process of `targets` each `intervalMs` until `stop()` returns the figures. */
export function startSampling(
  targets: Array<{ label: string; pid: number }>,
  intervalMs = 500,
): { stop(): { processes: ProcessFigures[]; machine: MachineFigures }; rssNow(): number[] } {
  const startedAt = performance.now();
  const machineStart = machineTicks();
  let loadMax = loadavg()[0] ?? 0;
  const tracks: Track[] = targets.map(({ label, pid }) => {
    const ticks = processTicks(pid) ?? 0;
    const rss = residentBytes(pid) ?? 0;
    return {
      label,
      pid,
      startTicks: ticks,
      lastTicks: ticks,
      lastAt: startedAt,
      cpuMax: 0,
      rssStart: rss,
      rssLast: rss,
      rssMax: rss,
    };
  });
  const sample = () => {
    const now = performance.now();
    loadMax = Math.max(loadMax, loadavg()[0] ?? 0);
    for (const track of tracks) {
      const ticks = processTicks(track.pid);
      const rss = residentBytes(track.pid);
      if (ticks === undefined || rss === undefined) continue;
      const seconds = (now - track.lastAt) / 1000;
      // Ticks are 10 ms: over a short interval one tick more or less is a large percentage.
      if (seconds >= intervalMs / 2000) {
        const cpu = ((ticks - track.lastTicks) / TICKS_PER_SECOND / seconds) * 100;
        track.cpuMax = Math.max(track.cpuMax, cpu);
      }
      track.lastTicks = ticks;
      track.lastAt = now;
      track.rssLast = rss;
      track.rssMax = Math.max(track.rssMax, rss);
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    rssNow: () => tracks.map((t) => residentBytes(t.pid) ?? t.rssLast),
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - startedAt) / 1000;
      const machineEnd = machineTicks();
      const mib = (bytes: number) => bytes / 1024 / 1024;
      return {
        processes: tracks.map((t) => ({
          label: t.label,
          pid: t.pid,
          cpuMean: ((t.lastTicks - t.startTicks) / TICKS_PER_SECOND / seconds) * 100,
          cpuMax: t.cpuMax,
          rssStartMiB: mib(t.rssStart),
          rssEndMiB: mib(t.rssLast),
          rssMaxMiB: mib(t.rssMax),
        })),
        machine: {
          cpuBusy:
            ((machineEnd.busy - machineStart.busy) /
              Math.max(machineEnd.total - machineStart.total, 1)) *
            100,
          loadAverageMax: loadMax,
        },
      };
    },
  };
}
