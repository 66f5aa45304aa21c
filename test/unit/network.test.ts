import { ALL_ADDRESSES, INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "../../policies/model/addresses";
import { ResourceGraph } from "../../policies/model/graph";
import { IntervalSet } from "../../policies/model/intervalSet";
import { NetworkModel, NsgSlot, refProblem } from "../../policies/model/network";
import { CompiledNsg } from "../../policies/model/nsgEvaluator";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN, UNKNOWN as SENTINEL } from "../support/estate";
import { rawInputs, runStack } from "../support/judge";
import { FORMS } from "../support/assertions";
import { FORENSICS } from "../support/networks";
import { EXPOSED, ISOLATED } from "../support/policyNames";

const OUTSIDE_NSG = "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/networkSecurityGroups/NSG-Hub";
const OUTSIDE_SUBNET = "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub/subnets/Shared";
const cidrs = (...list: string[]) => list.map((c) => parseAddressPrefix(c)!).reduce((a, b) => a.union(b), IntervalSet.EMPTY);

function model(resources: readonly Res[]) {
  const graph = new ResourceGraph(rawInputs(resources));
  const net = new NetworkModel(graph);
  return { graph, net, node: (r: Res) => graph.node(r.urn)! };
}
const nsgsOf = (slot: NsgSlot): readonly CompiledNsg[] => (slot.kind === "nsgs" ? slot.nsgs : []);
const ruleNames = (nsg: CompiledNsg) => nsg.rules.map((r) => r.name);

describe("refProblem", () => {
  it("words an unresolved reference, then an external one, else nothing", () => {
    expect(refProblem("the NSG of nic-ex01", { targets: [], external: [], unresolved: "its id is unknown at preview" })).toBe(
      "the NSG of nic-ex01: its id is unknown at preview",
    );
    expect(refProblem("subnet of x", { targets: [], external: ["a/b", "c/d"] })).toBe(
      "subnet of x a/b is not in this stack, so its rules cannot be read",
    );
    expect(refProblem("w", { targets: [], external: ["a/b"], unresolved: "why" })).toBe("w: why");
    expect(refProblem("w", { targets: [], external: [] })).toBeUndefined();
  });
});

describe("NetworkModel.compileNsg", () => {
  it("reads inline rules, sorted by priority, named by the NSG when unnamed", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", [rule({ name: "b", priority: 300 }), { ...rule({ name: "x", priority: 200 }), name: undefined }]);
    const { net, node } = model(e.resources);
    const c = net.compileNsg(node(nsg));
    expect(c.key).toBe(nsg.urn);
    expect(c.name).toBe("nsg-ex01");
    expect(c.rules.map((r) => [r.name, r.priority, r.origin])).toEqual([
      ["nsg-ex01 rule #2", 200, "inline"],
      ["b", 300, "inline"],
    ]);
    expect(net.compileNsg(node(nsg))).toBe(c);
  });

  it("an NSG without rules has none of its own", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-empty", undefined);
    const { net, node } = model(e.resources);
    expect(net.compileNsg(node(nsg)).rules).toEqual([]);
  });

  it("unreadable inline rules allow everything, and say why", () => {
    const e = new Estate();
    const unknown = e.nsg("nsg-unk", undefined, { securityRules: SENTINEL });
    const bad = e.nsg("nsg-bad", undefined, { securityRules: "allow-all" });
    const { net, node } = model(e.resources);
    const u = net.compileNsg(node(unknown));
    expect(u.rules.map((r) => [r.name, r.origin, r.access, r.notes])).toEqual([
      ["nsg-unk securityRules", "assumed", "allow", ["the rules of NSG nsg-unk are unknown at preview"]],
    ]);
    expect(net.compileNsg(node(bad)).rules[0].notes).toEqual(["the rules of NSG nsg-bad are malformed (expected a list)"]);
  });

  it("adds standalone SecurityRules linked by dependency, allow and deny", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", [rule({ name: "inline-allow", priority: 500 })]);
    e.securityRule("deny-rdp", nsg, rule({ name: "deny-rdp", priority: 100, access: "Deny", port: "3389" }));
    e.securityRule("allow-https", nsg, rule({ name: "allow-https", priority: 200, port: "443" }));
    const { net, node } = model(e.resources);
    expect(net.compileNsg(node(nsg)).rules.map((r) => [r.name, r.origin])).toEqual([
      ["deny-rdp", "standalone"],
      ["allow-https", "standalone"],
      ["inline-allow", "inline"],
    ]);
  });

  it("attaches a rule by NSG name in the same resource group, case-insensitively", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", []);
    const r = e.securityRule("deny-all", nsg, rule({ name: "deny-all", priority: 100, access: "Deny" }));
    r.properties.networkSecurityGroupName = "NSG-EX01";
    (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkSecurityGroupName = [];
    (r as unknown as { dependencies: string[] }).dependencies.length = 0;
    const { net, node } = model(e.resources);
    expect(ruleNames(net.compileNsg(node(nsg)))).toEqual(["deny-all"]);
  });

  it("ignores a rule for the NSG of the same name in another resource group", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", []);
    const r = e.securityRule("allow-any", nsg, rule({ name: "allow-any" }), "rg-other");
    (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkSecurityGroupName = [];
    (r as unknown as { dependencies: string[] }).dependencies.length = 0;
    const { net, node } = model(e.resources);
    expect(net.compileNsg(node(nsg)).rules).toEqual([]);
  });

  it("ignores a rule whose dependency is an NSG of another name", () => {
    const e = new Estate();
    const nsgA = e.nsg("nsg-a", []);
    const nsgB = e.nsg("nsg-b", []);
    const r = e.securityRule("allow-any", nsgA, rule({ name: "allow-any" }));
    (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkSecurityGroupName = [nsgB.urn];
    const { net, node } = model(e.resources);
    expect(net.compileNsg(node(nsgB)).rules).toEqual([]);
    expect(net.compileNsg(node(nsgA)).rules).toEqual([]);
  });

  it("a rule whose NSG is only a guess may widen but never narrow", () => {
    const e = new Estate();
    const nsgA = e.nsg("nsg-a", []);
    const nsgB = e.nsg("nsg-b", []);
    const allow = e.securityRule("allow-any", nsgA, rule({ name: "allow-any", priority: 200 }));
    const deny = e.securityRule("deny-any", nsgA, rule({ name: "deny-any", priority: 100, access: "Deny" }));
    for (const r of [allow, deny]) {
      r.properties.networkSecurityGroupName = SENTINEL;
      r.properties.id = SENTINEL;
      (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkSecurityGroupName = [];
      (r as unknown as { dependencies: string[] }).dependencies.length = 0;
    }
    const { net, node } = model(e.resources);
    expect(ruleNames(net.compileNsg(node(nsgA)))).toEqual(["allow-any"]);
    expect(ruleNames(net.compileNsg(node(nsgB)))).toEqual(["allow-any"]);
  });

  it("a rule linked to one of several NSGs by dependency is only possible for each", () => {
    const e = new Estate();
    const nsgA = e.nsg("nsg-a", [], { networkSecurityGroupName: SENTINEL });
    const nsgB = e.nsg("nsg-b", [], { networkSecurityGroupName: SENTINEL });
    const r = e.securityRule("deny-any", nsgA, rule({ name: "deny-any", access: "Deny" }));
    for (const x of [nsgA, nsgB, r]) x.properties.id = SENTINEL;
    r.properties.networkSecurityGroupName = SENTINEL;
    (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.networkSecurityGroupName = [nsgA.urn, nsgB.urn];
    const { net, node } = model(e.resources);
    expect(net.compileNsg(node(nsgA)).rules).toEqual([]);
    const single = new Estate();
    const only = single.nsg("nsg-a", [], { networkSecurityGroupName: SENTINEL });
    const r2 = single.securityRule("deny-any", only, rule({ name: "deny-any", access: "Deny" }));
    r2.properties.networkSecurityGroupName = SENTINEL;
    for (const x of [only, r2]) x.properties.id = SENTINEL;
    const m2 = model(single.resources);
    expect(ruleNames(m2.net.compileNsg(m2.node(only)))).toEqual(["deny-any"]);
  });
});

describe("NetworkModel.nsgSlot", () => {
  function withNic(nsgRef: unknown, deps: Res[] = []) {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", []);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", { networkInterfaceName: "nic-ex01" }, { networkSecurityGroup: deps });
    return { ...model(e.resources), nsg, nic, ref: typeof nsgRef === "function" ? nsgRef(nsg) : nsgRef };
  }

  it("no reference is no NSG", () => {
    for (const ref of [undefined, null, {}]) {
      const { net, node, nic } = withNic(ref);
      expect(net.nsgSlot(node(nic), ref, "networkSecurityGroup")).toEqual({ kind: "none" });
    }
  });

  it("a known NSG is compiled once", () => {
    const { net, node, nic, nsg } = withNic(undefined);
    const slot = net.nsgSlot(node(nic), { id: nsg.armId }, "networkSecurityGroup");
    expect(nsgsOf(slot).map((n) => n.key)).toEqual([nsg.urn]);
    expect(nsgsOf(slot)[0]).toBe(net.compileNsg(node(nsg)));
  });

  it("an NSG outside the stack allows everything, named by its last segment", () => {
    const { net, node, nic } = withNic(undefined);
    const slot = net.nsgSlot(node(nic), { id: OUTSIDE_NSG }, "networkSecurityGroup");
    const [c] = nsgsOf(slot);
    const key = "subscriptions/s/resourcegroups/rg-hub/providers/microsoft.network/networksecuritygroups/nsg-hub";
    expect(c.key).toBe(key);
    expect(c.name).toBe("nsg-hub");
    expect(c.rules.map((r) => [r.name, r.origin, r.access, r.notes])).toEqual([
      ["nsg-hub (unreadable)", "assumed", "allow", [`NSG ${key} is not in this stack`]],
    ]);
    expect(nsgsOf(net.nsgSlot(node(nic), { id: OUTSIDE_NSG.toUpperCase() }, "networkSecurityGroup"))[0]).toBe(c);
  });

  it("an id naming a resource that is not an NSG guards nothing: it allows everything and says what it names", () => {
    const e = new Estate();
    const pip = e.add("azure-native:network:PublicIPAddress", "pip-ex01", { publicIpAddressName: "pip-ex01" });
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", { networkInterfaceName: "nic-ex01" });
    const { net, node } = model(e.resources);
    const [c] = nsgsOf(net.nsgSlot(node(nic), { id: pip.armId }, "networkSecurityGroup"));
    expect(c.key).toBe(`${nic.urn}#networkSecurityGroup`);
    expect(c.name).toBe("NSG of nic-ex01");
    expect(c.rules).toHaveLength(1);
    expect(c.rules[0].access).toBe("allow");
    expect(c.rules[0].notes).toEqual(["the NSG of nic-ex01 names pip-ex01 (azure-native:network:PublicIPAddress), not an NSG"]);
  });

  it("an NSG that cannot be followed allows everything, and says why", () => {
    const { net, node, nic } = withNic(undefined);
    const [c] = nsgsOf(net.nsgSlot(node(nic), { id: SENTINEL }, "networkSecurityGroup"));
    expect(c.key).toBe(`${nic.urn}#networkSecurityGroup`);
    expect(c.name).toBe("NSG of nic-ex01");
    expect(c.rules.map((r) => [r.name, r.notes])).toEqual([
      ["NSG of nic-ex01 (unreadable)", ["the NSG of nic-ex01 cannot be followed: its id is unknown at preview and no dependency names the target"]],
    ]);
  });

  it("at preview, follows the NSG through its dependency", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-ex01", []);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", {}, { networkSecurityGroup: [nsg] });
    const { net, node } = model(e.resources);
    expect(nsgsOf(net.nsgSlot(node(nic), { id: SENTINEL }, "networkSecurityGroup")).map((n) => n.key)).toEqual([nsg.urn]);
  });
});

describe("NetworkModel.subnetViews", () => {
  function net0(o: { preview?: boolean; subnetNsg?: boolean; inline?: Array<Record<string, unknown>> } = {}) {
    const e = new Estate({ preview: o.preview });
    const nsg = e.nsg("nsg-snet", []);
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], o.inline);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24", o.subnetNsg ? nsg : undefined);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", { networkInterfaceName: "nic-ex01" }, { ipConfigurations: [sub] });
    return { e, nsg, vnet, sub, nic };
  }

  it("no reference is no subnet", () => {
    const { e, nic } = net0();
    const { net, node } = model(e.resources);
    expect(net.subnetViews(node(nic), undefined, "ipConfigurations")).toEqual([]);
    expect(net.subnetViews(node(nic), null, "ipConfigurations")).toEqual([]);
  });

  it("a standalone subnet: prefixes, NSG, VNet and what VirtualNetwork stands for", () => {
    const { e, nsg, vnet, sub, nic } = net0({ subnetNsg: true });
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations");
    expect(views).toHaveLength(1);
    const v = views[0];
    expect(v.key).toBe(sub.urn);
    expect(v.name).toBe("snet");
    expect(v.prefixes?.equals(cidrs("10.0.1.0/24"))).toBe(true);
    expect(nsgsOf(v.nsg).map((n) => n.key)).toEqual([nsg.urn]);
    expect(v.vnet?.urn).toBe(vnet.urn);
    expect(v.notes).toEqual([]);
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.0.0/16"))).toBe(true);
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE)).toBe(true);
    expect(v.ctxKey).toBe(`${vnet.urn}|`);
    expect(net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations")[0]).toBe(v);
  });

  it("at preview, finds the subnet and its VNet through dependencies", () => {
    const { e, vnet, sub, nic } = net0({ preview: true });
    const { net, node } = model(e.resources);
    const [v] = net.subnetViews(node(nic), { id: SENTINEL }, "ipConfigurations");
    expect(v.key).toBe(sub.urn);
    expect(v.vnet?.urn).toBe(vnet.urn);
    expect(v.nsg).toEqual({ kind: "none" });
  });

  it("finds the VNet of a standalone subnet by name when no dependency says", () => {
    const { e, vnet, sub, nic } = net0();
    (sub as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.virtualNetworkName = [];
    (sub as unknown as { dependencies: string[] }).dependencies.length = 0;
    const { net, node } = model(e.resources);
    expect(net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations")[0].vnet?.urn).toBe(vnet.urn);
  });

  it("reads addressPrefixes lists together with addressPrefix", () => {
    const { e, sub, nic } = net0();
    sub.properties.addressPrefixes = ["10.0.2.0/24", SENTINEL, "bogus"];
    const { net, node } = model(e.resources);
    expect(net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations")[0].prefixes?.equals(cidrs("10.0.1.0/24", "10.0.2.0/24"))).toBe(true);
  });

  it("a subnet with unknown prefixes has none", () => {
    const { e, sub, nic } = net0();
    sub.properties.addressPrefix = SENTINEL;
    const { net, node } = model(e.resources);
    expect(net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations")[0].prefixes).toBeUndefined();
  });

  it("an inline subnet of a VNet, by child id, with its NSG", () => {
    const e = new Estate();
    const nsg = e.nsg("nsg-in", []);
    const vnet = e.vnet(
      "vnet",
      ["10.0.0.0/16"],
      [
        { name: "Other", addressPrefix: "10.0.9.0/24" },
        { name: "SNET-IN", addressPrefix: "10.0.3.0/24", networkSecurityGroup: { id: nsg.armId } },
      ],
    );
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/snet-in` }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.name, v.vnet?.urn, v.notes])).toEqual([[`${vnet.urn}/subnets/snet-in`, "SNET-IN", vnet.urn, []]]);
    expect(views[0].prefixes?.equals(cidrs("10.0.3.0/24"))).toBe(true);
    expect(nsgsOf(views[0].nsg).map((n) => n.key)).toEqual([nsg.urn]);
  });

  it("a dependency on the VNet only means any of its inline subnets", () => {
    const e = new Estate({ preview: true });
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "a", addressPrefix: "10.0.1.0/24" }, { addressPrefix: "10.0.2.0/24" }]);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {}, { ipConfigurations: [vnet] });
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: SENTINEL }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.name])).toEqual([
      [`${vnet.urn}/subnets/a`, "a"],
      [`${vnet.urn}/subnets/(unnamed)`, "(unnamed)"],
    ]);
  });

  it("a subnet not inline falls back to the standalone one of that VNet", () => {
    const { e, vnet, sub, nic } = net0({ inline: [{ name: "other", addressPrefix: "10.0.9.0/24" }] });
    sub.properties.id = SENTINEL;
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/snet` }, "ipConfigurations");
    expect(views.map((v) => v.key)).toEqual([sub.urn]);
  });

  it("a subnet declared nowhere is unknown, and says so", () => {
    const { e, vnet, nic } = net0();
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/ghost` }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.name, v.prefixes, v.vnet, v.notes, v.ctxKey])).toEqual([
      [`${vnet.urn}/subnets/ghost`, "ghost", undefined, undefined, ["subnet ghost is not declared in vnet"], "unknown-vnet"],
    ]);
    const [c] = nsgsOf(views[0].nsg);
    expect(c.name).toBe("NSG of unknown subnet");
    expect(c.rules.map((r) => [r.origin, r.access, r.notes])).toEqual([["assumed", "allow", ["subnet ghost is not declared in vnet"]]]);
    expect(views[0].ctx.vnetAllow.equals(PRIVATE_SPACE)).toBe(true);
    expect(views[0].ctx.vnetDeny.isEmpty).toBe(true);
  });

  it("a VNet whose subnets are unknown gives an unknown subnet", () => {
    const { e, vnet, nic } = net0();
    vnet.properties.subnets = SENTINEL;
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/x` }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.notes])).toEqual([[`${vnet.urn}#subnets`, ["the subnets of vnet are unknown at preview"]]]);
  });

  it("a subnet outside the stack is unknown", () => {
    const { e, nic } = net0();
    const { net, node } = model(e.resources);
    const ext = "subscriptions/s/resourcegroups/rg-hub/providers/microsoft.network/virtualnetworks/hub/subnets/shared";
    const views = net.subnetViews(node(nic), { id: OUTSIDE_SUBNET }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.name, v.notes])).toEqual([[ext, "shared", [`subnet ${ext} is not in this stack`]]]);
    expect(nsgsOf(views[0].nsg).map((n) => n.key)).toEqual([`${ext}#nsg`]);
  });

  it("a subnet that cannot be followed is unknown, and says why", () => {
    const { e, nic } = net0();
    (nic as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.ipConfigurations = [];
    (nic as unknown as { dependencies: string[] }).dependencies.length = 0;
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: SENTINEL }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.notes])).toEqual([
      [`${nic.urn}#ipConfigurations`, ["the subnet of nic-ex01 cannot be followed: its id is unknown at preview and no dependency names the target"]],
    ]);
  });

  it("a subnet declared both inline and standalone takes both NSGs, and says so", () => {
    const e = new Estate();
    const nsgIn = e.nsg("nsg-inline", []);
    const nsgSa = e.nsg("nsg-standalone", []);
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "snet", addressPrefix: "10.0.1.0/24", networkSecurityGroup: { id: nsgIn.armId } }]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24", nsgSa);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    const [v] = net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations");
    expect(v.key).toBe(sub.urn);
    expect(nsgsOf(v.nsg).map((n) => n.key)).toEqual([nsgSa.urn, nsgIn.urn]);
    expect(v.notes).toEqual(["subnet snet is declared both inline in vnet and as a standalone Subnet"]);
  });
});

describe("NetworkModel: what VirtualNetwork stands for", () => {
  function ctxOf(build: (e: Estate, vnet: Res, sub: Res) => void, vnetSpace = ["10.0.0.0/16"]) {
    const e = new Estate();
    const vnet = e.vnet("vnet", vnetSpace);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    build(e, vnet, sub);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    return net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations")[0];
  }

  it("peered address space widens allows but not denies", () => {
    const v = ctxOf((e, vnet) => {
      e.add(
        "azure-native:network:VirtualNetworkPeering",
        "peer",
        { virtualNetworkName: "VNET", remoteAddressSpace: { addressPrefixes: ["52.1.0.0/16"] } },
        {},
        `${vnet.armId}/virtualNetworkPeerings/peer`,
      );
      e.add("azure-native:network:VirtualNetworkPeering", "peer-other", {
        virtualNetworkName: "vnet-other",
        remoteAddressSpace: { addressPrefixes: ["52.9.0.0/16"] },
      });
    });
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE.union(cidrs("52.1.0.0/16")))).toBe(true);
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.0.0/16"))).toBe(true);
  });

  it("inline peerings count too; an unknown remote space is private space", () => {
    const v = ctxOf((_e, vnet) => {
      vnet.properties.virtualNetworkPeerings = [{ remoteAddressSpace: { addressPrefixes: ["52.2.0.0/16"] } }, { remoteAddressSpace: SENTINEL }];
    });
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE.union(cidrs("52.2.0.0/16")))).toBe(true);
  });

  it("a VNet with public address space: it is VirtualNetwork for both", () => {
    const v = ctxOf(() => undefined, ["10.0.0.0/16", "20.1.0.0/16"]);
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.0.0/16", "20.1.0.0/16"))).toBe(true);
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE.union(cidrs("20.1.0.0/16")))).toBe(true);
  });

  it("routes of the subnet's route table widen allows, inline and standalone", () => {
    const v = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: [{ addressPrefix: "52.3.0.0/16" }] });
      e.add("azure-native:network:Route", "r2", { routeTableName: "RT", routeName: "r2", addressPrefix: "52.4.0.0/16" });
      e.add("azure-native:network:Route", "r3", { routeTableName: "rt-other", routeName: "r3", addressPrefix: "52.5.0.0/16" });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE.union(cidrs("52.3.0.0/16", "52.4.0.0/16")))).toBe(true);
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.0.0/16"))).toBe(true);
  });

  it("a default route puts the internet into VirtualNetwork for allows", () => {
    const v = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: [{ addressPrefix: "0.0.0.0/0" }] });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(v.ctx.vnetAllow.covers(INTERNET.intersect(cidrs("0.0.0.0/0")))).toBe(true);
  });

  it("a service-tag route prefix counts as the internet; an unknown one as everything", () => {
    const tag = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: [{ addressPrefix: "AzureCloud" }] });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(tag.ctx.vnetAllow.covers(INTERNET)).toBe(true);
    expect(tag.ctx.vnetAllow.equals(ALL_ADDRESSES)).toBe(false);
    const unknown = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: [{ addressPrefix: SENTINEL }] });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(unknown.ctx.vnetAllow.equals(ALL_ADDRESSES)).toBe(true);
  });

  it("unknown routes or a route table outside the stack widen allows to everything", () => {
    const unknownRoutes = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: SENTINEL });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(unknownRoutes.ctx.vnetAllow.equals(ALL_ADDRESSES)).toBe(true);
    const outside = ctxOf((_e, _vnet, sub) => {
      sub.properties.routeTable = { id: "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/routeTables/rt-hub" };
    });
    expect(outside.ctx.vnetAllow.equals(ALL_ADDRESSES)).toBe(true);
    expect(outside.ctx.vnetDeny.equals(cidrs("10.0.0.0/16"))).toBe(true);
    expect(outside.ctxKey).toContain("unknown-routes");
  });

  it("a route table without routes changes nothing", () => {
    const v = ctxOf((e, _vnet, sub) => {
      const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt" });
      sub.properties.routeTable = { id: rt.armId };
    });
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE)).toBe(true);
  });
});

describe("NetworkModel: which VNet and which subnet a name means", () => {
  const vnetIn = (e: Estate, name: string, azName: string, rg: string, space: string) =>
    e.add(
      "azure-native:network:VirtualNetwork",
      name,
      { virtualNetworkName: azName, resourceGroupName: rg, addressSpace: { addressPrefixes: [space] } },
      {},
      `/subscriptions/${e.sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${azName}`,
    );
  const withoutDeps = (r: Res) => {
    (r as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies = {};
    (r as unknown as { dependencies: string[] }).dependencies.length = 0;
  };

  it("a standalone subnet's VNet found by name is the one in the subnet's resource group", () => {
    const e = new Estate();
    const mine = vnetIn(e, "vnet-a", "vnet", e.rg, "10.0.0.0/16");
    vnetIn(e, "vnet-b", "vnet", "rg-other", "10.1.0.0/16");
    const sub = e.subnet("snet", mine, "10.0.1.0/24", undefined, { virtualNetworkName: "vnet" });
    withoutDeps(sub);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    const [v] = net.subnetViews(node(nic), { id: sub.armId }, "ipConfigurations");
    expect(v.vnet?.urn).toBe(mine.urn);
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.0.0/16"))).toBe(true);
  });

  it("two VNets of that name and no resource group to tell them apart: no VNet is assumed", () => {
    const e = new Estate();
    vnetIn(e, "vnet-a", "vnet", e.rg, "10.0.0.0/16");
    vnetIn(e, "vnet-b", "vnet", "rg-other", "10.1.0.0/16");
    const sub = e.add(
      "azure-native:network:Subnet",
      "snet",
      { subnetName: "snet", virtualNetworkName: "vnet", addressPrefix: "10.0.1.0/24" },
      {},
      SENTINEL,
    );
    withoutDeps(sub);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {}, { ipConfigurations: [sub] });
    const { net, node } = model(e.resources);
    const [v] = net.subnetViews(node(nic), { id: SENTINEL }, "ipConfigurations");
    expect(v.key).toBe(sub.urn);
    expect(v.vnet).toBeUndefined();
    // Without its VNet, VirtualNetwork denies cover only the subnet itself (narrower) and allows all private space (wider).
    expect(v.ctx.vnetDeny.equals(cidrs("10.0.1.0/24"))).toBe(true);
    expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE)).toBe(true);
  });

  it("a subnet missing from the VNet's inline list is not taken from a same-named subnet of another VNet", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "other", addressPrefix: "10.0.9.0/24" }]);
    const far = e.vnet("vnet-far", ["10.7.0.0/16"]);
    e.subnet("snet", far, "10.7.1.0/24");
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/snet` }, "ipConfigurations");
    expect(views.map((v) => [v.key, v.notes])).toEqual([[`${vnet.urn}/subnets/snet`, ["subnet snet is not declared in vnet"]]]);
  });

  it("inline subnets match by name in any case; an unnamed one never matches a name", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ addressPrefix: "10.0.8.0/24" }, { name: "SNet", addressPrefix: "10.0.3.0/24" }]);
    const nic = e.add("azure-native:network:NetworkInterface", "nic", {});
    const { net, node } = model(e.resources);
    const views = net.subnetViews(node(nic), { id: `${vnet.armId}/subnets/snet` }, "ipConfigurations");
    expect(views.map((v) => v.name)).toEqual(["SNet"]);
    expect(views[0].prefixes?.equals(cidrs("10.0.3.0/24"))).toBe(true);
  });

  it("at preview a route table is followed through the dependency of the property that holds it", () => {
    const e = new Estate({ preview: true });
    const rt = e.add("azure-native:network:RouteTable", "rt", { routeTableName: "rt", routes: [{ addressPrefix: "52.6.0.0/16" }] });
    // Inline subnet: the route table reference sits under the VNet's `subnets`.
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "snet", addressPrefix: "10.0.1.0/24", routeTable: { id: SENTINEL } }], { subnets: [rt] });
    const nicIn = e.add("azure-native:network:NetworkInterface", "nic-in", {}, { ipConfigurations: [vnet] });
    // Standalone subnet: under its own `routeTable`.
    const vnet2 = e.vnet("vnet2", ["10.1.0.0/16"]);
    const sub = e.subnet("snet2", vnet2, "10.1.1.0/24", undefined, { routeTable: { id: SENTINEL } });
    (sub as unknown as { propertyDependencies: Record<string, string[]> }).propertyDependencies.routeTable = [rt.urn];
    const nicSa = e.add("azure-native:network:NetworkInterface", "nic-sa", {}, { ipConfigurations: [sub] });
    const { net, node } = model(e.resources);
    const [inline] = net.subnetViews(node(nicIn), { id: SENTINEL }, "ipConfigurations");
    const [standalone] = net.subnetViews(node(nicSa), { id: SENTINEL }, "ipConfigurations");
    for (const v of [inline, standalone]) {
      expect(v.ctx.vnetAllow.equals(PRIVATE_SPACE.union(cidrs("52.6.0.0/16")))).toBe(true);
      expect(v.ctxKey.endsWith(`|${rt.urn}`)).toBe(true);
    }
  });
});

/**
 * The dual-subnet bypass (docs/threat-model.md row 32): a subnet declared both inline in its VNet and as a standalone Subnet, where one declaration
 * carries an NSG and the other does not. Each deployment of the NSG-less form removes the association (last writer
 * wins), so the host is judged with the NSG-less reading when that exposes it, and the message names both declarations.
 */
const isolation = (e: Estate) =>
  e.nsg("nsg-q", [
    rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 110, access: "Deny", source: "*" }),
    rule({ name: "deny-out", priority: 110, direction: "Outbound", access: "Deny", destination: "Internet" }),
  ]);

/** The host in snet-q, declared inline (with `inlineNsg` or none) and standalone (with `standaloneNsg` or none). */
function dual(preview: boolean, o: { inlineNsg: boolean; standaloneNsg: boolean; nicRefersTo: "standalone" | "inline" }) {
  const e = new Estate({ preview });
  const nsg = isolation(e);
  const inline: Record<string, unknown> = { name: "snet-q", addressPrefix: "10.0.2.0/24" };
  if (o.inlineNsg) inline.networkSecurityGroup = e.ref(nsg);
  const vnet = e.vnet("vnet", ["10.0.0.0/16"], [inline], o.inlineNsg ? { subnets: [nsg] } : {});
  const sub = e.subnet("snet-q", vnet, "10.0.2.0/24", o.standaloneNsg ? nsg : undefined);
  const pip = e.publicIp("pip-ex01");
  const target: Res = o.nicRefersTo === "standalone" ? sub : vnet;
  const nic = e.add(
    "azure-native:network:NetworkInterface",
    "nic-ex01",
    {
      networkInterfaceName: "nic-ex01",
      resourceGroupName: e.rg,
      tags: HOST_TAGS("unverified"),
      ipConfigurations: [
        {
          name: "ipconfig1",
          privateIPAddress: "10.0.2.4",
          privateIPAllocationMethod: "Static",
          // The inline subnet by its id (what a program builds from the VNet's id); unknown at preview, linked to the VNet.
          subnet: o.nicRefersTo === "standalone" ? e.ref(sub) : { id: preview ? UNKNOWN : `${vnet.armId}/subnets/snet-q` },
          publicIPAddress: e.ref(pip),
        },
      ],
    },
    { ipConfigurations: [target, pip] },
  );
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  return { e, vm };
}

describe.each(FORMS)("a subnet declared inline and standalone (%s form)", (_form, preview) => {
  it("control: both declarations carry the isolation NSG: not exposed, isolated", () => {
    const { e } = dual(preview, { inlineNsg: true, standaloneNsg: true, nicRefersTo: "standalone" });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it.each([
    ["standalone with the NSG, inline without", false, true, "standalone"],
    ["inline with the NSG, standalone without", true, false, "standalone"],
    ["standalone with the NSG, inline without; the NIC names the inline subnet", false, true, "inline"],
    ["inline with the NSG, standalone without; the NIC names the inline subnet", true, false, "inline"],
  ] as const)("%s: exposed through the NSG-less reading, naming both declarations", (_n, inlineNsg, standaloneNsg, nicRefersTo) => {
    const { e, vm } = dual(preview, { inlineNsg, standaloneNsg, nicRefersTo });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(/host ex01 .*public IP pip-ex01/);
    expect(v[0].message).toMatch(/standalone Subnet snet-q/);
    expect(v[0].message).toMatch(/inline subnet snet-q of vnet/);
    expect(v[0].message).toMatch(/last writer wins.*declare the subnet once, or attach the NSG in both/);
  });
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("a subnet declared both inline in its VNet and as a standalone Subnet is judged with both NSGs", () => {
    const e = new Estate({ preview });
    const open = e.nsg("nsg-open", [rule({ name: "allow-all", priority: 100, source: "*" })]);
    const closed = e.nsg("nsg-closed", [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*" })]);
    const vnet = e.vnet("vnet", ["10.0.0.0/16"], [{ name: "snet-q", addressPrefix: "10.0.2.0/24", networkSecurityGroup: e.ref(open) }], {
      subnets: [open],
    });
    const sub = e.subnet("snet-q", vnet, "10.0.2.0/24", closed);
    const nic = e.nic("nic-ex01", { subnet: sub, privateIp: "10.0.2.4", tags: HOST_TAGS("unverified") });
    e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v.some((x) => /nsg-open rule allow-all/.test(x.message))).toBe(true);
  });
});
