/**
 * `exchange-guard audit --azure`: the bundled example's export turned into Resource Graph output by the inverse mapping
 * and audited both ways (same verdicts, policy by policy and host by host); drift; SARIF at ARM ids; bad input.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackExport } from "../../cli/audit/stackExport";
import { applyPortalChanges, armResources, azCliPages, resourceGraphRows, writeResourceGraphPages } from "../support/resourceGraph";
import { ROOT, runInProcess } from "./runCli";

jest.setTimeout(120_000);

const EXPORT = path.join(ROOT, "examples/example.export.json");
const CONFIG = path.join(ROOT, "stacks/policy-config/example.json");
const exampleConfig = JSON.parse(fs.readFileSync(CONFIG, "utf8")) as Record<string, Record<string, unknown>>;

let dir: string;
let pages: string[];
let strict: string;
const exported = readStackExport(fs.readFileSync(EXPORT, "utf8"), EXPORT);
const rows = resourceGraphRows(armResources(exported.analyzeStack));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "exg-azure-"));
  // Small pages, so the example's estate spans several and paging is exercised.
  pages = writeResourceGraphPages(dir, "example", rows, 7);
  // A config the example fails in several ways, so agreement is about real verdicts (as the engine suite's).
  strict = path.join(dir, "strict.json");
  fs.writeFileSync(
    strict,
    JSON.stringify({
      ...exampleConfig,
      "exchange-remediated-requires-assessment": { ...exampleConfig["exchange-remediated-requires-assessment"], asOf: "2027-01-15T12:00:00Z" },
      "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24"], forensicsDestinationPrefixes: ["10.20.3.0/24"] },
      "exchange-evidence-preserved": "mandatory",
    }),
  );
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface JsonReport {
  hosts: { host: string; urn: string; diagnostics: { policyName: string; urn: string; enforcementLevel: string; message: string }[] }[];
  other: { policyName: string; urn: string }[];
  drift?: { id: string; host?: string; message: string }[];
}

/** `policy|VM name|level` per verdict on a host: URNs differ between the two audits, the VM's name does not. */
function verdicts(json: JsonReport): string[] {
  return json.hosts.flatMap((h) => h.diagnostics.map((d) => `${d.policyName}|${h.host}|${d.enforcementLevel}`)).sort();
}

describe("audit --azure of the example, against audit of its export", () => {
  it("gives the same verdicts, policy by policy and host by host, under a config the example fails", async () => {
    const ours = await runInProcess(["audit", "--azure", ...pages, "--policy-pack-config", strict, "--json", "-q"]);
    const theirs = await runInProcess(["audit", EXPORT, "--policy-pack-config", strict, "--json", "-q"]);
    const [a, b] = [JSON.parse(ours.stdout) as JsonReport, JSON.parse(theirs.stdout) as JsonReport];
    expect(verdicts(b).length).toBeGreaterThan(5);
    expect(verdicts(a)).toEqual(verdicts(b));
    expect(a.hosts.map((h) => h.host).sort()).toEqual(b.hosts.map((h) => h.host).sort());
    expect([ours.code, theirs.code]).toEqual([1, 1]);
    // Hosts are named by their ARM id.
    for (const h of a.hosts)
      expect(h.urn).toMatch(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualmachines\//i);
  });

  it("passes the example under its own config, as audit of the export does", async () => {
    const ours = await runInProcess(["audit", "--azure", ...pages, "--policy-pack-config", CONFIG, "--json", "-q"]);
    const theirs = await runInProcess(["audit", EXPORT, "--policy-pack-config", CONFIG, "--json", "-q"]);
    expect(verdicts(JSON.parse(ours.stdout) as JsonReport)).toEqual(verdicts(JSON.parse(theirs.stdout) as JsonReport));
    expect([ours.code, theirs.code]).toEqual([0, 0]);
  });

  it("with --export, reports no drift when Azure holds what the stack says", async () => {
    const r = await runInProcess(["audit", "--azure", ...pages, "--policy-pack-config", CONFIG, "--export", EXPORT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Drift from the stack .*\(0\)\n\s+none/);
  });
});

describe("drift reported with --export", () => {
  /** The example's estate with ex02's NIC given a public IP, RDP from the internet and a load balancer, "in the portal". */
  function driftedPages(): string[] {
    const arm = armResources(exported.analyzeStack);
    applyPortalChanges(arm, "ex02-g1-nic");
    return writeResourceGraphPages(path.join(dir, "drifted"), "drifted", resourceGraphRows(arm), 1000);
  }

  it("names each change in text, JSON and SARIF, and the policies judge the live estate", async () => {
    const files = driftedPages();
    const sarif = path.join(dir, "drift.sarif");
    const text = await runInProcess(["audit", "--azure", ...files, "--policy-pack-config", CONFIG, "--export", EXPORT, "-q", "--sarif", sarif]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      "NIC ex02-g1-nic: ipconfig1 has public IP pip-portal in Azure, none in the stack (changed outside Pulumi: remove it",
    );
    expect(text.stdout).toMatch(
      /NSG ex02-g1-nsg: rule portal-rdp \(priority 105, Inbound Allow TCP ports 3389 from Internet to \*\) is in Azure, not in the stack/,
    );
    expect(text.stdout).toMatch(/NSG exg-example-quarantine-nsg: rule portal-rdp .* is in Azure, not in the stack/);
    expect(text.stdout).toMatch(/NIC ex02-g1-nic: ipconfig1 has load balancer pools pool in Azure, none in the stack/);
    expect(text.stdout).toMatch(/load balancer lb-portal: in Azure, not in the stack; it pools NIC ex02-g1-nic of host ex02-g1/);
    const json = JSON.parse(
      (await runInProcess(["audit", "--azure", ...files, "--policy-pack-config", CONFIG, "--export", EXPORT, "-q", "--json"])).stdout,
    ) as JsonReport;
    expect(json.drift!.length).toBeGreaterThanOrEqual(6);
    expect(json.drift!.every((f) => f.id.startsWith("/subscriptions/"))).toBe(true);
    const ex02 = json.hosts.find((h) => h.host === "ex02-g1")!;
    const by = (policy: string) =>
      ex02.diagnostics
        .filter((d) => d.policyName === policy)
        .map((d) => d.message)
        .join("\n");
    expect(by("exchange-unverified-not-internet-exposed")).toMatch(/public IP pip-portal/);
    expect(by("exchange-unverified-not-internet-exposed")).toMatch(/lb-portal/);
    expect(by("exchange-unverified-isolated")).toMatch(/portal-rdp/);
    expect(by("exchange-unverified-no-public-attachment")).toMatch(/ex02-g1-nic/);
    // Only ex02 was changed: every other host keeps its verdict.
    expect(json.hosts.filter((h) => h.host !== "ex02-g1").flatMap((h) => h.diagnostics)).toEqual([]);
    const log = JSON.parse(fs.readFileSync(sarif, "utf8")) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: {
            logicalLocations: { fullyQualifiedName: string }[];
            physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } };
          }[];
        }[];
      }[];
    };
    const drift = log.runs[0].results.filter((r) => r.ruleId === "exchange-guard-drift");
    expect(drift.length).toBeGreaterThanOrEqual(2);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toContain("exchange-guard-drift");
    // No --stack: every result sits at its resource's ARM id.
    const located = log.runs[0].results.find((r) => r.ruleId === "exchange-unverified-not-internet-exposed")!.locations[0];
    expect(located.logicalLocations[0].fullyQualifiedName).toMatch(/\/virtualmachines\/ex02-g1$/i);
    expect(located.physicalLocation.artifactLocation).toEqual({
      uri: expect.stringMatching(/^subscriptions\/.*\/ex02-g1$/),
      uriBaseId: "AZURE_RESOURCE_MANAGER",
    });
  });

  it("with --stack, SARIF results sit on the host's line of the stack file", async () => {
    const sarif = path.join(dir, "stack.sarif");
    const r = await runInProcess([
      "audit",
      "--azure",
      ...driftedPages(),
      "--policy-pack-config",
      CONFIG,
      "--stack",
      "example",
      "-q",
      "--sarif",
      sarif,
      "--sarif-root",
      ROOT,
    ]);
    expect(r.code).toBe(1);
    const log = JSON.parse(fs.readFileSync(sarif, "utf8")) as {
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
      }[];
    };
    const lines = fs.readFileSync(path.join(ROOT, "stacks/Pulumi.example.yaml"), "utf8").split("\n");
    const exposed = log.runs[0].results.find((x) => x.ruleId === "exchange-unverified-not-internet-exposed")!.locations[0].physicalLocation;
    expect(exposed.artifactLocation.uri).toBe("stacks/Pulumi.example.yaml");
    expect(lines[exposed.region.startLine - 1]).toMatch(/name:\s*ex02/);
  });
});

describe("Resource Graph quirks", () => {
  it("reads PowerShell's Search-AzGraph | ConvertTo-Json shape (Data / SkipToken) like the CLI's", async () => {
    const files = [rows.resources, rows.assessments].map((list, i) => {
      const f = path.join(dir, `ps-${i}.json`);
      fs.writeFileSync(f, JSON.stringify({ Data: list, SkipToken: null, Count: list.length }));
      return f;
    });
    // The locks come from az lock list either way: Resource Graph does not list them.
    const locks = path.join(dir, "ps-locks.json");
    fs.writeFileSync(locks, JSON.stringify(rows.locks));
    files.push(locks);
    const ps = await runInProcess(["audit", "--azure", ...files, "--policy-pack-config", strict, "--json", "-q"]);
    const cli = await runInProcess(["audit", "--azure", ...pages, "--policy-pack-config", strict, "--json", "-q"]);
    expect(verdicts(JSON.parse(ps.stdout) as JsonReport)).toEqual(verdicts(JSON.parse(cli.stdout) as JsonReport));
  });

  it("keeps a row of a type the pack does not model, and it fails the host closed when it names the host", async () => {
    const vm = rows.resources.find((r) => r.name === "ex02-g1")!;
    const extra = {
      id: `${String(vm.id).split("/providers/")[0]}/providers/Microsoft.Web/sites/portal-proxy`,
      name: "portal-proxy",
      type: "microsoft.web/sites",
      resourceGroup: "rg-exchange-example",
      properties: { siteConfig: { appSettings: [{ name: "UPSTREAM", value: String(vm.id) }] } },
      exgQuery: "resources",
    };
    const f = path.join(dir, "unknown-type.json");
    fs.writeFileSync(f, JSON.stringify(azCliPages([...rows.resources, extra])[0]));
    const sa = path.join(dir, "unknown-type-sa.json");
    fs.writeFileSync(sa, JSON.stringify(azCliPages(rows.assessments)[0]));
    const r = JSON.parse((await runInProcess(["audit", "--azure", f, sa, "--policy-pack-config", CONFIG, "--json", "-q"])).stdout) as JsonReport;
    const d = r.hosts.find((h) => h.host === "ex02-g1")!.diagnostics.find((x) => x.policyName === "exchange-unverified-not-internet-exposed");
    expect(d?.message).toMatch(/azure-native:web:sites portal-proxy references this host/);
  });

  it("reads a row without properties (null or missing) as a resource with none", async () => {
    const bare = rows.resources.map((r) => (r.type === "microsoft.compute/snapshots" ? { ...r, properties: null } : r));
    const f = path.join(dir, "bare.json");
    fs.writeFileSync(f, JSON.stringify(azCliPages(bare)[0]));
    const r = await runInProcess(["audit", "--azure", f, "--policy-pack-config", CONFIG, "--json", "-q"]);
    expect(r.code).not.toBe(2);
    expect(r.stderr).toMatch(/no security-assessments/);
  });
});

describe("bad input is exit 2 with a message naming the file", () => {
  const write = (name: string, content: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  const cases: [string, () => string[], RegExp][] = [
    ["not JSON", () => [write("garbage.json", "{ data: [")], /garbage\.json is not JSON/],
    ["a stack export instead of Resource Graph output", () => [EXPORT], /example\.export\.json is not Resource Graph output/],
    [
      "a row without an id",
      () => [write("no-id.json", JSON.stringify({ data: [{ type: "microsoft.network/networkinterfaces" }], total_records: 1 }))],
      /no-id\.json: row 1 has no id/,
    ],
    [
      "properties that are not an object",
      () => [write("bad-props.json", JSON.stringify({ data: [{ id: "/subscriptions/s/x", type: "t", properties: "x" }] }))],
      /bad-props\.json: row 1 .* properties that are not an object/,
    ],
    [
      "a page missing (fewer rows than announced)",
      () => pages.filter((p) => !p.endsWith("-resources-2.json")),
      /hold \d+ of the \d+ rows the query announced: a page is missing/,
    ],
    [
      "the last page missing (a skip token with no page after it)",
      () => {
        const last = pages.filter((p) => p.includes("-resources-")).pop()!;
        const page = JSON.parse(fs.readFileSync(last, "utf8")) as Record<string, unknown>;
        page.skip_token = "ew0KICAiJGlkIjogIjEiDQp9";
        page.total_records = Number(page.total_records) + 3;
        return [...pages.filter((p) => p !== last), write("cut.json", JSON.stringify(page))];
      },
      /./,
    ],
    ["a page given twice", () => [...pages, pages[0]], /a page was given twice|appears twice/],
    ["no such file", () => [path.join(dir, "missing.json")], /cannot read .*missing\.json/],
  ];
  it.each(cases)("%s", async (_name, files, message) => {
    const r = await runInProcess(["audit", "--azure", ...files(), "--policy-pack-config", CONFIG, "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("every page with a skip token: the page after the last one given is missing", async () => {
    const resourcePages = pages.filter((p) => p.includes("-resources-"));
    const last = resourcePages[resourcePages.length - 1];
    const page = JSON.parse(fs.readFileSync(last, "utf8")) as Record<string, unknown>;
    page.skip_token = "ew0KICAiJGlkIjogIjEiDQp9";
    const r = await runInProcess(["audit", "--azure", ...pages.filter((p) => p !== last), write("tokened.json", JSON.stringify(page)), "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/every resources page .* has a skip token: the page after .*tokened\.json is missing/);
  });

  it("an estate with a firewall policy needs the network-resources query", async () => {
    const policy = {
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/firewallPolicies/fp",
      name: "fp",
      type: "microsoft.network/firewallpolicies",
      resourceGroup: "rg",
      properties: {
        ruleCollectionGroups: [
          { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/firewallPolicies/fp/ruleCollectionGroups/dnat" },
        ],
      },
      exgQuery: "resources",
    };
    const r = await runInProcess(["audit", "--azure", write("fp.json", JSON.stringify({ data: [policy], total_records: 1 })), "-q"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Firewall Policy fp .*pipelines\/resource-graph\/network-resources\.kql/);
  });
});
