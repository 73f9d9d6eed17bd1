/**
 * Summarises a V8 .cpuprofile (from node --cpu-prof) as text: self time by function, and
 * self and total time by package, so a profile can be read and quoted without a browser.
 *
 *   npx tsx bench/src/profile-top.ts <file.cpuprofile> [--top N] [--filter text]
 *   npx tsx bench/src/profile-top.ts <file.cpuprofile> --callers writeBuffer [--depth 8]
 *   --window FROM,TO   only the samples of a phase (µs, monotonic: the bench prints them)
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { formatTable } from "./table.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** "prisma", "@connectrpc/connect", "realtime:pipeline/persister.ts", "node:internal", ... */
export function packageOf(url: string): string {
  if (!url) return "(vm)";
  if (url.startsWith("node:")) return "node (core)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const own = /\/(apps|packages|bench)\/([^/]+)\/(?:src\/)?(.*)$/.exec(url);
  if (own) return `${own[2]}:${own[3]!.split("/").slice(0, -1).join("/") || "."}`;
  return url;
}

/** Keeps only the samples taken inside [fromUs, toUs] of the monotonic clock. */
export function sliceProfile(profile: CpuProfile, fromUs: number, toUs: number): CpuProfile {
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let at = profile.startTime;
  let last = fromUs;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) return;
    samples.push(id);
    timeDeltas.push(at - last);
    last = at;
  });
  return { ...profile, samples, timeDeltas, startTime: fromUs, endTime: Math.min(toUs, at) };
}

export function summarise(profile: CpuProfile, top: number, filter?: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totalUs = profile.endTime - profile.startTime;
  const functions = new Map<string, number>();
  const packagesSelf = new Map<string, number>();
  const packagesTotal = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = packageOf(url);
    packagesSelf.set(pkg, (packagesSelf.get(pkg) ?? 0) + us);
    // Total: each package on the stack once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const p = packageOf(byId.get(at)!.callFrame.url);
      if (seen.has(p)) continue;
      seen.add(p);
      packagesTotal.set(p, (packagesTotal.get(p) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((us / totalUs) * 100).toFixed(1)} %`;
  const rank = (map: Map<string, number>) =>
    [...map]
      .filter(([key]) => !filter || key.includes(filter))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return [
    `profile: ${(totalUs / 1e6).toFixed(1)} s wall, ${profile.samples.length} samples`,
    "",
    formatTable(
      ["package", "self", "total"],
      rank(packagesSelf).map(([p, us]) => [p, pct(us), pct(packagesTotal.get(p) ?? 0)]),
    ),
    "",
    formatTable(
      ["function (self time)", "self"],
      rank(functions).map(([f, us]) => [f, pct(us)]),
    ),
  ].join("\n");
}

/** Where a function's self time comes from: its callers' stacks, `depth` frames up. */
export function callersOf(profile: CpuProfile, name: string, depth: number, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName !== name) return;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const frames: string[] = [];
    for (let at = parent.get(id); at !== undefined && frames.length < depth; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      frames.push(
        `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`,
      );
    }
    const key = frames.join("\n    < ");
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  });
  return [...stacks]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([stack, us]) =>
        `${((us / Math.max(total, 1)) * 100).toFixed(1)} % of ${name}\n    < ${stack}`,
    )
    .join("\n");
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) return url.slice(modules + "/node_modules/".length);
  const repo = url.indexOf("/work/");
  return repo >= 0 ? url.replace(/^file:\/\/\/work\/[^/]+\//, "") : url;
}

if (process.argv[1]?.endsWith("profile-top.ts")) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: "string", default: "25" },
      filter: { type: "string" },
      callers: { type: "string" },
      depth: { type: "string", default: "8" },
      window: { type: "string" },
    },
  });
  for (const file of positionals) {
    let profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    if (values.window) {
      const [from, to] = values.window.split(",").map(Number);
      profile = sliceProfile(profile, from!, to!);
    }
    const text = values.callers
      ? callersOf(profile, values.callers, Number(values.depth), Number(values.top))
      : summarise(profile, Number(values.top), values.filter);
    process.stdout.write(`${file}\n${text}\n\n`);
  }
}
