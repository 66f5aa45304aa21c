/**
 * `exchange-guard host remediate`: written only when the offline check of the edited stack (the program under mocks,
 * the pack over the engine interface) passes the gate for the host; otherwise exit 1 with the gate's own words, or
 * exit 2 for a host that was found compromised, the file untouched either way.
 */
import * as fs from "fs";
import * as path from "path";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import {
  copyStack,
  DRILL_DIR,
  DRILL_POLICY_CONFIG,
  INCIDENT_POLICY_CONFIG,
  ingestSample,
  removeCopies,
  StackCopy,
  tmpDir,
} from "../support/hostStacks";
import { runInProcess } from "./runCli";

// Each remediate runs the stack's program and starts the pack.
jest.setTimeout(120_000);
afterAll(removeCopies);

const EX02_G2 = path.join(STACKS_DIR, "records", "incident", "ex02-g2-2026-11-19.json");

/** The walk-through after ex02's rebuild, with the clean record of generation 2 attached. */
async function rebuiltAndAssessed(): Promise<StackCopy> {
  const s = copyStack("incident-3-rebuild");
  expect((await s.run("record", "ex02", EX02_G2)).code).toBe(0);
  return s;
}

function policyConfig(edit: (c: Record<string, Record<string, unknown>>) => void): string {
  const c = JSON.parse(fs.readFileSync(INCIDENT_POLICY_CONFIG, "utf8"));
  edit(c);
  const f = path.join(tmpDir("policy"), "policy-config.json");
  fs.writeFileSync(f, JSON.stringify(c));
  return f;
}

describe("exchange-guard host remediate", () => {
  it("marks the host remediated when the edited stack passes the gate for it, and the edited stack checks clean", async () => {
    const s = await rebuiltAndAssessed();
    const r = await s.run("remediate", "ex02", "--policy-pack-config", INCIDENT_POLICY_CONFIG);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(s.host("ex02")).toEqual({
      name: "ex02",
      generation: 2,
      state: "remediated",
      assessments: ["incident/ex02-g1-2026-11-10.json", "incident/ex02-g2-2026-11-19.json"],
    });
    expect(r.stdout).toMatch(/~ ex02\.state\s+unverified → remediated/);
    expect(r.stdout).toMatch(/→ ex02 \(ex02-g2, remediated\) will be published: published subnet and the public front end's pool, client ports only/);
    const check = await runInProcess(
      ["check", "--stack", s.stack, "--stacks-dir", s.dir, "--policy-pack-config", INCIDENT_POLICY_CONFIG, "--quiet"],
      { fresh: true },
    );
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/ex02-g2\s+verified\s+clean \(2026-11-19\)\s+load balancer \(TCP 25, 443\)\s+ok/);
  });

  it("--dry-run runs the same check and writes nothing", async () => {
    const s = await rebuiltAndAssessed();
    const before = s.text();
    const r = await s.run("remediate", "ex02", "--policy-pack-config", INCIDENT_POLICY_CONFIG, "--dry-run");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dry run: 1 change\(s\) shown, nothing written$/m);
    expect(s.text()).toBe(before);
  });

  it("the whole runbook on ingested tool output: compromised → isolated → rebuilt → clean record → remediated, verified by the pack", async () => {
    const s = copyStack("drill", "t", DRILL_DIR);
    const found = await ingestSample("webshell-msert", { host: "exch01", generation: 1 });
    expect((await s.run("isolate", "exch01", "--compromised", found)).code).toBe(0);
    expect((await s.run("rebuild", "exch01")).code).toBe(0);
    expect((await s.run("record", "exch01", await ingestSample("clean-ps51", { host: "exch01", generation: 2 }))).code).toBe(0);
    const r = await s.run("remediate", "exch01", "--policy-pack-config", DRILL_POLICY_CONFIG);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const check = await runInProcess(
      ["check", "--stack", "t", "--stacks-dir", s.dir, "--policy-pack-config", DRILL_POLICY_CONFIG, "--json", "--quiet"],
      {
        fresh: true,
      },
    );
    const hosts = JSON.parse(check.stdout).hosts.map((h: { host: string; state: string; verdict: string }) => [h.host, h.state, h.verdict]);
    expect([check.code, hosts]).toEqual([
      0,
      [
        ["exch01-g2", "verified", "ok"],
        ["ex-mbx-02-g1", "verified", "ok"],
      ],
    ]);
  });

  describe("refused by the offline check: exit 1 with its reasons on stderr, the file untouched", () => {
    it.each<[string, () => Promise<{ s: StackCopy; host: string; config: string }>, RegExp]>([
      [
        "the pack finds the record too old (the pack's clock moved on)",
        async () => ({
          s: await rebuiltAndAssessed(),
          host: "ex02",
          config: policyConfig((c) => (c["exchange-remediated-requires-assessment"].asOf = "2027-01-15T12:00:00Z")),
        }),
        /exchange-remediated-requires-assessment: assessment of ex02-g2 completed 56 days ago \(limit 30\): re-run Test-ProxyLogon\.ps1/,
      ],
      [
        "the pack finds the scan incomplete: an MSERT quick scan is no full scan",
        async () => {
          const s = copyStack("drill", "t", DRILL_DIR);
          await s.run("isolate", "exch01", "--compromised", await ingestSample("webshell-msert", { host: "exch01", generation: 1 }));
          await s.run("rebuild", "exch01");
          await s.run("record", "exch01", await ingestSample("quick-scan-only", { host: "exch01", generation: 2 }));
          return { s, host: "exch01", config: DRILL_POLICY_CONFIG };
        },
        /exchange-remediated-requires-assessment: assessment of exch01-g2 does not cover msert-full-scan/,
      ],
      [
        "before the clean record: the program refuses a remediated host without a record of its generation",
        async () => {
          const s = copyStack("incident-3-rebuild");
          return { s, host: "ex02", config: INCIDENT_POLICY_CONFIG };
        },
        /ex02: marked remediated but has no assessment record for generation 2; run the assessment and ingest it first/,
      ],
      [
        "the stack's own gate is stricter than the pack's config: the program would keep the host isolated",
        async () => {
          const s = await rebuiltAndAssessed();
          fs.writeFileSync(
            s.file,
            s.text().replace('    securityBaseline: "2026-09"\n', '    securityBaseline: "2026-09"\n    maxAssessmentAgeDays: 3\n'),
          );
          return { s, host: "ex02", config: INCIDENT_POLICY_CONFIG };
        },
        /the stack's gate \(exchange-guard:gate\): assessment of ex02 completed 6 days ago \(limit 3\)/,
      ],
    ])("%s", async (_label, setup, reason) => {
      const { s, host, config } = await setup();
      const before = s.text();
      const r = await s.run("remediate", host, "--policy-pack-config", config);
      expect([r.code, r.stdout]).toEqual([1, ""]);
      expect(r.stderr).toMatch(/^exchange-guard: remediate refused by the offline check of the edited stack; .*Pulumi\.t\.yaml untouched:\n/);
      expect(r.stderr).toMatch(reason);
      // The finding only: not the policy's description the pack puts before it.
      expect(r.stderr).not.toContain("This policy's config is the gate for every policy");
      expect(s.text()).toBe(before);
    });
  });

  describe("refused outright: exit 2, the file untouched, no check run", () => {
    it.each<[string, string, string, RegExp]>([
      [
        "a host whose generation was found compromised",
        "incident-2-compromised",
        "ex02",
        /refused: ex02 cannot be remediated: generation 1 was found compromised \(incident\/ex02-g1-2026-11-10\.json\)\. A compromised host is rebuilt from scratch, never cleaned in place: `exchange-guard host rebuild ex02 --stack t`/,
      ],
      ["a host the stack does not have", "incident-2-compromised", "ex20", /stack t has no host "ex20"/],
    ])("%s", async (_label, from, host, message) => {
      const s = copyStack(from);
      const before = s.text();
      const r = await s.run("remediate", host, "--policy-pack-config", INCIDENT_POLICY_CONFIG);
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toMatch(message);
      expect(s.text()).toBe(before);
    });

    it("a host marked compromised, even with no record saying so", async () => {
      const s = copyStack("incident-2-compromised");
      fs.writeFileSync(s.file, s.text().replace("      assessments: [incident/ex02-g1-2026-11-10.json]\n", ""));
      const r = await s.run("remediate", "ex02");
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/refused: ex02 cannot be remediated: it is marked compromised/);
    });
  });

  it("a host already remediated: nothing to change", async () => {
    const s = copyStack("incident-4-verified");
    const before = s.text();
    const r = await s.run("remediate", "ex01");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ex01 is already marked remediated");
    expect(s.text()).toBe(before);
  });
});
