// The suites each mutation group is judged by (EXG_FAST samples property tests and sweeps): running the whole suite per
// mutant would take days on two cores. An entry is a path prefix under the repository root; one ending in "/" is a folder.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const policySuites = [
  "test/policies/exposure",
  "test/policies/isolation",
  "test/policies/bypass",
  "test/policies/noPublicAttachment",
  "test/unit/nsgRules",
  "test/policies/hardening2",
];
const groups = {
  sets: ["test/unit/intervalSet", "test/unit/addressIndex", "test/unit/addresses", "test/unit/flows", "test/unit/nsgEvaluator.property"],
  nsg: ["test/unit/nsgRules", "test/unit/nsgEvaluator", "test/policies/exposure.nsg", "test/policies/isolation"],
  gate: [
    "test/unit/assessments",
    "test/unit/config",
    "test/unit/images",
    "test/unit/exchangeBuilds",
    "test/unit/configAudit",
    "test/unit/gateFindings",
    "test/policies/gate",
    "test/policies/recordValid",
    "test/policies/evidencePreserved",
  ],
  // The resource graph, the network model and the host inventory; the exposure paths and their rules.
  graph: [
    ...policySuites,
    ...["values", "armIds", "resourceTypes", "graph", "network", "hosts", "describe", "isolation", "analysis", "secretForms"].map(
      (m) => `test/unit/${m}.test`,
    ),
  ],
  paths: [...policySuites, "test/unit/exposure/", "test/unit/wording.test"],
};

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** Absolute paths of the test files of `group`, sorted. */
function testFiles(group) {
  const entries = groups[group];
  if (!entries) throw new Error(`unknown mutation group ${group}; one of ${Object.keys(groups).join(", ")}`);
  const all = walk(path.join(root, "test")).filter((f) => f.endsWith(".test.ts"));
  return all.filter((f) => entries.some((e) => path.relative(root, f).split(path.sep).join("/").startsWith(e))).sort();
}

module.exports = { groups, testFiles };
