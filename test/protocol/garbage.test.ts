/**
 * Garbage never crashes the pack: properties of the wrong types, deeply nested junk, empty
 * objects, unknown and empty types, dangling and cyclic dependencies, 10,000 unrelated resources.
 * Every RPC must succeed (a gRPC error fails `pulumi preview` with a stack trace instead of a
 * policy verdict) and the process must stay alive and keep judging correctly afterwards.
 */
import type { EngineResource } from "../../cli/engine/analyzerClient";
import { Estate, HOST_TAGS, UNKNOWN } from "../support/estate";
import { alive, expectDiag, expectNoInternalError, expectNoPreviewDowngrade, exposedHost, POLICY, SENTINEL, summary, useSession } from "./helpers";

const session = useSession(`{"${POLICY.noPublicAttachment}": "remediate"}`);

const TYPES = [
  "azure-native:compute:VirtualMachine",
  "azure-native:network:NetworkInterface",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:SecurityRule",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:LoadBalancer",
  "azure-native:network:ApplicationGateway",
  "azure-native:network:Subnet",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:AzureFirewall",
  "azure-native:network:FirewallPolicy",
  "azure-native:network:FirewallPolicyRuleCollectionGroup",
  "azure-native:network:PrivateLinkService",
  "azure-native:network:ApplicationSecurityGroup",
  "azure-native:network:AdminRule",
  "azure-native:cdn:AFDOrigin",
  "azure-native:security:Assessment",
  "azure-native:compute:Snapshot",
  "azure-native:compute:v20230301:VirtualMachine",
  "azure-native:network/v20230201:NetworkInterface",
  "AZURE-NATIVE:COMPUTE:VIRTUALMACHINE",
  "weird:thing:Type",
  "pulumi:pulumi:Stack",
  "pulumi:providers:azure-native",
  "",
];

/** Keys the pack reads on some type. */
const KEYS = [
  "tags",
  "id",
  "name",
  "ipConfigurations",
  "networkProfile",
  "networkInterfaces",
  "networkInterfaceConfigurations",
  "networkSecurityGroup",
  "securityRules",
  "defaultSecurityRules",
  "subnet",
  "subnets",
  "addressPrefix",
  "addressPrefixes",
  "sourceAddressPrefix",
  "sourceAddressPrefixes",
  "destinationPortRange",
  "destinationPortRanges",
  "priority",
  "access",
  "direction",
  "protocol",
  "publicIPAddress",
  "sku",
  "frontendIPConfigurations",
  "backendAddressPools",
  "loadBalancingRules",
  "inboundNatRules",
  "httpListeners",
  "requestRoutingRules",
  "natRuleCollections",
  "ruleCollections",
  "firewallPolicy",
  "storageProfile",
  "osDisk",
  "imageReference",
  "creationData",
  "resourceId",
  "resourceDetails",
  "status",
  "additionalData",
  "assessmentName",
  "hostName",
  "sharedPrivateLinkResource",
  "sources",
  "destinations",
  "resourceGroupName",
];

function nested(depth: number, leaf: unknown): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { x: v, tags: v };
  return v;
}

const JUNK: unknown[] = [
  0,
  -1,
  1e308,
  65536,
  3.5,
  "",
  " ",
  "x",
  "*",
  "0.0.0.0/0",
  "999.999.999.999/99",
  "::/0",
  "1-0",
  "65535-1",
  "\u0000\uffff\ud800",
  "a".repeat(10_000),
  true,
  false,
  null,
  [],
  {},
  [[[]]],
  [null, 1, "a", {}],
  { id: 42 },
  { id: null },
  { id: ["a"] },
  { value: 1, "4dabf18193072939515e22adb298388d": "not-the-signature" },
  { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" },
  { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: [] } },
  { __proto__: "x", constructor: "y", hasOwnProperty: "z", toString: 1, valueOf: [] },
  nested(40, "deep"),
  nested(120, UNKNOWN),
  UNKNOWN,
  SENTINEL.number,
  SENTINEL.bool,
  SENTINEL.array,
  SENTINEL.object,
  SENTINEL.asset,
  SENTINEL.archive,
];

function junkResources(): EngineResource[] {
  const out: EngineResource[] = [];
  let n = 0;
  const urnOf = (type: string, name: string) => `urn:pulumi:dev::junk::${type}::${name}`;
  for (const type of TYPES) {
    // Every key set to the same junk.
    for (const j of JUNK) {
      const name = `g${n++}`;
      const properties: Record<string, unknown> = {};
      for (const k of KEYS) properties[k] = j;
      out.push({ urn: urnOf(type, name), type, name, properties, dependencies: [urnOf(type, "g0"), "urn:missing", "", "not a urn"], propertyDependencies: { ipConfigurations: ["urn:missing"], tags: [urnOf(type, name)] } });
    }
    // Exchange-tagged, so the host logic runs over junk.
    for (const j of JUNK) {
      const name = `h${n++}`;
      const properties: Record<string, unknown> = { tags: { ...HOST_TAGS("unverified"), extra: j } };
      for (const k of KEYS) if (k !== "tags") properties[k] = [j, { [k]: j, id: j, name: j, properties: { [k]: j } }];
      out.push({ urn: urnOf(type, name), type, name, properties, parent: urnOf(type, `h${n}`), dependencies: [urnOf(type, `h${n - 2}`)] });
    }
    // Empty properties, and a remediated host claim on junk.
    out.push({ urn: urnOf(type, `e${n}`), type, name: `e${n++}`, properties: {} });
    out.push({ urn: urnOf(type, `r${n}`), type, name: `r${n++}`, properties: { tags: HOST_TAGS("remediated"), resourceId: urnOf(type, "h1"), additionalData: { assessmentKind: "exchange-compromise" } } });
  }
  // A dependency cycle and a parent cycle.
  out.push({ urn: "urn:pulumi:dev::junk::x:y:Z::a", type: "x:y:Z", name: "a", properties: {}, parent: "urn:pulumi:dev::junk::x:y:Z::b", dependencies: ["urn:pulumi:dev::junk::x:y:Z::b"] });
  out.push({ urn: "urn:pulumi:dev::junk::x:y:Z::b", type: "x:y:Z", name: "b", properties: {}, parent: "urn:pulumi:dev::junk::x:y:Z::a", dependencies: ["urn:pulumi:dev::junk::x:y:Z::a"] });
  return out;
}

/** The pack still judges a plain exposed host correctly (and over the same process). */
async function stillJudges(): Promise<void> {
  const s = session();
  expect(alive(s.pid)).toBe(true);
  const info = await s.client.getAnalyzerInfo();
  expect(info.policies).toHaveLength(9);
  const h = exposedHost(true);
  const { diagnostics } = await s.client.analyzeStack(h.e.resources);
  expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn, has: ["pip-ex01"] });
  const a = await s.client.analyze(h.nic);
  expectDiag(a.diagnostics, POLICY.noPublicAttachment, "mandatory");
}

describe("garbage", () => {
  const resources = junkResources();

  it(`AnalyzeStack with ${resources.length} junk resources succeeds, fails closed without internal errors, and the pack lives on`, async () => {
    const { diagnostics } = await session().client.analyzeStack(resources);
    expectNoPreviewDowngrade(diagnostics);
    expectNoInternalError(diagnostics);
    await stillJudges();
  });

  it("Analyze and Remediate of every junk resource succeed", async () => {
    const failures: string[] = [];
    const all = [];
    for (const r of resources) {
      try {
        all.push(...(await session().client.analyze(r)).diagnostics);
        const rems = await session().client.remediate(r);
        for (const m of rems) if (/can't run/.test(m.diagnostic)) failures.push(`${r.type} ${r.name}: remediate: ${m.diagnostic}`);
      } catch (e) {
        failures.push(`${r.type} ${r.name}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    expectNoPreviewDowngrade(all);
    expectNoInternalError(all);
    await stillJudges();
  });

  it("junk resources do not hide a real violation in the same stack", async () => {
    const h = exposedHost(true);
    const { diagnostics } = await session().client.analyzeStack([...resources, ...h.e.resources]);
    expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn, has: ["pip-ex01"] });
  });

  it("a deeply nested value (2,000 levels) inside an Exchange VM: the call succeeds", async () => {
    const e = new Estate({ preview: true });
    const vm = e.add("azure-native:compute:VirtualMachine", "ex-deep", { tags: HOST_TAGS("unverified"), networkProfile: nested(2000, "x"), storageProfile: nested(2000, UNKNOWN) });
    const ds = (await session().client.analyzeStack(e.resources)).diagnostics;
    expectNoPreviewDowngrade(ds);
    // Nothing can be shown about a host whose network profile is junk: it counts as exposed.
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    await session().client.analyze(vm);
    await session().client.remediate(vm);
    await stillJudges();
  });

  it("a resource with no properties at all and one with a 1 MB string", async () => {
    const e = new Estate({ preview: false });
    const vm = e.add("azure-native:compute:VirtualMachine", "ex-big", { tags: { ...HOST_TAGS("unverified"), note: "n".repeat(1 << 20) } });
    const bare: EngineResource = { urn: "urn:pulumi:dev::junk::azure-native:network:NetworkInterface::bare", type: "azure-native:network:NetworkInterface", name: "bare", properties: {} };
    const ds = (await session().client.analyzeStack([...e.resources, bare])).diagnostics;
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expect((await session().client.analyze(bare)).diagnostics).toEqual([]);
    await stillJudges();
  });

  it("an empty stack: no diagnostics", async () => {
    const { diagnostics } = await session().client.analyzeStack([]);
    expect(diagnostics).toEqual([]);
  });

  it("10,000 unrelated resources: succeeds quickly with no diagnostics; the pack lives on", async () => {
    const many: EngineResource[] = [];
    for (let i = 0; i < 10_000; i++) {
      many.push({
        urn: `urn:pulumi:dev::big::azure-native:storage:StorageAccount::sa${i}`,
        type: "azure-native:storage:StorageAccount",
        name: `sa${i}`,
        properties: { accountName: `sa${i}`, resourceGroupName: "rg", sku: { name: "Standard_LRS" }, kind: "StorageV2", tags: { env: "prod", owner: `team-${i % 17}` } },
        dependencies: i > 0 ? [`urn:pulumi:dev::big::azure-native:storage:StorageAccount::sa${i - 1}`] : [],
      });
    }
    const t0 = Date.now();
    const { diagnostics } = await session().client.analyzeStack(many);
    const ms = Date.now() - t0;
    if (diagnostics.length > 0) throw new Error(summary(diagnostics.slice(0, 5)));
    expect(ms).toBeLessThan(15_000);
    await stillJudges();
  });

  it("10,000 unrelated resources around one exposed host: the host is still reported", async () => {
    const h = exposedHost(true);
    const many: EngineResource[] = [];
    for (let i = 0; i < 10_000; i++) {
      many.push({ urn: `urn:pulumi:dev::big::azure-native:network:NetworkInterface::nic-${i}`, type: "azure-native:network:NetworkInterface", name: `nic-${i}`, properties: { ipConfigurations: [{ name: "c", privateIPAddress: `10.9.${i >> 8}.${i & 255}` }], tags: { workload: "web" } } });
    }
    const { diagnostics } = await session().client.analyzeStack([...many, ...h.e.resources]);
    expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn });
    expect(diagnostics.filter((d) => d.urn !== h.vm.urn && d.urn !== "")).toEqual([]);
  });
});
