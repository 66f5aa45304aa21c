// Mutation testing runs each group of modules against the suites that target it (mutation/groups.js), all loaded by one
// test file so a mutant run pays for loading the model once.
const path = require("path");
const base = require("../jest.config.js");

process.env.EXG_FAST = "1";
// One project, not the repository's six: a config with `projects` runs its test file once in each of them, so every
// covering test ran six times per mutant (and six times against the runner's name pattern).
const { projects, ...global } = base;
const unit = projects.find((p) => p.displayName === "unit");
module.exports = {
  ...global,
  transform: unit.transform,
  moduleFileExtensions: unit.moduleFileExtensions,
  // An absolute path: Stryker wraps this environment in its own and resolves the name itself.
  testEnvironment: path.join(__dirname, "environment.js"),
  rootDir: "..",
  roots: ["<rootDir>/mutation"],
  testMatch: ["<rootDir>/mutation/bundle.test.js"],
};
