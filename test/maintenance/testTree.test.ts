/**
 * The test tree mirrors the source tree: every model module has a unit suite of its own at the same relative path
 * (`policies/model/exposure/hops.ts` → `test/unit/exposure/hops.test.ts`, or `…/hops.<aspect>.test.ts`), and every
 * policy rule file has `test/policies/<rule file name>.test.ts`. A module added without its suite fails here, by name.
 */
import * as fs from "fs";
import * as path from "path";

const REPO = path.resolve(__dirname, "../..");
const MODEL = "policies/model";
const RULES = "policies/rules";
const UNIT = "test/unit";
const POLICY_TESTS = "test/policies";

interface Exemption {
  /** Why the file needs no suite of its own. */
  readonly why: string;
  /** The suite that tests it instead, when one does (it must exist). */
  readonly testedBy?: string;
}

/** Model modules without a unit suite of their own, relative to policies/model/. */
const MODEL_EXEMPT: Readonly<Record<string, Exemption>> = {
  "index.ts": { why: "the model's surface for stacks/ and cli/: re-exports only, no behaviour of its own" },
  "exposure/types.ts": { why: "types of the exposure model only: nothing runs" },
  "exchangeBuildTable.ts": {
    why: "the data table of security-update waves, read through exchangeBuilds",
    testedBy: "test/unit/exchangeBuilds.test.ts",
  },
};

/** Rule files without a policy suite of their own, relative to policies/rules/. */
const RULE_EXEMPT: Readonly<Record<string, Exemption>> = {
  "index.ts": { why: "the list of policies: every suite under test/policies/ reaches the rules through it" },
  "types.ts": { why: "types of a rule and a violation only: nothing runs" },
  "wording.ts": { why: "the words every policy's messages share, not a policy", testedBy: "test/unit/wording.test.ts" },
};

/** Every .ts file under `dir` (recursively), relative to it, with `/` separators. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(REPO, dir, rel), { withFileTypes: true })) {
      const next = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(next);
      else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(next);
    }
  };
  walk("");
  return out.sort();
}

const exists = (rel: string) => fs.existsSync(path.join(REPO, rel));

/** The unit suites of a model module: `<stem>.test.ts` or `<stem>.<aspect>.test.ts` beside where the module sits. */
function unitSuitesOf(module: string): string[] {
  const stem = module.replace(/\.ts$/, "");
  const dir = path.posix.dirname(stem);
  const base = path.posix.basename(stem);
  const where = path.join(REPO, UNIT, dir);
  if (!fs.existsSync(where)) return [];
  return fs
    .readdirSync(where)
    .filter((f) => f === `${base}.test.ts` || (f.startsWith(`${base}.`) && f.endsWith(".test.ts") && f.length > `${base}..test.ts`.length))
    .map((f) => `${UNIT}/${dir === "." ? "" : `${dir}/`}${f}`);
}

const modelModules = tsFiles(MODEL).filter((m) => !(m in MODEL_EXEMPT));
const ruleFiles = tsFiles(RULES).filter((r) => !(r in RULE_EXEMPT));

describe("every model module has a unit suite at its own path", () => {
  it("the walk finds the model's modules, nested ones included", () => {
    expect(modelModules).toContain("gate.ts");
    expect(modelModules).toContain("exposure/hops.ts");
  });

  it.each(modelModules)(`${MODEL}/%s`, (module) => {
    const stem = module.replace(/\.ts$/, "");
    if (unitSuitesOf(module).length === 0) {
      throw new Error(`${MODEL}/${module} has no unit suite: add ${UNIT}/${stem}.test.ts (or ${UNIT}/${stem}.<aspect>.test.ts)`);
    }
  });
});

describe("every policy rule file has a policy suite named after it", () => {
  it("the walk finds the rule files", () => {
    expect(ruleFiles).toContain("evidencePreserved.ts");
  });

  it.each(ruleFiles)(`${RULES}/%s`, (rule) => {
    const suite = `${POLICY_TESTS}/${rule.replace(/\.ts$/, "")}.test.ts`;
    if (!exists(suite)) throw new Error(`${RULES}/${rule} has no policy suite: add ${suite}`);
  });
});

describe("the exemptions stay true", () => {
  const all: Array<[string, Exemption]> = [
    ...Object.entries(MODEL_EXEMPT).map(([f, x]): [string, Exemption] => [`${MODEL}/${f}`, x]),
    ...Object.entries(RULE_EXEMPT).map(([f, x]): [string, Exemption] => [`${RULES}/${f}`, x]),
  ];

  it.each(all)("%s still exists, and the suite said to test it does too", (file, x) => {
    if (!exists(file)) throw new Error(`${file} is exempt but no longer exists: drop its exemption`);
    if (x.testedBy !== undefined && !exists(x.testedBy)) throw new Error(`${file} is said to be tested by ${x.testedBy}, which does not exist`);
    expect(x.why).not.toBe("");
  });
});
