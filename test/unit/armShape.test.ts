/**
 * The audit's mapping of ARM bodies to azure-native's view, checked field by field against Microsoft's REST API examples
 * (test/fixtures/azure/arm, SOURCES.md), and its inverse: a round trip keeps every field the model reads.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { armToProps, propsToArm } from "../../cli/audit/azure/armShape";
import { unmodelledToken } from "../../cli/audit/azure/armTypes";
import { rowToResource } from "../../cli/audit/azure/estate";
import { assemblePages, readPage } from "../../cli/audit/azure/pages";
import { T } from "../../policies/model";

const ARM = path.join(__dirname, "../fixtures/azure/arm");
const RG = path.join(__dirname, "../fixtures/azure/resource-graph");
const body = (name: string) => JSON.parse(fs.readFileSync(path.join(ARM, `${name}.json`), "utf8")) as Record<string, unknown>;
const props = (name: string) => armToProps(body(name));
const SUB = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network";
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("ARM examples as azure-native presents them", () => {
  it("network interface: ip configurations flattened, references kept, names typed", () => {
    const v = props("network-interface");
    const p = v.props as Any;
    expect(v.token).toBe(T.NIC);
    expect(p.networkInterfaceName).toBe("test-nic");
    expect(p.resourceGroupName).toBe("rg1");
    expect(p.id).toBe(`${SUB}/networkInterfaces/test-nic`);
    expect(p.networkSecurityGroup).toEqual({ id: `${SUB}/networkSecurityGroups/nsg` });
    expect(p.virtualMachine).toEqual({ id: "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/vm1" });
    expect(p.ipConfigurations).toHaveLength(2);
    const [c1, c2] = p.ipConfigurations;
    expect(c1).toMatchObject({
      name: "ipconfig1",
      id: `${SUB}/networkInterfaces/test-nic/ipConfigurations/ipconfig1`,
      privateIPAddress: "172.20.2.4",
      privateIPAddressVersion: "IPv4",
      primary: true,
      publicIPAddress: { id: `${SUB}/publicIPAddresses/test-ip` },
      subnet: { id: `${SUB}/virtualNetworks/rg1-vnet/subnets/default` },
    });
    expect(c1.properties).toBeUndefined();
    expect(c2).toMatchObject({ name: "ipconfig2", privateIPAddress: "172.20.2.16/28", primary: false });
    expect(c2.publicIPAddress).toBeUndefined();
  });

  it("network security group: rules and default rules flattened", () => {
    const p = props("network-security-group").props as Any;
    expect(p.networkSecurityGroupName).toBe("testnsg");
    expect(p.securityRules).toEqual([
      {
        name: "rule1",
        id: `${SUB}/networkSecurityGroups/testnsg/securityRules/rule1`,
        provisioningState: "Succeeded",
        protocol: "*",
        sourcePortRange: "*",
        destinationPortRange: "80",
        sourceAddressPrefix: "*",
        destinationAddressPrefix: "*",
        access: "Allow",
        priority: 130,
        direction: "Inbound",
      },
    ]);
    expect(p.defaultSecurityRules.map((r: Any) => `${r.name}:${r.priority}:${r.direction}:${r.access}`)).toEqual([
      "AllowVnetInBound:65000:Inbound:Allow",
      "AllowAzureLoadBalancerInBound:65001:Inbound:Allow",
      "DenyAllInBound:65500:Inbound:Deny",
      "AllowVnetOutBound:65000:Outbound:Allow",
      "AllowInternetOutBound:65001:Outbound:Allow",
      "DenyAllOutBound:65500:Outbound:Deny",
    ]);
  });

  it("public IP: attachment and allocation at the top", () => {
    const p = props("public-ip-address").props as Any;
    expect(p.publicIpAddressName).toBe("testDNS-ip");
    expect(p.publicIPAllocationMethod).toBe("Dynamic");
    expect(p.publicIPAddressVersion).toBe("IPv4");
    expect(p.ipConfiguration).toEqual({ id: `${SUB}/networkInterfaces/testDNS649/ipConfigurations/ipconfig1` });
    expect(p.sku).toBeUndefined();
  });

  it("load balancer: frontends, pools with their IP members, rules, NAT rules and probes flattened", () => {
    const p = props("load-balancer").props as Any;
    expect(p.loadBalancerName).toBe("lb");
    expect(p.sku).toEqual({ name: "Standard" });
    expect(p.frontendIPConfigurations[0]).toMatchObject({
      name: "fe-lb",
      privateIPAddress: "10.0.1.4",
      subnet: { id: `${SUB}/virtualNetworks/vnetlb/subnets/subnetlb` },
    });
    const pool = p.backendAddressPools[0];
    expect(pool.name).toBe("be-lb");
    expect(pool.loadBalancerBackendAddresses[0]).toMatchObject({
      name: "8bec96ef-0a6a-45b8-9860-4ffde7bf3572",
      ipAddress: "10.0.0.4",
      subnet: { id: `${SUB}/virtualNetworks/vnetlb/subnets/subnetlb` },
    });
    expect(p.loadBalancingRules[0]).toMatchObject({
      name: "rulelb",
      protocol: "Tcp",
      frontendPort: 80,
      backendPort: 80,
      backendAddressPool: { id: `${SUB}/loadBalancers/lb/backendAddressPools/be-lb` },
      frontendIPConfiguration: { id: `${SUB}/loadBalancers/lb/frontendIPConfigurations/fe-lb` },
    });
    expect(p.inboundNatRules[0]).toMatchObject({ name: "in-nat-rule", backendPort: 3389, frontendPortRangeStart: 3389, frontendPortRangeEnd: 4000 });
    expect(p.probes[0]).toMatchObject({ name: "probe-lb", port: 80, protocol: "Http" });
  });

  it("application gateway: listeners, pools, settings, rules and path maps flattened", () => {
    const p = props("application-gateway").props as Any;
    expect(p.applicationGatewayName).toBe("appgw");
    expect(p.sku).toEqual({ name: "Standard_Medium", tier: "Standard", capacity: 3 });
    expect(p.frontendIPConfigurations[0].publicIPAddress).toEqual({ id: `${SUB}/publicIPAddresses/appgwpip` });
    expect(p.frontendPorts.map((x: Any) => x.port)).toEqual([443, 80]);
    expect(p.backendAddressPools[1]).toMatchObject({ name: "appgwpool1", backendAddresses: ["10.0.0.1", "10.0.0.2"] });
    expect(p.backendHttpSettingsCollection[0]).toMatchObject({ name: "appgwbhs", port: 80, protocol: "Http" });
    expect(p.httpListeners[0]).toMatchObject({
      name: "appgwhl",
      protocol: "Https",
      frontendPort: { id: `${SUB}/applicationGateways/appgw/frontendPorts/appgwfp` },
    });
    expect(p.requestRoutingRules[1]).toMatchObject({
      name: "appgwPathBasedRule",
      ruleType: "PathBasedRouting",
      urlPathMap: { id: `${SUB}/applicationGateways/appgw/urlPathMaps/pathMap1` },
    });
    expect(p.urlPathMaps[0].pathRules[0]).toMatchObject({ name: "apiPaths", paths: ["/api", "/v1/api"] });
    expect(p.gatewayIPConfigurations[0].subnet).toEqual({ id: `${SUB}/virtualNetworks/virtualNetwork1/subnets/appgwsubnet` });
  });

  it("Azure Firewall: ip configurations and rule collections flattened, rules kept as they are", () => {
    const p = props("azure-firewall").props as Any;
    expect(p.azureFirewallName).toBe("azurefirewall");
    expect(p.sku).toEqual({ name: "AZFW_VNet", tier: "Standard" });
    expect(p.ipConfigurations[0]).toMatchObject({ privateIPAddress: "10.0.0.0", publicIPAddress: { id: `${SUB}/publicIPAddresses/pipName` } });
    const nat = p.natRuleCollections[0];
    expect(nat).toMatchObject({ name: "natrulecoll", priority: 112, action: { type: "Dnat" } });
    expect(nat.rules[0]).toEqual({
      name: "DNAT-HTTPS-traffic",
      description: "D-NAT all outbound web traffic for inspection",
      sourceAddresses: ["*"],
      destinationAddresses: ["1.2.3.4"],
      destinationPorts: ["443"],
      protocols: ["TCP"],
      translatedAddress: "1.2.3.5",
      translatedPort: "8443",
    });
    expect(nat.rules[1].translatedFqdn).toBe("internalhttpserver");
  });

  it("Bastion: shareable links and its public ip configuration", () => {
    const p = props("bastion-host").props as Any;
    expect(p.bastionHostName).toBe("bastionhost'");
    expect(p.enableShareableLink).toBe(false);
    expect(p.sku).toEqual({ name: "Standard" });
    expect(p.ipConfigurations[0]).toMatchObject({
      subnet: { id: `${SUB}/virtualNetworks/vnet2/subnets/BastionHostSubnet` },
      publicIPAddress: { id: `${SUB}/publicIPAddresses/pipName` },
    });
  });

  it("virtual machine: profiles kept, NIC references flattened, tags and extension types intact", () => {
    const p = props("virtual-machine").props as Any;
    expect(p.vmName).toBe("myVM");
    expect(p.resourceGroupName).toBe("myresourcegroup");
    expect(p.tags).toEqual({ myTag1: "tagValue1" });
    expect(p.storageProfile.osDisk).toMatchObject({ createOption: "FromImage", managedDisk: { id: expect.stringMatching(/\/disks\/myOsDisk$/) } });
    expect(p.storageProfile.imageReference).toEqual({
      publisher: "MicrosoftWindowsServer",
      offer: "WindowsServer",
      sku: "2016-Datacenter",
      version: "latest",
    });
    expect(p.networkProfile.networkInterfaces).toEqual([{ id: expect.stringMatching(/\/networkInterfaces\/\{myNIC\}$/) }]);
    expect(p.osProfile.computerName).toBe("myVM");
    // An inline extension's own `type` property does not replace ARM's.
    expect(p.resources[0].type).toBe("Microsoft.Compute/virtualMachines/extensions");
  });

  it("Defender assessment: the assessed resource from resourceDetails, status and additionalData at the top", () => {
    const p = props("security-assessment").props as Any;
    expect(props("security-assessment").token).toBe(T.Assessment);
    expect(p.assessmentName).toBe("21300918-b2e3-0346-785f-c77ff57d243b");
    expect(p.resourceId).toBe(
      "/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss2",
    );
    expect(p.status).toEqual(expect.objectContaining({ code: "NotApplicable", cause: "OffByPolicy" }));
    expect(p.additionalData).toEqual({ linkedWorkspaceId: expect.stringMatching(/myLaWorkspace$/) });
    expect(p.resourceGroupName).toBeUndefined();
  });
});

describe("Resource Graph rows", () => {
  const pages = ["resources-1.json", "resources-2.json", "security-assessments-1.json"].map((f) =>
    readPage(f, fs.readFileSync(path.join(RG, f), "utf8")),
  );
  const rows = assemblePages(pages);
  const resources = [...rows.get("resources")!, ...rows.get("security-assessments")!].map(rowToResource);
  const get = (name: string) => resources.find((r) => r.name === name)!;

  it("reads both pages of a run as one estate, lower-cased types mapped to their tokens and URNs the ARM ids", () => {
    expect(pages.map((p) => [p.query, p.rows.length, p.total, p.skipToken !== undefined])).toEqual([
      ["resources", 5, 8, true],
      ["resources", 3, 8, false],
      ["security-assessments", 1, 1, false],
    ]);
    expect(resources.map((r) => r.type).sort()).toEqual([T.VM, T.NIC, T.NSG, T.PublicIP, T.LB, T.AppGW, T.Firewall, T.Bastion, T.Assessment].sort());
    expect(get("test-nic").urn).toBe(`${SUB}/networkInterfaces/test-nic`);
    expect((get("test-nic").properties as Any).ipConfigurations[0].publicIPAddress).toEqual({ id: `${SUB}/publicIPAddresses/test-ip` });
  });

  it("takes resourceGroupName from the row's resourceGroup column and the assessed resource from resourceDetails.Id", () => {
    expect((get("myVM").properties as Any).resourceGroupName).toBe("myresourcegroup");
    expect((get("21300918-b2e3-0346-785f-c77ff57d243b").properties as Any).resourceId).toMatch(/virtualMachineScaleSets\/vmss2$/);
  });

  it("keeps a type the model does not know as it is, under a token the exposure model scans", () => {
    expect(unmodelledToken("microsoft.web/sites")).toBe("azure-native:web:sites");
    expect(unmodelledToken("microsoft.insights/diagnosticsettings")).toBe("azure-native:insights:diagnosticsettings");
    const r = rowToResource({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
      type: "microsoft.web/sites",
      name: "app",
      properties: { a: { properties: { b: 1 }, name: "x" } },
    });
    expect(r.type).toBe("azure-native:web:sites");
    expect((r.properties as Any).properties).toEqual({ a: { properties: { b: 1 }, name: "x" } });
  });

  it("reads a management lock as az lock list writes it (and ARM's own body) with the scope it locks", () => {
    const scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/snapshots/ex03-g1-osdisk-evidence";
    const id = `${scope}/providers/Microsoft.Authorization/locks/evidence`;
    const cli = rowToResource({ id, name: "evidence", type: "Microsoft.Authorization/locks", level: "CanNotDelete", notes: "kept", owners: null });
    const arm = rowToResource({ id, name: "evidence", type: "Microsoft.Authorization/locks", properties: { level: "CanNotDelete", notes: "kept" } });
    for (const r of [cli, arm]) {
      expect(r.type).toBe("azure-native:authorization:ManagementLockByScope");
      expect(r.properties).toMatchObject({ scope, level: "CanNotDelete", lockName: "evidence" });
    }
    expect(
      readPage("locks.json", JSON.stringify([{ id, name: "evidence", type: "Microsoft.Authorization/locks", level: "CanNotDelete" }])).query,
    ).toBe("locks");
  });

  it("names a child row's parents from its id (a private DNS record set, an admin rule)", () => {
    const rec = rowToResource({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/privateDnsZones/corp.example/A/mail",
      type: "microsoft.network/privatednszones/a",
      name: "mail",
      properties: { aRecords: [{ ipv4Address: "10.0.0.4" }] },
    });
    expect(rec.type).toBe(T.PrivateRecordSet);
    expect(rec.properties).toMatchObject({
      privateZoneName: "corp.example",
      relativeRecordSetName: "mail",
      recordType: "A",
      aRecords: [{ ipv4Address: "10.0.0.4" }],
    });
    const rule = rowToResource({
      id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm/securityAdminConfigurations/cfg/ruleCollections/rc/rules/r1",
      type: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules",
      name: "r1",
      kind: "Custom",
      properties: { access: "AlwaysAllow" },
    });
    expect(rule.type).toBe(T.AdminRule);
    expect(rule.properties).toMatchObject({
      networkManagerName: "nm",
      configurationName: "cfg",
      ruleCollectionName: "rc",
      ruleName: "r1",
      kind: "Custom",
      access: "AlwaysAllow",
    });
  });
});

describe("the inverse mapping", () => {
  const id = (t: string, n: string) => `/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Network/${t}/${n}`;
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
  const ref = name.map((n) => ({ id: id("publicIPAddresses", n) }));
  const rule = fc.record({
    name,
    priority: fc.integer({ min: 100, max: 4096 }),
    direction: fc.constantFrom("Inbound", "Outbound"),
    access: fc.constantFrom("Allow", "Deny"),
    protocol: fc.constantFrom("Tcp", "Udp", "*"),
    sourceAddressPrefix: fc.constantFrom("*", "Internet", "10.0.0.0/8"),
    destinationPortRange: fc.constantFrom("*", "443", "3389"),
  });
  const ipConfig = fc.record(
    {
      name,
      privateIPAddress: fc.ipV4(),
      primary: fc.boolean(),
      publicIPAddress: ref,
      subnet: ref,
      loadBalancerBackendAddressPools: fc.array(ref, { maxLength: 2 }),
    },
    { requiredKeys: ["name"] },
  );
  const tags = fc.dictionary(name, fc.string({ maxLength: 8 }), { maxKeys: 3 });

  it("ARM body → azure-native → the same fields: NICs, NSGs, load balancers (property test)", () => {
    fc.assert(
      fc.property(name, tags, fc.array(ipConfig, { minLength: 1, maxLength: 3 }), fc.array(rule, { maxLength: 4 }), (n, t, configs, rules) => {
        const nic = {
          id: id("networkInterfaces", n),
          networkInterfaceName: n,
          resourceGroupName: "rg1",
          tags: t,
          ipConfigurations: configs,
          networkSecurityGroup: { id: id("networkSecurityGroups", n) },
        };
        const nsg = { id: id("networkSecurityGroups", n), networkSecurityGroupName: n, resourceGroupName: "rg1", securityRules: rules };
        const lb = {
          id: id("loadBalancers", n),
          loadBalancerName: n,
          resourceGroupName: "rg1",
          sku: { name: "Standard" },
          backendAddressPools: [
            { name: "pool", loadBalancerBackendAddresses: configs.map((c) => ({ name: c.name, ipAddress: c.privateIPAddress })) },
          ],
          loadBalancingRules: rules.map((r) => ({ name: r.name, protocol: "Tcp", frontendPort: r.priority, backendPort: r.priority })),
        };
        for (const [token, p] of [
          [T.NIC, nic],
          [T.NSG, nsg],
          [T.LB, lb],
        ] as const) {
          const arm = propsToArm(token, p);
          // The body is ARM's: every sub-resource's fields sit in its own envelope, the names only in the id.
          expect(arm).not.toHaveProperty(Object.keys(p).find((k) => k.endsWith("Name"))!);
          expect(armToProps(arm)).toEqual({ token, modelled: true, name: n, props: { ...p, name: n, type: expect.any(String) } });
        }
      }),
      { numRuns: process.env.CI || process.env.EXG_FULL ? 300 : 30 },
    );
  });

  it("VM network profiles and assessments round-trip", () => {
    const vm = {
      id: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/ex01",
      vmName: "ex01",
      resourceGroupName: "rg1",
      tags: { workload: "exchange" },
      storageProfile: {
        osDisk: { createOption: "FromImage", managedDisk: { id: "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Compute/disks/d" } },
      },
      networkProfile: {
        networkInterfaces: [{ id: id("networkInterfaces", "nic"), primary: true }],
        networkInterfaceConfigurations: [
          { name: "cfg", ipConfigurations: [{ name: "ip", publicIPAddressConfiguration: { name: "pip", idleTimeoutInMinutes: 4 } }] },
        ],
      },
    };
    const arm = propsToArm(T.VM, vm) as Any;
    expect(arm.properties.networkProfile.networkInterfaces[0]).toEqual({ id: id("networkInterfaces", "nic"), properties: { primary: true } });
    expect(
      arm.properties.networkProfile.networkInterfaceConfigurations[0].properties.ipConfigurations[0].properties.publicIPAddressConfiguration,
    ).toEqual({
      name: "pip",
      properties: { idleTimeoutInMinutes: 4 },
    });
    expect(armToProps(arm).props).toEqual({ ...vm, name: "ex01", type: "Microsoft.Compute/virtualMachines" });
    const assessment = {
      id: `${vm.id}/providers/Microsoft.Security/assessments/6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71`,
      assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
      resourceId: vm.id,
      status: { code: "Healthy" },
      additionalData: { assessmentKind: "exchange-compromise", verdict: "clean" },
    };
    const back = armToProps(propsToArm(T.Assessment, assessment)).props;
    expect(back).toMatchObject({
      resourceId: vm.id,
      assessmentName: assessment.assessmentName,
      status: { code: "Healthy" },
      additionalData: assessment.additionalData,
    });
  });
});
