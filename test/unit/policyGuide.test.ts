import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies/rules";
import { globToRegExp, markdownAnchors } from "../support/citations";

const ROOT = path.join(__dirname, "../..");
const guide = fs.readFileSync(path.join(ROOT, "policies/README.md"), "utf8");
const headings = markdownAnchors(fs.readFileSync(path.join(ROOT, "docs/policies.md"), "utf8"));

/** A path the guide names: a file or folder under policies/ (rules/, model/) or the repository (test/), `*` as a wildcard. */
function exists(p: string): boolean {
  const full = path.join(ROOT, /^(rules|model)\//.test(p) ? "policies" : "", p);
  if (!p.includes("*")) return fs.existsSync(full);
  const dir = path.dirname(full);
  const re = globToRegExp(path.basename(full));
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => re.test(f));
}

describe("the policy guide (policies/README.md)", () => {
  const rows = guide.split("\n").filter((l) => /^\| `exchange-/.test(l));

  it("has one row per policy of RULES, in RULES order", () => {
    expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual(RULES.map((r) => r.name));
  });

  it.each(RULES.map((r) => [r.name, r] as const))("%s: every file it names exists, and its docs anchor is a heading", (name, rule) => {
    const row = rows.find((r) => r.startsWith(`| \`${name}\``))!;
    const paths = [...row.matchAll(/`((?:rules|model|test)\/[^`]+)`/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const p of paths) expect({ path: p, exists: exists(p) }).toEqual({ path: p, exists: true });
    expect(row).toContain(`(../docs/policies.md#${name})`);
    expect(rule.url.endsWith(`#${name}`)).toBe(true);
    expect(headings.has(name)).toBe(true);
  });
});

describe("the benchmark's floor pack (bench/floor-pack/index.ts)", () => {
  const source = fs.readFileSync(path.join(ROOT, "bench/floor-pack/index.ts"), "utf8");
  const count = (name: string) => Number(new RegExp(`const ${name} = (\\d+);`).exec(source)?.[1]);

  it("has as many stack and resource policies as the pack, so the comparison stays fair", () => {
    expect({ stack: count("STACK_POLICIES"), resource: count("RESOURCE_POLICIES") }).toEqual({
      stack: RULES.filter((r) => r.kind === "stack").length,
      resource: RULES.filter((r) => r.kind === "resource").length,
    });
  });
});
