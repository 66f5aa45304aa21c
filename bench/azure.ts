import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readLiveEstate } from "../cli/audit/azure/estate";
import { main as cli } from "../cli/main";
import { findProjectRoot } from "../stacks/config/stackFile";
import { armResources, resourceGraphRows, writeResourceGraphPages } from "../test/support/resourceGraph";
import { BENCH_NOW, syntheticEstate } from "./estate";

// `audit --azure` of a synthetic estate listed as Resource Graph output (the inverse mapping of the bench estate, update
// form), end to end as a nightly job runs it: read and check every page, map the rows, start the pack, Analyze each
// resource, AnalyzeStack once, report. Hosts from BENCH_AZURE_HOSTS (default 1000).
const BEGIN = "<!-- live estate: begin -->";
const END = "<!-- live estate: end -->";
const MODEL_MARK = "<!-- in-process analysis -->";
const CONFIG = {
  "exchange-remediated-requires-assessment": { asOf: BENCH_NOW },
  "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.9.0.0/24", "10.9.1.0/26"] },
};

async function run(): Promise<void> {
  const hosts = Number(process.env.BENCH_AZURE_HOSTS ?? "1000");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exg-bench-azure-"));
  try {
    const estate = syntheticEstate(hosts, false);
    const rows = resourceGraphRows(armResources(estate.resources));
    const files = writeResourceGraphPages(dir, "bench", rows, 1000);
    const config = path.join(dir, "policy-config.json");
    fs.writeFileSync(config, JSON.stringify(CONFIG));
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const reads: number[] = [];
    const totals: number[] = [];
    let code = -1;
    for (let i = 0; i < 3; i++) {
      (global as { gc?: () => void }).gc?.();
      const t0 = process.hrtime.bigint();
      readLiveEstate(files);
      reads.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const t1 = process.hrtime.bigint();
      code = await cli(["audit", "--azure", ...files, "--policy-pack-config", config, "--json", "-q"], {
        stdout: { write: () => true },
        stderr: { write: () => true },
      });
      totals.push(Number(process.hrtime.bigint() - t1) / 1e6);
      process.stderr.write(`run ${i + 1}: read ${reads[i].toFixed(0)} ms, audit ${totals[i].toFixed(0)} ms (exit ${code})\n`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    const lines = [
      BEGIN,
      "## Audit of the live estate from Resource Graph",
      "",
      `Produced by \`npm run bench:azure\` on ${new Date().toISOString().slice(0, 10)}: the bench estate of ${hosts} hosts (update form) turned into Resource Graph output by the inverse mapping — ${rows.resources.length + rows.assessments.length} rows (child resources folded into their parents, as Resource Graph lists them) in ${files.length} \`az graph query\` pages of at most 1,000 rows, ${(bytes / 1048576).toFixed(1)} MiB — and judged by \`exchange-guard audit --azure … --json\` in process (median of 3).`,
      "",
      "| hosts | rows | pages | read, check and map ms | audit end to end ms (median) | the 3 runs ms | exit |",
      "|---|---|---|---|---|---|---|",
      `| ${hosts} | ${rows.resources.length + rows.assessments.length} | ${files.length} | ${median(reads).toFixed(0)} | ${median(totals).toFixed(0)} | ${totals.map((t) => t.toFixed(0)).join(", ")} | ${code} |`,
      "",
      `Load average when it finished: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ", ",
        )} (the 2-core machine is shared, so runs vary; most of the time is the pack's Analyze and AnalyzeStack over gRPC, as for \`audit\` of an export of the same size above).`,
      "",
      END,
    ];
    const out = path.join(findProjectRoot(), "docs", "benchmarks.md");
    const before = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "# Benchmarks\n\n";
    const section = lines.join("\n") + "\n";
    let after: string;
    if (before.includes(BEGIN) && before.includes(END))
      after = before.slice(0, before.indexOf(BEGIN)) + section + before.slice(before.indexOf(END) + END.length + 1);
    else if (before.includes(MODEL_MARK)) after = before.replace(MODEL_MARK, section + "\n" + MODEL_MARK);
    else after = before + "\n" + section;
    fs.writeFileSync(out, after);
    process.stdout.write(section);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
