// What it costs a mutant run to select its covering tests: runs a group's bundle as Stryker's jest runner does (jest's
// runCLI in band, the config as JSON) with the test-name pattern the runner builds for the first N tests, once as jest
// matches it (a regular expression) and once through mutation/environment.js (a set of names), alternating, and prints
// the median wall time of each. N = 0 runs every test without a pattern.
// Usage: node mutation/selectionTiming.js <group> [N…] (default 0 100 1000), e.g. node mutation/selectionTiming.js gate
const path = require("path");
const root = path.join(__dirname, "..");
const { readInitialOptions } = require(require.resolve("jest-config", { paths: [root] }));
const { runCLI } = require(require.resolve("jest", { paths: [root] }));

const [group = "gate", ...counts] = process.argv.slice(2);
const sizes = counts.length ? counts.map(Number) : [0, 100, 1000];
const ROUNDS = 3;
process.env.EXG_MUTATION_GROUP = group;
// The runner's own escaping (@stryker-mutator/util escapeRegExp) and joining (jest-runner mutantRun).
const pattern = (names) => names.map((n) => `(${n.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&")})`).join("|");

async function run(config, testNamePattern) {
  const started = process.hrtime.bigint();
  const { results } = await runCLI(
    { $0: "selectionTiming", _: [], config: JSON.stringify(config), runInBand: true, silent: true, testNamePattern, testLocationInResults: true },
    [config.rootDir],
  );
  if (results.numRuntimeErrorTestSuites || results.numFailedTests)
    throw new Error(`the ${group} bundle failed: ${JSON.stringify(results.testResults[0]?.testExecError ?? {})}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, ran: results.numPassedTests, results };
}

(async () => {
  const { config } = await readInitialOptions(path.join(__dirname, "jest.config.js"));
  // As the runner overrides them (jest-runner JEST_OVERRIDE_OPTIONS).
  Object.assign(config, { reporters: [], verbose: false, collectCoverage: false, bail: false });
  const asJest = { ...config, testEnvironment: "node" };
  const all = await run(config);
  const names = [...new Set(all.results.testResults.flatMap((s) => s.testResults.map((t) => t.fullName)))];
  console.log(
    `${group}: ${names.length} tests; load ${require("os")
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}`,
  );
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const n of sizes) {
    const p = n ? pattern(names.slice(0, n)) : undefined;
    const times = { regex: [], set: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const [kind, cfg] of [
        ["regex", asJest],
        ["set", config],
      ]) {
        const r = await run(cfg, p);
        // The set runs exactly the named tests; jest's pattern, unanchored, also runs any test whose name contains one.
        const want = n || names.length;
        if (kind === "set" ? r.ran !== want : r.ran < want) throw new Error(`${kind} ran ${r.ran} tests for ${want} names`);
        times[kind].push(r.ms);
      }
    }
    const fmt = (xs) => `${(median(xs) / 1000).toFixed(1)} s (${xs.map((x) => (x / 1000).toFixed(1)).join(", ")})`;
    console.log(`${n ? `${n} names` : "all, no pattern"}: jest's pattern ${fmt(times.regex)}; set of names ${fmt(times.set)}`);
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
