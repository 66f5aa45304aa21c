// Mutation testing runs each group of modules against the suites that target it (mutation/groups.js), all loaded by one
// test file so a mutant run pays for loading the model once.
const base = require("../jest.config.js");
process.env.EXG_FAST = "1";
module.exports = {
  ...base,
  rootDir: "..",
  roots: ["<rootDir>/mutation"],
  testMatch: ["<rootDir>/mutation/bundle.test.js"],
};
