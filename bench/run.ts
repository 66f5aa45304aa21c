import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { EngineResource } from "../cli/packDriver/analyzerClient";
import { PackSession } from "../cli/packDriver/session";
import { RULES } from "../policies/rules";
import { findProjectRoot } from "../stacks/config/stackFile";
import { BENCH_NOW, syntheticEstate } from "./estate";
import { largestPair, scalingExponent, SIZES } from "./sizes";

const ROOT = findProjectRoot();
export const PACKS = { guard: path.join(ROOT, "policies"), floor: path.join(ROOT, "bench", "floor-pack") } as const;
type PackName = keyof typeof PACKS;
export const CONFIG = JSON.stringify({
  "exchange-remediated-requires-assessment": { asOf: BENCH_NOW },
  "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.9.0.0/24", "10.9.1.0/26"] },
});
// Both packs get the same room; the engine passes NODE_OPTIONS through to the pack process.
const ENV = { NODE_OPTIONS: "--max-old-space-size=12288" };

export interface Run {
  readonly startMs: number;
  readonly analyzeMs: number;
  readonly analyzeStackMs: number;
  readonly peakMb: number;
  readonly violations: number;
  /** CPU time the pack process spent (user + system), which the machine's other load disturbs far less than wall time. */
  readonly cpuMs: number;
}

function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  // /proc/<pid>/stat: the command may hold spaces, so count fields after its closing parenthesis (utime is 14th, stime 15th).
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}

function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

async function analyzeAll(session: PackSession, inputs: readonly EngineResource[], concurrency = 8): Promise<number> {
  let next = 0;
  let violations = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const r = inputs[next++];
      violations += (await session.client.analyze(r)).diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return violations;
}

export async function runOnce(
  pack: PackName,
  inputs: readonly EngineResource[],
  resources: readonly EngineResource[],
  dryRun: boolean,
): Promise<Run> {
  return runPack(PACKS[pack], pack === "guard" ? CONFIG : "", inputs, resources, dryRun);
}

/** One estate through the pack in `dir`. An update (dryRun false) is what pulumi up's update phase sends. */
export async function runPack(
  dir: string,
  config: string,
  inputs: readonly EngineResource[],
  resources: readonly EngineResource[],
  dryRun: boolean,
): Promise<Run> {
  const session = await PackSession.start(dir, config, { env: ENV, dryRun });
  try {
    const t0 = process.hrtime.bigint();
    let violations = await analyzeAll(session, inputs);
    const t1 = process.hrtime.bigint();
    const stack = await session.client.analyzeStack(resources);
    const t2 = process.hrtime.bigint();
    violations += stack.diagnostics.filter((d) => d.enforcementLevel === "mandatory").length;
    return {
      startMs: session.startMs,
      analyzeMs: Number(t1 - t0) / 1e6,
      analyzeStackMs: Number(t2 - t1) / 1e6,
      peakMb: peakRssMb(session.pid),
      violations,
      cpuMs: cpuMs(session.pid),
    };
  } finally {
    await session.stop();
  }
}

async function startTimes(pack: PackName, n = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = await PackSession.start(PACKS[pack], pack === "guard" ? CONFIG : "", { env: ENV });
    times.push(s.startMs);
    await s.stop();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

const f = (n: number, d = 0) => n.toFixed(d);
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");

async function main(): Promise<void> {
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  lines.push(
    "# Benchmarks",
    "",
    `Produced by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${f(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node.js ${process.version}.`,
    `Each estate is judged through the engine interface (the pack started as the engine starts it, Analyze per resource with 8 calls in flight, AnalyzeStack once) by exchange-compromise-guard and by a floor pack: the same @pulumi/policy framework with the same number of policies (${RULES.filter((r) => r.kind === "stack").length} stack, ${RULES.filter((r) => r.kind === "resource").length} resource) that touch every resource and report nothing. Times are wall-clock milliseconds seen by the engine side; peak memory is the pack process's peak resident set (VmHWM).`,
    "",
  );
  const guardStart = await startTimes("guard");
  const floorStart = await startTimes("floor");
  lines.push(
    `Pack start (median of 5, spawn to port line): guard ${guardStart} ms, floor ${floorStart} ms, ratio ${ratio(guardStart, floorStart)} (target ≤ 1.2).`,
    "",
  );
  const stackTimes: Record<string, Record<number, number>> = {};
  for (const preview of [true, false]) {
    const form = preview ? "preview" : "update";
    lines.push(
      `## ${form} form`,
      "",
      "| hosts | resources | pack | Analyze total | AnalyzeStack | total | peak MB | mandatory violations | total ÷ floor | AnalyzeStack ÷ floor | memory ÷ floor |",
      "|---|---|---|---|---|---|---|---|---|---|---|",
    );
    for (const size of SIZES) {
      const estate = syntheticEstate(size, preview);
      const floor = await runOnce("floor", estate.inputs, estate.resources, preview);
      const guard = await runOnce("guard", estate.inputs, estate.resources, preview);
      (stackTimes[form] ??= {})[size] = guard.analyzeStackMs;
      (stackTimes[`${form} floor`] ??= {})[size] = floor.analyzeStackMs;
      for (const [name, r] of [
        ["floor", floor],
        ["guard", guard],
      ] as const) {
        const isGuard = name === "guard";
        lines.push(
          `| ${size} | ${estate.resources.length} | ${name} | ${f(r.analyzeMs)} | ${f(r.analyzeStackMs)} | ${f(r.analyzeMs + r.analyzeStackMs)} | ${f(r.peakMb)} | ${r.violations} | ${isGuard ? ratio(r.analyzeMs + r.analyzeStackMs, floor.analyzeMs + floor.analyzeStackMs) : ""} | ${isGuard ? ratio(r.analyzeStackMs, floor.analyzeStackMs) : ""} | ${isGuard ? ratio(r.peakMb, floor.peakMb) : ""} |`,
        );
      }
      process.stderr.write(
        `${form} ${size}: guard ${f(guard.analyzeMs + guard.analyzeStackMs)} ms vs floor ${f(floor.analyzeMs + floor.analyzeStackMs)} ms\n`,
      );
    }
    const pair = largestPair();
    if (pair) {
      lines.push(
        "",
        `AnalyzeStack scaling exponent between ${pair[0]} and ${pair[1]} hosts: guard ${scalingExponent(stackTimes[form], pair)} (target ≤ 1.15), floor ${scalingExponent(stackTimes[`${form} floor`], pair)}.`,
      );
    }
    lines.push("");
  }
  // The offline check of the bundled example, end to end, as a newcomer runs it.
  const cli = path.join(ROOT, "dist", "cli", "main.js");
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    const r = spawnSync(process.execPath, [cli, "check", "--stack", "example"], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`offline check failed: ${r.stderr}`);
    times.push(Date.now() - t);
  }
  times.sort((a, b) => a - b);
  lines.push(
    "## Offline check of the bundled example",
    "",
    `\`exchange-guard check --stack example\` end to end (program under mocks, pack start, Analyze, AnalyzeStack, report): median ${times[1]} ms of 3 runs.`,
    "",
  );
  const out = path.join(ROOT, "docs", "benchmarks.md");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, lines.join("\n") + "\n");
  process.stdout.write(lines.join("\n") + "\n");
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
