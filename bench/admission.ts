import * as fs from "fs";
import * as path from "path";
import { findProjectRoot } from "../stacks/config/stackFile";
import { syntheticEstate } from "./estate";
import { CONFIG, PACKS, Run, runPack } from "./run";

/**
 * What judging at admission costs in an update: the same update-form estate through the pack as the engine sends it in
 * `pulumi up`'s update phase (ConfigureStack dry_run false: every resource also judged with what was registered before
 * it) and with admission off (dry_run true, as in a preview: stack policies only). With BASELINE_PACK=<dir of another
 * build of the pack> (e.g. a checkout of the previous release, built), that pack's update runs too: "today's" cost.
 * Runs alternate so all share the machine's noise; the medians are compared. `npm run bench:admission` (HOSTS=1000
 * RUNS=3 by default).
 */
const MARK = "<!-- admission -->";
const HOSTS = Number(process.env.HOSTS ?? 1000);
const BASELINE = process.env.BASELINE_PACK;
const RUNS = Number(process.env.RUNS ?? 3);

const total = (r: Run) => r.analyzeMs + r.analyzeStackMs;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const estate = syntheticEstate(HOSTS, false);
  const off: Run[] = [];
  const on: Run[] = [];
  const previous: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (BASELINE) previous.push(await runPack(BASELINE, CONFIG, estate.inputs, estate.resources, false));
    off.push(await runPack(PACKS.guard, CONFIG, estate.inputs, estate.resources, true));
    on.push(await runPack(PACKS.guard, CONFIG, estate.inputs, estate.resources, false));
    process.stderr.write(
      `run ${i + 1}: without admission ${total(off[i]).toFixed(0)} ms (pack CPU ${off[i].cpuMs.toFixed(0)} ms), with ${total(on[i]).toFixed(0)} ms (pack CPU ${on[i].cpuMs.toFixed(0)} ms)\n`,
    );
  }
  if ([...on, ...off, ...previous].some((r) => r.violations > 0)) throw new Error("the benchmark estate must be compliant");
  const row = (name: string, runs: Run[]) =>
    `| ${name} | ${median(runs.map((r) => r.analyzeMs)).toFixed(0)} | ${median(runs.map((r) => r.analyzeStackMs)).toFixed(0)} | ${median(runs.map(total)).toFixed(0)} | ${median(runs.map((r) => r.cpuMs)).toFixed(0)} | ${median(runs.map((r) => r.peakMb)).toFixed(0)} |`;
  const ratio = median(on.map(total)) / median(off.map(total));
  const cpuRatio = median(on.map((r) => r.cpuMs)) / median(off.map((r) => r.cpuMs));
  const lines = [
    MARK,
    "## Judging at admission during an update",
    "",
    `Produced by \`npm run bench:admission\` on ${new Date().toISOString().slice(0, 10)}: the update-form estate of ${HOSTS} hosts (${estate.resources.length} resources), the pack as \`pulumi up\`'s update phase drives it (every resource also judged with what was registered before it) and with admission off (as in a preview), ${RUNS} alternating runs each, medians in ms.`,
    "",
    "| run | Analyze total | AnalyzeStack | total | pack CPU | peak MB |",
    "|---|---|---|---|---|---|",
    ...(BASELINE ? [row("previous pack, update", previous)] : []),
    row("admission off (preview)", off),
    row("admission on (update)", on),
    "",
    `With admission ÷ without: total ${ratio.toFixed(2)}, pack CPU ${cpuRatio.toFixed(2)}.` +
      (BASELINE
        ? ` With admission ÷ the previous pack's update: total ${(median(on.map(total)) / median(previous.map(total))).toFixed(2)}, pack CPU ${(median(on.map((r) => r.cpuMs)) / median(previous.map((r) => r.cpuMs))).toFixed(2)}.`
        : "") +
      " Target ≤ 1.10. Wall time moves with the machine's other load; the pack's CPU time is the steadier measure.",
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
