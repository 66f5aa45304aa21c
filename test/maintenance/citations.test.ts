/**
 * The repository explains itself: every file, page and heading its code, tests and docs cite exists in it, and nothing
 * cites a document outside it (design notes, fact sheets, issue numbers, work rounds). Public URLs are the way to cite
 * outside material; they are not checked here (no network in tests).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { checkText, describeProblems, githubSlug, markdownAnchors, type CitationRepo } from "../support/citations";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Tracked files that are data, not prose: the lockfile, and the fixtures that reproduce other tools' output and
 * Azure's shapes byte for byte (their paths are theirs, not citations). Markdown fixtures are still read.
 */
function isData(file: string): boolean {
  return file === "package-lock.json" || (file.startsWith("test/fixtures/") && !file.endsWith(".md"));
}

/** This file holds the known-bad text the checker is proved on, so it is checked by those tests, not by the sweep. */
const SELF = path.relative(ROOT, __filename).split(path.sep).join("/");

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter((f) => f !== "");
}

function repoOf(files: readonly string[], read: (file: string) => string | undefined): CitationRepo {
  const anchors = new Map<string, Set<string> | undefined>();
  return {
    files,
    anchorsOf(page) {
      if (!anchors.has(page)) {
        const text = page.endsWith(".md") && files.includes(page) ? read(page) : undefined;
        anchors.set(page, text === undefined ? undefined : markdownAnchors(text));
      }
      return anchors.get(page);
    },
  };
}

describe("GitHub heading anchors", () => {
  it.each([
    ["Internet exposure", "internet-exposure"],
    ["`exchange-guard audit --azure`: the live estate", "exchange-guard-audit---azure-the-live-estate"],
    ["Admission during `pulumi up`", "admission-during-pulumi-up"],
    ["What admission cannot stop", "what-admission-cannot-stop"],
    ["Paths (v1/v2) & [links](https://example.com)", "paths-v1v2--links"],
    ["snake_case stays", "snake_case-stays"],
  ])("%s → #%s", (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });

  it("numbers repeated headings and ignores headings inside code fences", () => {
    const page = ["# Title", "## Config", "```sh", "# not a heading", "```", "## Config", '<a id="kept"></a>'].join("\n");
    expect([...markdownAnchors(page)].sort()).toEqual(["config", "config-1", "kept", "title"]);
  });
});

describe("the citation checker on known-bad text", () => {
  const files = ["policies/model/gate.ts", "docs/contract.md", "docs/policies.md", "test/policies/admission.test.ts"];
  const pages: Record<string, string> = {
    "docs/contract.md": "# Contract\n## Internet exposure\n",
    "docs/policies.md": "# Policy reference\n## exchange-build-patched\n",
  };
  const repo = repoOf(files, (f) => pages[f]);
  const nope = ["policies", "model", "nope.ts"].join("/");
  // Built from parts so that this file does not cite what it tests.
  const design = "DESIGN" + " §4";

  it("names the file, the line and the citation of a missing file and a missing heading", () => {
    const text = [
      `// the gate (${nope}), see docs/contract.md#no-such-heading`,
      "// exposure: docs/contract.md#internet-exposure, and policies/model/gate.ts",
    ].join("\n");
    const problems = checkText("policies/rules/x.ts", text, repo);
    expect(describeProblems(problems)).toBe(
      [
        `policies/rules/x.ts:1: ${nope} — no such file`,
        "policies/rules/x.ts:1: docs/contract.md#no-such-heading — docs/contract.md has no heading with the anchor #no-such-heading",
      ].join("\n"),
    );
  });

  it("resolves Markdown links relative to the page, anchors included, and globs against the files", () => {
    const text = [
      "[ok](../docs/policies.md#exchange-build-patched) [bad](policies.md#exchange-build-patchd) [gone](../test/x.md)",
      "`test/policies/*.test.ts` but not `test/policies/hardly*.test.ts`; [here](#contract) [not here](#nowhere)",
    ].join("\n");
    const problems = checkText(
      "docs/contract.md",
      text,
      repoOf([...files], (f) => pages[f]),
    );
    expect(problems.map((p) => [p.line, p.citation])).toEqual([
      [1, "policies.md#exchange-build-patchd"],
      [1, "../test/x.md"],
      [2, "#nowhere"],
      [2, "test/policies/hardly*.test.ts"],
    ]);
  });

  it("reports documents outside the repository, issue numbers and work rounds", () => {
    const text = [
      `// as ${design} says`,
      "// fixed in " + "issue" + " #15",
      "// since the " + "hardening" + " round",
      "// see docs/contract.md " + "§" + "5.1",
    ].join("\n");
    expect(checkText("cli/a.ts", text, repo).map((p) => p.line)).toEqual([1, 1, 2, 3, 4]);
  });

  it("ignores build output, placeholders and URLs", () => {
    const text = [
      "dist/cli/main.js policies/bin/index.js reports/mutation/x.json",
      "stacks/Pulumi.<stack>.yaml test/policies/<rule>.test.ts",
      "https://github.com/o/r/blob/main/docs/nope.md https://learn.microsoft.com/azure/virtual-network/x",
    ].join("\n");
    expect(checkText("README.md", text, repo)).toEqual([]);
  });
});

describe("every citation in the repository resolves", () => {
  const files = trackedFiles();
  const texts = new Map<string, string>();
  const read = (file: string): string | undefined => {
    if (!texts.has(file)) {
      const buf = fs.readFileSync(path.join(ROOT, file));
      texts.set(file, buf.includes(0) ? "" : buf.toString("utf8"));
    }
    return texts.get(file);
  };
  const repo = repoOf(files, read);
  const prose = files.filter((f) => !isData(f) && f !== SELF && fs.existsSync(path.join(ROOT, f)));

  it("reads the repository's text files", () => {
    expect(prose.length).toBeGreaterThan(300);
    expect(prose).toEqual(expect.arrayContaining(["README.md", "docs/contract.md", "policies/model/gate.ts"]));
  });

  it("no file cites a missing file or heading, or a document outside the repository", () => {
    const problems = prose.flatMap((f) => checkText(f, read(f) ?? "", repo));
    expect(describeProblems(problems)).toBe("");
  });
});
