/**
 * exchange-unverified-not-internet-exposed: one test per path type of DESIGN §4 / reference §2.2,
 * each in update form (ids known) and preview form (ids unknown, links through propertyDependencies).
 */
import { Estate, HOST_TAGS, rule } from "../support/estate";
import { runStack } from "../support/judge";
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
