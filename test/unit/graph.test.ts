import { GraphNode, ResourceGraph, ResourceInput, sameResourceGroup } from "../../policies/model/graph";
import { T } from "../../policies/model/resourceTypes";
import { UNKNOWN as SENTINEL } from "../support/estate";

const RG_ID = "/subscriptions/Sub-1/resourceGroups/RG-Ex/providers";
const armId = (armType: string, ...names: string[]) => {
  const [ns, ...types] = armType.split("/");
  return `${RG_ID}/${ns}/${types.map((t, i) => `${t}/${names[i]}`).join("/")}`;
};
const NIC_ID = armId("Microsoft.Network/networkInterfaces", "nic-Ex01");
const NSG_ID = armId("Microsoft.Network/networkSecurityGroups", "nsg-ex01");
const LB_ID = armId("Microsoft.Network/loadBalancers", "lb1");
const VNET_ID = armId("Microsoft.Network/virtualNetworks", "vnet1");
const SUBNET_ID = `${VNET_ID}/subnets/snet1`;

let seq = 0;
function res(type: string, props: unknown, extra: Partial<ResourceInput> = {}): ResourceInput {
  const name = extra.name ?? `r${++seq}`;
  return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, props, ...extra };
}
const node = (type: string, props: unknown, extra: Partial<ResourceInput> = {}) => new GraphNode(res(type, props, extra));

describe("GraphNode", () => {
  it("reads type, id, name, group and subscription of a resource with a known id", () => {
    const n = node("azure-native:network/v20240501:NetworkInterface", { id: NIC_ID, networkInterfaceName: "nic-Ex01", resourceGroupName: "RG-Ex" });
    expect(n.type).toBe(T.NIC);
    expect(n.id).toBe("subscriptions/sub-1/resourcegroups/rg-ex/providers/microsoft.network/networkinterfaces/nic-ex01");
    expect(n.azName).toBe("nic-Ex01");
    expect(n.display).toBe("nic-Ex01");
    expect(n.rg).toBe("rg-ex");
    expect(n.subscription).toBe("sub-1");
    expect(n.parentNames).toEqual([]);
  });

  it("has no id when it is unknown, empty, blank or not a string", () => {
    for (const id of [SENTINEL, "", "  ", 42, undefined, null]) {
      const n = node(T.NIC, { id, networkInterfaceName: "nic1" });
      expect(n.id).toBeUndefined();
      expect(n.subscription).toBeUndefined();
    }
  });

  it("takes the Azure name from the input name, else the output name, else the id", () => {
    expect(node(T.NIC, { networkInterfaceName: "in", name: "out", id: NIC_ID }).azName).toBe("in");
    expect(node(T.NIC, { networkInterfaceName: "", name: "out", id: NIC_ID }).azName).toBe("out");
    expect(node(T.NIC, { networkInterfaceName: SENTINEL, name: "out" }).azName).toBe("out");
    expect(node(T.NIC, { name: "", id: NIC_ID }).azName).toBe("nic-Ex01");
    expect(node(T.NIC, { name: SENTINEL, id: NIC_ID }).azName).toBe("nic-Ex01");
    expect(node(T.NIC, { id: "/subscriptions/s" }).azName).toBeUndefined();
    expect(node(T.NIC, {}).azName).toBeUndefined();
  });

  it("reads only the output name for a type without TYPE_INFO", () => {
    expect(node(T.AFDOrigin, { originName: "o1", name: "o-out" }).azName).toBe("o-out");
    expect(node(T.AFDOrigin, { originName: "o1" }).azName).toBeUndefined();
  });

  it("falls back to the Pulumi name for display", () => {
    const n = node(T.NIC, { networkInterfaceName: SENTINEL }, { name: "pulumi-nic" });
    expect(n.azName).toBeUndefined();
    expect(n.display).toBe("pulumi-nic");
  });

  it("reads the resource group from the input, lower case, else from the id", () => {
    expect(node(T.NIC, { resourceGroupName: "Other-RG", id: NIC_ID }).rg).toBe("other-rg");
    expect(node(T.NIC, { resourceGroupName: SENTINEL, id: NIC_ID }).rg).toBe("rg-ex");
    expect(node(T.NIC, { resourceGroupName: "", id: NIC_ID }).rg).toBe("rg-ex");
    expect(node(T.NIC, { resourceGroupName: SENTINEL }).rg).toBeUndefined();
  });

  it("reads parent names from inputs, filling unknown ones from the id", () => {
    expect(node(T.Subnet, { subnetName: "snet1", virtualNetworkName: "VNet-A" }).parentNames).toEqual(["VNet-A"]);
    expect(node(T.Subnet, { subnetName: "snet1", virtualNetworkName: SENTINEL }).parentNames).toEqual([undefined]);
    expect(node(T.Subnet, { subnetName: "snet1", virtualNetworkName: "" }).parentNames).toEqual([undefined]);
    expect(node(T.Subnet, { virtualNetworkName: SENTINEL, id: SUBNET_ID }).parentNames).toEqual(["vnet1"]);
    expect(node(T.Subnet, { virtualNetworkName: "given", id: SUBNET_ID }).parentNames).toEqual(["given"]);
  });

  it("fills only the unknown parents, and only when the id has the right depth", () => {
    const versionId = `${RG_ID}/Microsoft.Compute/galleries/gal/images/img/versions/1.0.0`;
    expect(node(T.GalleryImageVersion, { galleryName: "G", galleryImageName: SENTINEL, id: versionId }).parentNames).toEqual(["G", "img"]);
    expect(node(T.GalleryImageVersion, { galleryName: SENTINEL, galleryImageName: SENTINEL, id: NIC_ID }).parentNames).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("exposes urn, props and dependencies with empty defaults", () => {
    const props = { a: 1 };
    const n = node(T.NIC, props, { urn: "urn:x" });
    expect(n.urn).toBe("urn:x");
    expect(n.props).toBe(props);
    expect(n.dependencies).toEqual([]);
    expect(n.propertyDependencies).toEqual({});
    const m = node(T.NIC, {}, { dependencies: ["u1"], propertyDependencies: { subnet: ["u2"] } });
    expect(m.dependencies).toEqual(["u1"]);
    expect(m.propertyDependencies).toEqual({ subnet: ["u2"] });
  });
});

describe("ResourceGraph lookups", () => {
  const nic = res("azure-native:network/v20240501:NetworkInterface", { id: NIC_ID, networkInterfaceName: "nic-Ex01" });
  const nsg = res(T.NSG, { id: NSG_ID, networkSecurityGroupName: "nsg-ex01" });
  const nsg2 = res(T.NSG, { networkSecurityGroupName: "NSG-EX01" });
  const origin = res(T.AFDOrigin, { name: "Origin-A" });
  const g = new ResourceGraph([nic, nsg, nsg2, origin]);

  it("finds nodes by URN and normalised id", () => {
    expect(g.node(nic.urn)?.input).toBe(nic);
    expect(g.node("urn:missing")).toBeUndefined();
    expect(g.byNormalizedId("subscriptions/sub-1/resourcegroups/rg-ex/providers/microsoft.network/networkinterfaces/nic-ex01")?.input).toBe(nic);
    expect(g.byNormalizedId(NIC_ID)).toBeUndefined();
    expect(g.nodes.map((n) => n.input)).toEqual([nic, nsg, nsg2, origin]);
  });

  it("lists nodes by canonical type", () => {
    expect(g.ofType(T.NIC).map((n) => n.input)).toEqual([nic]);
    expect(g.ofType(T.NSG).map((n) => n.input)).toEqual([nsg, nsg2]);
    expect(g.ofType(T.NIC, T.AFDOrigin).map((n) => n.input)).toEqual([nic, origin]);
    expect(g.ofType(T.VM)).toEqual([]);
    expect(g.ofType(T.VM, T.Disk)).toEqual([]);
    expect(g.ofType()).toEqual([]);
  });

  it("finds nodes by Azure name, case-insensitively", () => {
    expect(g.named(T.NSG, "Nsg-Ex01").map((n) => n.input)).toEqual([nsg, nsg2]);
    expect(g.named(T.NIC, "NIC-EX01").map((n) => n.input)).toEqual([nic]);
    expect(g.named(T.NIC, "nsg-ex01")).toEqual([]);
    expect(g.named(T.AFDOrigin, "origin-a").map((n) => n.input)).toEqual([origin]);
    expect(g.named(T.AFDOrigin, "origin-b")).toEqual([]);
  });
});

describe("ResourceGraph.dependencyCandidates", () => {
  const nsgA = res(T.NSG, {});
  const nsgB = res(T.NSG, {});
  const subnet = res(T.Subnet, {});
  const from = res(
    T.NIC,
    {},
    {
      propertyDependencies: { networkSecurityGroup: [nsgA.urn, nsgA.urn, "urn:gone"], ipConfigurations: [subnet.urn] },
      dependencies: [subnet.urn, nsgB.urn, nsgA.urn],
    },
  );
  const g = new ResourceGraph([nsgA, nsgB, subnet, from]);
  const f = g.node(from.urn)!;
  const urns = (ns: GraphNode[]) => ns.map((n) => n.urn);

  it("prefers the property's dependencies, deduplicated", () => {
    expect(urns(g.dependencyCandidates(f, "networkSecurityGroup", [T.NSG]))).toEqual([nsgA.urn]);
  });

  it("a property's own dependencies are authoritative: naming none of the types, plain dependencies do not stand in", () => {
    // Before a property's own dependencies were made authoritative this fell back to [nsgB, nsgA]: dependsOn could then link what the property itself does not name.
    expect(urns(g.dependencyCandidates(f, "ipConfigurations", [T.NSG]))).toEqual([]);
    expect(g.dependencyLinks(f, "ipConfigurations", [T.NSG])).toEqual({ nodes: [], guessed: false });
  });

  it("falls back to all dependencies only when the engine sent no entry for the property, and then only as a guess", () => {
    expect(urns(g.dependencyCandidates(f, "absent", [T.NSG]))).toEqual([nsgB.urn, nsgA.urn]);
    expect(urns(g.dependencyCandidates(f, undefined, [T.NSG]))).toEqual([nsgB.urn, nsgA.urn]);
    expect(g.dependencyLinks(f, "absent", [T.NSG]).guessed).toBe(true);
    const bare = new ResourceGraph([{ ...res(T.NIC, {}), urn: "urn:bare", dependencies: [nsgA.urn] }, nsgA]);
    expect(bare.dependencyLinks(bare.node("urn:bare")!, "networkSecurityGroup", [T.NSG])).toEqual({
      nodes: [bare.node(nsgA.urn)],
      guessed: false,
    });
  });

  it("filters by type", () => {
    expect(urns(g.dependencyCandidates(f, undefined, [T.Subnet]))).toEqual([subnet.urn]);
    expect(urns(g.dependencyCandidates(f, undefined, [T.Subnet, T.NSG]))).toEqual([subnet.urn, nsgB.urn, nsgA.urn]);
    expect(g.dependencyCandidates(f, undefined, [T.VM])).toEqual([]);
  });
});

describe("ResourceGraph.resolve", () => {
  const nsg = res(T.NSG, { id: NSG_ID, networkSecurityGroupName: "nsg-ex01" });
  const lb = res(T.LB, { id: LB_ID, loadBalancerName: "lb1" });
  const from = res(T.NIC, {});
  const g = new ResourceGraph([nsg, lb, from]);
  const f = g.node(from.urn)!;

  it("an absent reference resolves to nothing, without a problem", () => {
    for (const ref of [undefined, null, {}, { other: NSG_ID }, 5]) {
      expect(g.resolve(f, ref, "networkSecurityGroup", [T.NSG])).toEqual({ targets: [], external: [] });
    }
  });

  it("follows a known id exactly, case-insensitively, with or without the leading slash, as id object or bare string", () => {
    for (const ref of [{ id: NSG_ID }, { id: NSG_ID.toUpperCase() }, { id: NSG_ID.slice(1) }, NSG_ID]) {
      const r = g.resolve(f, ref, "networkSecurityGroup", [T.NSG]);
      expect(r.external).toEqual([]);
      expect(r.unresolved).toBeUndefined();
      expect(r.targets).toHaveLength(1);
      expect(r.targets[0].node.urn).toBe(nsg.urn);
      expect(r.targets[0].child).toEqual([]);
      expect(r.targets[0].certain).toBe(true);
    }
  });

  it("follows a child id to its parent with the child path", () => {
    const r = g.resolve(f, { id: `${LB_ID}/backendAddressPools/Pool1` }, "ipConfigurations", [T.LB]);
    expect(r.targets.map((t) => [t.node.urn, t.child, t.certain])).toEqual([[lb.urn, [["backendaddresspools", "Pool1"]], true]]);
    expect(r.external).toEqual([]);
  });

  it("reports an id outside the stack as external, normalised", () => {
    const other = armId("Microsoft.Network/networkSecurityGroups", "Elsewhere");
    expect(g.resolve(f, { id: other }, "networkSecurityGroup", [T.NSG])).toEqual({
      targets: [],
      external: ["subscriptions/sub-1/resourcegroups/rg-ex/providers/microsoft.network/networksecuritygroups/elsewhere"],
    });
    const pool = g.resolve(f, { id: armId("Microsoft.Network/loadBalancers", "lb9") + "/backendAddressPools/p" }, "x", [T.LB]);
    expect(pool.targets).toEqual([]);
    expect(pool.external).toHaveLength(1);
  });

  it("without an id or dependency, says why it cannot follow the reference", () => {
    expect(g.resolve(f, { id: SENTINEL }, "networkSecurityGroup", [T.NSG])).toEqual({
      targets: [],
      external: [],
      unresolved: "its id is unknown at preview and no dependency names the target",
    });
    expect(g.resolve(f, SENTINEL, "networkSecurityGroup", [T.NSG]).unresolved).toBe(
      "its id is unknown at preview and no dependency names the target",
    );
    expect(g.resolve(f, { id: 42 }, "networkSecurityGroup", [T.NSG]).unresolved).toBe(
      "its id is malformed (expected a string) and no dependency names the target",
    );
    expect(g.resolve(f, { id: "" }, "networkSecurityGroup", [T.NSG]).unresolved).toBe("its id is missing and no dependency names the target");
    expect(g.resolve(f, { id: "  " }, "networkSecurityGroup", [T.NSG]).unresolved).toBe("its id is missing and no dependency names the target");
    expect(g.resolve(f, { id: null }, "networkSecurityGroup", [T.NSG]).unresolved).toBe("its id is missing and no dependency names the target");
  });
});

describe("ResourceGraph.resolve at preview (ids unknown)", () => {
  it("links through the property's dependency: certain when there is one candidate", () => {
    const nsg = res(T.NSG, { id: SENTINEL });
    const nic = res(T.NIC, { networkSecurityGroup: { id: SENTINEL } }, { propertyDependencies: { networkSecurityGroup: [nsg.urn] } });
    const g = new ResourceGraph([nsg, nic]);
    const r = g.resolve(g.node(nic.urn)!, { id: SENTINEL }, "networkSecurityGroup", [T.NSG]);
    expect(r).toEqual({ targets: [{ node: g.node(nsg.urn), child: [], certain: true }], external: [] });
  });

  it("several candidates are all possible, none certain", () => {
    const a = res(T.NSG, {});
    const b = res(T.NSG, {});
    const nic = res(T.NIC, {}, { dependencies: [a.urn, b.urn] });
    const g = new ResourceGraph([a, b, nic]);
    const r = g.resolve(g.node(nic.urn)!, { id: SENTINEL }, "networkSecurityGroup", [T.NSG]);
    expect(r.targets.map((t) => [t.node.urn, t.certain])).toEqual([
      [a.urn, false],
      [b.urn, false],
    ]);
    expect(r.unresolved).toBeUndefined();
  });

  it("a dependency on the parent of a child reference means some child of that type", () => {
    const vnet = res(T.VNet, {});
    const subnet = res(T.Subnet, {});
    const nic = res(T.NIC, {}, { propertyDependencies: { ipConfigurations: [vnet.urn] } });
    const nic2 = res(T.NIC, {}, { propertyDependencies: { ipConfigurations: [subnet.urn] } });
    const g = new ResourceGraph([vnet, subnet, nic, nic2]);
    const viaVnet = g.resolve(g.node(nic.urn)!, { id: SENTINEL }, "ipConfigurations", [T.Subnet, T.VNet], "subnets");
    expect(viaVnet.targets.map((t) => [t.node.urn, t.child])).toEqual([[vnet.urn, [["subnets", undefined]]]]);
    const viaSubnet = g.resolve(g.node(nic2.urn)!, { id: SENTINEL }, "ipConfigurations", [T.Subnet, T.VNet], "subnets");
    expect(viaSubnet.targets.map((t) => [t.node.urn, t.child])).toEqual([[subnet.urn, []]]);
    const noChildType = g.resolve(g.node(nic.urn)!, { id: SENTINEL }, "ipConfigurations", [T.VNet]);
    expect(noChildType.targets[0].child).toEqual([]);
  });

  it("matches a known id to a resource whose own id is unknown by type and names, as a guess", () => {
    const nsg = res(T.NSG, { id: SENTINEL, networkSecurityGroupName: "NSG-EX01", resourceGroupName: "rg-ex" });
    const from = res(T.NIC, {});
    const g = new ResourceGraph([nsg, from]);
    const r = g.resolve(g.node(from.urn)!, { id: NSG_ID }, "networkSecurityGroup", [T.NSG]);
    expect(r).toEqual({ targets: [{ node: g.node(nsg.urn), child: [], certain: false }], external: [] });
  });

  it("does not match by name a resource with a different known id, another group, or another type", () => {
    const knownOther = res(T.NSG, { id: armId("Microsoft.Network/networkSecurityGroups", "renamed"), networkSecurityGroupName: "nsg-ex01" });
    const otherRg = res(T.NSG, { networkSecurityGroupName: "nsg-ex01", resourceGroupName: "rg-other" });
    const nic = res(T.NIC, { networkInterfaceName: "nsg-ex01" });
    const g = new ResourceGraph([knownOther, otherRg, nic]);
    const r = g.resolve(g.node(nic.urn)!, { id: NSG_ID }, "networkSecurityGroup", [T.NSG, T.NIC]);
    expect(r.targets).toEqual([]);
    expect(r.external).toHaveLength(1);
  });

  it("matches by name when either resource group is unknown", () => {
    const noRg = res(T.NSG, { networkSecurityGroupName: "nsg-ex01" });
    const g = new ResourceGraph([noRg]);
    const r = g.resolve(g.node(noRg.urn)!, { id: "/providers/Microsoft.Network/networkSecurityGroups/nsg-ex01" }, undefined, [T.NSG]);
    expect(r.targets.map((t) => t.node.urn)).toEqual([noRg.urn]);
    const r2 = g.resolve(g.node(noRg.urn)!, { id: NSG_ID }, undefined, [T.NSG]);
    expect(r2.targets.map((t) => t.node.urn)).toEqual([noRg.urn]);
  });

  it("matches a standalone child resource by its name and its parents' names", () => {
    const subnet = res(T.Subnet, { subnetName: "SNET1", virtualNetworkName: "VNET1", resourceGroupName: "rg-ex" });
    const wrongVnet = res(T.Subnet, { subnetName: "snet1", virtualNetworkName: "vnet2" });
    const unknownVnet = res(T.Subnet, { subnetName: "snet1", virtualNetworkName: SENTINEL });
    const g = new ResourceGraph([subnet, wrongVnet, unknownVnet]);
    const r = g.resolve(g.node(subnet.urn)!, { id: SUBNET_ID }, "subnet", [T.Subnet]);
    expect(r.targets.map((t) => [t.node.urn, t.child, t.certain])).toEqual([
      [subnet.urn, [], false],
      [unknownVnet.urn, [], false],
    ]);
  });

  it("matches a child id to a parent by the parent's name, with the child path", () => {
    const lb = res(T.LB, { loadBalancerName: "LB1", resourceGroupName: "RG-EX" });
    const vnet = res(T.VNet, { virtualNetworkName: "vnet1" });
    const g = new ResourceGraph([lb, vnet]);
    const pool = g.resolve(g.node(lb.urn)!, { id: `${LB_ID}/backendAddressPools/Pool1` }, "x", [T.LB]);
    expect(pool).toEqual({ targets: [{ node: g.node(lb.urn), child: [["backendaddresspools", "Pool1"]], certain: false }], external: [] });
    const sub = g.resolve(g.node(vnet.urn)!, { id: SUBNET_ID }, "x", [T.Subnet, T.VNet], "subnets");
    expect(sub.targets.map((t) => [t.node.urn, t.child])).toEqual([[vnet.urn, [["subnets", "snet1"]]]]);
  });

  it("ignores types without TYPE_INFO and ids without a type when matching names", () => {
    const origin = res(T.AFDOrigin, { name: "nsg-ex01" });
    const g = new ResourceGraph([origin]);
    expect(g.resolve(g.node(origin.urn)!, { id: NSG_ID }, "x", [T.AFDOrigin]).targets).toEqual([]);
    expect(g.resolve(g.node(origin.urn)!, { id: "/subscriptions/s/resourceGroups/rg" }, "x", [T.NSG])).toEqual({
      targets: [],
      external: ["subscriptions/s/resourcegroups/rg"],
    });
  });
});

describe("sameResourceGroup", () => {
  const RG = "azure-native:resources:ResourceGroup";
  it("compares known group names", () => {
    const a = res(T.NIC, { resourceGroupName: "RG-A" });
    const b = res(T.NSG, { resourceGroupName: "rg-a" });
    const c = res(T.NSG, { resourceGroupName: "rg-c" });
    const g = new ResourceGraph([a, b, c]);
    expect(sameResourceGroup(g, g.node(a.urn)!, g.node(b.urn)!)).toBe("yes");
    expect(sameResourceGroup(g, g.node(a.urn)!, g.node(c.urn)!)).toBe("no");
  });

  it("compares the ResourceGroup resources the names come from when unknown", () => {
    const rg1 = res(RG, {});
    const rg2 = res(RG, {});
    const a = res(T.NIC, { resourceGroupName: SENTINEL }, { propertyDependencies: { resourceGroupName: [rg1.urn] } });
    const b = res(T.NSG, { resourceGroupName: SENTINEL }, { propertyDependencies: { resourceGroupName: [rg1.urn] } });
    const c = res(T.NSG, { resourceGroupName: SENTINEL }, { propertyDependencies: { resourceGroupName: [rg2.urn] } });
    const d = res(T.NSG, { resourceGroupName: SENTINEL });
    const e = res(T.NSG, { resourceGroupName: "rg-a" }, { propertyDependencies: { resourceGroupName: [rg1.urn] } });
    const both = res(T.NSG, { resourceGroupName: SENTINEL }, { dependencies: [rg1.urn, rg2.urn] });
    const g = new ResourceGraph([rg1, rg2, a, b, c, d, e, both]);
    const n = (r: ResourceInput) => g.node(r.urn)!;
    expect(sameResourceGroup(g, n(a), n(b))).toBe("yes");
    expect(sameResourceGroup(g, n(a), n(c))).toBe("no");
    expect(sameResourceGroup(g, n(a), n(d))).toBe("unknown");
    expect(sameResourceGroup(g, n(d), n(a))).toBe("unknown");
    expect(sameResourceGroup(g, n(a), n(e))).toBe("yes");
    expect(sameResourceGroup(g, n(a), n(both))).toBe("unknown");
  });
});
