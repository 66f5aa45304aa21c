/**
 * The components are reusable on their own (docs/contract.md#the-stacks): IsolationNsg, PublishedNsg and ExchangeHost
 * instantiated directly under the mock runtime, with plain-string subnet ids and no ExchangeNetwork.
 */
import type { Registration } from "../../cli/preview/captureStack";
import { captureStack } from "../../cli/preview/captureStack";
import { armIdFor, offlineCall, outputsFor } from "../../cli/preview/mockCloud";
import { ExchangeHost, ExchangeHostArgs } from "../../stacks/components/exchangeHost";
import { IsolationNsg } from "../../stacks/components/isolationNsg";
import { PublishedNsg } from "../../stacks/components/publishedNsg";
import { get, ofType, one, PROJECT, recordData, rulesOf, T, UNKNOWN } from "../support/stackConfigs";

const SUB = "11111111-2222-3333-4444-555555555555";
const RG = "rg-components";
const Q_SUBNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/my-vnet/subnets/my-quarantine`;
const P_SUBNET = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/my-vnet/subnets/my-published`;
const POOL = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/loadBalancers/my-lb/backendAddressPools/web`;
const FORENSICS = ["10.9.0.0/24"];

function capture(program: () => void, preview: boolean): Promise<Registration[]> {
  return captureStack(
    async () => {
      program();
    },
    {
      project: PROJECT,
      stack: "components",
      preview,
      call: offlineCall,
      idFor: (a) => armIdFor(a, SUB),
      outputsFor: (a, id) => outputsFor(a, id, SUB),
    },
  );
}

function hostArgs(over: Partial<ExchangeHostArgs> = {}): ExchangeHostArgs {
  return {
    name: "mail",
    generation: 3,
    state: "unverified",
    verified: false,
    compromised: false,
    resourceGroupName: RG,
    resourceGroupNameText: RG,
    subscriptionId: SUB,
    location: "northeurope",
    size: "Standard_E4s_v5",
    image: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2019-datacenter", version: "latest" },
    adminUsername: "ops",
    quarantineSubnetId: Q_SUBNET,
    publishedSubnetId: P_SUBNET,
    backendPool: { id: POOL, kind: "loadBalancer" },
    forensicsSourcePrefixes: FORENSICS,
    forensicsDestinationPrefixes: ["10.9.1.0/24"],
    managementPorts: [3389],
    clientPorts: ["443/tcp"],
    clientSources: ["Internet"],
    ...over,
  };
}

describe.each([true, false])("preview=%s", (preview) => {
  describe("IsolationNsg alone", () => {
    it("registers the component and its NSG: forensics in, deny-all from *, flushConnection", async () => {
      const regs = await capture(() => {
        new IsolationNsg("iso", { resourceGroupName: RG, forensicsSourcePrefixes: FORENSICS, managementPorts: [3389, 22] });
      }, preview);
      expect(regs.map((r) => `${r.type}::${r.name}`).sort()).toEqual([`${T.nsg}::iso`, `${T.isolation}::iso`]);
      const nsg = one(regs, T.nsg, "iso");
      expect(nsg.parent).toBe(one(regs, T.isolation, "iso").urn);
      expect(nsg.inputs.networkSecurityGroupName).toBe("iso");
      expect(nsg.inputs.resourceGroupName).toBe(RG);
      expect(nsg.inputs.flushConnection).toBe(true);
      expect(rulesOf(nsg).map((r) => [r.name, r.priority, r.direction, r.access])).toEqual([
        ["allow-forensics-in", 100, "Inbound", "Allow"],
        ["deny-all-in", 110, "Inbound", "Deny"],
      ]);
      expect(rulesOf(nsg)[0]).toMatchObject({ sourceAddressPrefixes: FORENSICS, destinationPortRanges: ["3389", "22"], protocol: "Tcp" });
      expect(rulesOf(nsg)[1]).toMatchObject({ sourceAddressPrefix: "*", destinationPortRange: "*", protocol: "*" });
    });

    it("with blockInternetOutbound: forensics destinations out at 100, deny Internet out at 110", async () => {
      const regs = await capture(() => {
        new IsolationNsg("iso", {
          resourceGroupName: RG,
          nsgName: "custom-name",
          forensicsSourcePrefixes: FORENSICS,
          managementPorts: [3389],
          blockInternetOutbound: { allowedDestinations: ["10.9.1.0/24"] },
        });
      }, preview);
      const nsg = one(regs, T.nsg, "iso");
      expect(nsg.inputs.networkSecurityGroupName).toBe("custom-name");
      const out = rulesOf(nsg).filter((r) => r.direction === "Outbound");
      expect(out).toEqual([
        expect.objectContaining({ name: "allow-forensics-out", priority: 100, access: "Allow", destinationAddressPrefixes: ["10.9.1.0/24"] }),
        expect.objectContaining({
          name: "deny-internet-out",
          priority: 110,
          access: "Deny",
          destinationAddressPrefix: "Internet",
          destinationPortRange: "*",
          protocol: "*",
        }),
      ]);
    });

    it("with no forensics sources or destinations: only the denies", async () => {
      const regs = await capture(() => {
        new IsolationNsg("iso", {
          resourceGroupName: RG,
          forensicsSourcePrefixes: [],
          managementPorts: [3389],
          blockInternetOutbound: { allowedDestinations: [] },
        });
      }, preview);
      expect(rulesOf(one(regs, T.nsg, "iso")).map((r) => r.name)).toEqual(["deny-all-in", "deny-internet-out"]);
    });
  });

  describe("PublishedNsg alone", () => {
    it("client ports from the given sources, management from forensics, deny Internet last", async () => {
      const regs = await capture(() => {
        new PublishedNsg("pub", {
          resourceGroupName: RG,
          clientPorts: ["443/tcp", "587/tcp"],
          clientSources: ["10.8.0.0/24"],
          forensicsSourcePrefixes: FORENSICS,
          managementPorts: [3389],
        });
      }, preview);
      expect(
        rulesOf(one(regs, T.nsg, "pub")).map((r) => [r.name, r.priority, r.access, [...(r.sourceAddressPrefixes ?? [r.sourceAddressPrefix])].join()]),
      ).toEqual([
        ["allow-clients-443-tcp", 100, "Allow", "10.8.0.0/24"],
        ["allow-clients-587-tcp", 101, "Allow", "10.8.0.0/24"],
        ["allow-forensics-management", 200, "Allow", FORENSICS.join()],
        ["deny-internet-in", 4000, "Deny", "Internet"],
      ]);
    });
  });

  describe("ExchangeHost alone (no ExchangeNetwork, string subnet ids)", () => {
    it("not verified: NIC in the given quarantine subnet, isolation NSG, no pool even when one is offered", async () => {
      let host!: ExchangeHost;
      const regs = await capture(() => {
        host = new ExchangeHost("mail-g3", hostArgs());
      }, preview);
      expect(host.vmName).toBe("mail-g3");
      expect(host.evidence).toBeUndefined();
      expect(host.assessment).toBeUndefined();
      // Only the host's own tree: no network, no resource group.
      expect(regs.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
        [
          `${T.host}::mail-g3`,
          `${T.isolation}::mail-g3-isolation`,
          `${T.nsg}::mail-g3-isolation`,
          `${T.nic}::mail-g3-nic`,
          `${T.password}::mail-g3-admin`,
          `${T.vm}::mail-g3`,
        ].sort(),
      );
      for (const t of [T.subnet, T.vnet, T.rg, T.lb, T.pip]) expect(ofType(regs, t)).toEqual([]);
      const nic = one(regs, T.nic, "mail-g3-nic");
      const c = (nic.inputs.ipConfigurations as Record<string, unknown>[])[0];
      // A string subnet id is known even at preview.
      expect(get(c, "subnet", "id")).toBe(Q_SUBNET);
      expect(c.loadBalancerBackendAddressPools).toBeUndefined();
      expect(c.applicationGatewayBackendAddressPools).toBeUndefined();
      expect(c.publicIPAddress).toBeUndefined();
      const nsg = one(regs, T.nsg, "mail-g3-isolation");
      expect(nsg.inputs.networkSecurityGroupName).toBe("mail-g3-nsg");
      expect(rulesOf(nsg).map((r) => r.name)).toEqual(["allow-forensics-in", "deny-all-in"]);
      if (preview) expect(nic.propertyDependencies.networkSecurityGroup).toEqual([nsg.urn]);
      else expect(get(nic.inputs, "networkSecurityGroup", "id")).toBe(nsg.id);
      const vm = one(regs, T.vm, "mail-g3");
      expect(vm.inputs).toMatchObject({
        vmName: "mail-g3",
        location: "northeurope",
        resourceGroupName: RG,
        hardwareProfile: { vmSize: "Standard_E4s_v5" },
      });
      expect(get(vm.inputs, "storageProfile", "osDisk")).toMatchObject({ name: "mail-g3-osdisk", createOption: "FromImage" });
      expect(get(vm.inputs, "storageProfile", "imageReference")).toEqual({
        publisher: "MicrosoftWindowsServer",
        offer: "WindowsServer",
        sku: "2019-datacenter",
        version: "latest",
      });
      for (const r of [vm, nic, nsg])
        expect(r.inputs.tags).toEqual({ workload: "exchange", "remediation-state": "unverified", "exchange-generation": "3" });
    });

    it("verified: NIC in the given published subnet, in the given pool, published NSG", async () => {
      const regs = await capture(() => {
        new ExchangeHost("mail-g3", hostArgs({ state: "remediated", verified: true, tags: { team: "mail" } }));
      }, preview);
      const c = (one(regs, T.nic, "mail-g3-nic").inputs.ipConfigurations as Record<string, unknown>[])[0];
      expect(get(c, "subnet", "id")).toBe(P_SUBNET);
      expect(c.loadBalancerBackendAddressPools).toEqual([{ id: POOL }]);
      expect(c.publicIPAddress).toBeUndefined();
      const nsg = one(regs, T.nsg, "mail-g3-published");
      expect(rulesOf(nsg).map((r) => r.name)).toEqual(["allow-clients-443-tcp", "allow-forensics-management", "deny-internet-in"]);
      expect(ofType(regs, T.isolation)).toEqual([]);
      expect(one(regs, T.vm, "mail-g3").inputs.tags).toEqual({
        team: "mail",
        workload: "exchange",
        "remediation-state": "remediated",
        "exchange-generation": "3",
      });
    });

    it("tags the VM and NIC under the gate's tag names, never the defaults beside them", async () => {
      const regs = await capture(() => {
        new ExchangeHost(
          "mail-g3",
          hostArgs({ tags: { Role: "other", team: "mail" }, tagNames: { hostTag: "role", hostTagValue: "mail", stateTag: "state" } }),
        );
      }, preview);
      for (const r of [one(regs, T.vm, "mail-g3"), one(regs, T.nic, "mail-g3-nic")])
        expect(r.inputs.tags).toEqual({ team: "mail", role: "mail", state: "unverified", "exchange-generation": "3" });
    });

    it("verified behind an Application Gateway pool", async () => {
      const agwPool = POOL.replace("loadBalancers/my-lb", "applicationGateways/my-agw");
      const regs = await capture(() => {
        new ExchangeHost("mail-g3", hostArgs({ state: "remediated", verified: true, backendPool: { id: agwPool, kind: "applicationGateway" } }));
      }, preview);
      const c = (one(regs, T.nic, "mail-g3-nic").inputs.ipConfigurations as Record<string, unknown>[])[0];
      expect(c.applicationGatewayBackendAddressPools).toEqual([{ id: agwPool }]);
      expect(c.loadBalancerBackendAddressPools).toBeUndefined();
    });

    it("compromised, with an assessment: internet out denied, evidence snapshot after the VM, assessment on the VM", async () => {
      const data = recordData("compromised", 3) as Record<string, string>;
      const regs = await capture(() => {
        new ExchangeHost(
          "mail-g3",
          hostArgs({
            state: "compromised",
            compromised: true,
            assessment: { metadataName: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", additionalData: data },
          }),
        );
      }, preview);
      expect(rulesOf(one(regs, T.nsg, "mail-g3-isolation")).map((r) => r.name)).toEqual([
        "allow-forensics-in",
        "deny-all-in",
        "allow-forensics-out",
        "deny-internet-out",
      ]);
      const vm = one(regs, T.vm, "mail-g3");
      const snap = one(regs, T.snapshot, "mail-g3-osdisk-evidence");
      expect(snap.dependencies).toContain(vm.urn);
      expect(snap.inputs.creationData).toEqual({
        createOption: "Copy",
        sourceResourceId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/disks/mail-g3-osdisk`,
      });
      const a = one(regs, T.assessment, "mail-g3-assessment");
      expect(a.inputs.assessmentName).toBe("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
      expect(get(a.inputs, "status", "code")).toBe("Unhealthy");
      expect(a.inputs.additionalData).toEqual(data);
      expect(a.propertyDependencies.resourceId).toEqual([vm.urn]);
      expect(a.inputs.resourceId).toBe(preview ? UNKNOWN : vm.id);
    });

    it("image by id", async () => {
      const id = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/g/images/exchange/versions/1.0.0`;
      const regs = await capture(() => {
        new ExchangeHost("mail-g3", hostArgs({ image: { id } }));
      }, preview);
      expect(get(one(regs, T.vm, "mail-g3").inputs, "storageProfile", "imageReference")).toEqual({ id });
    });
  });
});
