// Mutation testing runs each group of modules against the suites that target it (EXG_FAST samples
// property tests and sweeps): the whole suite per mutant would take days on two cores.
const base = require("../jest.config.js");
process.env.EXG_FAST = "1";
const groups = {
  sets: ["test/unit/intervalSet", "test/unit/addressIndex", "test/unit/addresses", "test/unit/flows", "test/unit/nsgEvaluator.property"],
  nsg: ["test/unit/nsgRules", "test/unit/nsgEvaluator", "test/policies/exposure.nsg", "test/policies/isolation"],
  gate: [
    "test/unit/assessments",
    "test/unit/config",
    "test/unit/images",
    "test/unit/exchangeBuilds",
    "test/policies/gate",
    "test/policies/recordValid",
    "test/policies/evidencePreserved",
  ],
};
// The resource graph, the network model and the host inventory; the exposure paths and their rules: both judged by
// the policy suites that drive whole resource sets through them (split so each half finishes in one sitting).
const policySuites = [
  "test/policies/exposure",
  "test/policies/isolation",
  "test/policies/bypass",
  "test/policies/noPublicAttachment",
  "test/unit/nsgRules",
];
groups.graph = [
  ...policySuites,
  ...["values", "armIds", "resourceTypes", "graph", "network", "hosts", "describe", "isolation", "analysis"].map((m) => `test/unit/${m}.test`),
];
groups.paths = [...policySuites, "test/unit/exposure/", "test/unit/wording.test"];
const group = process.env.EXG_MUTATION_GROUP ?? "graph";
module.exports = {
  ...base,
  rootDir: "..",
  testMatch: groups[group].map((p) => `<rootDir>/${p}${p.endsWith(".test") ? ".ts" : "*.test.ts"}`),
};
