/**
 * The incident walk-through deployed for real, with the pack, on one stack's state: isolated → compromised → rebuilt
 * from scratch → verified. The engine's event log is the judge of what happened and in which order. The stand-in
 * refuses to delete what a management lock holds (409 ScopeLocked), as ARM does, so a step that touched the locked
 * evidence would fail.
 */
import * as fs from "fs";
import * as path from "path";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { EngineEvent, mandatoryViolations, RunResult, Workspace } from "./support/engine";

// Each step runs the real CLI or a whole suite: minutes, not the default minute.
jest.setTimeout(15 * 60_000);

const STEPS = ["incident-1-isolated", "incident-2-compromised", "incident-3-rebuild", "incident-4-verified"] as const;
const VM = "azure-native:compute:VirtualMachine";
const SNAPSHOT = "azure-native:compute:Snapshot";
const LOCK = "azure-native:authorization:ManagementLockByScope";
const ASSIGNMENT = "azure-native:authorization:PolicyAssignment";
const RG = "azure-native:resources:ResourceGroup";

/** The finished step of one resource (by type and name) in an event log, with what the engine sent and got. */
function stepOf(events: readonly EngineEvent[], type: string, name: string) {
  return events.map((e) => e.resOutputsEvent?.metadata).find((m) => m?.type === type && m.urn.endsWith(`::${name}`));
}

/** Steps of the deployment as the engine performed them: `op type name`, in event order (finished steps only). */
function steps(events: readonly EngineEvent[]): string[] {
  return events
    .filter((e) => e.resOutputsEvent)
    .map((e) => {
      const m = e.resOutputsEvent!.metadata;
      return `${m.op} ${m.type} ${m.urn.split("::").pop()}`;
    });
}

/** Applies one step's stack config to the one `incident` stack of a workspace and deploys it with the pack. */
async function apply(on: { ws: Workspace; project: string }, step: string): Promise<RunResult> {
  fs.copyFileSync(path.join(STACKS_DIR, `Pulumi.${step}.yaml`), path.join(on.project, "stacks", "Pulumi.incident.yaml"));
  return on.ws.up(on.project, "incident", path.join(STACKS_DIR, "policy-config", `${step}.json`));
}

/** A workspace (its own state and stand-in cloud) with an empty `incident` stack. */
async function incidentStack(label: string): Promise<{ ws: Workspace; project: string }> {
  const ws = Workspace.create(label);
  const project = ws.project(label, STACKS_DIR);
  fs.copyFileSync(path.join(STACKS_DIR, `Pulumi.${STEPS[0]}.yaml`), path.join(project, "stacks", "Pulumi.incident.yaml"));
  await ws.initStack(project, "incident");
  return { ws, project };
}

let lifecycle: { ws: Workspace; project: string };
let jump: { ws: Workspace; project: string };

beforeAll(async () => {
  lifecycle = await incidentStack("lifecycle");
  jump = await incidentStack("jump");
}, 20 * 60_000);

afterAll(() => {
  lifecycle?.ws.dispose();
  jump?.ws.dispose();
});

describe("the incident lifecycle on one state", () => {
  const results: Partial<Record<(typeof STEPS)[number], RunResult>> = {};

  it.each(STEPS)("deploys %s with the pack: exit 0, no mandatory violation", async (step) => {
    const r = await apply(lifecycle, step);
    results[step] = r;
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
  });

  it("guards the control plane from the first step: the no-public-IP built-in is assigned at the hosts' resource group", () => {
    const r = results["incident-1-isolated"]!;
    const done = steps(r.events);
    const assigned = done.indexOf(`create ${ASSIGNMENT} no-public-ip-on-nics`);
    expect(assigned).toBeGreaterThan(done.findIndex((s) => s.startsWith(`create ${RG} `)));
    const a = stepOf(r.events, ASSIGNMENT, "no-public-ip-on-nics")!;
    const rg = stepOf(r.events, RG, "rg-exchange-incident")!;
    expect(a.new?.inputs).toMatchObject({
      scope: rg.new?.id,
      policyDefinitionId: "/providers/Microsoft.Authorization/policyDefinitions/83a86a26-fd1f-447c-b59d-e51f44264114",
      enforcementMode: "Default",
    });
  });

  it("no step deletes or replaces evidence, its lock or the assignment", () => {
    for (const step of STEPS) {
      const touched = steps(results[step]!.events).filter((s) => /^(delete|replace|create-replacement|delete-replaced) /.test(s));
      expect({
        step,
        touched: touched.filter((s) => s.includes(` ${SNAPSHOT} `) || s.includes(` ${LOCK} `) || s.includes(` ${ASSIGNMENT} `)),
      }).toEqual({
        step,
        touched: [],
      });
    }
  });

  it("isolates first: step 1 creates every host in quarantine with no public front end", () => {
    const done = steps(results["incident-1-isolated"]!.events);
    expect(done).toEqual(expect.arrayContaining([`create ${VM} ex01-g1`, `create ${VM} ex02-g1`, `create ${VM} ex03-g1`]));
    expect(done.some((s) => / azure-native:network:(LoadBalancer|ApplicationGateway) /.test(s))).toBe(false);
  });

  it("preserves evidence when a host is found compromised: its OS disk is snapshotted while the VM stays", () => {
    const done = steps(results["incident-2-compromised"]!.events);
    expect(done).toContain(`create ${SNAPSHOT} ex02-g1-osdisk-evidence`);
    expect(done.filter((s) => s.endsWith(" ex02-g1") && s.includes(VM))).not.toContain(`delete ${VM} ex02-g1`);
  });

  it("locks the evidence as soon as it exists: a CanNotDelete lock on the snapshot's id, created after it", () => {
    const r = results["incident-2-compromised"]!;
    const done = steps(r.events);
    expect(done.indexOf(`create ${LOCK} ex02-g1-osdisk-evidence-lock`)).toBeGreaterThan(done.indexOf(`create ${SNAPSHOT} ex02-g1-osdisk-evidence`));
    const snap = stepOf(r.events, SNAPSHOT, "ex02-g1-osdisk-evidence")!;
    const lock = stepOf(r.events, LOCK, "ex02-g1-osdisk-evidence-lock")!;
    expect(lock.new?.inputs).toMatchObject({ scope: snap.new?.id, level: "CanNotDelete" });
    expect(lock.new?.id).toBe(`${snap.new?.id}/providers/Microsoft.Authorization/locks/exchange-evidence-cannot-delete`);
    // The lock and the evidence stay through the rebuild and the verification, under the new generation's host.
    for (const step of ["incident-3-rebuild", "incident-4-verified"] as const) {
      expect(steps(results[step]!.events)).toEqual(
        expect.arrayContaining([`same ${SNAPSHOT} ex02-g1-osdisk-evidence`, `same ${LOCK} ex02-g1-osdisk-evidence-lock`]),
      );
    }
  });

  it("rebuilds from scratch: a new VM and credential, the old VM deleted, never updated or replaced in place", () => {
    const done = steps(results["incident-3-rebuild"]!.events);
    expect(done).toContain(`create ${VM} ex02-g2`);
    expect(done).toContain(`create random:index/randomPassword:RandomPassword ex02-g2-admin`);
    expect(done).toContain(`delete ${VM} ex02-g1`);
    expect(done.filter((s) => / ex02-g\d$/.test(s) && s.includes(VM) && !/^(create|delete|same) /.test(s))).toEqual([]);
    // The evidence outlives the generation it came from.
    expect(done.filter((s) => s.endsWith("ex02-g1-osdisk-evidence") && !s.startsWith("same ") && !s.startsWith("update "))).toEqual([]);
    // The new generation is created before the old one goes, so the host never disappears from the fleet unnoticed.
    expect(done.indexOf(`create ${VM} ex02-g2`)).toBeLessThan(done.indexOf(`delete ${VM} ex02-g1`));
  });

  it("publishes a host only once verified: the front end comes with the first verified host, the rest join in place", () => {
    const rebuild = steps(results["incident-3-rebuild"]!.events);
    expect(rebuild.some((s) => s.startsWith("create azure-native:network:LoadBalancer "))).toBe(true);
    const verified = steps(results["incident-4-verified"]!.events);
    expect(verified).toEqual(
      expect.arrayContaining([
        "update azure-native:network:NetworkInterface ex02-g2-nic",
        "update azure-native:network:NetworkInterface ex03-g1-nic",
      ]),
    );
    expect(verified.filter((s) => s.includes(`${VM} `) && (s.startsWith("create") || s.startsWith("delete")))).toEqual([]);
  });
});

describe("a compromise found and rebuilt in one change", () => {
  it("snapshots the old OS disk before the engine deletes the old VM and its disk", async () => {
    expect((await apply(jump, STEPS[0])).code).toBe(0);
    const r = await apply(jump, STEPS[2]);
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    const done = steps(r.events);
    const snapshot = done.indexOf(`create ${SNAPSHOT} ex02-g1-osdisk-evidence`);
    const deleted = done.indexOf(`delete ${VM} ex02-g1`);
    expect(snapshot).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeGreaterThan(snapshot);
    expect(done.indexOf(`create ${LOCK} ex02-g1-osdisk-evidence-lock`)).toBeGreaterThan(snapshot);
  });

  it("pulumi destroy works with the lock in place (the engine deletes the lock before its snapshot), and up again after it", async () => {
    const down = await jump.ws.pulumi(jump.project, ["destroy", "--yes", "--skip-preview", "--stack", "incident"]);
    expect(down.code).toBe(0);
    const done = steps(down.events);
    const lockGone = done.indexOf(`delete ${LOCK} ex02-g1-osdisk-evidence-lock`);
    expect(lockGone).toBeGreaterThanOrEqual(0);
    expect(done.indexOf(`delete ${SNAPSHOT} ex02-g1-osdisk-evidence`)).toBeGreaterThan(lockGone);
    expect(down.events.filter((e) => e.resOpFailedEvent)).toEqual([]);
    const up = await apply(jump, STEPS[0]);
    expect({ code: up.code, mandatory: mandatoryViolations(up.events) }).toEqual({ code: 0, mandatory: [] });
    expect(steps(up.events)).toContain(`create ${ASSIGNMENT} no-public-ip-on-nics`);
  });
});
