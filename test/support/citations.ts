/**
 * Citations in the repository's own text: the files, headings and documents that code comments, tests and docs point
 * to. A reader must be able to follow every one of them inside the repository (or to a public URL), so a citation that
 * does not resolve is a defect, as a broken import is. The checker is pure: text in, problems out; the repository it
 * resolves against is given as two functions, so a test can feed it a known-bad text.
 */
import * as path from "path";

/** What a citation resolves against: the repository's files and each Markdown page's headings. */
export interface CitationRepo {
  /** Repository-relative paths of the files the citation may name (git-tracked, `/`-separated). */
  readonly files: readonly string[];
  /** The anchors of a Markdown page (repository-relative path), or undefined when it is not a page of the repository. */
  anchorsOf(page: string): ReadonlySet<string> | undefined;
}

export interface CitationProblem {
  readonly file: string;
  readonly line: number;
  readonly citation: string;
  readonly why: string;
}

/** Top-level folders of the repository whose files are cited by repository-relative path. */
export const CITED_ROOTS = ["policies", "stacks", "cli", "test", "docs", "scripts", "bench", "mutation", "pipelines", "examples"] as const;

/**
 * Paths that are named but never tracked, so they cannot resolve in a checkout: build output (`dist/`, the pack's
 * compiled `policies/bin/`, the floor pack's `bench/floor-pack/bin/`) and what runs write (`reports/`).
 */
const GENERATED = [/^dist\//, /^policies\/bin\//, /^bench\/floor-pack\/bin\//, /^reports\//];

/**
 * Paths named as examples, not citations: the user's own stack in usage examples and pipeline templates
 * (`stacks/policy-config/prod.json`), and a stack file a test names because it does not exist.
 */
const EXAMPLES = [/^stacks\/policy-config\/prod\.json$/, /^stacks\/Pulumi\.nope\.yaml$/];

/**
 * Words that stand for something outside the repository: the design notes and fact sheets it was built from, the
 * issue tracker and rounds of work. Each is written so that this file does not match itself.
 */
const FOREIGN: readonly { readonly re: RegExp; readonly why: string }[] = [
  { re: new RegExp("DESIGN" + "\\s*§"), why: "a section of a design note outside the repository: cite docs/contract.md" },
  { re: new RegExp("DESIGN" + "\\.md"), why: "a design note outside the repository: cite docs/contract.md" },
  { re: new RegExp("\\.\\./" + "shared\\b"), why: "a folder outside the repository" },
  { re: new RegExp("exchange" + "-facts"), why: "a fact sheet outside the repository: cite the public source" },
  { re: new RegExp("[Ii]ssue" + " #\\d"), why: "an issue number: say what the problem is" },
  { re: new RegExp("\\bhardening" + "\\s*(?:round\\b|\\d)", "i"), why: "the name of a round of work: say what the change does" },
  { re: /§\s*\d/, why: "a section number: cite a heading's anchor (docs/<page>.md#<anchor>) or the public source" },
  { re: new RegExp("\\b(?:review|work)\\s+round" + "\\b|\\bround\\s+\\d+\\b", "i"), why: "the name of a round of work: say what the change does" },
];

/**
 * GitHub's anchor for a heading: lowercase, Markdown (code spans, emphasis, links) reduced to its text, every
 * character that is not a letter, digit, space, `-` or `_` removed, spaces turned into `-`.
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, "").replace(/ /g, "-");
}

/** Every anchor of a Markdown text: its ATX headings outside code fences (a repeated one gets -1, -2, …), and `<a id>`. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const h = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const slug = githubSlug(h[1]);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const a of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(a[1]);
  }
  return anchors;
}

/** A path glob (`*` within a folder, `**` across folders) as a regular expression over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/\*\*\//g, "\u0001")
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join("[^/]*"),
    )
    .join(".*")
    .split("\u0001")
    .join("(?:.*/)?");
  return new RegExp(`^${body}$`);
}

/** Why `target` (repository-relative, `*` as a wildcard) names no file, or undefined when it names one. */
function missing(target: string, repo: CitationRepo): string | undefined {
  if (target.includes("*")) {
    const re = globToRegExp(target);
    return repo.files.some((f) => re.test(f)) ? undefined : "matches no file";
  }
  if (repo.files.includes(target)) return undefined;
  const dir = target.endsWith("/") ? target : `${target}/`;
  return repo.files.some((f) => f.startsWith(dir)) ? undefined : "no such file";
}

/** The problem with `target#anchor` on a Markdown page, if any. */
function badAnchor(page: string, anchor: string, repo: CitationRepo): string | undefined {
  const anchors = repo.anchorsOf(page);
  if (anchors === undefined) return undefined;
  return anchors.has(anchor.toLowerCase()) ? undefined : `${page} has no heading with the anchor #${anchor}`;
}

// A repository-relative path: one of CITED_ROOTS, then path characters, ending in an extension; `*` for globs; an
// optional #anchor. Not preceded by a path or word character, so a URL's or another path's tail is not read as one.
const ROOT_PATH = new RegExp(`(?<![\\w./@\\-])((?:\\.\\./)*(?:${CITED_ROOTS.join("|")})/[\\w.*/\\-]*\\.[A-Za-z0-9]+)(#[\\w\\-]+)?(?![\\w<{$])`, "g");
// A Markdown link to something in the repository: [text](target) where target has no scheme.
const MD_LINK = /\[[^\]\n]*\]\(([^()\s]+)\)/g;

/** Every citation in one file's text that does not resolve, and every mention of a document outside the repository. */
export function checkText(file: string, text: string, repo: CitationRepo): CitationProblem[] {
  const problems: CitationProblem[] = [];
  const dir = path.posix.dirname(file);
  const isMarkdown = file.endsWith(".md");
  // Markdown resolves relative paths against the page; code names files from the repository root (a `../` there is
  // relative to a folder the text does not show, so it is dropped).
  const resolve = (target: string, relativeToFile: boolean) =>
    relativeToFile || (isMarkdown && /^\.\.?\//.test(target))
      ? path.posix.normalize(path.posix.join(dir, target))
      : target.replace(/^(?:\.\.?\/)+/, "");
  let fence: string | undefined;
  text.split("\n").forEach((content, i) => {
    const line = i + 1;
    // A fenced block of printed output (```text) shows a user's files, not the repository's.
    const f = isMarkdown ? /^\s*(`{3,}|~{3,})\s*(\w*)/.exec(content) : null;
    if (f) fence = fence === undefined ? f[2] : undefined;
    const output = fence === "text";
    const report = (citation: string, why: string) => problems.push({ file, line, citation, why });
    for (const { re, why } of FOREIGN) {
      const m = re.exec(content);
      if (m) report(m[0], why);
    }
    const checked = new Set<string>();
    const check = (citation: string, target: string, anchor: string | undefined) => {
      if (checked.has(citation)) return;
      checked.add(citation);
      if (output || GENERATED.some((g) => g.test(target)) || EXAMPLES.some((e) => e.test(target))) return;
      const why = missing(target, repo);
      if (why !== undefined) return report(citation, why);
      if (anchor !== undefined && target.endsWith(".md")) {
        const bad = badAnchor(target, anchor, repo);
        if (bad !== undefined) report(citation, bad);
      }
    };
    if (isMarkdown) {
      for (const m of content.matchAll(MD_LINK)) {
        const raw = m[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) continue;
        const [target, anchor] = raw.split("#", 2) as [string, string | undefined];
        check(raw, target === "" ? file : resolve(decodeURI(target), true), anchor);
      }
    }
    for (const m of content.matchAll(ROOT_PATH)) {
      const target = resolve(m[1], false);
      check(m[0], target, m[2]?.slice(1));
    }
  });
  return problems;
}

/** One line per problem, as a failing test shows them: `file:line: citation — why`. */
export function describeProblems(problems: readonly CitationProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.citation} — ${p.why}`).join("\n");
}
