import * as path from "path";

// mutation/groups.js is plain JavaScript run by Stryker, outside every other test: a suite renamed or merged would
// silently leave its group (and the mutation score would fall for no fault of the code) if nothing read the list.
const { groups, testFiles } = require(path.join(__dirname, "../../mutation/groups.js")) as {
  groups: Record<string, string[]>;
  testFiles(group: string): string[];
};

describe("the mutation groups (mutation/groups.js)", () => {
  it.each(Object.keys(groups))("%s: every entry names at least one test file", (group) => {
    expect(() => testFiles(group)).not.toThrow();
  });

  it("refuses an entry that names no file", () => {
    groups.sets.push("test/unit/noSuchSuite");
    try {
      expect(() => testFiles("sets")).toThrow(/no test file starts with test\/unit\/noSuchSuite/);
    } finally {
      groups.sets.pop();
    }
  });
});
