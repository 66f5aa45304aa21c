// Overall mutation score from the groups' JSON reports (mutation-testing-report-schema).
const fs = require("fs");
const path = require("path");
const dir = path.join(__dirname, "..", "reports", "mutation");
let killed = 0,
  timeout = 0,
  total = 0;
for (const f of fs.readdirSync(dir).filter((f) => /^(sets|nsg|gate|graph|paths)\.json$/.test(f))) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
  const c = { Killed: 0, Survived: 0, Timeout: 0, NoCoverage: 0 };
  for (const file of Object.values(report.files)) for (const m of file.mutants) if (m.status in c) c[m.status]++;
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  console.log(
    `${f.replace(".json", "")}: ${((100 * detected) / valid).toFixed(2)}% (${detected}/${valid} detected: ${c.Killed} killed, ${c.Timeout} timed out; ${c.Survived} survived, ${c.NoCoverage} without coverage; killed alone ${((100 * c.Killed) / valid).toFixed(2)}%)`,
  );
  killed += c.Killed;
  timeout += c.Timeout;
  total += valid;
}
console.log(
  `overall mutation score: ${((100 * (killed + timeout)) / total).toFixed(2)}% of ${total} mutants (killed alone ${((100 * killed) / total).toFixed(2)}%)`,
);
