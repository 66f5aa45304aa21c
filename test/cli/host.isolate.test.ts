/**
 * `exchange-guard host isolate`: off every public path, the stack file edited in place (comments and layout kept), and
 * every unsafe or impossible request refused with the file untouched.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { copyStack, DRILL_DIR, ingestSample, removeCopies, writeRecord } from "../support/hostStacks";
import { runInProcess } from "./runCli";

afterAll(removeCopies);

const EX02_G1 = path.join(STACKS_DIR, "records", "incident", "ex02-g1-2026-11-10.json");
const EX01_G1 = path.join(STACKS_DIR, "records", "incident", "ex01-g1-2026-11-12.json");

/** The lines of `after` that differ from `before` (same line count expected unless lines were added). */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  return b.filter((line, i) => a[i] !== line);
}

describe("exchange-guard host isolate", () => {
  it("takes a remediated host off its public path: state unverified, only that line changes, comments kept", async () => {
    const s = copyStack("incident-4-verified");
    const before = s.text();
    const r = await s.run("isolate", "ex03");
    expect(r.code).toBe(0);
    expect(changedLines(before, s.text())).toEqual(["      state: unverified"]);
    expect(s.text().split("\n").length).toBe(before.split("\n").length);
    expect(s.text()).toContain("# Step 4: the rebuilt ex02 (generation 2) and ex03 are assessed clean");
    expect(r.stdout).toMatch(/~ ex03\.state\s+remediated → unverified/);
    expect(r.stdout).toMatch(/→ ex03 \(ex03-g1, unverified\) will be isolated: quarantine subnet, isolation NSG, no public path/);
    expect(r.stdout).toMatch(/^written: 1 change\(s\)$/m);
  });

  it("with --compromised, makes the walk-through's hand edit of step 2: the record copied under records/ and listed, state compromised", async () => {
    const s = copyStack("incident-1-isolated");
    const r = await s.run("isolate", "ex02", "--compromised", EX02_G1);
    expect(r.code).toBe(0);
    expect(s.host("ex02")).toEqual({ name: "ex02", generation: 1, state: "compromised", assessments: ["ex02-g1-2026-11-10.json"] });
    // The same fleet as the bundled step 2, but for the record's folder.
    const step2 = (parse(fs.readFileSync(path.join(STACKS_DIR, "Pulumi.incident-2-compromised.yaml"), "utf8")) as { config: Record<string, unknown> })
      .config;
    const mine = (parse(s.text()) as { config: Record<string, unknown> }).config;
    expect(JSON.stringify(mine).replace("incident/", "")).toEqual(JSON.stringify(step2).replace("incident/", ""));
    expect(fs.readFileSync(path.join(s.dir, "records", "ex02-g1-2026-11-10.json"), "utf8")).toBe(fs.readFileSync(EX02_G1, "utf8"));
    expect(r.stdout).toMatch(/\+ ex02\.assessments\s+ex02-g1-2026-11-10\.json/);
    expect(r.stdout).toMatch(/~ ex02\.state\s+unverified → compromised/);
    expect(r.stdout).toMatch(/outbound internet denied; evidence snapshot ex02-g1-osdisk-evidence/);
  });

  it("with --compromised, takes a published host straight to compromised with the ingested MSERT finding", async () => {
    const s = copyStack("drill", "t", DRILL_DIR);
    const record = await ingestSample("webshell-msert", { host: "exch01", generation: 1 });
    const r = await s.run("isolate", "exch01", "--compromised", record, "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.changes).toEqual([
      { op: "+", host: "exch01", field: "assessments", to: "exch01-g1-2021-04-09-2.json" },
      { op: "~", host: "exch01", field: "state", from: "remediated", to: "compromised" },
    ]);
    expect(out.after).toEqual([
      {
        host: "exch01",
        generation: 1,
        state: "compromised",
        vm: "exch01-g1",
        placement: "isolated",
        outboundInternet: "denied",
        evidence: ["exch01-g1-osdisk-evidence"],
      },
    ]);
    // The clean record of the same day is evidence too: the new one is added beside it, never over it.
    expect(s.records()).toEqual(["ex-mbx-02-g1-2021-04-12.json", "exch01-g1-2021-04-09-2.json", "exch01-g1-2021-04-09.json"]);
  });

  it("--dry-run shows the change and writes nothing: neither the stack file nor the record", async () => {
    const s = copyStack("incident-1-isolated");
    const before = s.text();
    const records = s.records();
    const r = await s.run("isolate", "ex02", "--compromised", EX02_G1, "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/~ ex02\.state\s+unverified → compromised/);
    expect(r.stdout).toMatch(/^dry run: 2 change\(s\) shown, nothing written$/m);
    expect(s.text()).toBe(before);
    expect(s.records()).toEqual(records);
  });

  it("an isolated host needs nothing; a compromised one is never made merely unverified", async () => {
    const s = copyStack("incident-2-compromised");
    const before = s.text();
    for (const [host, said] of [
      ["ex01", "ex01 is unverified: already isolated"],
      ["ex02", "ex02 is compromised: already isolated, its outbound internet denied"],
    ]) {
      const r = await s.run("isolate", host);
      expect([r.code, r.stdout]).toEqual([0, expect.stringContaining(said)]);
      expect(r.stdout).toContain("nothing to change; the file is untouched");
    }
    expect(s.text()).toBe(before);
  });

  describe("refused, exit 2, the file and records/ untouched", () => {
    it.each<[string, (dir: string) => string[], RegExp]>([
      ["a host the stack does not have", () => ["ex09"], /stack t has no host "ex09"; did you mean "ex01"\?.*hosts in .*: ex01, ex02, ex03/],
      [
        "--compromised with a clean record",
        () => ["ex01", "--compromised", EX01_G1],
        /refused: --compromised needs a record that found ex01 compromised; .* records it clean/,
      ],
      ["--compromised with a record of another host", () => ["ex03", "--compromised", EX02_G1], /refused: .* is a record of host ex02, not of ex03/],
      [
        "--compromised with a record that is not well-formed",
        () => ["ex02", "--compromised", writeRecord({ host: "ex02", generation: 1, additionalData: { verdict: "compromised" } })],
        /refused: .* is not an assessment record the pack would accept:\n {2}- additionalData\.completedAt is missing/,
      ],
      [
        "--compromised with a file that does not exist",
        (dir) => ["ex02", "--compromised", path.join(dir, "nope.json")],
        /cannot read record .*nope\.json/,
      ],
    ])("%s", async (_label, args, message) => {
      const s = copyStack("incident-1-isolated");
      const before = s.text();
      const records = s.records();
      const r = await s.run("isolate", ...args(s.dir));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(s.text()).toBe(before);
      expect(s.records()).toEqual(records);
    });

    it("a stack that does not exist, and a missing --stack", async () => {
      const s = copyStack("incident-1-isolated");
      const none = await runInProcess(["host", "isolate", "ex01", "--stack", "nope", "--stacks-dir", s.dir]);
      expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(/no stack "nope": .*Pulumi\.nope\.yaml does not exist\nstacks in .*: t/)]);
      const missing = await runInProcess(["host", "isolate", "ex01"]);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("required option '--stack <name>' not specified")]);
    });
  });
});
