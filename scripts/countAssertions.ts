/**
 * Counts the checks in test/: `expect(` calls and `it(` / `test(` calls (each form of `.each`, `.only`, `.skip`,
 * `.todo` and `.failing` counted once per call site), in test files and in the helpers they share. Moving tests
 * between files must not change the test-file numbers (a check may move, never go); a helper copied into several
 * files and made one lowers only the helper number, by the copies removed.
 *
 *   npm run build && node dist/scripts/countAssertions.js [--json]
 */
import * as fs from "fs";
import * as path from "path";

export interface Counts {
  readonly files: number;
  readonly expects: number;
  readonly tests: number;
}

export interface AssertionCounts {
  /** `*.test.ts` under test/. */
  readonly testFiles: Counts;
  /** Every other TypeScript file under test/ (support modules, fixtures written in TypeScript). */
  readonly helpers: Counts;
}

const EXPECT = /(?<![\w.])expect\(/g;
// `it(`, `test(`, `it.each([…])(`, `it.each\`table\``, `test.only(`, … — one per call site; `describe` is not a test.
const TEST = /(?<![\w.])(?:it|test)(?:\.(?:only|skip|todo|failing|concurrent))*(?:\(|\.each[(`])/g;

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []));
}

export function countAssertions(testDir: string): AssertionCounts {
  const tally = (files: readonly string[]): Counts => {
    let expects = 0;
    let tests = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, "utf8");
      expects += count(text, EXPECT);
      tests += count(text, TEST);
    }
    return { files: files.length, expects, tests };
  };
  const all = walk(testDir).sort();
  return { testFiles: tally(all.filter((f) => f.endsWith(".test.ts"))), helpers: tally(all.filter((f) => !f.endsWith(".test.ts"))) };
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..", "..");
  const counts = countAssertions(path.join(root, "test"));
  if (process.argv.includes("--json")) {
    process.stdout.write(JSON.stringify(counts, null, 2) + "\n");
  } else {
    const line = (what: string, c: Counts) => `${what}: ${c.files} files, ${c.expects} expect( calls, ${c.tests} it(/test( calls\n`;
    process.stdout.write(line("test files", counts.testFiles) + line("helpers", counts.helpers));
  }
}
