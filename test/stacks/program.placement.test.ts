/**
 * docs/contract.md#the-stacks: a host's network placement follows its state. One small fleet, captured under
 * Pulumi's mock runtime in preview form (ids unknown, links by URN) and in update form (ARM ids):
 *   ex01 unverified · ex02 compromised (compromised record) · ex03 remediated with a clean recent
 *   record (verified) · ex04 remediated with a stale record (NOT verified: stays isolated).
 */
import type { Registration } from "../../cli/preview/captureStack";
import {
  allDeps,
  CLEAN,
  Deployed,
  deployRaw,
  FORENSICS_DESTINATIONS,
  FORENSICS_SOURCES,
  fleetConfig,
  get,
  ids,
  isInternetSource,
  maybe,
  namePrefix,
  ofType,
  one,
  portsOf,
  rulesOf,
  sourcesOf,
  T,
  UNKNOWN,
} from "../support/stackConfigs";

const FLEET = fleetConfig([
  { name: "ex01", state: "unverified" },
  { name: "ex02", state: "compromised", records: [{ verdict: "compromised", daysAgo: 3 }] },
  { name: "ex03", state: "remediated", records: [CLEAN] },
  { name: "ex04", state: "remediated", records: [{ verdict: "clean", daysAgo: 45 }] },
]);

const P = namePrefix();
const MGMT_PORTS = ["3389", "5985", "5986"];

const ISOLATION_IN = [
  {
    name: "allow-forensics-in",
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefixes: FORENSICS_SOURCES,
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRanges: MGMT_PORTS,
  },
  {
    name: "deny-all-in",
    priority: 110,
    direction: "Inbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "*",
  },
];
const ISOLATION_OUT = [
  {
    name: "allow-forensics-out",
    priority: 100,
    direction: "Outbound",
    access: "Allow",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefixes: FORENSICS_DESTINATIONS,
    destinationPortRange: "*",
  },
  {
    name: "deny-internet-out",
    priority: 110,
    direction: "Outbound",
    access: "Deny",
    protocol: "*",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "Internet",
    destinationPortRange: "*",
  },
];

const runs: Record<string, Deployed> = {};
beforeAll(async () => {
  for (const preview of [true, false]) runs[String(preview)] = await deployRaw(FLEET, { preview });
});

describe("the plan", () => {
  it("verifies only the remediated host with a clean recent record; says why the stale one is not", async () => {
    const { plan } = runs["true"];
    expect(Object.fromEntries(plan.map((h) => [h.spec.name, h.verified]))).toEqual({ ex01: false, ex02: false, ex03: true, ex04: false });
    const ex04 = plan.find((h) => h.spec.name === "ex04")!;
    expect(ex04.gateFindings).toMatchObject([{ host: "ex04", kind: "too-old", limitDays: 30 }]);
    expect(plan.find((h) => h.spec.name === "ex03")!.gateFindings).toEqual([]);
    expect(plan.find((h) => h.spec.name === "ex02")!.compromisedNow).toBe(true);
  });

  it("reports each host's placement in the stack outputs", () => {
    const { outputs } = runs["false"];
    expect(Object.fromEntries(Object.entries(outputs.hosts).map(([k, v]) => [k, v.placement]))).toEqual({
      ex01: "isolated",
      ex02: "isolated",
      ex03: "published",
      ex04: "isolated",
    });
    expect(outputs.hosts.ex04.gate.length).toBeGreaterThan(0);
    expect(outputs.evidenceSnapshots).toEqual(["ex02-g1-osdisk-evidence"]);
  });
});

describe.each([true, false])("preview=%s", (preview) => {
  let regs: Registration[];
  beforeAll(() => {
    regs = runs[String(preview)].regs;
  });

  const nic = (vm: string) => one(regs, T.nic, `${vm}-nic`);
  const subnet = (key: string) => one(regs, T.subnet, `${P}-${key}`);
  const lb = () => one(regs, T.lb, `${P}-lb`);

  /** The NIC's subnet is `key`: by URN at preview (the id is unknown), by id in update form. */
  function expectSubnet(n: Registration, key: "quarantine" | "published") {
    const other = key === "quarantine" ? "published" : "quarantine";
    const ipc = n.inputs.ipConfigurations as Record<string, unknown>[];
    expect(ipc).toHaveLength(1);
    if (preview) {
      expect(get(ipc, 0, "subnet", "id")).toBe(UNKNOWN);
      expect(n.propertyDependencies.ipConfigurations).toContain(subnet(key).urn);
      expect(n.propertyDependencies.ipConfigurations).not.toContain(subnet(other).urn);
    } else {
      expect(get(ipc, 0, "subnet", "id")).toBe(subnet(key).id);
      expect(String(get(ipc, 0, "subnet", "id")).toLowerCase()).toBe(ids.subnet(`${P}-vnet`, `${P}-${key}`).toLowerCase());
    }
  }

  /** The NIC's NSG registration, followed by URN (preview) or id (update). */
  function nsgOf(n: Registration): Registration {
    const nsgs = ofType(regs, T.nsg);
    if (preview) {
      expect(get(n.inputs, "networkSecurityGroup", "id")).toBe(UNKNOWN);
      const urns = n.propertyDependencies.networkSecurityGroup ?? [];
      expect(urns).toHaveLength(1);
      return nsgs.find((r) => r.urn === urns[0])!;
    }
    const id = get(n.inputs, "networkSecurityGroup", "id");
    const hit = nsgs.filter((r) => r.id === id);
    expect(hit).toHaveLength(1);
    return hit[0];
  }

  function expectNoPublicAttachment(n: Registration) {
    for (const c of n.inputs.ipConfigurations as Record<string, unknown>[]) {
      expect(c.publicIPAddress).toBeUndefined();
      expect(c.loadBalancerBackendAddressPools).toBeUndefined();
      expect(c.applicationGatewayBackendAddressPools).toBeUndefined();
      expect(c.loadBalancerInboundNatRules).toBeUndefined();
    }
    const deps = allDeps(n);
    for (const r of [...ofType(regs, T.lb), ...ofType(regs, T.agw), ...ofType(regs, T.pip)]) expect(deps.has(r.urn)).toBe(false);
  }

  describe("unverified host ex01", () => {
    it("has its NIC in the quarantine subnet", () => expectSubnet(nic("ex01-g1"), "quarantine"));

    it("has an isolation NSG: forensics in on management ports at 100, deny-all from * at 110, flushConnection", () => {
      const nsg = nsgOf(nic("ex01-g1"));
      expect(nsg.name).toBe("ex01-g1-isolation");
      expect(nsg.inputs.networkSecurityGroupName).toBe("ex01-g1-nsg");
      expect(nsg.inputs.flushConnection).toBe(true);
      expect(rulesOf(nsg)).toEqual(ISOLATION_IN);
      expect(nsg.parent).toMatch(/exchange-guard:network:IsolationNsg::ex01-g1-isolation$/);
    });

    it("carries no public IP and no pool membership", () => expectNoPublicAttachment(nic("ex01-g1")));

    it("gets no evidence snapshot", () => expect(maybe(regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeUndefined());

    it("VM has no inline NIC configuration that could carry a public IP", () => {
      const vm = one(regs, T.vm, "ex01-g1");
      expect(get(vm.inputs, "networkProfile", "networkInterfaceConfigurations")).toBeUndefined();
      expect(get(vm.inputs, "networkProfile", "networkInterfaces")).toHaveLength(1);
      expect(vm.propertyDependencies.networkProfile).toEqual([nic("ex01-g1").urn]);
    });
  });

  describe("compromised host ex02", () => {
    it("has its NIC in the quarantine subnet with no public attachment", () => {
      expectSubnet(nic("ex02-g1"), "quarantine");
      expectNoPublicAttachment(nic("ex02-g1"));
    });

    it("also denies Internet outbound, allowing only the forensics destinations", () => {
      const nsg = nsgOf(nic("ex02-g1"));
      expect(nsg.inputs.flushConnection).toBe(true);
      expect(rulesOf(nsg)).toEqual([...ISOLATION_IN, ...ISOLATION_OUT]);
    });

    it("has an evidence snapshot copying its OS disk, after the VM", () => {
      const snap = one(regs, T.snapshot, "ex02-g1-osdisk-evidence");
      const vm = one(regs, T.vm, "ex02-g1");
      expect(get(snap.inputs, "creationData", "createOption")).toBe("Copy");
      expect(get(snap.inputs, "creationData", "sourceResourceId")).toBe(ids.disk("ex02-g1-osdisk"));
      expect(get(vm.inputs, "storageProfile", "osDisk", "name")).toBe("ex02-g1-osdisk");
      expect(snap.dependencies).toContain(vm.urn);
      expect(snap.inputs.snapshotName).toBe("ex02-g1-osdisk-evidence");
      if (!preview) {
        // The id the cloud gives the VM's OS disk is exactly what the snapshot copies.
        expect(get(vm.outputs, "storageProfile", "osDisk", "managedDisk", "id")).toBe(get(snap.inputs, "creationData", "sourceResourceId"));
      }
    });
  });

  describe("verified host ex03", () => {
    it("has its NIC in the published subnet", () => expectSubnet(nic("ex03-g1"), "published"));

    it("joins the load balancer's backend pool, and nothing else public", () => {
      const n = nic("ex03-g1");
      const c = (n.inputs.ipConfigurations as Record<string, unknown>[])[0];
      expect(c.publicIPAddress).toBeUndefined();
      expect(c.applicationGatewayBackendAddressPools).toBeUndefined();
      expect(c.loadBalancerInboundNatRules).toBeUndefined();
      const pools = c.loadBalancerBackendAddressPools as { id: string }[];
      expect(pools).toHaveLength(1);
      if (preview) {
        expect(pools[0].id).toBe(UNKNOWN);
        expect(n.propertyDependencies.ipConfigurations).toContain(lb().urn);
      } else {
        expect(pools[0].id).toBe(`${lb().id}/backendAddressPools/exchange-published`);
      }
    });

    it("the load balancer publishes only the client ports", () => {
      const rules = lb().inputs.loadBalancingRules as { frontendPort: number; backendPort: number; protocol: string }[];
      expect(rules.map((r) => `${r.frontendPort}->${r.backendPort}/${r.protocol}`).sort()).toEqual(["25->25/Tcp", "443->443/Tcp"]);
      expect(lb().inputs.inboundNatRules).toBeUndefined();
      expect(lb().inputs.inboundNatPools).toBeUndefined();
      expect(get(lb().inputs, "sku", "name")).toBe("Standard");
    });

    it.each(["host", "subnet"])("the published NSG (%s) allows from the internet only the client ports", (which) => {
      const nsg = which === "host" ? nsgOf(nic("ex03-g1")) : one(regs, T.nsg, `${P}-published-nsg`);
      if (which === "host") expect(nsg.name).toBe("ex03-g1-published");
      const rules = rulesOf(nsg).filter((r) => r.direction === "Inbound" && r.access === "Allow");
      const fromInternet = rules.filter((r) => sourcesOf(r).some(isInternetSource));
      expect(fromInternet.map((r) => `${portsOf(r).join(",")}/${r.protocol}`).sort()).toEqual(["25/Tcp", "443/Tcp"]);
      for (const r of fromInternet) expect(sourcesOf(r)).toEqual(["Internet"]);
      // Management ports only from the forensics sources.
      for (const r of rules.filter((x) => !fromInternet.includes(x))) {
        expect(sourcesOf(r)).toEqual(FORENSICS_SOURCES);
        expect(portsOf(r)).toEqual(MGMT_PORTS);
      }
      const deny = rulesOf(nsg).find((r) => r.access === "Deny" && r.direction === "Inbound");
      expect(deny && sourcesOf(deny)).toEqual(["Internet"]);
      expect(deny!.priority).toBeGreaterThan(Math.max(...rules.map((r) => r.priority)));
    });

    it("the published subnet carries the published NSG", () => {
      const s = subnet("published");
      const nsg = one(regs, T.nsg, `${P}-published-nsg`);
      if (preview) expect(s.propertyDependencies.networkSecurityGroup).toEqual([nsg.urn]);
      else expect(get(s.inputs, "networkSecurityGroup", "id")).toBe(nsg.id);
      expect(s.inputs.addressPrefix).toBe("10.40.1.0/24");
    });

    it("gets no evidence snapshot", () => expect(maybe(regs, T.snapshot, "ex03-g1-osdisk-evidence")).toBeUndefined());
  });

  describe("remediated host ex04 with a stale record", () => {
    it("is NOT published: quarantine subnet, isolation NSG, no pool", () => {
      const n = nic("ex04-g1");
      expectSubnet(n, "quarantine");
      expectNoPublicAttachment(n);
      const nsg = nsgOf(n);
      expect(nsg.name).toBe("ex04-g1-isolation");
      expect(nsg.inputs.flushConnection).toBe(true);
      expect(rulesOf(nsg)).toEqual(ISOLATION_IN);
    });
  });

  describe("tags", () => {
    it.each([
      ["ex01-g1", "unverified"],
      ["ex02-g1", "compromised"],
      ["ex03-g1", "remediated"],
      ["ex04-g1", "remediated"],
    ])("%s VM and NIC carry workload, remediation-state %s and exchange-generation", (vm, state) => {
      for (const r of [one(regs, T.vm, vm), nic(vm)]) {
        expect(r.inputs.tags).toMatchObject({ workload: "exchange", "remediation-state": state, "exchange-generation": "1" });
      }
    });

    it("no public IP anywhere but the bastion's and the front end's", () => {
      expect(
        ofType(regs, T.pip)
          .map((r) => r.name)
          .sort(),
      ).toEqual([`${P}-bastion-pip`, `${P}-frontend-pip`]);
    });
  });

  it("one NIC, one VM, one admin password per host", () => {
    expect(
      ofType(regs, T.nic)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ex01-g1-nic", "ex02-g1-nic", "ex03-g1-nic", "ex04-g1-nic"]);
    expect(
      ofType(regs, T.vm)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ex01-g1", "ex02-g1", "ex03-g1", "ex04-g1"]);
    expect(
      ofType(regs, T.password)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ex01-g1-admin", "ex02-g1-admin", "ex03-g1-admin", "ex04-g1-admin"]);
  });
});

it("builds no public front end when no host is verified", async () => {
  const { regs } = await deployRaw(
    fleetConfig([
      { name: "ex01", state: "unverified" },
      { name: "ex04", state: "remediated", records: [{ daysAgo: 45 }] },
    ]),
    { preview: true },
  );
  expect(ofType(regs, T.lb)).toEqual([]);
  expect(ofType(regs, T.agw)).toEqual([]);
  expect(ofType(regs, T.pip).map((r) => r.name)).toEqual([`${P}-bastion-pip`]);
});
