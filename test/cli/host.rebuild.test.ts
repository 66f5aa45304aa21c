/**
 * `exchange-guard host rebuild`: a new generation from the configured image with the old one's evidence kept, for one
 * host or for every host a `--where` selects (the day a security-update wave lands: one command, one commit); refused
 * when the generation that goes would leave no evidence, or the new one could never be verified.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { includesWave } from "../../policies/model";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { generateFleet } from "../support/generatedFleet";
import { copyStack, removeCopies, StackCopy, tmpDir } from "../support/hostStacks";

afterAll(removeCopies);

function fleet(n: number): StackCopy {
  const dir = tmpDir("fleet");
  const { stack } = generateFleet(dir, n);
  return new StackCopy(dir, stack);
}

describe("exchange-guard host rebuild <host>", () => {
  it("makes the walk-through's step 3 for ex02: generation 2, unverified, the compromised record kept (so its evidence is)", async () => {
    const s = copyStack("incident-2-compromised");
    const r = await s.run("rebuild", "ex02");
    expect(r.code).toBe(0);
    const step3 = (
      parse(fs.readFileSync(path.join(STACKS_DIR, "Pulumi.incident-3-rebuild.yaml"), "utf8")) as { config: Record<string, { name: string }[]> }
    ).config["exchange-guard:hosts"];
    expect(s.host("ex02")).toEqual(step3.find((h) => h.name === "ex02"));
    expect(r.stdout).toMatch(/~ ex02\.generation\s+1 → 2/);
    expect(r.stdout).toMatch(/~ ex02\.state\s+compromised → unverified/);
    expect(r.stdout).toMatch(/→ ex02 \(ex02-g2, unverified\) will be isolated: .*; evidence snapshot ex02-g1-osdisk-evidence/);
  });

  it("a clean host on an old build may be rebuilt: it leaves the published pool until the new generation is verified", async () => {
    const s = copyStack("incident-4-verified");
    const r = await s.run("rebuild", "ex03", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.after).toEqual([
      { host: "ex03", generation: 2, state: "unverified", vm: "ex03-g2", placement: "isolated", outboundInternet: "allowed", evidence: [] },
    ]);
    expect(out.notes).toEqual(["ex03 leaves the published pool until generation 2 is assessed clean and remediated"]);
  });

  describe("refused, exit 2, the file untouched", () => {
    it.each<[string, string, string, RegExp]>([
      [
        "a host marked compromised whose compromise is not on record: its disk would go without evidence",
        "incident-2-compromised",
        "ex02",
        /ex02 is marked compromised but lists no record of generation 1 that found it so: the program snapshots the OS disk of a compromised generation \(ex02-g1-osdisk\) only on that record/,
      ],
      [
        "a host never assessed: the rebuild would destroy the only evidence of whether it was compromised",
        "incident-1-isolated",
        "ex01",
        /ex01 generation 1 has no assessment record: a rebuild deletes its VM and OS disk, and with them the only evidence/,
      ],
      ["a host the stack does not have", "incident-1-isolated", "ex10", /stack t has no host "ex10"; did you mean "ex01"\?/],
    ])("%s", async (label, from, host, message) => {
      const s = copyStack(from);
      if (label.startsWith("a host marked compromised")) {
        // The compromised record dropped from the list by hand: the state still says compromised.
        fs.writeFileSync(s.file, s.text().replace("      assessments: [incident/ex02-g1-2026-11-10.json]\n", ""));
      }
      const before = s.text();
      const r = await s.run("rebuild", host);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toMatch(message);
      expect(s.text()).toBe(before);
    });

    it("a new generation that could never be verified: the configured image is not in approvedImages", async () => {
      const s = copyStack("incident-2-compromised");
      fs.writeFileSync(
        s.file,
        s.text().replace('    securityBaseline: "2026-09"\n', '    securityBaseline: "2026-09"\n    approvedImages: ["Contoso:Hardened:2022"]\n'),
      );
      const before = s.text();
      const r = await s.run("rebuild", "ex02");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /the new generation could never be verified:\n {2}- ex02-g2: host ex02 is built from microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition:latest, which is not in approvedImages/,
      );
      expect(s.text()).toBe(before);
    });

    it.each<[string[], RegExp]>([
      [["ex02", "--where", "state=compromised"], /name one host, or select hosts with --where \(not both\)/],
      [[], /name one host, or select hosts with --where/],
      [["--where", "state=broken"], /--where state=broken: state is one of unverified, compromised, remediated/],
      [
        ["--where", "build-older-than=2026-13"],
        /--where build-older-than=2026-13: 2026-13 is not a security-update wave this pack knows \(2021-03, .*2026-09\)/,
      ],
      [["--where", "gen=2"], /--where gen=2: give state=<unverified\|compromised\|remediated> or build-older-than=<wave, e\.g\. /],
    ])("host rebuild %j", async (args, message) => {
      const s = copyStack("incident-2-compromised");
      const before = s.text();
      const r = await s.run("rebuild", ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(s.text()).toBe(before);
    });
  });
});

describe("exchange-guard host rebuild --where", () => {
  /** The reference: each host's newest record of its current generation, read straight from the files. */
  function newestBuild(s: StackCopy, host: { name: string; generation?: number; assessments?: string[] }): string | undefined {
    const records = (host.assessments ?? [])
      .map((f) => JSON.parse(fs.readFileSync(path.join(s.dir, "records", f), "utf8")))
      .filter((r) => (r.generation ?? 1) === (host.generation ?? 1))
      .sort((a, b) => Date.parse(a.additionalData.completedAt) - Date.parse(b.additionalData.completedAt));
    return records.at(-1)?.additionalData.exchangeBuild;
  }

  it("build-older-than=<wave> rebuilds, in one edit, every host whose newest record states a build without that wave", async () => {
    const s = fleet(40);
    const before = s.hosts();
    const expected = before.filter((h) => {
      const b = newestBuild(s, h);
      return b !== undefined && !includesWave(b, "2026-09").patched;
    });
    const undecided = before.filter((h) => newestBuild(s, h) === undefined);
    expect(expected.length).toBeGreaterThan(2);
    expect(undecided.length).toBeGreaterThan(2);
    const r = await s.run("rebuild", "--where", "build-older-than=2026-09", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.after.map((a: { host: string }) => a.host)).toEqual(expected.map((h) => h.name));
    expect(out.notes.filter((n: string) => n.startsWith("not selected:"))).toHaveLength(undecided.length);
    const after = s.hosts();
    for (const [i, h] of before.entries()) {
      const rebuilt = expected.includes(h);
      expect(after[i]).toEqual(rebuilt ? { ...h, generation: (h.generation ?? 1) + 1, state: "unverified" } : h);
    }
  });

  it("state=compromised takes the hosts marked so, and those whose generation has a compromised record", async () => {
    const s = copyStack("incident-1-isolated");
    await s.run("record", "ex02", path.join(STACKS_DIR, "records", "incident", "ex02-g1-2026-11-10.json"));
    expect(s.host("ex02").state).toBe("unverified");
    const r = await s.run("rebuild", "--where", "state=compromised");
    expect(r.code).toBe(0);
    expect(s.hosts().map((h) => [h.name, h.generation])).toEqual([
      ["ex01", 1],
      ["ex02", 2],
      ["ex03", 1],
    ]);
  });

  it("combined criteria must all hold; none matching changes nothing", async () => {
    const s = fleet(40);
    const before = s.text();
    const r = await s.run("rebuild", "--where", "state=unverified", "--where", "state=remediated");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("note: no host matches --where state=unverified --where state=remediated");
    expect(s.text()).toBe(before);
  });

  it("one refused host refuses the whole selection: nothing is written", async () => {
    const s = fleet(20);
    // A compromised host whose record was dropped by hand: selected by state, but its evidence would be lost.
    const edited = s.text().replace(/(- name: ex0004\n {6}generation: 1\n {6}state: compromised\n) {6}assessments: \[[^\]]*\]\n/, "$1");
    expect(edited).not.toBe(s.text());
    fs.writeFileSync(s.file, edited);
    const before = s.text();
    const r = await s.run("rebuild", "--where", "state=compromised");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ex0004 is marked compromised but lists no record of generation 1/);
    expect(s.text()).toBe(before);
  });
});
