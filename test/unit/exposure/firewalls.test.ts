import { ALL_ADDRESSES, INTERNET, parseAddressPrefix, PRIVATE_SPACE } from "../../../policies/model/addresses";
import { openToInternet } from "../../../policies/model/exposure";
import { Estate, Res, rule, UNKNOWN } from "../../support/estate";
import { baseNet, DnatRuleSpec, exHost, firewall, firewallPolicy, HOST_IP, hostNic, ruleCollectionGroup } from "../../support/networks";
import { openNsg, openRoutes, routesOfKind, service } from "./fixture";

const FW = "azure-native:network:AzureFirewall";
const set = (cidr: string) => parseAddressPrefix(cidr)!;

interface Net {
  e: Estate;
  sub: Res;
  fwSub: Res;
  pip: Res;
}

function net(nsg?: (e: Estate) => Res): Net {
  const e = new Estate();
  const { vnet, sub } = baseNet(e);
  const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.100.0/26");
  const pip = e.publicIp("pip-fw");
  exHost(e, { nics: [hostNic(e, sub, { nsg: nsg ? nsg(e) : openNsg(e) })] });
  return { e, sub, fwSub, pip };
}

const dnat = (o: Partial<DnatRuleSpec> = {}): DnatRuleSpec => ({
  name: "r1",
  destinationPorts: ["3389"],
  translatedAddress: HOST_IP,
  translatedPort: "3389",
  ...o,
});

function classic(o: Partial<DnatRuleSpec> = {}, nsg?: (e: Estate) => Res) {
  const n = net(nsg);
  firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, dnat: [dnat(o)] });
  return routesOfKind(n.e, "firewall DNAT");
}

/** A raw firewall (update form refs) with the given natRuleCollections / other props. */
function rawFirewall(n: Net, props: Record<string, unknown>): Res {
  return n.e.add(
    FW,
    "fw",
    {
      azureFirewallName: "fw",
      ipConfigurations: [{ name: "fwip", subnet: n.e.ref(n.fwSub), publicIPAddress: n.e.ref(n.pip) }],
      ...props,
    },
    { ipConfigurations: [n.fwSub, n.pip] },
  );
}

describe("classic DNAT rule collections", () => {
  it("exact hop; proxied from AzureFirewallSubnet; the translated port is what the NSGs see", () => {
    const [r] = classic({ destinationPorts: ["50001"], translatedPort: "3389" });
    expect(r.hops).toEqual(["firewall fw NAT collection dnat-collection rule r1 → port 3389 (translated address)", "NIC nic-ex01/ipconfig1"]);
    expect(r.direct).toBe(false);
    expect(r.sourceLabel).toBe("the firewall (AzureFirewallSubnet)");
    expect(r.query.addrs.equals(set("10.0.100.0/26"))).toBe(true);
    expect(service(r)).toBe("TCP 3389");
    expect(r.frontSources!.equals(ALL_ADDRESSES)).toBe(true);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("an NSG that only denies Internet does not stop it; one denying the firewall subnet does", () => {
    const denyInternet = (e: Estate) => e.nsg("nsg", [rule({ name: "deny-inet", priority: 100, access: "Deny", source: "Internet" })]);
    expect(openRoutes(classic({}, denyInternet))).toHaveLength(1);
    const denyFw = (e: Estate) => e.nsg("nsg", [rule({ name: "deny-fw", priority: 100, access: "Deny", source: "10.0.100.0/26" })]);
    expect(openRoutes(classic({}, denyFw))).toEqual([]);
  });

  it("a DNAT rule to another address does not reach the host", () => {
    expect(classic({ translatedAddress: "10.0.1.99" })).toEqual([]);
  });

  describe("source addresses", () => {
    it("only private sources: not reachable from the internet", () => {
      const [r] = classic({ sourceAddresses: ["10.9.0.0/16", "192.168.0.0/24"] });
      expect(r.frontSources!.equals(set("10.9.0.0/16").union(set("192.168.0.0/24")))).toBe(true);
      expect(openRoutes([r])).toEqual([]);
    });

    it("a public /24: reachable, except when that /24 is trusted", () => {
      const [r] = classic({ sourceAddresses: ["203.0.113.0/24"] });
      expect(openRoutes([r])).toHaveLength(1);
      expect(openToInternet(r, INTERNET.subtract(set("203.0.113.0/24")))).toBeUndefined();
    });

    it.each([
      ["*", ["10.0.0.0/8", " * "]],
      ["empty", []],
      ["unknown list", UNKNOWN],
      ["unknown item", ["10.9.0.0/16", UNKNOWN]],
    ])("%s: any source", (_what, sources) => {
      const n = net();
      rawFirewall(n, {
        natRuleCollections: [
          {
            name: "c",
            action: { type: "Dnat" },
            rules: [{ name: "r1", sourceAddresses: sources, translatedAddress: HOST_IP, translatedPort: "443" }],
          },
        ],
      });
      const [r] = routesOfKind(n.e, "firewall DNAT");
      expect(r.frontSources!.equals(ALL_ADDRESSES)).toBe(true);
    });

    it("an unparsable source counts as the internet", () => {
      const [r] = classic({ sourceAddresses: ["10.9.0.0/16", "not-an-address"] });
      expect(r.frontSources!.equals(set("10.9.0.0/16").union(INTERNET))).toBe(true);
    });

    it("IP groups (contents not read) or an unknown group list: any source", () => {
      for (const groups of [[{ id: "/subscriptions/s/x/ipGroups/g" }], UNKNOWN]) {
        const n = net();
        rawFirewall(n, {
          natRuleCollections: [
            {
              name: "c",
              action: { type: "Dnat" },
              rules: [{ name: "r1", sourceAddresses: ["10.9.0.0/16"], sourceIpGroups: groups, translatedAddress: HOST_IP, translatedPort: "443" }],
            },
          ],
        });
        expect(routesOfKind(n.e, "firewall DNAT")[0].frontSources!.equals(ALL_ADDRESSES)).toBe(true);
      }
    });
  });

  describe("ports and protocols", () => {
    it.each([
      ["8000-8100", "8000-8100", "TCP 8000-8100"],
      [443, "443", "TCP 443"],
      ["*", "*", "TCP all ports"],
      ["nonsense", "nonsense", "TCP all ports"],
    ])("translatedPort %j → port text %s, %s", (port, text, svc) => {
      const n = net();
      rawFirewall(n, {
        natRuleCollections: [
          { name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", protocols: ["TCP"], translatedAddress: HOST_IP, translatedPort: port }] },
        ],
      });
      const [r] = routesOfKind(n.e, "firewall DNAT");
      expect(r.hops[0]).toBe(`firewall fw NAT collection c rule r1 → port ${text} (translated address)`);
      expect(service(r)).toBe(svc);
    });

    it("a missing translatedPort: every port, 'an unknown port'", () => {
      const n = net();
      rawFirewall(n, {
        natRuleCollections: [{ name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", protocols: ["TCP"], translatedAddress: HOST_IP }] }],
      });
      const [r] = routesOfKind(n.e, "firewall DNAT");
      expect(r.hops[0]).toBe("firewall fw NAT collection c rule r1 → port an unknown port (translated address)");
      expect(service(r)).toBe("TCP all ports");
    });

    it.each([
      ["unknown at preview", UNKNOWN],
      ["of the wrong type", { port: 443 }],
    ])("a translatedPort %s: every port, 'an unknown port' (never the raw value)", (_what, port) => {
      const n = net();
      rawFirewall(n, {
        natRuleCollections: [
          { name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", protocols: ["TCP"], translatedAddress: HOST_IP, translatedPort: port }] },
        ],
      });
      const [r] = routesOfKind(n.e, "firewall DNAT");
      expect(r.hops[0]).toBe("firewall fw NAT collection c rule r1 → port an unknown port (translated address)");
      expect(service(r)).toBe("TCP all ports");
    });

    it.each([
      [["UDP"], "UDP 25"],
      [["TCP", "UDP"], "TCP 25; UDP 25"],
      [["ICMP"], "ICMP"],
      // DNAT carries TCP and UDP (ICMP kept to be wide): "all" is those three
      [[], "TCP 25; UDP 25; ICMP"],
      [UNKNOWN, "TCP 25; UDP 25; ICMP"],
      [["Any"], "TCP 25; UDP 25; ICMP"],
      // a protocol DNAT cannot carry is read as every protocol
      [["ESP"], "TCP 25; UDP 25; ICMP; ESP; AH"],
    ])("protocols %j → %s", (protocols, svc) => {
      const n = net();
      rawFirewall(n, {
        natRuleCollections: [
          { name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", protocols, translatedAddress: HOST_IP, translatedPort: "25" }] },
        ],
      });
      expect(service(routesOfKind(n.e, "firewall DNAT")[0])).toBe(svc);
    });
  });

  it("non-DNAT collections are ignored; an unreadable action is read as DNAT", () => {
    const n = net();
    rawFirewall(n, {
      natRuleCollections: [
        { name: "snat", action: { type: "Snat" }, rules: [{ name: "a", translatedAddress: HOST_IP, translatedPort: "1" }] },
        { name: "odd", action: { type: UNKNOWN }, rules: [{ name: "b", translatedAddress: HOST_IP, translatedPort: "2" }] },
        { name: "up", action: { type: "DNAT" }, rules: [{ name: "c", translatedAddress: HOST_IP, translatedPort: "3" }] },
      ],
    });
    expect(routesOfKind(n.e, "firewall DNAT").map((r) => r.hops[0])).toEqual([
      "firewall fw NAT collection odd rule b → port 2 (translated address)",
      "firewall fw NAT collection up rule c → port 3 (translated address)",
    ]);
  });

  describe("targets", () => {
    it("translated FQDN naming the host", () => {
      const [r] = classic({ translatedAddress: undefined, translatedFqdn: "ex01.corp.local" });
      expect(r.hops[0]).toBe("firewall fw NAT collection dnat-collection rule r1 → port 3389 (translated FQDN names this host)");
    });

    it("translated FQDN through a Private DNS A record", () => {
      const n = net();
      n.e.add("azure-native:privatedns:PrivateRecordSet", "mail", {
        privateZoneName: "corp.internal",
        relativeRecordSetName: "mail",
        aRecords: [{ ipv4Address: HOST_IP }],
      });
      firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, dnat: [dnat({ translatedAddress: undefined, translatedFqdn: "mail.corp.internal" })] });
      expect(routesOfKind(n.e, "firewall DNAT")[0].hops[0]).toBe(
        "firewall fw NAT collection dnat-collection rule r1 → port 3389 (translated address)",
      );
    });

    it("an FQDN the stack cannot resolve: may be any host, and says why", () => {
      const [r] = classic({ translatedAddress: undefined, translatedFqdn: "mail.example.com" });
      expect(r.hops[0]).toBe(
        "firewall fw NAT collection dnat-collection rule r1 → port 3389 (the pack cannot resolve mail.example.com (no Private DNS record or host name in this stack matches it), so it may point at any host)",
      );
      expect(openRoutes([r])).toHaveLength(1);
    });

    it("translated address unknown at preview, or missing: may be any host", () => {
      for (const [addr, why] of [
        [UNKNOWN, "its translated address is unknown at preview"],
        [undefined, "its translated address is missing"],
      ] as const) {
        const n = net();
        rawFirewall(n, {
          natRuleCollections: [{ name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", translatedAddress: addr, translatedPort: "443" }] }],
        });
        const [r] = routesOfKind(n.e, "firewall DNAT");
        expect(r.hops[0]).toBe(`firewall fw NAT collection c rule r1 → port 443 (${why})`);
      }
    });

    it("host address unknown: a translated address in its subnet may be it", () => {
      const e = new Estate();
      const { vnet, sub } = baseNet(e);
      const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.100.0/26");
      firewall(e, "fw", { subnet: fwSub, publicIp: e.publicIp("pip-fw"), dnat: [dnat({ translatedAddress: "10.0.1.50" })] });
      exHost(e, { nics: [e.nic("nic-ex01", { subnet: sub, nsg: openNsg(e), tags: { workload: "exchange", "remediation-state": "unverified" } })] });
      expect(routesOfKind(e, "firewall DNAT")[0].hops[0]).toBe(
        "firewall fw NAT collection dnat-collection rule r1 → port 3389 (translated address may be this host (its address is not known))",
      );
    });
  });

  it("collections, rules, names unreadable: the firewall may forward anything anywhere", () => {
    const n = net();
    rawFirewall(n, { natRuleCollections: UNKNOWN });
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe("firewall fw NAT rule collections (unknown at preview) → port an unknown port (its translated address is missing)");
    expect(service(r)).toBe("TCP all ports; UDP all ports; ICMP");

    const m = net();
    rawFirewall(m, { natRuleCollections: [{ action: { type: "Dnat" }, rules: UNKNOWN }] });
    expect(routesOfKind(m.e, "firewall DNAT")[0].hops[0]).toBe(
      "firewall fw NAT collection ? rule ? → port an unknown port (its translated address is missing)",
    );
  });

  describe("which firewalls count", () => {
    it("a firewall without a public IP is not an internet path", () => {
      const n = net();
      n.e.add(FW, "fw", {
        azureFirewallName: "fw",
        ipConfigurations: [{ name: "fwip", subnet: n.e.ref(n.fwSub) }],
        natRuleCollections: [{ name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", translatedAddress: HOST_IP, translatedPort: "443" }] }],
      });
      expect(routesOfKind(n.e, "firewall DNAT")).toEqual([]);
    });

    it("a secured-hub firewall with hub public IPs counts; unreadable ipConfigurations count", () => {
      for (const props of [{ ipConfigurations: [], hubIPAddresses: { publicIPs: { count: 1 } } }, { ipConfigurations: UNKNOWN }]) {
        const n = net();
        n.e.add(FW, "fw", {
          azureFirewallName: "fw",
          ...props,
          natRuleCollections: [{ name: "c", action: { type: "Dnat" }, rules: [{ name: "r1", translatedAddress: HOST_IP, translatedPort: "443" }] }],
        });
        const [r] = routesOfKind(n.e, "firewall DNAT");
        expect(r.sourceLabel).toBe("the firewall (AzureFirewallSubnet (address unknown))");
        expect(r.query.addrs.equals(PRIVATE_SPACE)).toBe(true);
      }
    });
  });
});

describe("Firewall Policy rule collection groups", () => {
  it("a policy used by a firewall of the stack", () => {
    const n = net();
    const pol = firewallPolicy(n.e, "fwp");
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: pol });
    ruleCollectionGroup(n.e, "rcg", pol, [dnat({ translatedPort: "443" })]);
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe(
      "firewall policy fwp rule collection group rcg collection dnat DNAT rule r1 on firewall fw → port 443 (translated address)",
    );
    expect(r.sourceLabel).toBe("the firewall (AzureFirewallSubnet)");
    expect(service(r)).toBe("TCP 443");
  });

  it("rules of a base policy apply to a firewall using the child policy", () => {
    const n = net();
    const base = firewallPolicy(n.e, "fwp-base");
    const child = firewallPolicy(n.e, "fwp-child", { base });
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: child });
    ruleCollectionGroup(n.e, "rcg-base", base, [dnat({ translatedPort: "25" })]);
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe(
      "firewall policy fwp-base rule collection group rcg-base collection dnat DNAT rule r1 on firewall fw → port 25 (translated address)",
    );
  });

  it("a policy no firewall of the stack uses: one outside it may", () => {
    const n = net();
    const pol = firewallPolicy(n.e, "fwp");
    ruleCollectionGroup(n.e, "rcg", pol, [dnat({ translatedPort: "443" })]);
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe(
      "firewall policy fwp rule collection group rcg collection dnat DNAT rule r1 → port 443 (translated address; no firewall in this stack uses this policy; one outside it may)",
    );
    expect(r.sourceLabel).toBe("the firewall (a firewall outside this stack)");
    expect(r.query.addrs.equals(PRIVATE_SPACE)).toBe(true);
    expect(openRoutes([r])).toHaveLength(1);
  });

  it("non-NAT collections and non-NAT rules are skipped; unreadable types count", () => {
    const n = net();
    const pol = firewallPolicy(n.e, "fwp");
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: pol });
    n.e.add(
      "azure-native:network:FirewallPolicyRuleCollectionGroup",
      "rcg",
      {
        ruleCollectionGroupName: "rcg",
        firewallPolicyName: "fwp",
        ruleCollections: [
          {
            name: "net",
            ruleCollectionType: "FirewallPolicyFilterRuleCollection",
            rules: [{ name: "f", ruleType: "NatRule", translatedAddress: HOST_IP, translatedPort: "1" }],
          },
          {
            name: "nat",
            ruleCollectionType: "firewallpolicynatrulecollection",
            rules: [
              { name: "app", ruleType: "ApplicationRule", translatedAddress: HOST_IP, translatedPort: "2" },
              { name: "n1", ruleType: "natrule", translatedAddress: HOST_IP, translatedPort: "3" },
              { name: "n2", ruleType: UNKNOWN, translatedAddress: HOST_IP, translatedPort: "4" },
            ],
          },
          { name: "odd", ruleCollectionType: UNKNOWN, rules: [{ name: "n3", translatedAddress: HOST_IP, translatedPort: "5" }] },
        ],
      },
      { firewallPolicyName: [pol] },
    );
    expect(routesOfKind(n.e, "firewall DNAT").map((r) => r.hops[0].split(" on firewall")[0])).toEqual([
      "firewall policy fwp rule collection group rcg collection nat DNAT rule n1",
      "firewall policy fwp rule collection group rcg collection nat DNAT rule n2",
      "firewall policy fwp rule collection group rcg collection odd DNAT rule n3",
    ]);
  });

  it("rule collections unknown at preview: anything, anywhere", () => {
    const n = net();
    const pol = firewallPolicy(n.e, "fwp");
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: pol });
    n.e.add(
      "azure-native:network:FirewallPolicyRuleCollectionGroup",
      "rcg",
      { ruleCollectionGroupName: "rcg", firewallPolicyName: "fwp", ruleCollections: UNKNOWN },
      { firewallPolicyName: [pol] },
    );
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe(
      "firewall policy fwp rule collection group rcg collection ? DNAT rule ? on firewall fw → port an unknown port (its translated address is missing)",
    );
    expect(service(r)).toBe("TCP all ports; UDP all ports; ICMP");
  });

  it("a base-policy cycle ends (each policy once)", () => {
    const n = net();
    const pol = n.e.add("azure-native:network:FirewallPolicy", "fwp", {
      firewallPolicyName: "fwp",
      basePolicy: { id: n.e.armId("azure-native:network:FirewallPolicy", "fwp") },
    });
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: pol });
    ruleCollectionGroup(n.e, "rcg", pol, [dnat({ translatedPort: "443" })]);
    expect(routesOfKind(n.e, "firewall DNAT").map((r) => r.hops[0])).toEqual([
      "firewall policy fwp rule collection group rcg collection dnat DNAT rule r1 on firewall fw → port 443 (translated address)",
    ]);
  });

  it("a rule collection group linked to its policy by name only", () => {
    const n = net();
    const pol = firewallPolicy(n.e, "fwp");
    firewall(n.e, "fw", { subnet: n.fwSub, publicIp: n.pip, policy: pol });
    n.e.add(
      "azure-native:network:FirewallPolicyRuleCollectionGroup",
      "rcg",
      {
        ruleCollectionGroupName: "rcg",
        firewallPolicyName: "fwp",
        resourceGroupName: n.e.rg,
        ruleCollections: [
          {
            name: "c",
            ruleCollectionType: "FirewallPolicyNatRuleCollection",
            rules: [{ name: "r", ruleType: "NatRule", translatedAddress: HOST_IP, translatedPort: "25" }],
          },
        ],
      },
      {},
      `${pol.armId}/ruleCollectionGroups/rcg`,
    );
    expect(routesOfKind(n.e, "firewall DNAT").map((r) => r.hops[0])).toEqual([
      "firewall policy fwp rule collection group rcg collection c DNAT rule r on firewall fw → port 25 (translated address)",
    ]);
  });

  it("a rule collection group of a policy that is not in the stack: a firewall outside may use it", () => {
    const n = net();
    n.e.add("azure-native:network:FirewallPolicyRuleCollectionGroup", "rcg", {
      ruleCollectionGroupName: "rcg",
      firewallPolicyName: "fwp-far",
      ruleCollections: [
        {
          name: "c",
          ruleCollectionType: "FirewallPolicyNatRuleCollection",
          rules: [{ name: "r", ruleType: "NatRule", translatedAddress: HOST_IP, translatedPort: "25" }],
        },
      ],
    });
    const [r] = routesOfKind(n.e, "firewall DNAT");
    expect(r.hops[0]).toBe(
      "firewall policy fwp-far rule collection group rcg collection c DNAT rule r → port 25 (translated address; no firewall in this stack uses this policy; one outside it may)",
    );
  });
});
