// The suites that judge the pack's model and rules in-process (no build, no child processes),
// which is what mutation testing of policies/model and policies/rules needs.
const base = require("./jest.config.js");
module.exports = { ...base, testMatch: ["<rootDir>/test/unit/**/*.test.ts", "<rootDir>/test/policies/**/*.test.ts"] };
