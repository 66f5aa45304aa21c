// The suites each mutation group is judged by (EXG_FAST samples property tests and sweeps): running the whole suite per
// mutant would take days on two cores. An entry is a path prefix under the repository root; one ending in "/" is a folder.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
// The policies' own suites and the unit suites of the exposure paths they judge by.
const policySuites = [
  "test/policies/unverifiedNotInternetExposed",
  "test/policies/unverifiedIsolated",
  "test/policies/verifiedExposesOnlyClientPorts",
  "test/policies/unverifiedNoPublicAttachment",
  "test/policies/remediatedRequiresAssessment",
  "test/unit/nsgRules",
  ...["networkManager", "bastion", "inertReferrers"].map((m) => `test/unit/exposure/${m}.test`),
  ...["network", "hosts", "vnetReach"].map((m) => `test/unit/${m}.test`),
];
const groups = {
  sets: ["test/unit/intervalSet", "test/unit/addressIndex", "test/unit/addresses", "test/unit/flows", "test/unit/nsgEvaluator.property.test.ts"],
  nsg: ["test/unit/nsgRules", "test/unit/nsgEvaluator", "test/policies/unverifiedNotInternetExposed", "test/policies/unverifiedIsolated"],
  gate: [
    ...[
      "assessments",
      "config",
      "images",
      "exchangeBuilds",
      "configAudit",
      "gate",
      "provenance",
      "assessmentRecord",
      "controlPlane",
      "plannedGate",
      "evidence",
    ].map((m) => `test/unit/${m}`),
    ...[
      "remediatedRequiresAssessment",
      "buildPatched",
      "compromisedRebuiltFromScratch",
      "assessmentRecordValid",
      "evidencePreserved",
      "controlPlaneGuarded",
    ].map((r) => `test/policies/${r}.test`),
  ],
  // The resource graph, the network model and the host inventory; the exposure paths and their rules.
  graph: [
    ...policySuites,
    ...[
      "values",
      "armIds",
      "resourceTypes",
      "graph",
      "network",
      "hosts",
      "describe",
      "isolation",
      "analysis",
      "secretForms",
      "vnetReach",
      "genericResources",
      "unmappedWrites",
      "templateDeployments",
      "armExpressions",
      "stateNotes",
    ].map((m) => `test/unit/${m}.`),
  ],
  paths: [
    ...policySuites,
    "test/unit/exposure/",
    "test/unit/wording.test.ts",
    "test/unit/publicAttachments.test.ts",
    "test/unit/registration.test.ts",
    "test/unit/explain.test.ts",
    "test/policies/admission.test.ts",
  ],
};

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

/** Absolute paths of the test files of `group`, sorted. */
function testFiles(group) {
  const entries = groups[group];
  if (!entries) throw new Error(`unknown mutation group ${group}; one of ${Object.keys(groups).join(", ")}`);
  const all = walk(path.join(root, "test"))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.relative(root, f).split(path.sep).join("/"));
  // A renamed or merged suite must not drop out of its group unnoticed: every entry names at least one file.
  const lost = entries.filter((e) => !all.some((f) => f.startsWith(e)));
  if (lost.length) throw new Error(`mutation group ${group}: no test file starts with ${lost.join(", ")}`);
  return all
    .filter((f) => entries.some((e) => f.startsWith(e)))
    .map((f) => path.join(root, f))
    .sort();
}

module.exports = { groups, testFiles };
