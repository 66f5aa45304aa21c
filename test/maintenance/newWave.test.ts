/**
 * Patch Tuesday costs one data row: a copy of the project gets a synthetic security-update wave, newer than every wave
 * the pack knows and patched by no build any test uses, and the gate, stack and fixture suites run against it. Only
 * tests of the default baseline itself (named "[default baseline]") may change.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { WAVE_TABLES } from "../../policies/model/exchangeBuildTable";

// Each step runs the real CLI or a whole suite: minutes, not the default minute.
jest.setTimeout(15 * 60_000);

const REPO = path.resolve(__dirname, "../..");
const SUITES = ["test/unit", "test/policies", "test/stacks"];

/** The next month's wave: every CU line of the newest wave one revision higher, so no build it accepts today passes. */
export function syntheticWave(): string {
  const newest = WAVE_TABLES[WAVE_TABLES.length - 1];
  const [y, m] = newest.wave.split("-").map(Number);
  const wave = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  const builds = Object.fromEntries(
    Object.entries(newest.builds).map(([line, build]) => {
      const parts = build.split(".");
      parts[3] = String(Number(parts[3]) + 1);
      return [line, parts.join(".")];
    }),
  );
  return `  { wave: ${JSON.stringify(wave)}, released: "${wave}-10", source: "synthetic (test/maintenance/newWave.test.ts)", builds: ${JSON.stringify(builds)} },\n`;
}

interface JestJson {
  numTotalTests: number;
  testResults: { assertionResults: { fullName: string; status: string }[] }[];
}

let copy: string;

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "exg-new-wave-"));
  for (const f of fs.readdirSync(REPO)) {
    if ([".git", "node_modules", "dist", "reports", "coverage", ".stryker-tmp"].includes(f)) continue;
    fs.cpSync(path.join(REPO, f), path.join(copy, f), { recursive: true, filter: (src) => !/[/\\](node_modules|bin)$/.test(src) });
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(copy, "node_modules"));
  // A checkout, as the suites expect (SARIF locations are relative to the git root).
  execFileSync("git", ["init", "-q"], { cwd: copy });
  const table = path.join(copy, "policies/model/exchangeBuildTable.ts");
  const text = fs.readFileSync(table, "utf8");
  const end = text.lastIndexOf("];");
  fs.writeFileSync(table, text.slice(0, end) + syntheticWave() + text.slice(end));
  // The pack the stack suites start over gRPC is the compiled one: rebuild it from the copy.
  execFileSync("npx", ["tsc", "-p", "policies/tsconfig.json"], { cwd: copy, stdio: "inherit" });
}, 10 * 60_000);

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

it(
  "a new wave in the table changes no gate, stack or fixture test but the default baseline's own",
  async () => {
    const out = path.join(copy, "new-wave.json");
    await new Promise<void>((resolve) =>
      execFile(
        "npx",
        [
          "jest",
          "--config",
          "jest.config.js",
          "--selectProjects",
          "unit",
          "stacks",
          "--runTestsByPath",
          ...SUITES.flatMap((s) => listTests(s)),
          "--json",
          `--outputFile=${out}`,
        ],
        { cwd: copy, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, EXG_FAST: "1" } },
        () => resolve(),
      ),
    );
    const result = JSON.parse(fs.readFileSync(out, "utf8")) as JestJson;
    const failed = result.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "failed").map((a) => a.fullName));
    expect(result.numTotalTests).toBeGreaterThan(1000);
    expect(failed.filter((name) => !name.includes("[default baseline]"))).toEqual([]);
    // The wave did reach the code under test: the default moved, and the test pinning today's default saw it.
    expect(failed.some((name) => name.includes("[default baseline]"))).toBe(true);
  },
  20 * 60_000,
);

/** The test files under a folder of the copy, except the build table's own tests (the table is what changed). */
function listTests(dir: string): string[] {
  const full = path.join(copy, dir);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".test.ts") && e.name !== "exchangeBuilds.test.ts") found.push(path.relative(copy, p));
    }
  };
  walk(full);
  return found;
}
