import { ALL_ADDRESSES, ALL_V4 } from "../../../policies/model/addresses";
import { ALL_PORTS, ALL_PROTOCOLS } from "../../../policies/model/flows";
import { unmodeledReferences } from "../../../policies/model/exposure/unmodeled";
import { Estate, HOST_TAGS, Res, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, forensicsOnlyHost, hostNic } from "../../support/networks";
import { analysisOf, openRoutes, routesOf, routesOfKind } from "./fixture";
import { runStack } from "../../support/judge";
import { EXPOSED } from "../../support/policyNames";
import { FORMS } from "../../support/assertions";

function estate(): { e: Estate; vm: Res; nic: Res } {
  const e = new Estate();
  const { sub } = baseNet(e);
  const nic = hostNic(e, sub);
  const vm = exHost(e, { nics: [nic] });
  return { e, vm, nic };
}

function found(e: Estate): Array<[string, string]> {
  const a = analysisOf(e);
  const m = unmodeledReferences(a.graph, a.hosts);
  return (m.get(a.hosts[0]?.urn ?? "") ?? []).map((x) => [x.node.display, x.how]);
}

describe("unmodeledReferences", () => {
  it("a JIT policy naming the VM by id", () => {
    const { e, vm } = estate();
    e.add("azure-native:security:JitNetworkAccessPolicy", "jit", { virtualMachines: [{ id: vm.armId, ports: [{ number: 3389 }] }] });
    expect(found(e)).toEqual([["jit", "a property names virtualMachines/ex01"]]);
  });

  it("an id of a child of the NIC (an ipConfiguration) names the NIC; ids compared case-insensitively", () => {
    const { e, nic } = estate();
    e.add("azure:lb:NatRuleAssociation", "assoc", { ipConfigurationId: `${nic.armId}/ipConfigurations/ipconfig1`.toUpperCase() });
    expect(found(e)).toEqual([["assoc", "a property names IPCONFIGURATIONS/IPCONFIG1"]]);
  });

  it("a reference by URN: property dependency, or plain dependency", () => {
    const { e, vm, nic } = estate();
    e.add("azapi:index:Resource", "body", { body: { x: UNKNOWN } }, { parentId: [vm] });
    const script = e.add("command:local:Command", "script", { create: "az vm open-port" });
    (script.dependencies as string[]).push(nic.urn);
    expect(found(e)).toEqual([
      ["body", "its parentId depends on ex01"],
      ["script", "it depends on nic-ex01"],
    ]);
  });

  it("one entry per resource, however many references it has", () => {
    const { e, vm } = estate();
    e.add(
      "azure-native:security:JitNetworkAccessPolicy",
      "jit",
      { virtualMachines: [{ id: vm.armId }, { id: vm.armId }] },
      { virtualMachines: [vm] },
    );
    expect(found(e)).toEqual([["jit", "its virtualMachines depends on ex01"]]);
  });

  it("references nested in arrays and objects are found", () => {
    const { e, vm } = estate();
    e.add("azure-native:network:SomethingNew", "deep", { a: [{ b: { c: [[`${vm.armId}`]] } }] });
    expect(found(e).map(([n]) => n)).toEqual(["deep"]);
  });

  it("a reference nested at any depth is found: no depth at which nesting hides it", () => {
    for (const depth of [30, 33, 250]) {
      const { e, vm } = estate();
      let v: unknown = vm.armId;
      for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
      e.add("azure-native:network:SomethingNew", "deep", { v });
      expect(found(e).map(([n]) => n)).toEqual(["deep"]);
    }
  });

  it("an id written inside a script or URL names the host; another VM's id does not", () => {
    const { e, vm, nic } = estate();
    e.add("command:local:Command", "open-port", { create: `az vm open-port --port 443 --ids ${vm.armId} && echo done` });
    e.add("azapi:index:UpdateResource", "patch", {
      resourceId: `https://management.azure.com${nic.armId}/ipConfigurations/ipconfig1?api-version=2024-05-01`,
    });
    e.add("command:local:Command", "other", { create: `az vm open-port --ids ${vm.armId.replace("/ex01", "/ex99")}` });
    expect(found(e)).toEqual([
      ["open-port", "a property names virtualMachines/ex01"],
      ["patch", "a property names ipConfigurations/ipconfig1"],
    ]);
  });

  it("nulls, numbers and booleans in properties are skipped; dependencies on resources that are not hosts say nothing", () => {
    const { e, vm } = estate();
    const vnet = e.resources.find((r) => r.type === "azure-native:network:VirtualNetwork")!;
    e.add("command:local:Command", "noise", { a: null, b: 3, c: true, d: [null, { e: null }], create: "echo /tmp/x" }, { environment: [vnet] });
    e.add("azure-native:maintenance:ConfigurationAssignment", "patch-window", { resourceId: vm.armId }, { resourceId: [vm] });
    expect(found(e)).toEqual([]);
  });

  it("a huge array is walked without overflowing", () => {
    const { e, vm } = estate();
    const big: unknown[] = new Array(300_000).fill("x/y");
    big.push(vm.armId);
    e.add("azure-native:network:SomethingNew", "big", { big });
    expect(found(e).map(([n]) => n)).toEqual(["big"]);
  });

  it.each([
    ["a modelled type", "azure-native:network:NetworkSecurityGroup"],
    ["a VM extension", "azure-native:compute:VirtualMachineExtension"],
    ["a monitoring module", "azure-native:insights:DiagnosticSetting"],
    ["a key vault", "azure-native:keyvault:Secret"],
    ["an authorization module", "azure-native:authorization:RoleAssignment"],
    ["a provider that cannot touch the network", "random:index:RandomString"],
    ["a component", "exchange:components:Host"],
  ])("%s is not a way in", (_what, type) => {
    const { e, vm } = estate();
    e.add(type, "x", { scope: vm.armId }, { scope: [vm] });
    expect(found(e)).toEqual([]);
  });

  it.each([
    ["azure-native:network:NewThing"],
    ["azure:compute:Extension"],
    ["azapi:index:UpdateResource"],
    ["command:remote:Command"],
    ["azure-native_network_v20240501:network:NewThing"],
    ["azure-native:automation:Runbook"],
  ])("%s is scanned", (type) => {
    const { e, vm } = estate();
    e.add(type, "x", { target: vm.armId });
    expect(found(e)).toEqual([["x", "a property names virtualMachines/ex01"]]);
  });

  it("the host's own resources and strings that are not ids are ignored", () => {
    const { e } = estate();
    e.add("azure-native:network:NewThing", "x", { name: "ex01", note: "nic-ex01", other: "/subscriptions/s/resourceGroups/rg/providers/X/y/z" });
    expect(found(e)).toEqual([]);
  });

  it("no hosts: nothing", () => {
    const e = new Estate();
    e.add("azure-native:network:NewThing", "x", { target: "/a/b" });
    const a = analysisOf(e);
    expect(unmodeledReferences(a.graph, a.hosts).size).toBe(0);
  });
});

describe("as exposure routes", () => {
  it("undecidable, on every port and address, naming type, resource and how", () => {
    const { e, vm } = estate();
    e.add("azure-native:security:JitNetworkAccessPolicy", "jit", { virtualMachines: [{ id: vm.armId }] });
    const [r] = routesOfKind(e, "unmodeled resource");
    expect(r.hops).toEqual(["JitNetworkAccessPolicy jit"]);
    expect(r.ipConfig).toBeUndefined();
    expect(r.undecidable).toBe(
      "azure-native:security:JitNetworkAccessPolicy jit references this host (a property names virtualMachines/ex01); the pack does not model that type, so it cannot tell whether it opens a way in",
    );
    expect(r.query).toEqual({ addrs: ALL_ADDRESSES, ports: ALL_PORTS, protos: ALL_PROTOCOLS });
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("a host whose NICs cannot be read: an unreadable attachment, undecidable", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("unverified"),
      networkProfile: { networkInterfaces: UNKNOWN },
    });
    const rs = routesOf(e);
    expect(rs.map((r) => [r.kind, r.hops, r.undecidable])).toEqual([
      ["unreadable attachment", [], "the network interfaces of VM ex01 are unknown at preview and no dependency names them"],
    ]);
    expect(rs[0].query.addrs.equals(ALL_ADDRESSES)).toBe(true);
    expect(ALL_V4.covers(rs[0].query.addrs)).toBe(false);
  });

  it("routes are computed once per host", () => {
    const { e } = estate();
    const a = analysisOf(e);
    expect(a.exposure.routes(a.hosts[0])).toBe(a.exposure.routes(a.hosts[0]));
  });
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("a resource of a type the pack does not model that references the host's NIC makes exposure undecidable", () => {
    const e = new Estate({ preview });
    const { nic } = forensicsOnlyHost(e);
    // A classic-provider pool association: a way onto a load balancer the pack does not read.
    e.add(
      "azure:network/networkInterfaceBackendAddressPoolAssociation:NetworkInterfaceBackendAddressPoolAssociation",
      "assoc",
      {
        networkInterfaceId: preview ? UNKNOWN : nic.armId,
        ipConfigurationName: "ipconfig1",
        backendAddressPoolId: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/p",
      },
      { networkInterfaceId: [nic] },
    );
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/host ex01 .*NetworkInterfaceBackendAddressPoolAssociation assoc references this host .*does not model that type/);
    expect(v[0].urn).toBe(e.urn("azure-native:compute:VirtualMachine", "ex01"));
  });

  it("a JIT access policy naming the VM is not modelled either, so it is flagged", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e);
    e.add(
      "azure-native:security:JitNetworkAccessPolicy",
      "jit",
      { virtualMachines: [{ id: preview ? UNKNOWN : vm.armId, ports: [{ number: 3389, protocol: "*", maxRequestAccessDuration: "PT3H" }] }] },
      { virtualMachines: [vm] },
    );
    expect(runStack(EXPOSED, e.resources)[0]?.message).toMatch(/JitNetworkAccessPolicy jit references this host/);
  });
});
