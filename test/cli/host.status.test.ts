/**
 * `exchange-guard host status`: every host's state, generation, newest record, placement and what it still needs, by
 * the stacks' plan and the pack's gate; a broken host is shown, not fatal.
 */
import * as fs from "fs";
import { copyStack, removeCopies, StackCopy, tmpDir, writeRecord } from "../support/hostStacks";
import { generateFleet } from "../support/generatedFleet";
import { runInProcess } from "./runCli";

afterAll(removeCopies);

interface Row {
  host: string;
  generation: number;
  state: string;
  compromised: boolean;
  placement: string;
  verified: boolean;
  next: string;
  newestRecord: { file: string; verdict: string } | null;
  needs: { kind: string; text: string }[];
  problems: string[];
}

async function statusJson(args: string[]): Promise<{ stack: string; asOf: string; hosts: Row[] }> {
  const r = await runInProcess(["host", "status", "--json", ...args]);
  expect([r.code, r.stderr]).toEqual([0, ""]);
  return JSON.parse(r.stdout);
}

describe("exchange-guard host status", () => {
  it("the walk-through's step 3: verified, compromised-and-rebuilt awaiting assessment, never assessed", async () => {
    const out = await statusJson(["--stack", "incident-3-rebuild"]);
    expect(out.asOf).toBe("2026-11-26T12:00:00.000Z");
    expect(
      out.hosts.map((h) => [h.host, h.generation, h.state, h.placement, h.next, h.newestRecord?.file ?? null, h.needs.map((n) => n.kind)]),
    ).toEqual([
      ["ex01", 1, "remediated", "published", "none", "incident/ex01-g1-2026-11-12.json", []],
      ["ex02", 2, "unverified", "isolated", "assess", null, ["no-assessment"]],
      ["ex03", 1, "unverified", "isolated", "assess", null, ["no-assessment"]],
    ]);
  });

  it("a table: one row per host, what each needs next, and the gate's findings in its own words", async () => {
    const r = await runInProcess(["host", "status", "--stack", "incident-2-compromised"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HOST\s+GEN\s+STATE\s+PLACEMENT\s+NEWEST RECORD OF ITS GENERATION\s+NEXT\s+NEEDS$/m);
    expect(r.stdout).toMatch(/^ex02\s+1\s+compromised\s+isolated\s+compromised 2026-11-10 incident\/ex02-g1-2026-11-10\.json\s+rebuild\s+-$/m);
    expect(r.stdout).toMatch(/^ex01\s+1\s+unverified\s+isolated\s+none\s+assess\s+no-assessment$/m);
    expect(r.stdout).toMatch(/^ {2}ex01: host ex01 is marked remediated but no compromise assessment .* is linked to its VM/m);
    expect(r.stdout).toMatch(/^3 host\(s\): 2 to assess, 1 to rebuild\.$/m);
  });

  it("a host ready for remediate is told so; a host found compromised by record alone reads as such", async () => {
    const s = copyStack("incident-3-rebuild");
    await s.run("record", "ex02", `${s.dir}/records/incident/ex02-g2-2026-11-19.json`);
    const out = await statusJson(["--stack", s.stack, "--stacks-dir", s.dir]);
    expect(out.hosts.find((h) => h.host === "ex02")).toMatchObject({ next: "remediate", needs: [], newestRecord: { verdict: "clean" } });
    const t = copyStack("incident-1-isolated");
    const clean = JSON.parse(fs.readFileSync(`${t.dir}/records/incident/ex03-g1-2026-11-22.json`, "utf8"));
    const found = writeRecord({ ...clean, additionalData: { ...clean.additionalData, verdict: "compromised" } });
    expect((await t.run("record", "ex03", found)).code).toBe(0);
    const r = await runInProcess(["host", "status", "--stack", t.stack, "--stacks-dir", t.dir]);
    expect(r.stdout).toMatch(/^ex03\s+1\s+unverified \(found compromised\)\s+isolated\s+compromised 2026-11-22 .*\s+rebuild\s+-$/m);
  });

  it("a host the program would refuse is shown with its problem, and the others still are", async () => {
    const s: StackCopy = copyStack("incident-3-rebuild");
    fs.writeFileSync(s.file, s.text().replace("assessments: [incident/ex01-g1-2026-11-12.json]", "assessments: [incident/ex03-g1-2026-11-22.json]"));
    const out = await statusJson(["--stack", s.stack, "--stacks-dir", s.dir]);
    expect(out.hosts.map((h) => [h.host, h.next])).toEqual([
      ["ex01", "fix the stack file"],
      ["ex02", "assess"],
      ["ex03", "assess"],
    ]);
    expect(out.hosts[0].problems).toEqual(["incident/ex03-g1-2026-11-22.json: record of host ex03 listed under host ex01"]);
  });

  it("a generated fleet: every host is reported once, and the counts add up", async () => {
    const dir = tmpDir("fleet");
    const { stack } = generateFleet(dir, 200);
    const out = await statusJson(["--stack", stack, "--stacks-dir", dir]);
    expect(out.hosts).toHaveLength(200);
    expect(new Set(out.hosts.map((h) => h.host)).size).toBe(200);
    const r = await runInProcess(["host", "status", "--stack", stack, "--stacks-dir", dir]);
    const counts = /^200 host\(s\): (.*)\.$/m
      .exec(r.stdout)![1]
      .split(", ")
      .map((c) => Number(c.split(" ")[0]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(200);
    // Published hosts are exactly the verified ones.
    expect(out.hosts.filter((h) => h.placement === "published")).toEqual(out.hosts.filter((h) => h.verified));
  });

  it("bad input: exit 2", async () => {
    const r = await runInProcess(["host", "status", "--stack", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no stack "nope"/);
  });
});
