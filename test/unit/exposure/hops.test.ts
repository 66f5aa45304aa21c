/**
 * The hops of a path from outside to a host (policies/model/exposure/hops.ts): values with a kind, the resource they
 * go through, and the text the policies' messages show; the NIC's ipConfiguration is every path's last hop.
 */
import { ResourceGraph } from "../../../policies/model/graph";
import { hop, namedResource, nicHop, resourceOf } from "../../../policies/model/exposure/hops";
import { normalizeId } from "../../../policies/model/armIds";
import { FORMS } from "../../support/assertions";
import { Estate } from "../../support/estate";
import { toInputs } from "../../support/judge";
import { baseNet, exHost, hostNic, inlineVm } from "../../support/networks";
import { analysisOf, openNsg, routesOfKind } from "./fixture";

describe.each(FORMS)("resourceOf (%s form)", (_form, preview) => {
  it("a stack resource as a hop shows it: canonical type, Azure name, URN, and its id once known", () => {
    const e = new Estate({ preview });
    const pip = e.publicIp("pip-ex01");
    const graph = new ResourceGraph(toInputs(e.resources));
    expect(resourceOf(graph.node(pip.urn)!)).toEqual({
      type: "azure-native:network:PublicIPAddress",
      name: "pip-ex01",
      urn: pip.urn,
      id: preview ? undefined : normalizeId(pip.armId),
    });
  });

  it("a versioned type token is shown as the canonical one; the Azure name wins over the Pulumi name", () => {
    const e = new Estate({ preview });
    const pip = e.add("azure-native:network/v20240301:PublicIPAddress", "pulumi-name", {
      publicIpAddressName: "azure-name",
      resourceGroupName: e.rg,
    });
    const graph = new ResourceGraph(toInputs(e.resources));
    const r = resourceOf(graph.node(pip.urn)!);
    expect([r.type, r.name]).toEqual(["azure-native:network:PublicIPAddress", "azure-name"]);
  });
});

describe("namedResource", () => {
  it("a resource outside the stack: a type word and a name, no URN and no id", () => {
    const r = namedResource("public IP", "(created by the VM)");
    expect(r).toEqual({ type: "public IP", name: "(created by the VM)" });
    expect(Object.keys(r).sort()).toEqual(["name", "type"]);
  });
});

describe("hop", () => {
  it("a bare hop: kind and text only", () => {
    const h = hop("unmodeled resource", "JitNetworkAccessPolicy jit");
    expect(h).toEqual({ kind: "unmodeled resource", text: "JitNetworkAccessPolicy jit" });
    expect(Object.keys(h).sort()).toEqual(["kind", "text"]);
  });

  it("keeps every part given", () => {
    const resource = namedResource("azure-native:network:LoadBalancer", "lb");
    expect(hop("load balancer", "load balancer lb", { resource, via: "load-balancing rule https", ports: "TCP 443→443", note: "Standard" })).toEqual({
      kind: "load balancer",
      text: "load balancer lb",
      resource,
      via: "load-balancing rule https",
      ports: "TCP 443→443",
      note: "Standard",
    });
  });
});

describe.each(FORMS)("nicHop (%s form)", (_form, preview) => {
  it("a standalone NIC's ipConfiguration: the NIC resource, the ipConfiguration as the part used", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub);
    exHost(e, { nics: [nic] });
    const [h] = analysisOf(e).hosts;
    expect(nicHop(h.ipConfigs[0])).toEqual({
      kind: "NIC",
      resource: { type: "azure-native:network:NetworkInterface", name: "nic-ex01", urn: nic.urn, id: preview ? undefined : normalizeId(nic.armId) },
      via: "nic-ex01/ipconfig1",
      text: "NIC nic-ex01/ipconfig1",
    });
  });

  it("an inline NIC configuration: held by the VM, named by the configuration", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const vm = inlineVm(e, "ex01", { subnet: sub, tags: { workload: "exchange", "remediation-state": "unverified" } });
    const [h] = analysisOf(e).hosts;
    expect(nicHop(h.ipConfigs[0])).toEqual({
      kind: "NIC",
      resource: { type: "azure-native:compute:VirtualMachine", name: "ex01-nic", urn: vm.urn, id: preview ? undefined : normalizeId(vm.armId) },
      via: "ex01-nic/ipconfig1",
      text: "NIC ex01-nic/ipconfig1",
    });
  });
});

describe.each(FORMS)("a route's hops as the policies show them (%s form)", (_form, preview) => {
  it("a public IP on the host's NIC: the public IP hop, then the NIC hop; the texts are the hops' texts", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-ex01");
    exHost(e, { nics: [hostNic(e, sub, { publicIp: pip, nsg: openNsg(e) })] });
    const [route] = routesOfKind(e, "public IP");
    expect(route.path.map((h) => h.kind)).toEqual(["public IP", "NIC"]);
    expect(route.path[1]).toEqual(nicHop(route.ipConfig!));
    expect(route.path[0].resource).toEqual(resourceOf(analysisOf(e).graph.node(pip.urn)!));
    expect(route.hops).toEqual(route.path.map((h) => h.text));
    expect(route.hops[1]).toBe("NIC nic-ex01/ipconfig1");
  });
});
