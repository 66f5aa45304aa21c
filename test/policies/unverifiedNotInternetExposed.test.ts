/**
 * exchange-unverified-not-internet-exposed (rule: policies/rules/unverifiedNotInternetExposed.ts; contract:
 * docs/contract.md#internet-exposure): no internet flow reaches a host that is not verified, by any path. One test per path type,
 * NSG evaluation as Azure does it, unknown values at preview, the rule's exact message frames and config, and the bypass
 * attempts that target it; each in update form (ids known) and preview form (ids unknown, links through
 * propertyDependencies). Each path module's own decisions are pinned in test/unit/exposure/.
 */
import { Estate, HOST_TAGS, Res, rule, RuleSpecInput, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import {
  adminRule,
  afdOrigin,
  appGateway,
  baseNet,
  basicPipHost,
  exHost,
  firewall,
  firewallPolicy,
  FORENSICS,
  forensicsOnlyHost,
  HOST_IP,
  hostNic,
  inlineVm,
  loadBalancer,
  multiConfigNic,
  privateLinkService,
  publicIpWithoutSku,
  ruleCollectionGroup,
} from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED, ISOLATED } from "../support/policyNames";
import { sample } from "../support/budget";
import { unverifiedNotInternetExposed } from "../../policies/rules/unverifiedNotInternetExposed";

it("flags a public IP on an unverified host whose NSG allows 443 from the internet", () => {
  const e = new Estate();
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24");
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const pip = e.publicIp("pip-ex01");
  const nic = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: pip, privateIp: "10.0.1.4", tags: HOST_TAGS("unverified") });
  e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  const v = runStack("exchange-unverified-not-internet-exposed", e.resources);
  console.log(v.map((x) => x.message).join("\n"));
  expect(v).toHaveLength(1);
});

/**
 * exchange-unverified-not-internet-exposed: one test per path type of docs/contract.md#paths,
 * each in update form (ids known) and preview form (ids unknown, links through propertyDependencies).
 */
describe.each(FORMS)("paths (%s form)", (_form, preview) => {
  describe("public IP", () => {
    it("Standard public IP on the NIC with an NSG allowing 443 from Internet", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      const pip = e.publicIp("pip-ex01");
      const nic = hostNic(e, sub, { nsg, publicIp: pip });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", "allow-https (100)", "443", "nic-ex01/ipconfig1");
    });

    it("public IP on a second ipConfiguration of the NIC", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 110, source: "Internet", port: "3389", protocol: "Tcp" })]);
      const pip = e.publicIp("pip-ex01-second");
      const nic = multiConfigNic(
        e,
        "nic-ex01",
        [
          { name: "ipconfig1", subnet: sub, privateIp: HOST_IP },
          { name: "ipconfig2", subnet: sub, privateIp: "10.0.1.5", publicIp: pip },
        ],
        { nsg, tags: HOST_TAGS("unverified") },
      );
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01-second", "nic-ex01/ipconfig2", "allow-rdp (110)", "3389");
    });

    it("public IP on a second NIC of the VM", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      const pip = e.publicIp("pip-ex01-b");
      const nic1 = hostNic(e, sub, { nsg });
      const nic2 = hostNic(e, sub, { name: "nic-ex01-b", nsg, publicIp: pip, privateIp: "10.0.1.5" });
      const vm = exHost(e, { nics: [nic1, nic2] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01-b", "nic-ex01-b/ipconfig1", "443");
    });

    it("VM inline networkInterfaceConfigurations with publicIPAddressConfiguration", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
      const vm = inlineVm(e, "ex01", {
        subnet: sub,
        nsg,
        tags: HOST_TAGS("unverified"),
        publicIp: { name: "pip-ex01-inline", sku: { name: "Standard" } },
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01-inline", "allow-https (100)", "443");
    });
  });

  describe("load balancer", () => {
    const nsgAllowing = (e: Estate, port: string) =>
      e.nsg("nsg-ex01", [rule({ name: `allow-${port}`, priority: 100, source: "Internet", port, protocol: "Tcp" })]);

    it("public Standard LB rule with a NIC-based pool", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const pipLb = e.publicIp("pip-lb");
      const lb = loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: pipLb }],
        pools: [{ name: "pool-owa" }],
        rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
      });
      const nic = hostNic(e, sub, { nsg: nsgAllowing(e, "443"), lbPools: [[lb, "pool-owa"]] });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-lb", "load balancer lb-ex", "owa-https", "443", "allow-443 (100)");
    });

    it("public LB with an IP-based pool member (loadBalancerBackendAddresses[].ipAddress = host IP)", () => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const pipLb = e.publicIp("pip-lb");
      loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: pipLb }],
        pools: [{ name: "pool-ip", addresses: [{ ipAddress: HOST_IP, vnet }] }],
        rules: [{ name: "owa-https", frontend: "fe-public", pool: "pool-ip", frontendPort: 443, backendPort: 443 }],
      });
      const nic = hostNic(e, sub, { nsg: nsgAllowing(e, "443") });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "load balancer lb-ex", "owa-https", `IP-based member ${HOST_IP}`, "443");
    });

    describe("NAT rule v1 (NIC-side membership) 50001 → 3389", () => {
      const build = (preview: boolean, nsgPort: string) => {
        const e = new Estate({ preview });
        const { sub } = baseNet(e);
        const pipLb = e.publicIp("pip-lb");
        const lb = loadBalancer(e, "lb-ex", {
          frontends: [{ name: "fe-public", publicIp: pipLb }],
          pools: [{ name: "pool-owa" }],
          natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }],
        });
        const nic = hostNic(e, sub, { nsg: nsgAllowing(e, nsgPort), natRules: [[lb, "nat-rdp"]] });
        const vm = exHost(e, { nics: [nic] });
        return { e, vm };
      };

      it("NSG allowing the backend port 3389 exposes the host", () => {
        const { e, vm } = build(preview, "3389");
        const v = runStack(EXPOSED, e.resources);
        expect(v).toHaveLength(1);
        expectAboutHost(v, vm, "nat-rdp", "50001→3389", "allow-3389 (100)", "TCP 3389");
      });

      it("NSG allowing only the front-end port 50001 does not (the NSG sees the backend port)", () => {
        const { e } = build(preview, "50001");
        expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
      });
    });

    it("NAT rule v2 (backendAddressPool + frontendPortRangeStart/End)", () => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const pipLb = e.publicIp("pip-lb");
      const lb = loadBalancer(e, "lb-ex", {
        frontends: [{ name: "fe-public", publicIp: pipLb }],
        pools: [{ name: "pool-mgmt" }],
        natRules: [
          {
            name: "nat-v2-rdp",
            frontend: "fe-public",
            pool: "pool-mgmt",
            frontendPortRangeStart: 50000,
            frontendPortRangeEnd: 50099,
            backendPort: 3389,
          },
        ],
      });
      const nic = hostNic(e, sub, { nsg: nsgAllowing(e, "3389"), lbPools: [[lb, "pool-mgmt"]] });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "nat-v2-rdp", "50000-50099→3389", "TCP 3389");
    });
  });

  describe("application gateway", () => {
    const setup = (preview: boolean) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
      const pipAgw = e.publicIp("pip-agw");
      // The host's NSG only has the default rules: the gateway's subnet is VirtualNetwork.
      const nsg = e.nsg("nsg-ex01", []);
      return { e, sub, gwSub, pipAgw, nsg };
    };

    it("L7 (HTTPS listener → backend 443) with the NIC in the backend pool", () => {
      const { e, sub, gwSub, pipAgw, nsg } = setup(preview);
      const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: pipAgw, l7: { port: 443 } });
      const nic = hostNic(e, sub, { nsg, agwPools: [[agw, "pool"]] });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "application gateway agw-ex", "L7 listener listener-https", "port 443", "NIC in backend pool", "AllowVNetInBound");
    });

    it("L7 with the host as a backend by IP", () => {
      const { e, sub, gwSub, pipAgw, nsg } = setup(preview);
      appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: pipAgw, l7: { port: 443 }, backends: [{ ipAddress: HOST_IP }] });
      const nic = hostNic(e, sub, { nsg });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "application gateway agw-ex", `backend ${HOST_IP}`, "port 443");
    });

    it("L7 with a backend FQDN the pack cannot resolve counts as exposed and says why", () => {
      const { e, sub, gwSub, pipAgw, nsg } = setup(preview);
      appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: pipAgw, l7: { port: 443 }, backends: [{ fqdn: "mail.contoso.example" }] });
      const nic = hostNic(e, sub, { nsg });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "application gateway agw-ex", "mail.contoso.example", /cannot resolve/);
    });

    it("L4 TCP listener (listeners / routingRules / backendSettingsCollection) on 3389", () => {
      const { e, sub, gwSub, pipAgw, nsg } = setup(preview);
      const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: pipAgw, l4: { port: 3389 } });
      const nic = hostNic(e, sub, { nsg, agwPools: [[agw, "pool"]] });
      const vm = exHost(e, { nics: [nic] });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "application gateway agw-ex", "L4 listener listener-tcp", "port 3389", "TCP 3389");
    });

    it("an internal-only Application Gateway does not expose the host", () => {
      const { e, sub, gwSub, nsg } = setup(preview);
      const agw = appGateway(e, "agw-int", { gwSubnet: gwSub, l7: { port: 443 } });
      const nic = hostNic(e, sub, { nsg, agwPools: [[agw, "pool"]] });
      exHost(e, { nics: [nic] });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  describe("Azure Firewall DNAT", () => {
    const setup = (preview: boolean) => {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.4.0/26");
      const pipFw = e.publicIp("pip-fw");
      const nsg = e.nsg("nsg-ex01", []);
      const nic = hostNic(e, sub, { nsg });
      const vm = exHost(e, { nics: [nic] });
      return { e, fwSub, pipFw, vm };
    };

    it("classic natRuleCollections (action Dnat, translatedAddress = host IP)", () => {
      const { e, fwSub, pipFw, vm } = setup(preview);
      firewall(e, "fw-hub", {
        subnet: fwSub,
        publicIp: pipFw,
        dnat: [{ name: "rdp-in", destinationPorts: ["3389"], translatedAddress: HOST_IP, translatedPort: "3389" }],
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "firewall fw-hub", "rdp-in", "port 3389", "translated address");
    });

    it("Firewall Policy rule collection group NAT rule, inherited through basePolicy", () => {
      const { e, fwSub, pipFw, vm } = setup(preview);
      const base = firewallPolicy(e, "fwp-base");
      const child = firewallPolicy(e, "fwp-child", { base });
      ruleCollectionGroup(e, "rcg-dnat", base, [{ name: "owa-in", destinationPorts: ["443"], translatedAddress: HOST_IP, translatedPort: "443" }]);
      firewall(e, "fw-hub", { subnet: fwSub, publicIp: pipFw, policy: child });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "rcg-dnat", "owa-in", "fwp-base", "on firewall fw-hub", "port 443");
    });

    it("a DNAT rule open only to a trusted public prefix: exposed without the config, not with it", () => {
      const { e, fwSub, pipFw, vm } = setup(preview);
      firewall(e, "fw-hub", {
        subnet: fwSub,
        publicIp: pipFw,
        dnat: [
          { name: "rdp-corp", sourceAddresses: ["203.0.113.0/24"], destinationPorts: ["3389"], translatedAddress: HOST_IP, translatedPort: "3389" },
        ],
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "rdp-corp");
      expect(runStack(EXPOSED, e.resources, { trustedSourcePrefixes: ["203.0.113.0/24"] })).toHaveLength(0);
    });

    it("a DNAT rule open only to private sources does not expose the host", () => {
      const { e, fwSub, pipFw } = setup(preview);
      firewall(e, "fw-hub", {
        subnet: fwSub,
        publicIp: pipFw,
        dnat: [
          { name: "rdp-onprem", sourceAddresses: ["10.50.0.0/16"], destinationPorts: ["3389"], translatedAddress: HOST_IP, translatedPort: "3389" },
        ],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });

    it("a DNAT rule translating to another address does not expose the host", () => {
      const { e, fwSub, pipFw } = setup(preview);
      firewall(e, "fw-hub", {
        subnet: fwSub,
        publicIp: pipFw,
        dnat: [{ name: "other-in", destinationPorts: ["443"], translatedAddress: "10.0.2.50", translatedPort: "443" }],
      });
      expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
    });
  });

  it("Front Door AFDOrigin → Private Link Service → internal LB front end → rule → pool → host", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const plsSub = e.subnet("snet-pls", vnet, "10.0.5.0/24", undefined, { privateLinkServiceNetworkPolicies: "Disabled" });
    const lb = loadBalancer(e, "lb-int", {
      frontends: [{ name: "fe-int", subnet: sub, privateIp: "10.0.1.100" }],
      pools: [{ name: "pool-owa" }],
      rules: [{ name: "owa-https", frontend: "fe-int", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    });
    const pls = privateLinkService(e, "pls-owa", { natSubnet: plsSub, lb, frontend: "fe-int" });
    afdOrigin(e, "origin-owa", { pls });
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), lbPools: [[lb, "pool-owa"]] });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "Front Door origin origin-owa", "Private Link Service pls-owa", "internal load balancer lb-int", "owa-https", "443");
  });

  it("an internal LB not published through Private Link does not expose the host", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-int", {
      frontends: [{ name: "fe-int", subnet: sub, privateIp: "10.0.1.100" }],
      pools: [{ name: "pool-owa" }],
      rules: [{ name: "owa-https", frontend: "fe-int", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    });
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), lbPools: [[lb, "pool-owa"]] });
    exHost(e, { nics: [nic] });
    expect(runStack(EXPOSED, e.resources)).toHaveLength(0);
  });

  describe("Virtual Network Manager AlwaysAllow admin rule", () => {
    const build = (preview: boolean, withAdminRule: boolean) => {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "deny-all-in", priority: 100, access: "Deny", source: "*" })]);
      const pip = e.publicIp("pip-ex01");
      const nic = hostNic(e, sub, { nsg, publicIp: pip });
      const vm = exHost(e, { nics: [nic] });
      if (withAdminRule) adminRule(e, "always-rdp", { source: "Internet", ports: ["3389"] });
      return { e, vm };
    };

    it("Standard PIP whose NSG denies everything is not exposed without the admin rule", () => {
      expect(runStack(EXPOSED, build(preview, false).e.resources)).toHaveLength(0);
    });

    it("AlwaysAllow from Internet exposes it past the NSG", () => {
      const { e, vm } = build(preview, true);
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "pip-ex01", "network manager AlwaysAllow rule always-rdp", "3389");
    });
  });
});

/**
 * exchange-unverified-not-internet-exposed: NSG evaluation as Azure does it (docs/contract.md#nsg-evaluation):
 * first match by priority, subnet and NIC NSG both must allow, SKU semantics without NSG, internet
 * source vocabulary, destination = private address, proxied sources, trusted prefixes, standalone rules.
 */
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

/**
 * exchange-unverified-not-internet-exposed with unknown values (docs/contract.md#preview-semantics: fail closed, link by URN).
 * Unknowns appear at preview; some (outputs of other resources) also in update form, so every case
 * runs in both forms.
 */
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
// that may hold a path to the host must count as exposed (docs/contract.md#what-cannot-be-decided-counts-as-exposed).
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

const FIX_EXPOSED = ". Fix: remove this path or isolate the host; it may be published only once verified.";

const ALL_LINE = "no subnet NSG → no NIC NSG → from the IPv4 internet → TCP all ports; UDP all ports; ICMP; ESP; AH";
const PIP_HOPS = "public IP pip-ex01 (Basic or unknown SKU) → NIC nic-ex01/ipconfig1";

describe("exchange-unverified-not-internet-exposed", () => {
  const run = (e: Estate, config: Record<string, unknown> = {}) => unverifiedNotInternetExposed.evaluate(analyse(e.resources), config);

  it("metadata", () => {
    expect(unverifiedNotInternetExposed.name).toBe("exchange-unverified-not-internet-exposed");
    expect(unverifiedNotInternetExposed.enforcementLevel).toBe("mandatory");
    expect(unverifiedNotInternetExposed.kind).toBe("stack");
    expect(unverifiedNotInternetExposed.url).toMatch(/#exchange-unverified-not-internet-exposed$/);
  });

  it("the whole message, on the host's URN", () => {
    const e = basicPipHost();
    const vm = e.resources.find((r) => r.name === "ex01")!;
    expect(run(e)).toEqual([
      { urn: vm.urn, message: `host ex01 (unverified) is reachable from the internet via public IP: ${PIP_HOPS} → ${ALL_LINE}${FIX_EXPOSED}` },
    ]);
  });

  it("an undecidable path: the message says it cannot be decided and why", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("compromised"),
      networkProfile: { networkInterfaces: UNKNOWN },
    });
    expect(run(e).map((v) => v.message)).toEqual([
      `host ex01 (compromised) is reachable from the internet via unreadable attachment: cannot be decided, so it counts as open on every port: the network interfaces of VM ex01 are unknown at preview and no dependency names them${FIX_EXPOSED}`,
    ]);
  });

  it("verified hosts are not this policy's business", () => {
    expect(run(basicPipHost({ verified: true }))).toEqual([]);
  });

  it("trustedSourcePrefixes: a path open only to trusted sources is not internet exposure", () => {
    const nsg = (e: Estate) => e.nsg("nsg", [rule({ name: "office", priority: 100, source: "203.0.113.0/24", port: "3389", protocol: "Tcp" })]);
    expect(run(basicPipHost({ nsg }))).toHaveLength(1);
    expect(run(basicPipHost({ nsg }), { trustedSourcePrefixes: ["203.0.113.0/24"] })).toEqual([]);
    expect(run(basicPipHost({ nsg }), { trustedSourcePrefixes: ["203.0.113.0/25"] })).toHaveLength(1);
  });

  it("an unparsable trusted prefix is a config error and trusts nothing", () => {
    expect(unverifiedNotInternetExposed.configErrors!({ trustedSourcePrefixes: ["nonsense", "10.0.0.0/8"] })).toEqual([
      'trustedSourcePrefixes: "nonsense" is not an IP address or CIDR prefix',
    ]);
    expect(unverifiedNotInternetExposed.configErrors!({})).toEqual([]);
    expect(run(basicPipHost(), { trustedSourcePrefixes: ["nonsense"] })).toHaveLength(1);
  });

  it("one violation per open path", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      sku: "Basic",
      frontends: [{ name: "fe", publicIp: e.publicIp("pip-lb", "Basic") }],
      pools: [{ name: "p" }],
      rules: [{ name: "owa", frontend: "fe", pool: "p", frontendPort: 443, backendPort: 443 }],
    });
    exHost(e, { nics: [hostNic(e, sub, { publicIp: e.publicIp("pip-ex01", "Basic"), lbPools: [[lb, "p"]] })] });
    expect(run(e).map((v) => v.message.split(":")[0])).toEqual([
      "host ex01 (unverified) is reachable from the internet via public IP",
      "host ex01 (unverified) is reachable from the internet via load balancer",
    ]);
  });
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("an Exchange VM built with another resource type cannot hide from the pack", () => {
    const e = new Estate({ preview });
    forensicsOnlyHost(e);
    e.add("azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "ex09", {
      name: "ex09",
      tags: { Workload: "Exchange", "remediation-state": "remediated" },
    });
    const v = runStack(EXPOSED, e.resources);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/host ex09 .*only analyses azure-native:compute:VirtualMachine/)]);
    expect(runStack(ISOLATED, e.resources, FORENSICS).some((x) => /ex09 .*cannot be shown to be isolated/.test(x.message))).toBe(true);
  });

  it("a versioned type token for the VM is still the same VM", () => {
    const e = new Estate({ preview });
    const { nic } = forensicsOnlyHost(e);
    const pip = e.publicIp("pip-ex02", "Basic");
    const nic2 = e.nic("nic-ex02", { subnet: e.resources.find((r) => r.name === "snet-q")!, publicIp: pip, tags: HOST_TAGS("unverified") });
    e.add(
      "azure-native:compute/v20240701:VirtualMachine",
      "ex02",
      { vmName: "ex02", tags: HOST_TAGS("unverified"), networkProfile: { networkInterfaces: [e.ref(nic2)] } },
      { networkProfile: [nic2] },
    );
    void nic;
    expect(runStack(EXPOSED, e.resources).some((v) => /host ex02 .*pip-ex02/.test(v.message))).toBe(true);
  });
});
