import * as fs from "fs";
import * as path from "path";
import { findProjectRoot } from "../stacks/config/stackFile";
import { syntheticEstate } from "./estate";
import { Run, runOnce } from "./run";

/**
 * What judging at admission costs in an update: the same update-form estate through the pack as the engine sends it in
 * `pulumi up`'s update phase (ConfigureStack dry_run false: every resource also judged with what was registered before
 * it) and with admission off (dry_run true, as in a preview: stack policies only). Runs alternate so both share the
 * machine's noise; the medians are compared. `npm run bench:admission` (HOSTS=1000 RUNS=3 by default).
 */
const MARK = "<!-- admission -->";
const HOSTS = Number(process.env.HOSTS ?? 1000);
const RUNS = Number(process.env.RUNS ?? 3);

const total = (r: Run) => r.analyzeMs + r.analyzeStackMs;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const estate = syntheticEstate(HOSTS, false);
  const off: Run[] = [];
  const on: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    off.push(await runOnce("guard", estate.inputs, estate.resources, true));
    on.push(await runOnce("guard", estate.inputs, estate.resources, false));
    process.stderr.write(`run ${i + 1}: without admission ${total(off[i]).toFixed(0)} ms, with ${total(on[i]).toFixed(0)} ms\n`);
  }
  if (on.some((r) => r.violations > 0) || off.some((r) => r.violations > 0)) throw new Error("the benchmark estate must be compliant");
  const row = (name: string, runs: Run[]) =>
    `| ${name} | ${median(runs.map((r) => r.analyzeMs)).toFixed(0)} | ${median(runs.map((r) => r.analyzeStackMs)).toFixed(0)} | ${median(runs.map(total)).toFixed(0)} | ${median(runs.map((r) => r.peakMb)).toFixed(0)} |`;
  const ratio = median(on.map(total)) / median(off.map(total));
  const lines = [
    MARK,
    "## Judging at admission during an update",
    "",
    `Produced by \`npm run bench:admission\` on ${new Date().toISOString().slice(0, 10)}: the update-form estate of ${HOSTS} hosts (${estate.resources.length} resources), the pack as \`pulumi up\`'s update phase drives it (every resource also judged with what was registered before it) and with admission off (as in a preview), ${RUNS} alternating runs each, medians in ms.`,
    "",
    "| run | Analyze total | AnalyzeStack | total | peak MB |",
    "|---|---|---|---|---|",
    row("admission off (preview)", off),
    row("admission on (update)", on),
    "",
    `Total with admission ÷ without: ${ratio.toFixed(2)} (target ≤ 1.10).`,
    "",
  ];
  const out = path.join(findProjectRoot(), "docs", "benchmarks.md");
  const before = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
  const start = before.indexOf(MARK);
  let kept = before;
  if (start >= 0) {
    // The section runs to the next section marker of another script, or to the end.
    const next = before.indexOf("<!--", start + MARK.length);
    kept = before.slice(0, start) + (next >= 0 ? before.slice(next) : "");
  }
  fs.writeFileSync(out, (kept.endsWith("\n") ? kept : kept + "\n") + lines.join("\n") + "\n");
  process.stdout.write(lines.join("\n") + "\n");
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
