import * as fs from "fs";
import * as path from "path";
import { resolveGate } from "../policies/model/config";
import { StackAnalysis } from "../policies/model/analysis";
import { RULES } from "../policies/rules";
import { toResourceInputs } from "../policies/model/resourceInputs";
import { findProjectRoot } from "../stacks/config/stackFile";
import { BENCH_NOW, syntheticEstate } from "./estate";
import { largestPair, scalingExponent, SIZES } from "./sizes";

// The pack's own work at AnalyzeStack, in process: graph build plus every stack policy, without the framework's
// gRPC and struct decoding. It isolates what the pack adds from what any pack pays to receive a large stack.
const CONFIG: Record<string, Record<string, unknown>> = {
  "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.9.0.0/24", "10.9.1.0/26"] },
};
const MARK = "<!-- in-process analysis -->";

function analyseOnce(resources: Parameters<typeof toResourceInputs>[0]): { ms: number; violations: number } {
  const { gate } = resolveGate({ asOf: BENCH_NOW });
  const t0 = process.hrtime.bigint();
  const analysis = new StackAnalysis(toResourceInputs(resources, new Set()), gate, new Date(BENCH_NOW));
  let violations = 0;
  for (const r of RULES)
    if (r.kind === "stack" && r.enforcementLevel === "mandatory") violations += r.evaluate(analysis, CONFIG[r.name] ?? {}).length;
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, violations };
}

function main(): void {
  const lines = [
    MARK,
    "## The pack's own stack analysis, in process",
    "",
    `Produced by \`npm run bench:model\` on ${new Date().toISOString().slice(0, 10)}: the resource graph built once plus every stack policy, timed in process on the same estates (median of 3), without the framework's gRPC and protobuf decoding that dominate AnalyzeStack above.`,
    "",
    "| form | hosts | resources | analysis ms | mandatory violations |",
    "|---|---|---|---|---|",
  ];
  const exps: string[] = [];
  for (const preview of [true, false]) {
    const form = preview ? "preview" : "update";
    const times: Record<number, number> = {};
    for (const size of SIZES) {
      const estate = syntheticEstate(size, preview);
      const runs = [0, 1, 2].map(() => {
        (global as { gc?: () => void }).gc?.();
        return analyseOnce(estate.resources);
      });
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b)[1];
      times[size] = ms;
      lines.push(`| ${form} | ${size} | ${estate.resources.length} | ${ms.toFixed(0)} | ${runs[0].violations} |`);
      process.stderr.write(`${form} ${size}: ${ms.toFixed(0)} ms\n`);
    }
    const pair = largestPair();
    if (pair) exps.push(`${form} ${scalingExponent(times, pair)}`);
  }
  lines.push("", `Scaling exponent of the in-process analysis between the two largest sizes: ${exps.join(", ")}.`, "");
  const out = path.join(findProjectRoot(), "docs", "benchmarks.md");
  const before = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "# Benchmarks\n\n";
  // Its own section runs from its marker to the next script's marker (or the end); the rest of the page is kept.
  const start = before.indexOf(MARK);
  const next = start >= 0 ? before.indexOf("<!--", start + MARK.length) : -1;
  const rest = start >= 0 ? before.slice(0, start) + (next >= 0 ? before.slice(next) : "") : before;
  const kept = rest.endsWith("\n") ? rest : rest + "\n";
  fs.writeFileSync(out, kept + lines.join("\n") + "\n");
  process.stdout.write(lines.join("\n") + "\n");
}

main();
