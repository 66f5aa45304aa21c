import { armTargetOf, GENERIC_RESOURCE, readGenericWrite, TYPED_BY_ARM } from "../../policies/model/genericResources";
import { ResourceGraph, ResourceInput } from "../../policies/model/graph";
import { T, TYPE_INFO } from "../../policies/model/resourceTypes";
import { UNKNOWN_AT_DEPTH } from "../../policies/model/values";
import { Estate, HOST_TAGS, rule, UNKNOWN, UNKNOWN as U } from "../support/estate";
import { envelope, genericSecurityRule, genericWrite, ISOLATION_CONFIG, publishedHost, quarantinedHost } from "../support/genericWrites";
import { runStack } from "../support/judge";
import { baseNet, exHost, hostNic } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS, EXPOSED, ISOLATED } from "../support/policyNames";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-exchange/providers";

function generic(name: string, props: Record<string, unknown>, extra: Partial<ResourceInput> = {}): ResourceInput {
  return { urn: `urn:pulumi:dev::p::${GENERIC_RESOURCE}::${name}`, type: GENERIC_RESOURCE, name, props, ...extra };
}

const path = (ns: string, parent: string, type: string, name?: unknown) => ({
  resourceGroupName: "rg-exchange",
  resourceProviderNamespace: ns,
  parentResourcePath: parent,
  resourceType: type,
  ...(name !== undefined ? { resourceName: name } : {}),
  apiVersion: "2024-05-01",
});

function typed(r: ResourceInput): ResourceInput {
  const g = readGenericWrite(r);
  if (g?.kind !== "typed") throw new Error(`not mapped: ${g?.kind === "unmapped" ? g.write.why : "not generic"}`);
  return g.input;
}

function whyUnmapped(r: ResourceInput): string {
  const g = readGenericWrite(r);
  if (g?.kind !== "unmapped") throw new Error(`expected unmapped, got ${g?.kind}`);
  return g.write.why;
}

describe("armTargetOf: where a generic write lands", () => {
  it("namespace, parent path, type and name: the type chain and the names along it", () => {
    const t = armTargetOf(path("Microsoft.Network", "networkSecurityGroups/nsg-iso-ex01", "securityRules", "allow-winrm"));
    expect(t).toEqual({
      kind: "known",
      armType: "microsoft.network/networksecuritygroups/securityrules",
      names: ["nsg-iso-ex01", "allow-winrm"],
      steps: [
        { type: "microsoft.network/networksecuritygroups", name: "nsg-iso-ex01" },
        { type: "microsoft.network/networksecuritygroups/securityrules", name: "allow-winrm" },
      ],
      extension: false,
      resourceGroup: "rg-exchange",
    });
  });

  it("the same path split differently (the parent inside resourceType, slashes around) lands in the same place", () => {
    const a = armTargetOf(path("Microsoft.Network", "", "networkSecurityGroups/nsg-iso-ex01/securityRules", "allow-winrm"));
    const b = armTargetOf(path("Microsoft.Network/", "/networkSecurityGroups/nsg-iso-ex01/", "/securityRules", "allow-winrm"));
    const c = armTargetOf(path("Microsoft.Network", "networkSecurityGroups/nsg-iso-ex01", "securityRules", "allow-winrm"));
    expect(a).toEqual(c);
    expect(b).toEqual(c);
  });

  it("a type in another case is the same ARM type (ARM compares types case-insensitively)", () => {
    const t = armTargetOf(path("MICROSOFT.NETWORK", "NetworkSecurityGroups/nsg1", "SECURITYRULES", "r1"));
    expect(t.kind === "known" && t.armType).toBe("microsoft.network/networksecuritygroups/securityrules");
  });

  it("no resourceName (azure-native names it) or one unknown at preview: the type is known, its own name is not", () => {
    for (const name of [undefined, U]) {
      const t = armTargetOf(path("Microsoft.Network", "", "publicIPAddresses", name));
      expect(t.kind === "known" && [t.armType, t.names]).toEqual(["microsoft.network/publicipaddresses", [undefined]]);
    }
  });

  it.each(["resourceProviderNamespace", "parentResourcePath", "resourceType"])("%s unknown at preview: unknown, saying which", (key) => {
    const p: Record<string, unknown> = path("Microsoft.Network", "networkSecurityGroups/nsg1", "securityRules", "r1");
    p[key] = U;
    expect(armTargetOf(p)).toEqual({ kind: "unknown", why: `its ${key} is unknown at preview`, resourceGroup: "rg-exchange" });
  });

  it("a parent path that is not type/name pairs does not form an ARM path", () => {
    const t = armTargetOf(path("Microsoft.Network", "networkSecurityGroups", "securityRules", "r1"));
    expect(t.kind).toBe("unknown");
  });

  it("an extension resource (a further providers segment) keeps its scope's steps", () => {
    const t = armTargetOf(path("Microsoft.Compute", "virtualMachines/ex01/providers/Microsoft.Resources", "tags", "default"));
    expect(t.kind === "known" && [t.armType, t.extension, t.names, t.steps.map((s) => s.type)]).toEqual([
      "microsoft.resources/tags",
      true,
      ["default"],
      ["microsoft.compute/virtualmachines", "microsoft.resources/tags"],
    ]);
  });

  it("outputs only (a deployed write in a stack export): its ARM id, or its output type and name", () => {
    const byId = armTargetOf({ id: `${SUB}/Microsoft.Network/networkSecurityGroups/nsg1/securityRules/r1` });
    expect(byId.kind === "known" && [byId.armType, byId.names, byId.resourceGroup]).toEqual([
      "microsoft.network/networksecuritygroups/securityrules",
      ["nsg1", "r1"],
      "rg-exchange",
    ]);
    const byType = armTargetOf({ type: "Microsoft.Network/publicIPAddresses", name: "pip-1" });
    expect(byType.kind === "known" && [byType.armType, byType.names]).toEqual(["microsoft.network/publicipaddresses", ["pip-1"]]);
    expect(armTargetOf({}).kind).toBe("unknown");
  });
});

describe("readGenericWrite: the typed resource a generic write writes", () => {
  it("is undefined for anything but a generic write; a versioned generic token is one", () => {
    expect(readGenericWrite({ urn: "u", type: T.NSG, name: "n", props: {} })).toBeUndefined();
    const r = generic("r", path("Microsoft.Network", "", "networkSecurityGroups", "nsg1"));
    expect(readGenericWrite({ ...r, type: "azure-native:resources/v20240301:Resource" })?.kind).toBe("typed");
  });

  it("a security rule: typed token, name and parent inputs from the path, the body flattened, the group kept", () => {
    const body = { priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "*", destinationPortRange: "5985" };
    const t = typed(
      generic("open-winrm", { ...path("Microsoft.Network", "networkSecurityGroups/nsg-iso-ex01", "securityRules", "allow-winrm"), properties: body }),
    );
    expect(t.type).toBe(T.SecurityRule);
    expect(t.urn).toBe(`urn:pulumi:dev::p::${GENERIC_RESOURCE}::open-winrm`);
    expect(t.props).toEqual({ ...body, securityRuleName: "allow-winrm", networkSecurityGroupName: "nsg-iso-ex01", resourceGroupName: "rg-exchange" });
  });

  it("an NSG: each rule's envelope is flattened as azure-native flattens inline rules", () => {
    const t = typed(
      generic("nsg", {
        ...path("Microsoft.Network", "", "networkSecurityGroups", "nsg-iso-ex01"),
        location: "westeurope",
        tags: { owner: "soc" },
        properties: {
          flushConnection: true,
          securityRules: [{ name: "allow-all", properties: { priority: 100, access: "Allow", direction: "Inbound", sourceAddressPrefix: "*" } }],
        },
      }),
    );
    expect(t.type).toBe(T.NSG);
    expect(t.props).toEqual({
      flushConnection: true,
      securityRules: [{ name: "allow-all", priority: 100, access: "Allow", direction: "Inbound", sourceAddressPrefix: "*" }],
      location: "westeurope",
      tags: { owner: "soc" },
      networkSecurityGroupName: "nsg-iso-ex01",
      resourceGroupName: "rg-exchange",
    });
  });

  it("a sub-resource reads as ARM reads it: keys beside its properties envelope are dropped, envelope keys kept", () => {
    const t = typed(
      generic("nsg", {
        ...path("Microsoft.Network", "", "networkSecurityGroups", "n"),
        properties: { securityRules: [{ name: "r", id: "x", access: "Deny", priority: 4096, properties: { access: "Allow", priority: 100 } }] },
      }),
    );
    expect((t.props as { securityRules: unknown[] }).securityRules).toEqual([{ name: "r", id: "x", access: "Allow", priority: 100 }]);
  });

  it("a sub-resource whose properties are unknown at preview is unknown as a whole", () => {
    const t = typed(
      generic("nsg", {
        ...path("Microsoft.Network", "", "networkSecurityGroups", "n"),
        properties: { securityRules: [{ name: "r", properties: U }] },
      }),
    );
    expect((t.props as { securityRules: unknown[] }).securityRules).toEqual([U]);
  });

  it("a NIC: ipConfigurations and the references inside them as the typed NIC has them; a VM's NIC references too", () => {
    const nic = typed(
      generic("nic", {
        ...path("Microsoft.Network", "", "networkInterfaces", "nic-ex01"),
        properties: {
          ipConfigurations: [
            {
              name: "ipconfig1",
              properties: { privateIPAddress: "10.0.1.4", subnet: { id: "s" }, publicIPAddress: { id: "p", properties: { sku: "ignored" } } },
            },
          ],
        },
      }),
    );
    expect((nic.props as { ipConfigurations: unknown[] }).ipConfigurations).toEqual([
      { name: "ipconfig1", privateIPAddress: "10.0.1.4", subnet: { id: "s" }, publicIPAddress: { id: "p", sku: "ignored" } },
    ]);
    const vm = typed(
      generic("vm", {
        ...path("Microsoft.Compute", "", "virtualMachines", "ex01"),
        properties: { networkProfile: { networkInterfaces: [{ id: "n", properties: { primary: true } }] } },
      }),
    );
    expect(vm.type).toBe(T.VM);
    expect((vm.props as Record<string, unknown>).networkProfile).toEqual({ networkInterfaces: [{ id: "n", primary: true }] });
    expect((vm.props as Record<string, unknown>).vmName).toBe("ex01");
  });

  it("a public IP keeps its SKU (an envelope key); a private DNS record set takes its record type from the path", () => {
    const pip = typed(generic("pip", { ...path("Microsoft.Network", "", "publicIPAddresses", "pip-1"), sku: { name: "Standard" }, properties: {} }));
    expect(pip.props).toMatchObject({ sku: { name: "Standard" }, publicIpAddressName: "pip-1" });
    const rs = typed(
      generic("rs", {
        ...path("Microsoft.Network", "privateDnsZones/corp.example", "A", "ex01"),
        properties: { aRecords: [{ ipv4Address: "10.0.1.4" }] },
      }),
    );
    expect([rs.type, rs.props]).toEqual([
      T.PrivateRecordSet,
      {
        aRecords: [{ ipv4Address: "10.0.1.4" }],
        relativeRecordSetName: "ex01",
        privateZoneName: "corp.example",
        recordType: "A",
        resourceGroupName: "rg-exchange",
      },
    ]);
  });

  it("API Management children carry their service and API names", () => {
    const p = typed(
      generic("pol", { ...path("Microsoft.ApiManagement", "service/apim-1/apis/wsman", "policies", "policy"), properties: { value: "<policies/>" } }),
    );
    expect([p.type, p.props]).toEqual([
      T.ApimApiPolicy,
      { value: "<policies/>", policyId: "policy", serviceName: "apim-1", apiId: "wsman", resourceGroupName: "rg-exchange" },
    ]);
  });

  it("the Tags API at a VM's scope is a TagAtScope on the VM: scope from its own id, else its path in its resource group, else unknown", () => {
    const tags = { workload: "exchange" };
    const base = { ...path("Microsoft.Compute", "virtualMachines/ex01/providers/Microsoft.Resources", "tags", "default"), properties: { tags } };
    const deployed = typed(generic("t", { ...base, id: `${SUB}/Microsoft.Compute/virtualMachines/ex01/providers/Microsoft.Resources/tags/default` }));
    expect([deployed.type, deployed.props]).toEqual([
      T.TagAtScope,
      expect.objectContaining({ scope: `${SUB}/Microsoft.Compute/virtualMachines/ex01`, properties: { tags } }),
    ]);
    const planned = typed(generic("t", { ...base, id: U }));
    expect((planned.props as Record<string, unknown>).scope).toBe(
      "/subscriptions/unknown/resourceGroups/rg-exchange/providers/microsoft.compute/virtualmachines/ex01",
    );
    const noGroup = typed(generic("t", { ...base, id: U, resourceGroupName: U }, { propertyDependencies: { parentResourcePath: ["urn:vm"] } }));
    expect([(noGroup.props as Record<string, unknown>).scope, noGroup.propertyDependencies]).toEqual([UNKNOWN_AT_DEPTH, { scope: ["urn:vm"] }]);
  });

  it("property dependencies follow the inputs they now feed: the body's to every flattened key, the path's to the parent keys", () => {
    const t = typed(
      generic(
        "rule",
        {
          ...path("Microsoft.Network", U, "securityRules", "r1"),
          parentResourcePath: "networkSecurityGroups/nsg1",
          properties: { priority: 100, access: "Allow" },
        },
        { propertyDependencies: { properties: ["urn:a"], parentResourcePath: ["urn:nsg"], resourceGroupName: ["urn:rg"] } },
      ),
    );
    expect(t.propertyDependencies).toEqual({
      priority: ["urn:a"],
      access: ["urn:a"],
      networkSecurityGroupName: ["urn:nsg"],
      resourceGroupName: ["urn:rg"],
    });
    // No entries sent at all (an older engine, a stack export): none invented.
    expect(typed(generic("r", path("Microsoft.Network", "", "networkSecurityGroups", "n"))).propertyDependencies).toBeUndefined();
  });

  it("cannot be mapped: an unknown type, an extension resource, a path or body unknown at preview — each says why", () => {
    expect(whyUnmapped(generic("x", path("Microsoft.Network", "", "natGateways", "nat1")))).toBe(
      "it writes microsoft.network/natgateways, a type the pack does not model",
    );
    expect(
      whyUnmapped(generic("x", path("Microsoft.Compute", "virtualMachines/ex01/providers/Microsoft.Authorization", "locks", "no-delete"))),
    ).toMatch(/^it writes microsoft.authorization\/locks, an extension resource/);
    expect(whyUnmapped(generic("x", { ...path("Microsoft.Network", "", "networkSecurityGroups", "n"), parentResourcePath: U }))).toBe(
      "the pack cannot tell what it writes: its parentResourcePath is unknown at preview",
    );
    expect(whyUnmapped(generic("x", { ...path("Microsoft.Network", "", "networkSecurityGroups", "n"), properties: U }))).toBe(
      "it writes microsoft.network/networksecuritygroups but its properties are unknown at preview",
    );
  });

  it("nesting deeper than values.ts reads is unknown, never absent", () => {
    let v: unknown = { properties: { access: "Allow" } };
    for (let i = 0; i < 300; i++) v = { properties: { inner: v } };
    const t = typed(generic("deep", { ...path("Microsoft.Network", "", "networkSecurityGroups", "n"), properties: { x: v } }));
    expect(JSON.stringify(t.props)).toContain(UNKNOWN_AT_DEPTH);
  });

  it("every ARM type of TYPE_INFO maps to its token; the extra shapes are types the model reads", () => {
    for (const [token, info] of Object.entries(TYPE_INFO)) expect(TYPED_BY_ARM.get(info.arm)?.token).toBe(token);
    const tokens = new Set<string>(Object.values(T));
    for (const [arm, shape] of TYPED_BY_ARM) {
      expect(tokens.has(shape.token)).toBe(true);
      expect(arm).toBe(arm.toLowerCase());
      expect(shape.parentKeys.length).toBe(arm.split("/").length - 2);
    }
  });
});

describe("ResourceGraph with generic writes", () => {
  it("joins the graph as the typed resource: typed lookups, names and ids find it; unmapped writes stay as they are and are listed", () => {
    const rule = generic("open-winrm", {
      ...path("Microsoft.Network", "networkSecurityGroups/nsg1", "securityRules", "allow-winrm"),
      id: `${SUB}/Microsoft.Network/networkSecurityGroups/nsg1/securityRules/allow-winrm`,
      properties: { priority: 100 },
    });
    const nat = generic("nat", path("Microsoft.Network", "", "natGateways", "nat1"));
    const g = new ResourceGraph([rule, nat]);
    expect(g.ofType(T.SecurityRule).map((n) => [n.display, n.parentNames, n.rg])).toEqual([["allow-winrm", ["nsg1"], "rg-exchange"]]);
    expect(g.named(T.SecurityRule, "ALLOW-WINRM").map((n) => n.urn)).toEqual([rule.urn]);
    expect(g.byNormalizedId(`${SUB}/Microsoft.Network/networkSecurityGroups/nsg1/securityRules/allow-winrm`.slice(1).toLowerCase())?.urn).toBe(
      rule.urn,
    );
    expect(g.node(nat.urn)?.type).toBe(GENERIC_RESOURCE);
    expect(g.unmappedWrites.map((w) => [w.input.urn, w.why])).toEqual([
      [nat.urn, "it writes microsoft.network/natgateways, a type the pack does not model"],
    ]);
  });
});

/**
 * Generic ARM writes through the whole pack: azure-native's `resources:Resource` (ARM's generic PUT,
 * https://learn.microsoft.com/rest/api/resources/resources/create-or-update) counts as the typed resource it writes, in
 * every policy; one the pack cannot map that lands in a host's network fails the host's network verdicts closed.
 */
const winrm = () => rule({ name: "allow-winrm", priority: 110, source: "*", port: "5985", protocol: "Tcp" });

describe.each(FORMS)("generic ARM writes through the whole pack (%s form)", (_form, preview) => {
  it("control: the quarantined host is isolated and not exposed", () => {
    const { e } = quarantinedHost(preview);
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it("a security rule written generically into the quarantine NSG counts in the NSG evaluator: the host is no longer isolated", () => {
    const { e, vm } = quarantinedHost(preview);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", winrm());
    const v = runStack(ISOLATED, e.resources, ISOLATION_CONFIG);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "NIC NSG nsg-iso-ex01 SecurityRule allow-winrm (110)", "TCP 5985");
  });

  it("the same rule with the NSG's name taken from its output at preview (parent path unknown): isolation cannot be shown, naming the write", () => {
    const { e, vm, nsg } = quarantinedHost(preview);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", winrm(), {
      parentPath: preview ? UNKNOWN : "networkSecurityGroups/nsg-iso-ex01",
      deps: { parentResourcePath: [nsg] },
    });
    const v = runStack(ISOLATED, e.resources, ISOLATION_CONFIG);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, preview ? "generic ARM write open-winrm" : "SecurityRule allow-winrm (110)");
  });

  it("an NSG written generically, with its rules in ARM's envelopes, guards the host like the typed NSG", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = genericWrite(e, "nsg-generic", {
      namespace: "Microsoft.Network",
      type: "networkSecurityGroups",
      resourceName: "nsg-iso-ex01",
      properties: {
        securityRules: [
          envelope(rule({ name: "allow-forensics-rdp", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" })),
          envelope(rule({ name: "deny-all-in", priority: 4000, access: "Deny", source: "*" })),
        ],
      },
    });
    const nic = hostNic(e, sub, { nsg });
    exHost(e, { nics: [nic] });
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    genericSecurityRule(e, "open-all", "nsg-iso-ex01", rule({ name: "allow-all", priority: 120, source: "*" }));
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toHaveLength(1);
  });

  it("a public IP attached to the host's NIC written generically is an internet path", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const pip = genericWrite(e, "pip-generic", {
      namespace: "Microsoft.Network",
      type: "publicIPAddresses",
      resourceName: "pip-ex01",
      extra: { sku: { name: "Standard" } },
      properties: { publicIPAllocationMethod: "Static" },
    });
    const nic = genericWrite(e, "nic-generic", {
      namespace: "Microsoft.Network",
      type: "networkInterfaces",
      resourceName: "nic-ex01",
      extra: { tags: HOST_TAGS("unverified") },
      properties: {
        networkSecurityGroup: e.ref(nsg),
        ipConfigurations: [{ name: "ipconfig1", properties: { privateIPAddress: "10.0.1.4", subnet: e.ref(sub), publicIPAddress: e.ref(pip) } }],
      },
      deps: { properties: [nsg, sub, pip] },
    });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "via public IP", "public IP pip-ex01 (Standard) → NIC nic-ex01/ipconfig1", "TCP 443");
  });

  it("an Exchange VM written generically is a host: its public path is reported against it", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
    const vm = genericWrite(e, "vm-generic", {
      namespace: "Microsoft.Compute",
      type: "virtualMachines",
      resourceName: "ex01",
      extra: { tags: HOST_TAGS("unverified"), location: "westeurope" },
      properties: {
        hardwareProfile: { vmSize: "Standard_E8s_v5" },
        networkProfile: { networkInterfaces: [{ ...e.ref(nic), properties: { primary: true } }] },
        storageProfile: {
          osDisk: { createOption: "FromImage" },
          imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
        },
      },
      deps: { properties: [nic] },
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(/^host ex01 \(unverified\) is reachable from the internet via public IP: public IP pip-ex01 .* TCP 3389/);
  });

  it("the Tags API written generically at a VM's scope tags it as an Exchange host: its published path is reported", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: {} })], tags: { workload: "sharepoint" } });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    genericWrite(e, "retag", {
      namespace: "Microsoft.Compute",
      parentPath: "virtualMachines/ex01/providers/Microsoft.Resources",
      type: "tags",
      resourceName: "default",
      properties: { tags: HOST_TAGS("unverified") },
      armId: `${vm.armId}/providers/Microsoft.Resources/tags/default`,
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "TagAtScope", "via public IP");
  });

  it("a generic deny above the published allow closes the public path, as a typed one would", () => {
    const { e } = publishedHost(preview);
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
    genericSecurityRule(e, "rdp", "nsg-pub-ex01", rule({ name: "allow-rdp", priority: 110, source: "Internet", port: "3389", protocol: "Tcp" }));
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([expect.objectContaining({ message: expect.stringContaining("3389 (RDP)") })]);
    genericSecurityRule(e, "deny-rdp", "nsg-pub-ex01", rule({ name: "deny-rdp", priority: 105, access: "Deny", source: "*", port: "3389" }));
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
  });
});
