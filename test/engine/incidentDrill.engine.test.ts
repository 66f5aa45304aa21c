/**
 * The incident drill under the real engine: a clean fleet deployed with `pulumi up`, then a whole incident played with
 * the tools' real output (test/fixtures/ingest/) and the `exchange-guard host` commands, each change deployed with
 * `pulumi up --policy-pack` as the pipeline deploys (its own preview first, never --skip-preview):
 *
 *   MSERT finds web shells on exch01 → host isolate --compromised → up (isolated, snapshotted)
 *   → host rebuild → up (new VM and password; the old VM and disk go after the evidence was taken)
 *   → a clean record of generation 2 → host remediate → up (published on the client ports only).
 *
 * Wrong steps are refused by the commands, and the same edits made by hand are refused by the pipeline. The engine's
 * event log is the judge of what happened and in which order; the order and the timings are printed at the end.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { DRILL_DIR, DRILL_POLICY_CONFIG, INGEST_SAMPLES } from "../support/hostStacks";
import { EngineEvent, mandatoryViolations, PACK_DIR, REPO, RunResult, Workspace } from "./support/engine";

// Four deployments, two refused previews and an analysis with the real CLI: many minutes on two cores.
jest.setTimeout(30 * 60_000);

const STACK = "drill";
const CLI = path.join(REPO, "dist", "cli", "main.js");
const VM = "azure-native:compute:VirtualMachine";
const NIC = "azure-native:network:NetworkInterface";
const SNAPSHOT = "azure-native:compute:Snapshot";
const NSG = "azure-native:network:NetworkSecurityGroup";

let ws: Workspace;
let project: string;
let stacksDir: string;
let stackFile: string;
let records: string;
const timings: Array<[step: string, ms: number]> = [];
const ups: Array<[label: string, r: RunResult]> = [];

interface Applied {
  readonly op: string;
  readonly type: string;
  readonly name: string;
  readonly timestamp: number;
  readonly sequence: number;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** The steps the update performed (not its preview), in event order. */
function applied(events: readonly EngineEvent[]): Applied[] {
  return events
    .filter((e) => e.resOutputsEvent && !e.resOutputsEvent.planning)
    .map((e) => {
      const m = e.resOutputsEvent!.metadata;
      return {
        op: m.op,
        type: m.type,
        name: m.urn.split("::").pop()!,
        timestamp: e.timestamp,
        sequence: e.sequence,
        inputs: m.new?.inputs,
        outputs: m.new?.outputs,
      };
    });
}
const line = (a: Applied) => `${a.op} ${a.type} ${a.name}`;
const changed = (events: readonly EngineEvent[]) => applied(events).filter((a) => a.op !== "same");

async function timed<T>(step: string, run: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await run();
  } finally {
    timings.push([step, Date.now() - t0]);
  }
}

/** The built binary, as a pipeline runs it. */
function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}
const host = (verb: string, ...args: string[]) =>
  timed(`host ${verb} ${args.filter((a) => !a.includes("/")).join(" ")}`.trim(), () =>
    cli(["host", verb, ...args, "--stack", STACK, "--stacks-dir", stacksDir]),
  );

/** `exchange-guard ingest` of a real tool-output sample; returns the record file. */
async function ingest(sample: string, name: string, generation: number): Promise<string> {
  const out = path.join(records, `${sample}-${name}-g${generation}.json`);
  const r = await timed(`ingest ${sample} (${name} g${generation})`, () =>
    cli([
      "ingest",
      "--host",
      name,
      "--generation",
      String(generation),
      "--build",
      "15.2.792.10",
      "--from",
      path.join(INGEST_SAMPLES, sample),
      "--utc-offset",
      "+00:00",
      "--out",
      out,
    ]),
  );
  expect([r.code, r.stderr]).toEqual([0, expect.stringContaining("Verdict: ")]);
  return out;
}

async function up(label: string): Promise<RunResult> {
  const r = await timed(`pulumi up (${label})`, () => ws.deploy(project, STACK, DRILL_POLICY_CONFIG));
  ups.push([label, r]);
  if (process.env.EXG_DRILL_DUMP) {
    fs.writeFileSync(path.join(process.env.EXG_DRILL_DUMP, `${ups.length}.events.jsonl`), r.events.map((e) => JSON.stringify(e)).join("\n"));
    fs.writeFileSync(path.join(process.env.EXG_DRILL_DUMP, `${ups.length}.output.txt`), r.output);
  }
  return r;
}

function hostsInFile(): Array<{ name: string; generation: number; state: string; assessments?: string[] }> {
  return (parse(fs.readFileSync(stackFile, "utf8")) as { config: Record<string, never> }).config["exchange-guard:hosts"];
}

beforeAll(async () => {
  ws = Workspace.create("drill");
  project = ws.project("drill", DRILL_DIR);
  stacksDir = path.join(project, "stacks");
  stackFile = path.join(stacksDir, `Pulumi.${STACK}.yaml`);
  records = fs.mkdtempSync(path.join(os.tmpdir(), "exg-drill-records-"));
  await ws.initStack(project, STACK);
}, 20 * 60_000);

afterAll(() => {
  const order = ups.map(([label, r]) => [`${label}:`, ...changed(r.events).map((a) => `  ${line(a)}`)].join("\n")).join("\n");
  const steps = timings.map(([s, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${s}`).join("\n");
  // Printed so the drill's event order and timings can be quoted (jest shows console output with the results).
  console.log(`Incident drill: what each pulumi up changed, in the engine's event order\n${order}\n\nStep timings\n${steps}`);
  ws?.dispose();
  fs.rmSync(records, { recursive: true, force: true });
});

describe("the incident drill, under the real engine", () => {
  it("1. a clean fleet, deployed with pulumi up (its own preview first, with the pack): both hosts published", async () => {
    const r = await up("clean fleet");
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    // pulumi up previewed with the pack before it changed anything (the event log holds the update's own events).
    const [previewing, policies, updating] = ["Previewing update (drill):", "Policies:", "Updating (drill):"].map((m) => r.output.indexOf(m));
    expect(previewing).toBeGreaterThanOrEqual(0);
    expect(previewing < policies && policies < updating).toBe(true);
    expect(r.events.find((e) => e.summaryEvent)?.summaryEvent).toMatchObject({ isPreview: false, result: "succeeded" });
    const done = applied(r.events);
    expect(done.map(line)).toEqual(expect.arrayContaining([`create ${VM} exch01-g1`, `create ${VM} ex-mbx-02-g1`]));
    expect(done.filter((a) => a.op === "create" && a.type === "azure-native:network:LoadBalancer")).toHaveLength(1);
    for (const nic of ["exch01-g1-nic", "ex-mbx-02-g1-nic"]) {
      const ipc = (done.find((a) => a.name === nic)!.inputs!.ipConfigurations as Array<Record<string, unknown[]>>)[0];
      expect(ipc.loadBalancerBackendAddressPools).toHaveLength(1);
    }
  });

  it("2. MSERT finds web shells on exch01: host record points to isolate --compromised, which records it and isolates the host", async () => {
    const found = await ingest("webshell-msert", "exch01", 1);
    const before = fs.readFileSync(stackFile, "utf8");
    const recorded = await host("record", "exch01", found);
    expect(recorded.code).toBe(2);
    expect(recorded.stderr).toMatch(
      /found exch01 compromised and exch01 is marked remediated \(published\): record it with `exchange-guard host isolate exch01 --compromised /,
    );
    expect(fs.readFileSync(stackFile, "utf8")).toBe(before);
    const isolated = await host("isolate", "exch01", "--compromised", found);
    expect([isolated.code, isolated.stderr]).toEqual([0, ""]);
    expect(hostsInFile()[0]).toEqual({
      name: "exch01",
      generation: 1,
      state: "compromised",
      assessments: ["exch01-g1-2021-04-09.json", "exch01-g1-2021-04-09-2.json"],
    });
  });

  it("3. up: exch01 off every public path (quarantine, no pool, internet out denied), its OS disk snapshotted", async () => {
    const r = await up("isolate --compromised");
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    const done = applied(r.events);
    expect(done.map(line)).toEqual(expect.arrayContaining([`create ${SNAPSHOT} exch01-g1-osdisk-evidence`, `update ${NIC} exch01-g1-nic`]));
    const ipc = (done.find((a) => a.name === "exch01-g1-nic")!.inputs!.ipConfigurations as Array<Record<string, unknown>>)[0];
    expect(ipc.loadBalancerBackendAddressPools).toBeUndefined();
    expect(ipc.publicIPAddress).toBeUndefined();
    expect(String((ipc.subnet as { id: string }).id)).toMatch(/\/subnets\/[\w-]*quarantine$/);
    const nsg = done.find((a) => a.type === NSG && a.name === "exch01-g1-isolation")!;
    const outbound = (nsg.inputs!.securityRules as Array<Record<string, string>>).filter((x) => x.direction === "Outbound" && x.access === "Deny");
    expect(outbound.map((x) => x.destinationAddressPrefix)).toContain("Internet");
    // The VM stays (its state tag updated in place): evidence first, rebuild next.
    expect(
      done
        .filter((a) => a.type === VM)
        .map(line)
        .sort(),
    ).toEqual([`same ${VM} ex-mbx-02-g1`, `update ${VM} exch01-g1`]);
  });

  it("4. host rebuild → up: a new VM from the image and a new password; the old VM and disk go after the evidence was taken", async () => {
    const rebuilt = await host("rebuild", "exch01");
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/~ exch01\.generation\s+1 → 2/);
    const r = await up("rebuild");
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    const done = applied(r.events);
    const at = (l: string) => done.findIndex((a) => line(a) === l);
    expect(at(`create ${VM} exch01-g2`)).toBeGreaterThanOrEqual(0);
    expect(at(`create random:index/randomPassword:RandomPassword exch01-g2-admin`)).toBeGreaterThanOrEqual(0);
    expect(at(`delete ${VM} exch01-g1`)).toBeGreaterThan(at(`create ${VM} exch01-g2`));
    const vm = done[at(`create ${VM} exch01-g2`)].inputs!.storageProfile as {
      imageReference: unknown;
      osDisk: { createOption: string; name: string };
    };
    expect(vm.osDisk).toMatchObject({ createOption: "FromImage", name: "exch01-g2-osdisk" });
    expect(vm.imageReference).toEqual({
      publisher: "MicrosoftWindowsServer",
      offer: "WindowsServer",
      sku: "2022-datacenter-azure-edition",
      version: "latest",
    });
    // The snapshot made in the previous up is older than the deletion, and this up neither replaces nor deletes it.
    const snapshot = applied(ups[1][1].events).find((a) => line(a) === `create ${SNAPSHOT} exch01-g1-osdisk-evidence`)!;
    expect(snapshot.timestamp).toBeLessThan(done[at(`delete ${VM} exch01-g1`)].timestamp);
    expect(done.filter((a) => a.name === "exch01-g1-osdisk-evidence").map((a) => a.op)).toEqual(["same"]);
  });

  describe("5. wrong steps: refused by the command, and the same edit made by hand refused by the pipeline", () => {
    const handEdit = async (edit: (text: string) => string, copy?: [from: string, to: string]) => {
      const before = fs.readFileSync(stackFile, "utf8");
      fs.writeFileSync(stackFile, edit(before));
      if (copy) fs.copyFileSync(copy[0], path.join(stacksDir, "records", copy[1]));
      try {
        return await timed("pulumi preview of a hand edit", () => ws.preview(project, STACK, DRILL_POLICY_CONFIG));
      } finally {
        fs.writeFileSync(stackFile, before);
        if (copy) fs.rmSync(path.join(stacksDir, "records", copy[1]));
      }
    };
    const markRemediated = (text: string) => text.replace(/(- name: exch01\n {6}generation: 2\n {6}state:) unverified/, "$1 remediated");

    it("remediate before the clean record: the command exits 1 with the check's reason; by hand, the preview fails", async () => {
      const before = fs.readFileSync(stackFile, "utf8");
      const r = await host("remediate", "exch01", "--policy-pack-config", DRILL_POLICY_CONFIG);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/exch01: marked remediated but has no assessment record for generation 2; run the assessment and ingest it first/);
      expect(fs.readFileSync(stackFile, "utf8")).toBe(before);
      expect(markRemediated(before)).not.toBe(before);
      const preview = await handEdit(markRemediated);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(/exch01: marked remediated but has no assessment record for generation 2/);
    });

    it("remediate before the clean record: the pack refuses it too, judging the deployed host tagged remediated", async () => {
      // The program refuses that config before the pack sees anything; so the pack is shown the deployed state itself with
      // exch01-g2's state tags set to remediated (what the hand edit would deploy), through `pulumi policy analyze`.
      const exported = await ws.pulumi(project, ["stack", "export", "--stack", STACK]);
      expect(exported.code).toBe(0);
      const original = path.join(ws.dir, "drill.export.json");
      fs.writeFileSync(original, exported.output);
      const doc = JSON.parse(exported.output) as {
        deployment: { resources: Array<{ urn: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> };
      };
      let tampered = 0;
      for (const r of doc.deployment.resources) {
        if (!/::(exch01-g2|exch01-g2-nic)$/.test(r.urn)) continue;
        for (const props of [r.inputs, r.outputs]) {
          if (!props?.tags) continue;
          (props.tags as Record<string, string>)["remediation-state"] = "remediated";
          tampered++;
        }
      }
      expect(tampered).toBe(4);
      const tamperedFile = path.join(ws.dir, "drill.tampered.json");
      fs.writeFileSync(tamperedFile, JSON.stringify(doc));
      try {
        expect((await ws.pulumi(project, ["stack", "import", "--stack", STACK, "--file", tamperedFile])).code).toBe(0);
        const analysis = await timed("pulumi policy analyze of the tampered state", () =>
          ws.pulumi(project, ["policy", "analyze", "--stack", STACK, "--policy-pack", PACK_DIR, "--policy-pack-config", DRILL_POLICY_CONFIG]),
        );
        expect(analysis.code).toBe(1);
        expect(analysis.output).toMatch(/exchange-remediated-requires-assessment/);
        expect(analysis.output).toMatch(/host exch01-g2 is marked remediated but no compromise assessment .* is linked to its VM/);
      } finally {
        expect((await ws.pulumi(project, ["stack", "import", "--stack", STACK, "--file", original])).code).toBe(0);
      }
    });

    it("a record of another host: the command refuses it (exit 2); listed by hand, the preview fails", async () => {
      const other = await ingest("clean-ps7", "ex-mbx-02", 1);
      const before = fs.readFileSync(stackFile, "utf8");
      const r = await host("record", "exch01", other);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is a record of host ex-mbx-02, not of exch01: evidence of one host never counts for another/);
      expect(fs.readFileSync(stackFile, "utf8")).toBe(before);
      const listed = (text: string) => markRemediated(text).replace("exch01-g1-2021-04-09-2.json]", "exch01-g1-2021-04-09-2.json, other-host.json]");
      const preview = await handEdit(listed, [other, "other-host.json"]);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toMatch(/other-host\.json: record of host ex-mbx-02 listed under host exch01/);
    });
  });

  it("6. a clean record of generation 2 → host remediate → up: exch01 published again, on the client ports only", async () => {
    const clean = await ingest("clean-ps51", "exch01", 2);
    expect((await host("record", "exch01", clean)).code).toBe(0);
    const remediated = await host("remediate", "exch01", "--policy-pack-config", DRILL_POLICY_CONFIG);
    expect([remediated.code, remediated.stderr]).toEqual([0, ""]);
    expect(hostsInFile()[0]).toMatchObject({ name: "exch01", generation: 2, state: "remediated" });
    const r = await up("remediate");
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    const done = applied(r.events);
    const nic = done.find((a) => a.name === "exch01-g2-nic")!;
    expect(nic.op).toBe("update");
    const ipc = (nic.inputs!.ipConfigurations as Array<Record<string, unknown>>)[0];
    expect(ipc.loadBalancerBackendAddressPools).toHaveLength(1);
    expect(String((ipc.subnet as { id: string }).id)).toMatch(/\/subnets\/[\w-]*published$/);
    const nsg = done.find((a) => a.type === NSG && a.name === "exch01-g2-published")!;
    const fromInternet = (nsg.inputs!.securityRules as Array<Record<string, string>>)
      .filter((x) => x.direction === "Inbound" && x.access === "Allow" && x.sourceAddressPrefix === "Internet")
      .map((x) => `${x.protocol}/${x.destinationPortRange}`);
    expect(fromInternet.sort()).toEqual(["Tcp/25", "Tcp/443"]);
    // The evidence of the compromised generation stays.
    expect(done.filter((a) => a.name === "exch01-g1-osdisk-evidence").map((a) => a.op)).toEqual(["same"]);
  });
});
