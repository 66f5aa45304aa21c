// The suites that judge the pack's model and rules in-process (no build, no child processes),
// with property tests and sweeps sampled (EXG_FAST), which is what mutation testing needs.
const base = require("./jest.config.js");
process.env.EXG_FAST = "1";
module.exports = {
  ...base,
  testMatch: ["<rootDir>/test/unit/**/*.test.ts", "<rootDir>/test/policies/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/unit/ingest"],
};
