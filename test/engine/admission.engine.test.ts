/**
 * The guard at admission under the real engine: `pulumi up --yes --skip-preview --policy-pack` (a common pipeline line)
 * of a program written the way another team writes it — Pulumi's VM template's shape, the VM alone tagged as an
 * Exchange host — never creates the VM. The engine runs stack policies only after an update has made every change, so
 * the refusal must come at the VM's own analysis.
 */
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, mandatoryViolations, REPO, Workspace } from "./support/engine";

jest.setTimeout(15 * 60_000);

let ws: Workspace;
let program: string;

const created = (events: readonly EngineEvent[]) =>
  events
    .filter((e) => e.resOutputsEvent && ["create", "create-replacement"].includes(e.resOutputsEvent.metadata.op))
    .map((e) => e.resOutputsEvent!.metadata.urn);

beforeAll(async () => {
  ws = Workspace.create("admission");
  program = path.join(ws.dir, "third-party");
  fs.cpSync(path.join(REPO, "test/fixtures/engine/third-party"), program, { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(program, "node_modules"));
  await ws.initStack(program, "dev");
}, 20 * 60_000);

afterAll(() => ws?.dispose());

describe("a third-party program tagged only on its VM, deployed with pulumi up --skip-preview", () => {
  let r: Awaited<ReturnType<Workspace["up"]>>;

  beforeAll(async () => {
    r = await ws.up(program, "dev");
  });

  it("exits 1 naming the policy, the host, the path and the fix", () => {
    expect(r.code).toBe(1);
    const vmViolations = r.events
      .filter((e) => e.policyEvent?.enforcementLevel === "mandatory")
      .map((e) => e.policyEvent!)
      .filter((p) => p.resourceUrn?.endsWith("compute:VirtualMachine::vm"));
    expect(vmViolations.map((p) => p.policyName)).toEqual(vmViolations.map(() => "exchange-unverified-no-public-attachment"));
    const text = vmViolations.map((p) => p.message).join("\n");
    expect(text).toMatch(/VirtualMachine vm\w* of Exchange host vm\w* is refused before it is created/);
    expect(text).toMatch(
      /exchange-unverified-not-internet-exposed: .*public IP public-ip\w* .*→ NIC network-interface\w*\/ex-server-ipconfiguration .*TCP 22.*Fix:/,
    );
    expect(text).toMatch(/exchange-unverified-isolated: /);
  });

  it("never creates the VM; what came before it may exist, and the stack policies never ran", () => {
    const done = created(r.events);
    expect(done.some((u) => u.endsWith("compute:VirtualMachine::vm"))).toBe(false);
    expect(done.some((u) => u.endsWith("network:NetworkInterface::network-interface"))).toBe(true);
    // The stand-in's cloud: what Azure would hold after the run.
    const cloud = JSON.parse(fs.readFileSync(ws.env.EXG_STANDIN_CLOUD!, "utf8")) as Record<string, { type: string }>;
    expect(Object.values(cloud).some((x) => x.type === "azure-native:compute:VirtualMachine")).toBe(false);
    expect(mandatoryViolations(r.events).every((v) => !v.startsWith("exchange-unverified-not-internet-exposed|"))).toBe(true);
  });

  it("in a preview, the same program fails on the stack policies alone: admission adds nothing to what a preview shows", async () => {
    const p = await ws.preview(program, "dev");
    expect(p.code).toBe(1);
    const policies = new Set(mandatoryViolations(p.events).map((v) => v.split("|")[0]));
    expect(policies).toEqual(new Set(["exchange-unverified-not-internet-exposed", "exchange-unverified-isolated"]));
    expect(p.events.some((e) => /refused before it is created/.test(e.policyEvent?.message ?? ""))).toBe(false);
  });
});
