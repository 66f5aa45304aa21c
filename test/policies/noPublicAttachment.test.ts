/**
 * exchange-unverified-no-public-attachment (resource policy, runs on inputs, also during `up`):
 * a NIC or VM tagged as an Exchange host and not marked remediated carries no public IP and no
 * LB / App Gateway pool or NAT-rule membership; `remediate` strips exactly those keys.
 */
import { Estate, HOST_TAGS, Res, UNKNOWN } from "../support/estate";
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { unverifiedNoPublicAttachment } from "../../policies/rules";
import { appGateway, baseNet, HOST_IP, hostNic, inlineVm, loadBalancer } from "../support/networks";
import { FORMS } from "../support/assertions";

const gate = resolveGate({}).gate;
const input = (r: Res): ResourceInput => ({ urn: r.urn, type: r.type, name: r.name, props: r.properties });
const evaluate = (r: Res) => unverifiedNoPublicAttachment.evaluate(input(r), gate, new Date());

function fixtures(preview: boolean) {
  const e = new Estate({ preview });
  const { vnet, sub } = baseNet(e);
  const lb = loadBalancer(e, "lb-ex", {
    frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
    pools: [{ name: "pool-owa" }],
    rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }],
  });
  const agw = appGateway(e, "agw-ex", { gwSubnet: e.subnet("snet-agw", vnet, "10.0.3.0/24"), publicIp: e.publicIp("pip-agw"), l7: { port: 443 } });
  const asg = e.add("azure-native:network:ApplicationSecurityGroup", "asg-exchange", {
    applicationSecurityGroupName: "asg-exchange",
    resourceGroupName: e.rg,
  });
  const nsg = e.nsg("nsg-ex01", []);
  return { e, sub, lb, agw, asg, nsg };
}

describe.each(FORMS)("no public attachment (%s form)", (_form, preview) => {
  it("an unverified NIC with a public IP: one violation naming the NIC and ipConfiguration", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("NIC nic-ex01");
    expect(v[0].message).toContain("state unverified");
    expect(v[0].message).toContain("a public IP on NIC nic-ex01/ipconfig1");
    expect(v[0].urn).toBeUndefined();
  });

  it.each<[string, { lbPools?: boolean; natRules?: boolean; agwPools?: boolean }, string]>([
    ["load balancer backend pool", { lbPools: true }, "load balancer backend pool membership"],
    ["load balancer NAT rule", { natRules: true }, "load balancer inbound NAT rule membership"],
    ["application gateway pool", { agwPools: true }, "application gateway backend pool membership"],
  ])("an unverified NIC in a %s: one violation", (_label, which, text) => {
    const { e, sub, lb, agw } = fixtures(preview);
    const nic = hostNic(e, sub, {
      lbPools: which.lbPools ? [[lb, "pool-owa"]] : undefined,
      natRules: which.natRules ? [[lb, "nat-rdp"]] : undefined,
      agwPools: which.agwPools ? [[agw, "pool"]] : undefined,
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain(text);
    expect(v[0].message).toContain("nic-ex01/ipconfig1");
  });

  it("all four on one NIC: four violations; a compromised NIC too", () => {
    const { e, sub, lb, agw } = fixtures(preview);
    for (const state of ["unverified", "compromised"]) {
      const nic = hostNic(e, sub, {
        name: `nic-ex01-${state}`,
        tags: HOST_TAGS(state),
        publicIp: e.publicIp(`pip-${state}`),
        lbPools: [[lb, "pool-owa"]],
        natRules: [[lb, "nat-rdp"]],
        agwPools: [[agw, "pool"]],
      });
      const v = evaluate(nic);
      expect(v).toHaveLength(4);
      for (const x of v) expect(x.message).toContain(`state ${state}`);
    }
  });

  it("a NIC without a state tag counts as unverified", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { tags: { workload: "exchange" }, publicIp: e.publicIp("pip-ex01") });
    expect(evaluate(nic)).toHaveLength(1);
  });

  it("tag tricks: Workload / ' Exchange ' with conflicting state tags is still blocked", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, {
      tags: { Workload: " Exchange ", "remediation-state": "remediated", "Remediation-State": "compromised" },
      publicIp: e.publicIp("pip-ex01"),
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("compromised");
  });

  it("a remediated NIC: none", () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, { tags: HOST_TAGS("remediated"), publicIp: e.publicIp("pip-ex01"), lbPools: [[lb, "pool-owa"]] });
    expect(evaluate(nic)).toEqual([]);
  });

  it("a non-Exchange NIC: none", () => {
    const { e, sub, lb } = fixtures(preview);
    const nic = hostNic(e, sub, {
      tags: { workload: "sharepoint", "remediation-state": "unverified" },
      publicIp: e.publicIp("pip-ex01"),
      lbPools: [[lb, "pool-owa"]],
    });
    expect(evaluate(nic)).toEqual([]);
  });

  it("an unverified NIC with no public attachment: none", () => {
    const { e, sub, nsg, asg } = fixtures(preview);
    const nic = hostNic(e, sub, { nsg, asgs: [asg] });
    expect(evaluate(nic)).toEqual([]);
  });

  it("an unverified NIC with unknown ipConfigurations: a violation", () => {
    const { e } = fixtures(preview);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", {
      networkInterfaceName: "nic-ex01",
      resourceGroupName: e.rg,
      ipConfigurations: UNKNOWN,
      tags: HOST_TAGS("unverified"),
    });
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("nic-ex01");
    expect(v[0].message).toContain("unknown at preview");
  });

  it("a NIC whose tags are unknown may belong to a host: blocked", () => {
    const { e, sub } = fixtures(preview);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    (nic.properties as Record<string, unknown>).tags = UNKNOWN;
    const v = evaluate(nic);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/may belong to an Exchange host/);
  });

  it("an unverified VM with an inline public IP / LB pool: violations; remediate strips them", () => {
    const { e, sub, lb } = fixtures(preview);
    const vm = inlineVm(e, "ex01", {
      subnet: sub,
      tags: HOST_TAGS("unverified"),
      publicIp: { name: "pip-ex01", sku: { name: "Standard" } },
      lbPools: [[lb, "pool-owa"]],
    });
    const v = evaluate(vm);
    expect(v).toHaveLength(2);
    expect(v.every((x) => x.message.includes("VM ex01"))).toBe(true);
    expect(v.some((x) => x.message.includes("a public IP (created by the VM)"))).toBe(true);
    const fixed = unverifiedNoPublicAttachment.remediate!(input(vm), gate)!;
    const cfgs = (fixed.networkProfile as { networkInterfaceConfigurations: Array<{ ipConfigurations: Array<Record<string, unknown>> }> })
      .networkInterfaceConfigurations;
    expect(cfgs[0].ipConfigurations[0]).toEqual({ name: "ipconfig1", primary: true, subnet: e.ref(sub) });
    expect(fixed.storageProfile).toEqual(vm.properties.storageProfile);
    expect(evaluate({ ...vm, properties: fixed })).toEqual([]);
  });

  it("remediate strips exactly publicIPAddress, pools and NAT rules and keeps everything else", () => {
    const { e, sub, lb, agw, asg, nsg } = fixtures(preview);
    const nic = hostNic(e, sub, {
      nsg,
      asgs: [asg],
      publicIp: e.publicIp("pip-ex01"),
      lbPools: [[lb, "pool-owa"]],
      natRules: [[lb, "nat-rdp"]],
      agwPools: [[agw, "pool"]],
      extraConfigs: [
        {
          name: "ipconfig2",
          subnet: e.ref(sub),
          privateIPAddress: "10.0.1.5",
          privateIPAllocationMethod: "Static",
          publicIPAddress: e.ref(e.publicIp("pip-ex01-2")),
        },
      ],
    });
    (nic.properties as Record<string, unknown>).enableAcceleratedNetworking = true;
    const fixed = unverifiedNoPublicAttachment.remediate!(input(nic), gate)!;
    const before = nic.properties as { ipConfigurations: Array<Record<string, unknown>> } & Record<string, unknown>;
    const after = fixed as { ipConfigurations: Array<Record<string, unknown>> } & Record<string, unknown>;
    const stripped = ["publicIPAddress", "loadBalancerBackendAddressPools", "loadBalancerInboundNatRules", "applicationGatewayBackendAddressPools"];
    expect(after.ipConfigurations).toHaveLength(2);
    after.ipConfigurations.forEach((cfg, i) => {
      const expected = Object.fromEntries(Object.entries(before.ipConfigurations[i]).filter(([k]) => !stripped.includes(k)));
      expect(cfg).toEqual(expected);
    });
    expect(after.ipConfigurations[0]).toMatchObject({
      name: "ipconfig1",
      privateIPAddress: HOST_IP,
      applicationSecurityGroups: [e.ref(asg)],
      subnet: e.ref(sub),
    });
    for (const k of Object.keys(before)) if (k !== "ipConfigurations") expect(after[k]).toEqual(before[k]);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    // The input itself is not mutated, and the fixed NIC passes.
    expect(before.ipConfigurations[0].publicIPAddress).toBeDefined();
    expect(evaluate({ ...nic, properties: fixed })).toEqual([]);
  });

  it.each(["azure-native:network/v20240501:NetworkInterface", "azure-native_network_v20240501:network:NetworkInterface"])(
    "a versioned type token (%s) does not bypass the policy",
    (type) => {
      const { e, sub } = fixtures(preview);
      const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
      expect(unverifiedNoPublicAttachment.evaluate({ ...input(nic), type }, gate, new Date())).toHaveLength(1);
    },
  );

  it("resources other than NICs and VMs are ignored", () => {
    const { lb, agw } = fixtures(preview);
    expect(evaluate(lb)).toEqual([]);
    expect(evaluate(agw)).toEqual([]);
  });
});
