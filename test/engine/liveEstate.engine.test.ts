/**
 * The live estate: `pulumi up` of the example with the pack, then changes made "in the portal" (the stand-in's cloud
 * edited, as Azure would hold them) that the stack export cannot see. `audit --azure` of the cloud, listed as Resource
 * Graph would list it, reports each; `audit` of the export does not; with --export the drift names each change.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { applyPortalChanges, cloudResources, resourceGraphRows, writeResourceGraphPages } from "../support/resourceGraph";
import { mandatoryViolations, REPO, Workspace } from "./support/engine";

jest.setTimeout(15 * 60_000);

const CLI = path.join(REPO, "dist/cli/main.js");
const EXAMPLE_CONFIG = path.join(STACKS_DIR, "policy-config", "example.json");

interface Json {
  hosts: { host: string; urn: string; diagnostics: { policyName: string; enforcementLevel: string; message: string }[] }[];
  drift?: { id: string; message: string }[];
}

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let ws: Workspace;
let exportFile: string;
let pages: string[];
let pristine: string[];

beforeAll(async () => {
  ws = Workspace.create("live");
  const project = ws.project("live", STACKS_DIR);
  await ws.initStack(project, "example");
  const up = await ws.up(project, "example", EXAMPLE_CONFIG);
  expect({ code: up.code, mandatory: mandatoryViolations(up.events) }).toEqual({ code: 0, mandatory: [] });
  const exp = await ws.pulumi(project, ["stack", "export", "--stack", "example"]);
  exportFile = path.join(ws.dir, "example.export.json");
  fs.writeFileSync(exportFile, exp.output);
  const cloud = cloudResources(ws.env.EXG_STANDIN_CLOUD!);
  pristine = writeResourceGraphPages(path.join(ws.dir, "rg-pristine"), "live", resourceGraphRows(cloud), 10);
  applyPortalChanges(cloud, "ex02-g1-nic");
  pages = writeResourceGraphPages(path.join(ws.dir, "rg"), "live", resourceGraphRows(cloud), 10);
}, 20 * 60_000);

afterAll(() => ws?.dispose());

describe("changes made in the portal after pulumi up", () => {
  it("the deployed cloud, listed by Resource Graph, passes as the deploy did", async () => {
    const r = await cli(["audit", "--azure", ...pristine, "--policy-pack-config", EXAMPLE_CONFIG, "--export", exportFile, "--json", "-q"]);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.hosts.map((h) => h.host).sort()).toEqual(["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g2", "ex05-g2"]);
    expect(json.hosts.flatMap((h) => h.diagnostics.filter((d) => d.enforcementLevel === "mandatory"))).toEqual([]);
    expect(json.drift).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("audit --azure reports each change: the right policy, the right host, the path by name", async () => {
    const r = await cli(["audit", "--azure", ...pages, "--policy-pack-config", EXAMPLE_CONFIG, "--json", "-q"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Json;
    const ex02 = json.hosts.find((h) => h.host === "ex02-g1")!;
    expect(ex02.urn).toMatch(/^\/subscriptions\/.*\/virtualmachines\/ex02-g1$/i);
    const said = (policy: string) =>
      ex02.diagnostics
        .filter((d) => d.policyName === policy && d.enforcementLevel === "mandatory")
        .map((d) => d.message)
        .join("\n");
    // (a) the public IP and (c) the load balancer, each a named path; (b) the rule on it.
    expect(said("exchange-unverified-not-internet-exposed")).toMatch(/via public IP: public IP pip-portal .*rule portal-rdp/);
    expect(said("exchange-unverified-not-internet-exposed")).toMatch(/via load balancer: public IP pip-lb-portal .*load balancer lb-portal/);
    expect(said("exchange-unverified-isolated")).toMatch(/rule portal-rdp .*allows Internet/);
    expect(said("exchange-unverified-no-public-attachment")).toMatch(/public IP/);
    expect(json.hosts.filter((h) => h.host !== "ex02-g1").flatMap((h) => h.diagnostics.filter((d) => d.enforcementLevel === "mandatory"))).toEqual(
      [],
    );
  });

  it("audit of the pulumi stack export sees none of it", async () => {
    const r = await cli(["audit", exportFile, "--policy-pack-config", EXAMPLE_CONFIG, "--json", "-q"]);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.hosts.find((h) => h.host === "ex02-g1")!.diagnostics).toEqual([]);
    expect(r.code).toBe(0);
  });

  it("with --export, the drift names each change", async () => {
    const r = await cli(["audit", "--azure", ...pages, "--policy-pack-config", EXAMPLE_CONFIG, "--export", exportFile, "-q"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("NIC ex02-g1-nic: ipconfig1 has public IP pip-portal in Azure, none in the stack (changed outside Pulumi: remove it");
    expect(r.stdout).toMatch(/NIC ex02-g1-nic: ipconfig1 has load balancer pools pool in Azure, none in the stack/);
    expect(r.stdout).toMatch(
      /NSG ex02-g1-nsg: rule portal-rdp \(priority 105, Inbound Allow TCP ports 3389 from Internet to \*\) is in Azure, not in the stack/,
    );
    expect(r.stdout).toMatch(/load balancer lb-portal: in Azure, not in the stack; it pools NIC ex02-g1-nic of host ex02-g1/);
  });
});
