// Loads a group's suites into one jest module registry. Stryker runs every test file that holds a covering test for each
// mutant, and jest rebuilds the registry per file: with nineteen files that re-import the model, loading cost more than the
// tests themselves. The tests and their names are unchanged; only the loading is shared.
const { testFiles } = require("./groups");

for (const file of testFiles(process.env.EXG_MUTATION_GROUP ?? "graph")) require(file);
