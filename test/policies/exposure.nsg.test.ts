/**
 * exchange-unverified-not-internet-exposed: NSG evaluation as Azure does it (DESIGN §4, reference §1):
 * first match by priority, subnet and NIC NSG both must allow, SKU semantics without NSG, internet
 * source vocabulary, destination = private address, proxied sources, trusted prefixes, standalone rules.
 */
import { Estate, HOST_TAGS, Res, rule, RuleSpecInput } from "../support/estate";
import { runStack } from "../support/judge";
import { appGateway, baseNet, exHost, HOST_IP, hostNic, loadBalancer, multiConfigNic, publicIpWithoutSku } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED } from "../support/policyNames";

/** Host ex01 with a public IP (Standard unless said otherwise) and the given NIC / subnet NSG rules. */
function pipHost(
  preview: boolean,
  o: {
    nicRules?: Array<Record<string, unknown>>;
    subnetRules?: Array<Record<string, unknown>>;
    sku?: string | null;
    pipExtra?: Record<string, unknown>;
  } = {},
): { e: Estate; vm: Res; pip: Res } {
  const e = new Estate({ preview });
  const subnetNsg = o.subnetRules ? e.nsg("nsg-snet", o.subnetRules) : undefined;
  const { sub } = baseNet(e, { subnetNsg });
  const nsg = o.nicRules ? e.nsg("nsg-ex01", o.nicRules) : undefined;
  const pip = o.sku === null ? publicIpWithoutSku(e, "pip-ex01", o.pipExtra ?? {}) : e.publicIp("pip-ex01", o.sku ?? "Standard", o.pipExtra ?? {});
  const nic = hostNic(e, sub, { nsg, publicIp: pip });
  const vm = exHost(e, { nics: [nic] });
  return { e, vm, pip };
}

const allow = (r: Partial<RuleSpecInput> & { name: string }) => rule({ priority: 100, protocol: "Tcp", ...r });
const deny = (r: Partial<RuleSpecInput> & { name: string }) => rule({ priority: 100, protocol: "*", access: "Deny", ...r });

describe.each(FORMS)("NSG semantics (%s form)", (_form, preview) => {
  describe("first match by priority", () => {
    it("a deny at a lower priority number than the allow wins: not exposed", () => {
      const { e } = pipHost(preview, {
        nicRules: [
          deny({ name: "deny-https", priority: 100, source: "*", port: "443" }),
          allow({ name: "allow-https", priority: 200, source: "Internet", port: "443" }),
        ],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("a deny at a higher priority number than the allow comes too late: exposed", () => {
      const { e, vm } = pipHost(preview, {
        nicRules: [
          allow({ name: "allow-https", priority: 100, source: "Internet", port: "443" }),
          deny({ name: "deny-https", priority: 200, source: "*", port: "443" }),
        ],
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", "allow-https (100)", "443");
    });

    it("rule order in the array does not matter, only the priority", () => {
      const { e } = pipHost(preview, {
        nicRules: [
          allow({ name: "allow-https", priority: 300, source: "Internet", port: "443" }),
          deny({ name: "deny-https", priority: 150, source: "*", port: "443" }),
        ],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("internet sources", () => {
    it("0.0.0.0/1 + 128.0.0.0/1 in sourceAddressPrefixes is the whole IPv4 internet", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-split", sources: ["0.0.0.0/1", "128.0.0.0/1"], port: "3389" })] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "allow-split (100)", "0.0.0.0/1", "3389");
    });

    it.each(["Any", "*", "Internet", "internet", "INTERNET", "0.0.0.0/0"])("source %s counts as the internet", (src) => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-https", source: src, port: "443" })] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", `allows ${src}`, "443");
    });

    it("a public /24 (8.8.8.0/24) counts as internet", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-some", source: "8.8.8.0/24", port: "443" })] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "8.8.8.0/24");
    });

    it("AzureLoadBalancer is not the internet", () => {
      const { e } = pipHost(preview, { nicRules: [allow({ name: "allow-probe", source: "AzureLoadBalancer", port: "*", protocol: "*" })] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("VirtualNetwork and private prefixes are not the internet", () => {
      const { e } = pipHost(preview, {
        nicRules: [
          allow({ name: "allow-vnet", source: "VirtualNetwork", port: "443" }),
          allow({ name: "allow-10", priority: 110, source: "10.0.0.0/8", port: "3389" }),
        ],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("IPv6", () => {
    const dualStack = (preview: boolean, v6Public: boolean, source: string) => {
      const e = new Estate({ preview });
      const vnet = e.vnet("vnet", ["10.0.0.0/16", "fd00:db8::/48"]);
      const sub = e.subnet("snet", vnet, "10.0.1.0/24", undefined, { addressPrefixes: ["10.0.1.0/24", "fd00:db8:0:1::/64"] });
      const nsg = e.nsg("nsg-ex01", [allow({ name: "allow-v6", source, port: "443" })]);
      const pip4 = e.publicIp("pip-ex01-v4");
      const pip6 = e.publicIp("pip-ex01-v6", "Standard", { publicIPAddressVersion: "IPv6" });
      const nic = multiConfigNic(
        e,
        "nic-ex01",
        [
          { name: "ipconfig-v4", subnet: sub, privateIp: HOST_IP, publicIp: pip4 },
          ...(v6Public ? [{ name: "ipconfig-v6", subnet: sub, privateIp: "fd00:db8:0:1::4", version: "IPv6", publicIp: pip6 }] : []),
        ],
        { nsg, tags: HOST_TAGS("unverified") },
      );
      const vm = exHost(e, { nics: [nic] });
      return { e, vm };
    };

    it("::/0 with a public IPv6 address on the host: exposed", () => {
      const { e, vm } = dualStack(preview, true, "::/0");
      const v = runStack(EXPOSED, e.resources);
      expect(v.length).toBeGreaterThanOrEqual(1);
      expectAboutHost(v, vm, "::/0");
      expect(v.some((x) => x.message.includes("pip-ex01-v6") && x.message.includes("ipconfig-v6"))).toBe(true);
      // ::/0 cannot reach the IPv4 public IP.
      expect(v.some((x) => x.message.includes("pip-ex01-v4"))).toBe(false);
    });

    it("::/0 with only an IPv4 public IP: not exposed", () => {
      const { e } = dualStack(preview, false, "::/0");
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("ports", () => {
    it.each([
      ["a range 400-500", { port: "400-500" }],
      ["an array with a range 440-445", { ports: ["80", "440-445"] }],
      ["an array holding 443", { ports: ["25", "443"] }],
      ["*", { port: "*" }],
      ["0-65535", { port: "0-65535" }],
    ])("%s covers 443", (_label, spec) => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-ports", source: "Internet", ...(spec as Record<string, unknown>) })] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "allow-ports (100)");
      expect(v[0].message).toMatch(/TCP (all ports|[^.]*\b443\b|[^.]*\b4\d\d-\d+)/);
    });

    it("a restricted source port does not protect (the client picks it)", () => {
      const { e } = pipHost(preview, {
        nicRules: [
          deny({ name: "deny-src443", priority: 100, source: "*", port: "443", sourcePort: "443" }),
          allow({ name: "allow-https", priority: 200, source: "Internet", port: "443" }),
        ],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
    });
  });

  describe("subnet NSG and NIC NSG", () => {
    const allowHttps = () => allow({ name: "allow-https", source: "Internet", port: "443" });
    const denyAll = () => deny({ name: "deny-all", source: "*" });

    it("subnet-only NSG allowing 443: exposed", () => {
      const { e, vm } = pipHost(preview, { subnetRules: [allowHttps()] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "subnet NSG nsg-snet", "allow-https (100)", "no NIC NSG");
    });

    it("NIC-only NSG allowing 443: exposed", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allowHttps()] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "no subnet NSG", "NIC NSG nsg-ex01", "allow-https (100)");
    });

    it("both allow: exposed, both rules on the path", () => {
      const { e, vm } = pipHost(preview, { subnetRules: [allowHttps()], nicRules: [allowHttps()] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "subnet NSG nsg-snet", "NIC NSG nsg-ex01");
    });

    it("allow on the NIC + deny on the subnet: not exposed", () => {
      const { e } = pipHost(preview, { subnetRules: [denyAll()], nicRules: [allowHttps()] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("allow on the subnet + deny on the NIC: not exposed", () => {
      const { e } = pipHost(preview, { subnetRules: [allowHttps()], nicRules: [denyAll()] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("subnet NSG with only default rules + NIC allow: not exposed (DenyAllInbound at the subnet)", () => {
      const { e } = pipHost(preview, { subnetRules: [], nicRules: [allowHttps()] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("public IP SKU without any NSG", () => {
    it("Standard: closed", () => {
      const { e } = pipHost(preview, { sku: "Standard" });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("Basic: open on every port", () => {
      const { e, vm } = pipHost(preview, { sku: "Basic" });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", "no subnet NSG", "no NIC NSG", "all ports");
    });

    it("sku missing: treated as open", () => {
      const { e, vm } = pipHost(preview, { sku: null });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", "all ports");
    });

    it("Standard with an NSG that has only the default rules: closed", () => {
      const { e } = pipHost(preview, { sku: "Standard", nicRules: [] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("Basic with an NSG that has only the default rules: closed (DenyAllInbound)", () => {
      const { e } = pipHost(preview, { sku: "Basic", nicRules: [] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("load balancer SKU without any NSG", () => {
    const lbHost = (preview: boolean, sku: string) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const lb = loadBalancer(e, "lb-ex", {
        sku,
        frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb", sku) }],
        pools: [{ name: "pool-owa" }],
        rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
      });
      const vm = exHost(e, { nics: [hostNic(e, sub, { lbPools: [[lb, "pool-owa"]] })] });
      return { e, vm };
    };

    it("Standard LB: closed", () => {
      expect(runStack(EXPOSED, lbHost(preview, "Standard").e.resources)).toHaveLength(0);
    });

    it("Basic LB: open on the rule's backend port", () => {
      const { e, vm } = lbHost(preview, "Basic");
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "load balancer lb-ex", "owa-https", "TCP 443");
    });
  });

  describe("application security groups", () => {
    const asgHost = (preview: boolean, member: boolean) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const asgMbx = e.add("azure-native:network:ApplicationSecurityGroup", "asg-mbx", {
        applicationSecurityGroupName: "asg-mbx",
        resourceGroupName: e.rg,
      });
      const asgOther = e.add("azure-native:network:ApplicationSecurityGroup", "asg-web", {
        applicationSecurityGroupName: "asg-web",
        resourceGroupName: e.rg,
      });
      const nsg = e.nsg("nsg-ex01", [
        {
          ...allow({ name: "allow-https-mbx", source: "Internet", port: "443" }),
          destinationAddressPrefix: undefined,
          destinationApplicationSecurityGroups: [e.ref(asgMbx)],
        },
      ]);
      (nsg.propertyDependencies as Record<string, string[]>).securityRules = [asgMbx.urn];
      (nsg.dependencies as string[]).push(asgMbx.urn);
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), asgs: [member ? asgMbx : asgOther] });
      return { e, vm: exHost(e, { nics: [nic] }) };
    };

    it("an allow to an ASG the NIC belongs to: exposed", () => {
      const { e, vm } = asgHost(preview, true);
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "allow-https-mbx (100)", "443");
    });

    it("an allow to an ASG the NIC does not belong to: not exposed when ids are known; at preview the ASG id is unknown, so it may match (fail closed)", () => {
      const { e, vm } = asgHost(preview, false);
      const v = runStack(EXPOSED, e.resources);
      if (preview) {
        expect(v).toHaveLength(1);
        expectAboutHost(v, vm, "allow-https-mbx (100)");
      } else expect(v).toHaveLength(0);
    });
  });

  describe("destination is the private address", () => {
    it("an allow whose destination is the VM's public IP never matches", () => {
      const { e } = pipHost(preview, {
        pipExtra: { ipAddress: "20.50.60.70" },
        nicRules: [allow({ name: "allow-to-public", source: "Internet", destination: "20.50.60.70", port: "443" })],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("... unless another rule allows the private address", () => {
      const { e, vm } = pipHost(preview, {
        pipExtra: { ipAddress: "20.50.60.70" },
        nicRules: [
          allow({ name: "allow-to-public", source: "Internet", destination: "20.50.60.70", port: "443" }),
          allow({ name: "allow-smtp", priority: 110, source: "Internet", destination: `${HOST_IP}/32`, port: "25" }),
        ],
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "allow-smtp (110)", "TCP 25");
      expect(v[0].message).not.toContain("allow-to-public");
    });

    it("an allow for another host's private address does not expose ex01", () => {
      const { e } = pipHost(preview, { nicRules: [allow({ name: "allow-other", source: "Internet", destination: "10.0.1.99", port: "443" })] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("proxied paths (Application Gateway)", () => {
    const agwHost = (preview: boolean, nicRules: Array<Record<string, unknown>>) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
      const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: e.publicIp("pip-agw"), l7: { port: 443 } });
      const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", nicRules), agwPools: [[agw, "pool"]] });
      const vm = exHost(e, { nics: [nic] });
      return { e, vm };
    };

    it("an NSG that only denies Internet does not stop it; the message says the NSG sees the gateway", () => {
      const { e, vm } = agwHost(preview, [deny({ name: "deny-internet", source: "Internet" })]);
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "application gateway agw-ex", "port 443", "AllowVNetInBound", /rules that only deny Internet do not stop it/);
    });

    it("an NSG that denies source * above everything stops it", () => {
      const { e } = agwHost(preview, [deny({ name: "deny-all", source: "*" })]);
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("trustedSourcePrefixes", () => {
    it("an allow from a trusted prefix only: not exposed", () => {
      const { e } = pipHost(preview, { nicRules: [allow({ name: "allow-corp", source: "203.0.113.0/24", port: "3389" })] });
      expect(runStack(EXPOSED, e.resources, { trustedSourcePrefixes: ["203.0.113.0/24"] })).toHaveLength(0);
    });

    it("the same allow without the config: exposed", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-corp", source: "203.0.113.0/24", port: "3389" })] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "203.0.113.0/24", "3389");
    });

    it("an allow from an untrusted public prefix: exposed", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-other", source: "8.8.8.0/24", port: "3389" })] });
      const v = runStack(EXPOSED, e.resources, { trustedSourcePrefixes: ["203.0.113.0/24"] });
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "allow-other (100)", "8.8.8.0/24", "3389");
    });

    it("an allow from Internet minus a trusted prefix is still exposed, and the message says what is left", () => {
      const { e, vm } = pipHost(preview, { nicRules: [allow({ name: "allow-https", source: "Internet", port: "443" })] });
      const v = runStack(EXPOSED, e.resources, { trustedSourcePrefixes: ["203.0.113.0/24"] });
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "except 203.0.113.0/24");
    });
  });

  describe("standalone SecurityRule resources", () => {
    const standalone = (preview: boolean, build: (e: Estate, nsg: Res) => void, inline?: Array<Record<string, unknown>>) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", inline);
      build(e, nsg);
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
      const vm = exHost(e, { nics: [nic] });
      return { e, vm };
    };

    it("a standalone allow attached by NSG name exposes the host", () => {
      const { e, vm } = standalone(preview, (e, nsg) =>
        e.securityRule("allow-rdp", nsg, allow({ name: "allow-rdp", source: "Internet", port: "3389" })),
      );
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "SecurityRule allow-rdp (100)", "3389");
    });

    it("a standalone deny above a standalone allow protects", () => {
      const { e } = standalone(preview, (e, nsg) => {
        e.securityRule("allow-rdp", nsg, allow({ name: "allow-rdp", priority: 200, source: "Internet", port: "3389" }));
        e.securityRule("deny-rdp", nsg, deny({ name: "deny-rdp", priority: 100, source: "*", port: "3389" }));
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("a standalone deny above an inline allow protects (inline and standalone rules are evaluated together)", () => {
      const { e } = standalone(
        preview,
        (e, nsg) => e.securityRule("deny-rdp", nsg, deny({ name: "deny-rdp", priority: 100, source: "*", port: "3389" })),
        [allow({ name: "allow-rdp", priority: 200, source: "Internet", port: "3389" })],
      );
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("a standalone deny in ANOTHER resource group with the same NSG name does not protect (linked by name only)", () => {
      const { e, vm } = standalone(preview, (e, nsg) => {
        e.securityRule("allow-rdp", nsg, allow({ name: "allow-rdp", priority: 200, source: "Internet", port: "3389" }));
        e.add(
          "azure-native:network:SecurityRule",
          "deny-rdp-other-rg",
          {
            ...deny({ name: "deny-rdp", priority: 100, source: "*", port: "3389" }),
            securityRuleName: "deny-rdp",
            networkSecurityGroupName: "nsg-ex01",
            resourceGroupName: "rg-other",
          },
          {},
          `/subscriptions/${e.sub}/resourceGroups/rg-other/providers/Microsoft.Network/networkSecurityGroups/nsg-ex01/securityRules/deny-rdp`,
        );
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "SecurityRule allow-rdp (200)", "3389");
    });

    it("a standalone deny in ANOTHER resource group does not protect even when its NSG name comes from this NSG's output (dependency)", () => {
      const { e, vm } = standalone(preview, (e, nsg) => {
        e.securityRule("allow-rdp", nsg, allow({ name: "allow-rdp", priority: 200, source: "Internet", port: "3389" }));
        e.securityRule("deny-rdp", nsg, deny({ name: "deny-rdp", priority: 100, source: "*", port: "3389" }), "rg-other");
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "SecurityRule allow-rdp (200)", "3389");
    });
  });
});
