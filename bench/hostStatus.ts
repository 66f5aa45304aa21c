/**
 * `exchange-guard host status` (and the `--where` selection of `host rebuild`) on a generated fleet: the command as a
 * pipeline runs it (the built binary, a new Node process each time), best and median of several runs.
 *
 *   npm run bench:host            # 1,000 hosts
 *   npm run bench:host -- 5000    # another size
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findProjectRoot } from "../stacks/config/stackFile";
import { generateFleet } from "../test/support/generatedFleet";

const ROOT = findProjectRoot();
const CLI = path.join(ROOT, "dist", "cli", "main.js");
function time(args: readonly string[], runs: number): { best: number; median: number; code: number | null; out: string } {
  const ms: number[] = [];
  let last = { code: null as number | null, out: "" };
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    last = { code: r.status, out: r.stdout };
  }
  ms.sort((a, b) => a - b);
  return { best: ms[0], median: ms[Math.floor(ms.length / 2)], ...last };
}

function main(): void {
  const n = Number(process.argv[2] ?? 1000);
  const runs = 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exg-bench-host-"));
  try {
    const { stack, records } = generateFleet(dir, n);
    const common = ["--stack", stack, "--stacks-dir", dir];
    const version = time(["--version"], runs);
    const status = time(["host", "status", ...common], runs);
    const json = time(["host", "status", "--json", ...common], runs);
    const wave = time(["host", "rebuild", "--where", "build-older-than=2026-09", "--dry-run", "--json", ...common], runs);
    const hosts = (JSON.parse(json.out) as { hosts: unknown[] }).hosts.length;
    const selected = (JSON.parse(wave.out) as { after: unknown[] }).after.length;
    const f = (t: { best: number; median: number }) => `best ${(t.best / 1000).toFixed(2)} s, median ${(t.median / 1000).toFixed(2)} s`;
    console.log(`fleet: ${n} hosts, ${records} record files (${os.cpus().length} cores, node ${process.version}, ${runs} runs each)`);
    console.log(`  exchange-guard --version (Node start and the CLI's own load): ${f(version)}`);
    console.log(`  host status:                                               ${f(status)} (exit ${status.code})`);
    console.log(`  host status --json:                                        ${f(json)} (${hosts} hosts)`);
    console.log(`  host rebuild --where build-older-than=2026-09 --dry-run:   ${f(wave)} (${selected} hosts selected, exit ${wave.code})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
