/**
 * Every bundled stack and every known-bad fixture through the real `pulumi preview --policy-pack`, as a pipeline runs
 * it, and `exchange-guard check` of the same stack giving the same verdicts.
 */
import * as path from "path";
import { listStacks, STACKS_DIR } from "../../stacks/config/stackFile";
import { FIXTURE_STACKS_DIR, KNOWN_BAD, KNOWN_BAD_POLICY_CONFIG, REFUSED_AT_ADMISSION } from "../support/knownBad";
import { runInProcess } from "../cli/runCli";
import { mandatoryViolations, RunResult, Workspace } from "./support/engine";

// Each step runs the real CLI or a whole suite: minutes, not the default minute.
jest.setTimeout(15 * 60_000);

interface CheckJson {
  hosts: { diagnostics: { policyName: string; urn: string; enforcementLevel: string }[] }[];
  other: { policyName: string; urn?: string; enforcementLevel: string }[];
}

/**
 * `exchange-guard check --json` of a stack: its mandatory verdicts as `policy|URN`. Run in process on the run's shared
 * capture of the stack (the spawned binary gives the same JSON: test/cli/bin.smoke.test.ts).
 */
async function checkVerdicts(stack: string, stacksDir: string | undefined, policyConfig: string): Promise<{ code: number; verdicts: string[] }> {
  const args = [
    "check",
    "--stack",
    stack,
    "--policy-pack-config",
    policyConfig,
    "--json",
    "--quiet",
    ...(stacksDir ? ["--stacks-dir", stacksDir] : []),
  ];
  const r = await runInProcess(args);
  if (r.code === 2) throw new Error(`check ${stack} exited 2: ${r.stderr}`);
  const json = JSON.parse(r.stdout) as CheckJson;
  const diags = [...json.hosts.flatMap((h) => h.diagnostics), ...json.other];
  return {
    code: r.code,
    verdicts: diags.filter((d) => d.enforcementLevel === "mandatory").map((d) => `${d.policyName}|${(d as { urn?: string }).urn ?? ""}`),
  };
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const policiesOf = (verdicts: readonly string[]) => [...new Set(verdicts.map((v) => v.split("|")[0]))].sort();

let ws: Workspace;
let bundledProject: string;
let fixtureProject: string;
const bundled = listStacks();
const fixtures = Object.keys(KNOWN_BAD);
const runs = new Map<string, RunResult>();

beforeAll(async () => {
  ws = Workspace.create("stacks");
  bundledProject = ws.project("bundled", STACKS_DIR);
  fixtureProject = ws.project("fixtures", FIXTURE_STACKS_DIR);
  for (const s of bundled) await ws.initStack(bundledProject, s);
  for (const s of fixtures) await ws.initStack(fixtureProject, s);
}, 20 * 60_000);

afterAll(() => ws?.dispose());

describe.each(bundled)("bundled stack %s under the real CLI", (stack) => {
  const policyConfig = path.join(STACKS_DIR, "policy-config", `${stack}.json`);

  it("previews with the pack: exit 0, no mandatory policy event", async () => {
    const r = await ws.preview(bundledProject, stack, policyConfig);
    runs.set(stack, r);
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    // The program really ran and the pack really judged it: every resource was analyzed.
    const created = r.events.filter((e) => e.resourcePreEvent?.metadata.op === "create").length;
    expect(created).toBeGreaterThan(30);
    expect(r.output).toMatch(/exchange-compromise-guard@v0\.1\.0/);
  });

  it("gives the verdicts exchange-guard check gives", async () => {
    const r = runs.get(stack)!;
    // Only a preview that ran the program and the pack is a verdict to compare (a crash has no policy events either).
    expect(r.code).toBe(0);
    const check = await checkVerdicts(stack, undefined, policyConfig);
    expect(sorted(check.verdicts)).toEqual(sorted(mandatoryViolations(r.events)));
    expect(check.code).toBe(0);
  });
});

describe.each(fixtures)("known-bad %s under the real CLI", (stack) => {
  it("fails the preview with exactly its expected policies", async () => {
    const r = await ws.preview(fixtureProject, stack, KNOWN_BAD_POLICY_CONFIG);
    runs.set(stack, r);
    expect(r.code).not.toBe(0);
    expect(policiesOf(mandatoryViolations(r.events))).toEqual(sorted(KNOWN_BAD[stack]));
    for (const e of r.events.filter((e) => e.policyEvent?.enforcementLevel === "mandatory")) {
      expect(e.policyEvent!.message).toMatch(/ex01/);
      expect(e.policyEvent!.resourceUrn).toMatch(/::ex01-g\d+$/);
    }
  });

  it("gives the verdicts exchange-guard check gives", async () => {
    const r = runs.get(stack)!;
    expect(mandatoryViolations(r.events).length).toBeGreaterThan(0);
    const check = await checkVerdicts(stack, FIXTURE_STACKS_DIR, KNOWN_BAD_POLICY_CONFIG);
    expect(sorted(check.verdicts)).toEqual(sorted(mandatoryViolations(r.events)));
    expect(check.code).toBe(1);
  });
});

describe("known-bad fixtures under pulumi up --yes --skip-preview", () => {
  const ups = new Map<string, RunResult>();

  beforeAll(async () => {
    // Three at a time: each is a whole update (program, pack, stand-ins); the machine has two cores.
    const queue = [...fixtures];
    const worker = async () => {
      // Each update gets a stand-in cloud of its own: they run side by side.
      for (let s = queue.shift(); s !== undefined; s = queue.shift())
        ups.set(s, await ws.up(fixtureProject, s, KNOWN_BAD_POLICY_CONFIG, [], { EXG_STANDIN_CLOUD: path.join(ws.dir, `cloud-${s}.json`) }));
    };
    await Promise.all([worker(), worker(), worker()]);
  }, 30 * 60_000);

  it.each(fixtures)("%s stops at admission, before the offending resource of host ex01 is created", (stack) => {
    const r = ups.get(stack)!;
    expect(r.code).toBe(1);
    const refusals = r.events
      .filter((e) => e.policyEvent?.enforcementLevel === "mandatory" && /refused before it is created/.test(e.policyEvent.message))
      .map((e) => e.policyEvent!);
    expect(refusals.length).toBeGreaterThan(0);
    const at = REFUSED_AT_ADMISSION[stack];
    for (const p of refusals) {
      expect(p.policyName).toBe("exchange-unverified-no-public-attachment");
      expect(p.resourceUrn).toMatch(at === "VirtualMachine" ? /compute:VirtualMachine::ex01-g\d+$/ : /security:Assessment::ex01-g\d+-assessment$/);
      expect(p.message).toMatch(/Exchange host ex01\b/);
    }
    const done = r.events.filter((e) => e.resOutputsEvent?.metadata.op === "create").map((e) => e.resOutputsEvent!.metadata.urn);
    const refused = refusals[0].resourceUrn!;
    expect(done).not.toContain(refused);
    // Stack policies run only after a whole update: this one stopped first.
    expect(
      r.events.some(
        (e) => e.policyEvent && !/refused before it is created/.test(e.policyEvent.message) && e.policyEvent.enforcementLevel === "mandatory",
      ),
    ).toBe(false);
  });
});
