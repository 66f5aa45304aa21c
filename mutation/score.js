// Mutation scores from the groups' JSON reports (mutation-testing-report-schema), per group and over all groups, two ways:
// - killed: killed ÷ (killed + survived + no coverage), the share of mutants a test failed on. A timed-out mutant is left
//   out of both sides: it neither proves a test catches the change nor that none would.
// - Stryker's: (killed + timed out) ÷ (killed + timed out + survived + no coverage), which counts a timeout as detected.
// Usage: node mutation/score.js [--record] [group…]. --record adds today's rows to the mutation section of
// docs/benchmarks.md, keeping the rows before them.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const reports = path.join(root, "reports", "mutation");
const BEGIN = "<!-- mutation: begin -->";
const END = "<!-- mutation: end -->";

/** The groups are the Stryker configs beside this script (stryker.<group>.json). */
const known = fs
  .readdirSync(__dirname)
  .map((f) => /^stryker\.(.+)\.json$/.exec(f)?.[1])
  .filter(Boolean);

function count(report) {
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0, hitLimit: 0 };
  for (const file of Object.values(report.files))
    for (const m of file.mutants) {
      c[m.status in c ? m.status : "other"]++;
      // Stryker stops a run whose mutant executes 100 times as often as the unmutated code did (a loop that would not
      // end) and says so in the reason; a timeout without it is the wall clock's.
      if (m.status === "Timeout" && /^Hit limit reached/.test(m.statusReason ?? "")) c.hitLimit++;
    }
  return c;
}

const pct = (n, d) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(2)} %`);
const killedScore = (c) => pct(c.Killed, c.Killed + c.Survived + c.NoCoverage);
const strykerScore = (c) => pct(c.Killed + c.Timeout, c.Killed + c.Timeout + c.Survived + c.NoCoverage);
const timedOut = (c) => `${c.Timeout} timed out (${c.hitLimit} by the hit limit, ${c.Timeout - c.hitLimit} by the clock)`;
const minutes = (ms) => `${Math.round(ms / 60000)} min`;

/** What run.sh wrote about the run that made a group's report: its wall time and the load around it. */
function runInfo(group) {
  const f = path.join(reports, `${group}.run.json`);
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : undefined;
}

const args = process.argv.slice(2);
const record = args.includes("--record");
const asked = args.filter((a) => !a.startsWith("--"));
for (const g of asked) if (!known.includes(g)) throw new Error(`unknown mutation group ${g}; one of ${known.join(", ")}`);
const groups = (asked.length ? asked : known).filter((g) => fs.existsSync(path.join(reports, `${g}.json`)));
if (groups.length === 0) {
  console.error(`no reports in ${path.relative(root, reports)}: run npm run mutation [group…] first`);
  process.exit(1);
}

const rows = [];
const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0, hitLimit: 0 };
for (const g of groups) {
  const c = count(JSON.parse(fs.readFileSync(path.join(reports, `${g}.json`), "utf8")));
  for (const k of Object.keys(total)) total[k] += c[k];
  const run = runInfo(g);
  rows.push({ g, c, run });
  console.log(
    `${g}: killed ${killedScore(c)}, Stryker ${strykerScore(c)} — ${c.Killed} killed, ${timedOut(c)}, ` +
      `${c.Survived} survived, ${c.NoCoverage} without coverage` +
      (c.other ? `, ${c.other} ignored or in error` : "") +
      (run ? `; ${minutes(run.ms)} wall time` : ""),
  );
}
const all = total.Killed + total.Timeout + total.Survived + total.NoCoverage;
console.log(
  `over ${groups.join(", ")} (${all} mutants): killed ${killedScore(total)}, Stryker ${strykerScore(total)} ` +
    `(counts the ${timedOut(total)} as detected)`,
);

if (record) {
  const out = path.join(root, "docs", "benchmarks.md");
  const page = fs.readFileSync(out, "utf8");
  const end = page.indexOf(END);
  if (page.indexOf(BEGIN) < 0 || end < 0) throw new Error(`docs/benchmarks.md has no ${BEGIN} … ${END} section`);
  const today = new Date().toISOString().slice(0, 10);
  const lines = rows.map(
    ({ g, c, run }) =>
      `| ${today} | ${g} | ${c.Killed + c.Timeout + c.Survived + c.NoCoverage} | ${c.Killed} | ${c.Timeout} (${c.hitLimit}) | ${c.Survived} | ${c.NoCoverage} | ` +
      `${killedScore(c)} | ${strykerScore(c)} | ${run ? `${minutes(run.ms)} (load ${run.load.join(", ")})` : "–"} |`,
  );
  // New rows go at the end of the section's table, which ends just before the end marker.
  const before = page.slice(0, end).replace(/\n*$/, "\n");
  fs.writeFileSync(out, before + lines.join("\n") + "\n\n" + page.slice(end));
  console.log(`recorded ${rows.length} row(s) in docs/benchmarks.md`);
}
