import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { type BenchOptions, parseOptions } from "./options.ts";
import { RunContext } from "./run-context.ts";
import type { ScenarioReport } from "./scenarios/common.ts";
import { connectionsScenario } from "./scenarios/connections.ts";
import { directScenario } from "./scenarios/direct.ts";
import { groupScenario } from "./scenarios/group.ts";
import { maxRateScenario } from "./scenarios/max-rate.ts";
import { twoInstancesScenario } from "./scenarios/two-instances.ts";
import { runId } from "./stack.ts";

const repoRoot = resolve(import.meta.dirname, "../..");

const scenarios: Record<BenchOptions["scenario"], (run: RunContext) => Promise<ScenarioReport>> = {
  connections: connectionsScenario,
  direct: directScenario,
  "max-rate": maxRateScenario,
  group: groupScenario,
  "two-instances": twoInstancesScenario,
};

function commit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

async function main() {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2), runId);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  // Paths given on the command line are relative to where npm was run, defaults to the repo.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const out = options.out.startsWith("bench/results/")
    ? resolve(repoRoot, options.out)
    : resolve(cwd, options.out);
  options.out = out;
  mkdirSync(out, { recursive: true });
  const run = new RunContext(options);
  let stopping = false;
  process.on("SIGINT", () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write("\n[bench] interrupted: cleaning up\n");
    void run.teardown().finally(() => process.exit(130));
  });

  const startedAt = new Date();
  const loadBefore = loadavg();
  let report: ScenarioReport;
  try {
    await run.setup();
    report = await scenarios[options.scenario](run);
  } finally {
    await run.teardown();
  }
  const header =
    `parley bench ${options.scenario} · ${startedAt.toISOString()} · commit ${commit()} · ` +
    `run ${runId} · load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`;
  process.stdout.write(`\n${header}\n\n${report.text}\n`);
  for (const chart of report.charts) {
    writeFileSync(join(out, chart.file), chart.svg);
    process.stdout.write(`chart: ${join(options.out, chart.file)}\n`);
  }
  if (options.json) {
    const file = resolve(cwd, options.json);
    const raw = {
      scenario: options.scenario,
      startedAt: startedAt.toISOString(),
      commit: commit(),
      runId,
      loadAverageBefore: loadBefore,
      options: { ...options, jwtSecret: undefined },
      ...report.json,
    };
    writeFileSync(file, `${JSON.stringify(raw, null, 2)}\n`);
    process.stdout.write(`json: ${file}\n`);
  }
}

await main();
process.exit(0);
