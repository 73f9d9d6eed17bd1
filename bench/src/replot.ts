/**
 * Redraws a scenario's charts from its figures.json, e.g. after a change to the chart code:
 *
 *   npx tsx bench/src/replot.ts bench/report/connections
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Histogram } from "./histogram.ts";
import { connectChart } from "./scenarios/connections.ts";

for (const dir of process.argv.slice(2)) {
  const figures = JSON.parse(readFileSync(join(dir, "figures.json"), "utf8"));
  if (figures.scenario === "connections") {
    const h = Histogram.fromBuckets(figures.connectHistogram);
    const svg = connectChart(h, h.count, figures.options.rampPerSecond);
    writeFileSync(join(dir, "connections-connect.svg"), svg);
    process.stdout.write(`${join(dir, "connections-connect.svg")}\n`);
  } else {
    process.stderr.write(`${dir}: replot knows connections only; re-run the scenario\n`);
  }
}
