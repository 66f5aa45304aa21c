/**
 * The assertions the policy and model suites share, in one place: which forms a case runs in, and what a violation
 * must say.
 */
import type { Violation } from "../../policies/rules/types";

/** Every case runs in both forms: update (ids known) and preview (ids of new resources unknown, links by URN). */
export const FORMS: ReadonlyArray<[string, boolean]> = [
  ["update", false],
  ["preview", true],
];

/** A resource a violation can be about: its URN and its name. */
interface Named {
  readonly urn: string;
  readonly name: string;
}

/** Every message, joined, for error output. */
export function messages(v: readonly Violation[]): string {
  return v.map((x) => x.message).join("\n");
}

/** Every violation is reported on the VM's URN and names the host (as a word: `ex01`, not `ex011`). */
export function expectOnHost(v: readonly Violation[], vm: Named, hostName = vm.name): void {
  for (const x of v) {
    expect(x.urn).toBe(vm.urn);
    expect(x.message).toMatch(new RegExp(`\\b${hostName}\\b`));
  }
}

/**
 * Every violation is about the host (carries its VM's URN and says `host <name>`) and contains every fragment
 * (strings or regexps).
 */
export function expectAboutHost(v: readonly Violation[], vm: Named, ...fragments: Array<string | RegExp>): void {
  for (const x of v) {
    expect(x.urn).toBe(vm.urn);
    expect(x.message).toMatch(new RegExp(`\\bhost ${vm.name}\\b`));
    for (const f of fragments) {
      if (typeof f === "string") expect(x.message).toContain(f);
      else expect(x.message).toMatch(f);
    }
  }
}

/** Some violation contains every fragment. */
export function expectSome(v: readonly Violation[], ...fragments: Array<string | RegExp>): void {
  const hit = v.some((x) => fragments.every((f) => (typeof f === "string" ? x.message.includes(f) : f.test(x.message))));
  if (!hit) throw new Error(`no violation contains ${fragments.map(String).join(" + ")}; got:\n${messages(v) || "(none)"}`);
}
