/**
 * exchange-unverified-not-internet-exposed with unknown values (DESIGN §5: fail closed, link by URN).
 * Unknowns appear at preview; some (outputs of other resources) also in update form, so every case
 * runs in both forms.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { sample } from "../support/budget";
import {
  adminRule,
  afdOrigin,
  appGateway,
  baseNet,
  exHost,
  firewall,
  firewallPolicy,
  HOST_IP,
  hostNic,
  inlineVm,
  loadBalancer,
  multiConfigNic,
  privateLinkService,
  ruleCollectionGroup,
} from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED } from "../support/policyNames";

describe.each(FORMS)("unknown values (%s form)", (_form, preview) => {
  const withNicRules = (rules: unknown) => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", rules as Array<Record<string, unknown>>);
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
    const vm = exHost(e, { nics: [nic] });
    return { e, vm };
  };

  it("an unknown sourceAddressPrefix on an allow rule: exposed", () => {
    const { e, vm } = withNicRules([rule({ name: "allow-x", priority: 100, source: UNKNOWN, port: "443", protocol: "Tcp" })]);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "pip-ex01", "allow-x (100)", "sourceAddressPrefix is unknown at preview", "443");
  });

  it("an unknown sourceAddressPrefix on a deny rule: the deny is ignored, exposed", () => {
    const { e, vm } = withNicRules([
      rule({ name: "deny-x", priority: 100, access: "Deny", source: UNKNOWN, port: "443" }),
      rule({ name: "allow-https", priority: 200, source: "Internet", port: "443", protocol: "Tcp" }),
    ]);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "allow-https (200)", "443");
  });

  it("an unknown priority on a deny rule does not let it shadow a known allow", () => {
    const { e } = withNicRules([
      rule({ name: "deny-x", priority: UNKNOWN, access: "Deny", source: "*", port: "443" }),
      rule({ name: "allow-https", priority: 4000, source: "Internet", port: "443", protocol: "Tcp" }),
    ]);
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });

  it("an unknown access on a rule is read as Allow", () => {
    const { e, vm } = withNicRules([rule({ name: "maybe", priority: 100, access: UNKNOWN, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "maybe (100)", "unknown");
  });

  it("an unknown securityRules array: exposed, the message says the rules are unknown", () => {
    const { e, vm } = withNicRules(UNKNOWN);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "pip-ex01", "the rules of NSG nsg-ex01 are unknown at preview");
  });

  it("an unknown NSG reference with no dependency: exposed, the message says it is unknown", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-ex01");
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, publicIp: pip }], {
      tags: HOST_TAGS("unverified"),
      extra: { networkSecurityGroup: { id: UNKNOWN } },
    });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "pip-ex01", "NSG of nic-ex01", /unknown at preview and no dependency names the target/);
  });

  it("an unknown publicIPAddress.id with the PIP's URN in propertyDependencies: exposed, the message names the PIP", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const pip = e.publicIp("pip-ex01");
    const nic = multiConfigNic(
      e,
      "nic-ex01",
      [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, publicIp: pip, extra: { publicIPAddress: { id: UNKNOWN } } }],
      {
        nsg,
        tags: HOST_TAGS("unverified"),
      },
    );
    expect(nic.propertyDependencies?.ipConfigurations).toContain(pip.urn);
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "public IP pip-ex01", "allow-https (100)", "443");
  });

  it("an unknown publicIPAddress.id with no dependency at all: exposed (a public IP of unknown SKU)", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = multiConfigNic(e, "nic-ex01", [{ name: "ipconfig1", subnet: sub, privateIp: HOST_IP, extra: { publicIPAddress: { id: UNKNOWN } } }], {
      tags: HOST_TAGS("unverified"),
    });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, /public IP whose id is unknown/);
  });

  it("unknown ipConfigurations of the host NIC: exposed (undecidable), the message says so", () => {
    const e = new Estate({ preview });
    baseNet(e);
    const nic = e.add("azure-native:network:NetworkInterface", "nic-ex01", {
      networkInterfaceName: "nic-ex01",
      resourceGroupName: e.rg,
      ipConfigurations: UNKNOWN,
      tags: HOST_TAGS("unverified"),
    });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm);
    expect(v.some((x) => x.message.includes("ipConfigurations of NIC nic-ex01 are unknown at preview"))).toBe(true);
  });
});

// Named reproductions of what the sweep below checks generically: a list the pack cannot read
// that may hold a path to the host must count as exposed (DESIGN §4, §5).
describe.each(FORMS)("unknown lists on the path (%s form)", (_form, preview) => {
  const hostOnly = (e: Estate, sub: Res) => exHost(e, { nics: [hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []) })] });

  it("a public firewall whose natRuleCollections are unknown: exposed (undecidable)", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const fw = firewall(e, "fw-hub", { subnet: e.subnet("AzureFirewallSubnet", vnet, "10.0.4.0/26"), publicIp: e.publicIp("pip-fw"), dnat: [] });
    (fw.properties as Record<string, unknown>).natRuleCollections = UNKNOWN;
    const vm = hostOnly(e, sub);
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "fw-hub");
  });

  it("a rule collection group (of the firewall's policy) whose ruleCollections are unknown: exposed (undecidable)", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const pol = firewallPolicy(e, "fwp-hub");
    const rcg = ruleCollectionGroup(e, "rcg-dnat", pol, []);
    (rcg.properties as Record<string, unknown>).ruleCollections = UNKNOWN;
    firewall(e, "fw-hub", { subnet: e.subnet("AzureFirewallSubnet", vnet, "10.0.4.0/26"), publicIp: e.publicIp("pip-fw"), policy: pol });
    const vm = hostOnly(e, sub);
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "rcg-dnat");
  });

  it("a public LB with a rule whose backendAddressPools (IP-based members) are unknown: exposed (undecidable)", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool-ip" }],
      rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-ip", frontendPort: 443, backendPort: 443 }],
    });
    (lb.properties as Record<string, unknown>).backendAddressPools = UNKNOWN;
    const vm = exHost(e, {
      nics: [
        hostNic(e, sub, { nsg: e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]) }),
      ],
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "lb-ex");
  });

  it("a public Application Gateway whose backendAddressPools are unknown: exposed (undecidable)", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const agw = appGateway(e, "agw-ex", { gwSubnet: e.subnet("snet-agw", vnet, "10.0.3.0/24"), publicIp: e.publicIp("pip-agw"), l7: { port: 443 } });
    (agw.properties as Record<string, unknown>).backendAddressPools = UNKNOWN;
    const vm = hostOnly(e, sub);
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "agw-ex");
  });

  it("a NIC in an NAT rule of a public LB whose inboundNatRules are unknown: exposed (undecidable)", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool-owa" }],
      natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }],
    });
    (lb.properties as Record<string, unknown>).inboundNatRules = UNKNOWN;
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, natRules: [[lb, "nat-rdp"]] })] });
    const v = runStack(EXPOSED, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "lb-ex");
  });
});

// ------------------------------------------------------------------ mutation sweep

type Builder = (preview: boolean) => { e: Estate; vm: Res };

/** Exposed estates, one per path family. */
const EXPOSED_CASES: Array<[string, Builder]> = [
  [
    "public IP + NSG allow",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e, { subnetNsg: undefined });
      const nsg = e.nsg("nsg-ex01", [
        rule({ name: "deny-rdp", priority: 100, access: "Deny", source: "*", port: "3389" }),
        rule({ name: "allow-https", priority: 200, source: "Internet", port: "443", protocol: "Tcp" }),
      ]);
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "public LB rule",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const lb = loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
        pools: [{ name: "pool-owa" }],
        rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
      });
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      const nic = hostNic(e, sub, { nsg, lbPools: [[lb, "pool-owa"]] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "Application Gateway L7",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
      const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: e.publicIp("pip-agw"), l7: { port: 443 } });
      const nsg = e.nsg("nsg-ex01", [rule({ name: "deny-internet", priority: 100, access: "Deny", source: "Internet" })]);
      const nic = hostNic(e, sub, { nsg, agwPools: [[agw, "pool"]] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "Firewall DNAT",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.4.0/26");
      firewall(e, "fw-hub", {
        subnet: fwSub,
        publicIp: e.publicIp("pip-fw"),
        dnat: [{ name: "rdp-in", destinationPorts: ["3389"], translatedAddress: HOST_IP, translatedPort: "3389" }],
      });
      const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []) });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "Front Door Private Link",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const plsSub = e.subnet("snet-pls", vnet, "10.0.5.0/24");
      const lb = loadBalancer(e, "lb-int", {
        frontends: [{ name: "fe-int", subnet: sub, privateIp: "10.0.1.100" }],
        pools: [{ name: "pool-owa" }],
        rules: [{ name: "owa-https", frontend: "fe-int", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
      });
      afdOrigin(e, "origin-owa", { pls: privateLinkService(e, "pls-owa", { natSubnet: plsSub, lb, frontend: "fe-int" }) });
      const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), lbPools: [[lb, "pool-owa"]] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "Firewall Policy rule collection group via basePolicy",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.4.0/26");
      const base = firewallPolicy(e, "fwp-base");
      const child = firewallPolicy(e, "fwp-child", { base });
      ruleCollectionGroup(e, "rcg-dnat", base, [{ name: "owa-in", destinationPorts: ["443"], translatedAddress: HOST_IP, translatedPort: "443" }]);
      firewall(e, "fw-hub", { subnet: fwSub, publicIp: e.publicIp("pip-fw"), policy: child });
      const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []) });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "LB NAT rule v1",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const lb = loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
        pools: [{ name: "pool-owa" }],
        natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }],
      });
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
      const nic = hostNic(e, sub, { nsg, natRules: [[lb, "nat-rdp"]] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "LB IP-based pool member",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
        pools: [{ name: "pool-ip", addresses: [{ ipAddress: HOST_IP, vnet }] }],
        rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-ip", frontendPort: 443, backendPort: 443 }],
      });
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      const nic = hostNic(e, sub, { nsg });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "Application Gateway by IP",
    (preview) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
      appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: e.publicIp("pip-agw"), l7: { port: 443 }, backends: [{ ipAddress: HOST_IP }] });
      const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []) });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "VM inline public IP",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      return {
        e,
        vm: inlineVm(e, "ex01", { subnet: sub, nsg, tags: HOST_TAGS("unverified"), publicIp: { name: "pip-ex01", sku: { name: "Standard" } } }),
      };
    },
  ],
  [
    "standalone SecurityRule allow",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", undefined);
      e.securityRule("allow-rdp", nsg, rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" }));
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
  [
    "AVNM AlwaysAllow past a deny-all NSG",
    (preview) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "deny-all-in", priority: 100, access: "Deny", source: "*" })]);
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
      adminRule(e, "always-rdp", { source: "Internet", ports: ["3389"] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    },
  ],
];

/** Paths (resource index, key path) of every property node below the root, except secret envelopes and `id`. */
function propertyPaths(resources: readonly Res[]): Array<{ res: number; path: Array<string | number>; label: string }> {
  const out: Array<{ res: number; path: Array<string | number>; label: string }> = [];
  const walk = (res: number, name: string, v: unknown, p: Array<string | number>) => {
    if (p.length > 0) out.push({ res, path: p, label: `${name}.${p.join(".")}` });
    if (Array.isArray(v)) v.forEach((x, i) => walk(res, name, x, [...p, i]));
    else if (typeof v === "object" && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (p.length === 0 && (k === "id" || k === "osProfile")) continue;
        walk(res, name, x, [...p, k]);
      }
    }
  };
  resources.forEach((r, i) => walk(i, r.name, r.properties, []));
  return out;
}

function withUnknownAt(resources: readonly Res[], at: { res: number; path: Array<string | number> }): Res[] {
  return resources.map((r, i) => {
    if (i !== at.res) return r;
    const props = structuredClone(r.properties) as Record<string, unknown>;
    let cur: Record<string | number, unknown> = props;
    for (const k of at.path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
    cur[at.path[at.path.length - 1]] = UNKNOWN;
    return { ...r, properties: props };
  });
}

describe.each(FORMS)("an unknown value never makes a violation disappear (%s form)", (_form, preview) => {
  describe.each(EXPOSED_CASES)("%s", (_name, build) => {
    const { e, vm } = build(preview);
    it("the base estate is exposed", () => {
      expect(runStack(EXPOSED, e.resources).length).toBeGreaterThanOrEqual(1);
    });
    const cases = sample(propertyPaths(e.resources));
    it.each(cases.map((c) => [c.label, c] as const))("%s unknown", (_label, c) => {
      const v = runStack(EXPOSED, withUnknownAt(e.resources, c));
      expect(v.length).toBeGreaterThanOrEqual(1);
      expect(v.every((x) => x.urn === vm.urn)).toBe(true);
    });
  });
});
