/**
 * `pulumi up` with the pack as a pipeline runs it: the example deployed, its export judged by `exchange-guard audit`
 * and by the engine's own `pulumi policy analyze`; remediation applied by the real engine; policy-config mistakes;
 * and the exit codes a pipeline sees.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { EngineEvent, mandatoryViolations, PACK_DIR, REPO, Workspace } from "./support/engine";

// Each step runs the real CLI or a whole suite: minutes, not the default minute.
jest.setTimeout(15 * 60_000);

const CLI = path.join(REPO, "dist/cli/main.js");
const EXAMPLE_CONFIG = path.join(STACKS_DIR, "policy-config", "example.json");
const exampleConfig = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8")) as Record<string, Record<string, unknown>>;

let ws: Workspace;
let project: string;
let fixture: string;

function writeConfig(name: string, config: unknown): string {
  const file = path.join(ws.dir, `${name}.policy-config.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** `policy|host` of each mandatory verdict, host by its VM name (the last URN segment). */
const byHost = (pairs: readonly { policy: string; urn: string }[]) => pairs.map((p) => `${p.policy}|${p.urn.split("::").pop()}`).sort();

function policyEvents(events: readonly EngineEvent[]) {
  return events.filter((e) => e.policyEvent).map((e) => e.policyEvent!);
}

beforeAll(async () => {
  ws = Workspace.create("deploy");
  project = ws.project("deploy", STACKS_DIR);
  await ws.initStack(project, "example");
  fixture = path.join(ws.dir, "public-nic");
  fs.cpSync(path.join(REPO, "test/fixtures/engine/public-nic"), fixture, { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(fixture, "node_modules"));
  for (const s of ["remediate", "blocked"]) await ws.initStack(fixture, s);
}, 20 * 60_000);

afterAll(() => ws?.dispose());

describe("the example deployed with pulumi up", () => {
  let exportFile: string;

  it("deploys with the pack: exit 0, no mandatory violation, real-shaped ARM ids", async () => {
    const r = await ws.up(project, "example", EXAMPLE_CONFIG);
    expect({ code: r.code, mandatory: mandatoryViolations(r.events) }).toEqual({ code: 0, mandatory: [] });
    const vm = r.events.find(
      (e) => e.resOutputsEvent?.metadata.urn.endsWith("::ex01-g1") && e.resOutputsEvent.metadata.type.endsWith("VirtualMachine"),
    );
    expect(vm?.resOutputsEvent?.metadata.new?.id).toMatch(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-exchange-example\/providers\/Microsoft\.Compute\//,
    );
    const exp = await ws.pulumi(project, ["stack", "export", "--stack", "example"]);
    expect(exp.code).toBe(0);
    exportFile = path.join(ws.dir, "example.export.json");
    fs.writeFileSync(exportFile, exp.output);
  });

  it("audit of the export agrees with pulumi policy analyze, policy by policy and host by host", async () => {
    // A config the deployed fleet fails, so agreement is about real verdicts: the gate's clock moved past every
    // assessment's age limit, the bastion no longer a forensics source, and evidence preservation mandatory.
    const strict = writeConfig("strict", {
      ...exampleConfig,
      "exchange-remediated-requires-assessment": { ...exampleConfig["exchange-remediated-requires-assessment"], asOf: "2027-01-15T12:00:00Z" },
      "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"], forensicsDestinationPrefixes: ["10.20.3.0/24"] },
      "exchange-evidence-preserved": "mandatory",
    });
    const analyze = await ws.pulumi(project, [
      "policy",
      "analyze",
      "--stack",
      "example",
      "--policy-pack",
      PACK_DIR,
      "--policy-pack-config",
      strict,
      "--json",
    ]);
    const engineEvents = analyze.output
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as EngineEvent);
    const engine = byHost(
      policyEvents(engineEvents)
        .filter((p) => p.enforcementLevel === "mandatory")
        .map((p) => ({ policy: p.policyName, urn: p.resourceUrn ?? "" })),
    );
    const audit = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, "audit", exportFile, "--policy-pack-config", strict, "--json"],
        { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    const json = JSON.parse(audit.stdout) as { hosts: { diagnostics: { policyName: string; urn: string; enforcementLevel: string }[] }[] };
    const ours = byHost(
      json.hosts
        .flatMap((h) => h.diagnostics)
        .filter((d) => d.enforcementLevel === "mandatory")
        .map((d) => ({ policy: d.policyName, urn: d.urn })),
    );
    expect(engine.length).toBeGreaterThan(5);
    expect(new Set(engine.map((v) => v.split("|")[1]))).toEqual(new Set(["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g2", "ex05-g2"]));
    expect(ours).toEqual(engine);
    expect([analyze.code, audit.code]).toEqual([1, 1]);
  });
});

describe("remediation by the real engine during pulumi up", () => {
  it("strips the public IP from an unverified host's NIC before it is created", async () => {
    const config = writeConfig("remediate", { all: "advisory", "exchange-unverified-no-public-attachment": "remediate" });
    const r = await ws.up(fixture, "remediate", config);
    expect(r.code).toBe(0);
    const nic = r.events.find((e) => e.resOutputsEvent?.metadata.op === "create" && e.resOutputsEvent.metadata.urn.endsWith("::ex09-g1-nic"));
    const ipConfig = (nic?.resOutputsEvent?.metadata.new?.outputs?.ipConfigurations as Record<string, unknown>[] | undefined)?.[0];
    expect(ipConfig).toBeDefined();
    expect(ipConfig!.publicIPAddress).toBeUndefined();
    // What is deployed, read back from the engine's state.
    const exp = JSON.parse((await ws.pulumi(fixture, ["stack", "export", "--stack", "remediate"])).output) as {
      deployment: { resources: { urn: string; outputs?: { ipConfigurations?: Record<string, unknown>[] } }[] };
    };
    const deployed = exp.deployment.resources.find((res) => res.urn.endsWith("::ex09-g1-nic"));
    expect(deployed?.outputs?.ipConfigurations?.[0]).toBeDefined();
    expect(deployed!.outputs!.ipConfigurations![0].publicIPAddress).toBeUndefined();
    expect(r.output).toMatch(/exchange-unverified-no-public-attachment/);
  });

  it("at its default level blocks the NIC during pulumi up: it is never created", async () => {
    const config = writeConfig("blocked", { all: "advisory", "exchange-unverified-no-public-attachment": "mandatory" });
    const r = await ws.up(fixture, "blocked", config);
    expect(r.code).not.toBe(0);
    expect(
      policyEvents(r.events).some((p) => p.policyName === "exchange-unverified-no-public-attachment" && p.enforcementLevel === "mandatory"),
    ).toBe(true);
    expect(r.events.some((e) => e.resOutputsEvent?.metadata.urn.endsWith("::ex09-g1-nic"))).toBe(false);
  });
});

describe("a bad stack config under the real engine", () => {
  it("stops the program before anything is registered, naming the host and key", async () => {
    const broken = fs.readFileSync(path.join(STACKS_DIR, "Pulumi.example.yaml"), "utf8").replace("state: unverified", "state: unverifed");
    fs.writeFileSync(path.join(project, "stacks", "Pulumi.broken.yaml"), broken);
    await ws.initStack(project, "broken");
    const r = await ws.preview(project, "broken", EXAMPLE_CONFIG);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/FleetConfigError: invalid exchange-guard stack config:[\s\S]*hosts\[1\] \(ex02\)\.state: "unverifed"/);
    expect(r.events.filter((e) => e.resourcePreEvent && !e.resourcePreEvent.metadata.type.startsWith("pulumi:"))).toEqual([]);
  });
});

describe("policy-config mistakes under the real engine fail the run and name the key", () => {
  const gate = exampleConfig["exchange-remediated-requires-assessment"];
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      "a wrong-typed value (the engine's own schema check)",
      { "exchange-remediated-requires-assessment": { ...gate, maxAssessmentAgeDays: "thirty" } },
      /maxAssessmentAgeDays/,
    ],
    [
      "a gate key on another policy",
      { ...exampleConfig, "exchange-unverified-isolated": { ...exampleConfig["exchange-unverified-isolated"], maxAssessmentAgeDays: 10 } },
      /maxAssessmentAgeDays[\s\S]*exchange-remediated-requires-assessment|exchange-remediated-requires-assessment[\s\S]*maxAssessmentAgeDays/,
    ],
    [
      "an unknown key",
      {
        ...exampleConfig,
        "exchange-unverified-isolated": { ...exampleConfig["exchange-unverified-isolated"], forensicsSourcePrefixs: ["10.20.3.0/24"] },
      },
      /forensicsSourcePrefixs/,
    ],
    // With its own level the engine hands a misspelt policy name to the pack, which must name it.
    [
      "an unknown policy name",
      { ...exampleConfig, "exchange-unverifed-isolated": { enforcementLevel: "mandatory", forensicsSourcePrefixes: ["10.20.3.0/24"] } },
      /exchange-unverifed-isolated/,
    ],
    // Without one, the engine itself (3.248) refuses the config before the pack starts; its message cannot name the
    // policy ("invalid enforcement level"), but the run fails, which is what a pipeline needs.
    [
      "an unknown policy name without a level",
      { ...exampleConfig, "exchange-unverifed-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"] } },
      /invalid enforcement level/,
    ],
  ];

  it.each(cases)("%s", async (name, config, mentions) => {
    const r = await ws.preview(project, "example", writeConfig(name.replace(/\W+/g, "-"), config));
    expect(r.code).not.toBe(0);
    const said = `${r.output}\n${policyEvents(r.events)
      .map((p) => p.message)
      .join("\n")}`;
    expect(said).toMatch(mentions);
  });

  it('"all": "advisory" turns every violation into a warning: exit 0', async () => {
    const r = await ws.preview(
      project,
      "example",
      writeConfig("all-advisory", {
        ...exampleConfig,
        all: "advisory",
        "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"] },
      }),
    );
    expect(r.code).toBe(0);
    const events = policyEvents(r.events);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((p) => p.enforcementLevel === "advisory")).toBe(true);
  });
});
