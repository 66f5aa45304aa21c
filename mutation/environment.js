// Stryker's jest runner picks a mutant's covering tests by passing jest one test-name pattern, `(name one)|(name two)|…`,
// one alternative per covering test, and jest tests every test's full name against it: that costs the number of tests
// times the length of the pattern (the gate group with 1,000 covering tests: 8 s of matching where running them takes 3).
// This environment reads the names back out of the pattern and has jest ask a set instead, so selection costs one lookup
// a test and a mutant's run time is its tests' time. Any other pattern is left as jest built it.
const { TestEnvironment } = require("jest-environment-node");

/**
 * The test names of a pattern made of parenthesised, regex-escaped alternatives (as the runner writes it), or undefined
 * when the pattern has any other shape.
 */
function namesOf(pattern) {
  if (typeof pattern !== "string" || pattern === "") return undefined;
  const names = [];
  let name;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (name === undefined) {
      if (c === "(") name = "";
      else if (!(c === "|" && i > 0 && pattern[i - 1] === ")")) return undefined;
    } else if (c === "\\" && i + 1 < pattern.length) name += pattern[++i];
    else if (c === ")") {
      names.push(name);
      name = undefined;
    } else if ("()|[]{}.*+?^$".includes(c)) return undefined;
    else name += c;
  }
  if (name !== undefined || pattern.endsWith("|")) return undefined;
  return new Set(names);
}

class SelectByNameEnvironment extends TestEnvironment {
  #selected;

  constructor(config, context) {
    super(config, context);
    this.#selected = namesOf(config.globalConfig.testNamePattern);
  }

  async handleTestEvent(event, state) {
    // jest-circus compiles the pattern into `state.testNamePattern` on "setup", before any test is declared, and only
    // ever calls its `test` method with a test's full name.
    if (event.name === "setup" && this.#selected && state.testNamePattern) {
      const selected = this.#selected;
      state.testNamePattern = { test: (fullName) => selected.has(fullName), source: "exact test names" };
    }
  }
}

module.exports = SelectByNameEnvironment;
module.exports.namesOf = namesOf;
