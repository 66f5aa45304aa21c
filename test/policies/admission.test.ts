import fc from "fast-check";
import { AdmissionGuard, judgeAtAdmission } from "../../policies/rules/admission";
import { T } from "../../policies/model/resourceTypes";
import { admissionSettings, admitAll, analyzeInput, stackInput } from "../support/admission";
import { buildEstate, estateSpecArb, exposureArb, NOW, POLICY_CONFIG } from "../support/arbitraries";
import { cleanData, daysAgo, Estate, HOST_TAGS, rule } from "../support/estate";
import { firewall, loadBalancer } from "../support/networks";
import { genericSecurityRule, genericWrite, quarantinedHost } from "../support/genericWrites";
import { exchange2016Template, withHostTags } from "../fixtures/templates/exchange2016NonHa";
import { runs } from "../support/budget";

/**
 * The guard at admission, as `pulumi up` drives it: each resource analysed with what the update registered before it.
 * A refused resource is never created, so these tests read which resource is refused first, and for what.
 */

const settings = admissionSettings({ now: NOW, configs: POLICY_CONFIG as Record<string, Record<string, unknown>> });

/** The shape of Pulumi's own vm-azure-typescript template, with only the VM tagged as an Exchange host. */
function templateShaped(e: Estate, o: { state?: string; ports?: string[] } = {}) {
  const vnet = e.vnet("network", ["10.0.0.0/16"], [{ name: "default", addressPrefix: "10.0.1.0/24" }]);
  const pip = e.publicIp("public-ip", "Standard", { publicIPAllocationMethod: "Dynamic" });
  const nsg = e.nsg(
    "security-group",
    (o.ports ?? ["22", "80"]).map((p, i) => rule({ name: `allow-${p}`, priority: 1000 + i, source: "*", port: p, protocol: "Tcp" })),
  );
  const nic = e.add(
    "azure-native:network:NetworkInterface",
    "network-interface",
    {
      networkInterfaceName: "network-interface",
      resourceGroupName: e.rg,
      networkSecurityGroup: e.ref(nsg),
      ipConfigurations: [
        { name: "webserveripcfg", subnet: e.ref(vnet, "subnets/default"), privateIPAllocationMethod: "Dynamic", publicIPAddress: e.ref(pip) },
      ],
    },
    { ipConfigurations: [vnet, pip], networkSecurityGroup: [nsg] },
  );
  const vm = e.vm("vm", { nics: [nic], tags: HOST_TAGS(o.state ?? "unverified") });
  return { vnet, pip, nsg, nic, vm };
}

describe("admission of an Exchange host's VM during pulumi up", () => {
  it("refuses the VM of a template-shaped program tagged only on the VM: exposed, not isolated, publicly attached", () => {
    const e = new Estate();
    const t = templateShaped(e);
    const refused = admitAll(e.resources, settings);
    expect([...refused.keys()]).toEqual([t.vm.urn]);
    const messages = refused.get(t.vm.urn)!.map((v) => v.message);
    for (const m of messages)
      expect(m).toMatch(/^VirtualMachine vm of Exchange host vm is refused before it is created \(pulumi up runs stack policies/);
    expect(
      messages.some((m) =>
        /exchange-unverified-not-internet-exposed: host vm \(unverified\) is reachable from the internet via public IP: public IP public-ip \(Standard\) → NIC network-interface\/webserveripcfg .*TCP 22/.test(
          m,
        ),
      ),
    ).toBe(true);
    expect(messages.some((m) => /exchange-unverified-isolated: host vm \(unverified\) is not isolated/.test(m))).toBe(true);
    expect(
      messages.some((m) =>
        /exchange-unverified-no-public-attachment: host vm is not verified and its NIC network-interface\/webserveripcfg \(a NIC without the host tag\) carries a public IP/.test(
          m,
        ),
      ),
    ).toBe(true);
  });

  it("admits the same program when the VM carries no host tag", () => {
    const e = new Estate();
    templateShaped(e);
    const vm = e.resources.find((r) => r.type.endsWith("VirtualMachine"))!;
    vm.properties.tags = { workload: "web" };
    expect(admitAll(e.resources, settings).size).toBe(0);
  });

  it("admits an isolated unverified host and a published verified one, and nothing else in the stack", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const quarantine = e.subnet("quarantine", vnet, "10.0.2.0/24");
    const published = e.subnet("published", vnet, "10.0.1.0/24");
    const isolation = e.nsg("nsg-ex01", [
      rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", ports: ["3389", "5985-5986"], protocol: "Tcp" }),
      rule({ name: "deny-all-in", priority: 110, access: "Deny", source: "*" }),
    ]);
    const lbPip = e.publicIp("pip-lb");
    const lb = loadBalancer(e, "lb", {
      frontends: [{ name: "fe", publicIp: lbPip }],
      pools: [{ name: "pool" }],
      rules: [{ name: "https", frontend: "fe", pool: "pool", frontendPort: 443, backendPort: 443 }],
    });
    const publishing = e.nsg("nsg-ex02", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const nic1 = e.nic("nic-ex01", { subnet: quarantine, nsg: isolation, tags: HOST_TAGS("unverified") });
    e.vm("ex01", { nics: [nic1], tags: HOST_TAGS("unverified") });
    const nic2 = e.nic("nic-ex02", { subnet: published, nsg: publishing, tags: HOST_TAGS("remediated"), lbPools: [[lb, "pool"]] });
    const vm2 = e.vm("ex02", { nics: [nic2], tags: HOST_TAGS("remediated") });
    e.assessment("a-ex02", vm2, cleanData({}, NOW));
    expect(admitAll(e.resources, settings)).toEqual(new Map());
  });

  it("holds a host marked remediated, before its assessment exists, only to what is wrong either way: a management port", () => {
    for (const [ports, refused] of [
      [["443"], false],
      [["443", "3389"], true],
    ] as const) {
      const e = new Estate();
      const t = templateShaped(e, { state: "remediated", ports: [...ports] });
      e.assessment("a-vm", t.vm, cleanData({}, NOW));
      const out = admitAll(e.resources, settings);
      expect(out.has(t.vm.urn)).toBe(refused);
      if (refused)
        expect(
          out
            .get(t.vm.urn)!
            .map((v) => v.message)
            .join("\n"),
        ).toMatch(/exchange-verified-exposes-only-client-ports: .*TCP 3389/);
    }
  });

  it("refuses the assessment that shows a published host is not verified: the update stops there", () => {
    const e = new Estate();
    const t = templateShaped(e, { state: "remediated", ports: ["443"] });
    const stale = e.assessment("a-vm", t.vm, cleanData({ completedAt: daysAgo(90, NOW) }, NOW));
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([stale.urn]);
    expect(out.get(stale.urn)![0].message).toMatch(
      /^Assessment a-vm is refused before it is created: it would give Exchange host vm this finding .*exchange-unverified-not-internet-exposed: host vm \(marked remediated but not verified \(see exchange-remediated-requires-assessment\)\) is reachable from the internet via public IP/,
    );
  });

  it("judges the OS disk before any assessment: a host marked remediated on an unapproved image is not verified", () => {
    const e = new Estate();
    const t = templateShaped(e, { state: "remediated", ports: ["443"] });
    t.vm.properties.storageProfile = {
      ...(t.vm.properties.storageProfile as object),
      imageReference: { publisher: "Contoso", offer: "golden", sku: "ex" },
    };
    const gated = admissionSettings({ now: NOW, gate: { approvedImages: ["MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition"] } });
    const out = admitAll(e.resources, gated);
    expect(
      out
        .get(t.vm.urn)!
        .map((v) => v.message)
        .join("\n"),
    ).toMatch(
      /exchange-unverified-not-internet-exposed: host vm \(marked remediated but not verified \(see [^)]*exchange-compromised-rebuilt-from-scratch\)\)/,
    );
  });

  it("follows a scale set tagged as a host through its own network profile", () => {
    const e = new Estate();
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24");
    const vmss = e.add("azure-native:compute:VirtualMachineScaleSet", "ex-vmss", {
      vmScaleSetName: "ex-vmss",
      resourceGroupName: e.rg,
      tags: HOST_TAGS("unverified"),
      virtualMachineProfile: {
        networkProfile: {
          networkInterfaceConfigurations: [
            {
              name: "nic",
              ipConfigurations: [{ name: "ipc", subnet: e.ref(sub), publicIPAddressConfiguration: { name: "pub", sku: { name: "Basic" } } }],
            },
          ],
        },
        storageProfile: {
          osDisk: { createOption: "FromImage" },
          imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022" },
        },
      },
    });
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([vmss.urn]);
    expect(
      out
        .get(vmss.urn)!
        .map((v) => v.message)
        .join("\n"),
    ).toMatch(/exchange-unverified-not-internet-exposed/);
  });

  it("sees tags applied from outside before the VM: an untagged VM named by a TagAtScope is a host", () => {
    const e = new Estate();
    const t = templateShaped(e);
    t.vm.properties.tags = {};
    const tag = e.add(T.TagAtScope, "tags-vm", { scope: t.vm.armId, properties: { tags: HOST_TAGS("unverified") } });
    // Registered before the VM (its scope is a string the program built), as the engine would analyse it.
    e.resources.splice(e.resources.indexOf(tag), 1);
    e.resources.splice(e.resources.indexOf(t.vm), 0, tag);
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([t.vm.urn]);
  });

  it("respects the configured levels: a stack policy set to advisory is not held at admission", () => {
    const e = new Estate();
    const t = templateShaped(e, { ports: ["22"] });
    const advisory = admissionSettings({
      now: NOW,
      levels: { "exchange-unverified-not-internet-exposed": "advisory", "exchange-unverified-isolated": "disabled" },
    });
    const out = admitAll(e.resources, advisory);
    const policies = out.get(t.vm.urn)!.map((v) => v.message.split(": ")[0].split(". ").pop());
    expect(new Set(policies)).toEqual(new Set(["exchange-unverified-no-public-attachment"]));
  });
});

describe("admission of what comes after a host's VM", () => {
  function quarantined(e: Estate) {
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("quarantine", vnet, "10.0.2.0/24");
    const nsg = e.nsg("nsg-ex01", [
      rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", ports: ["3389"], protocol: "Tcp" }),
      rule({ name: "deny-all-in", priority: 110, access: "Deny", source: "*" }),
    ]);
    const nic = e.nic("nic-ex01", { subnet: sub, nsg, privateIp: "10.0.2.4" });
    const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
    return { vnet, sub, nsg, nic, vm };
  }

  it("refuses a security rule added to a quarantined host's NSG after its VM", () => {
    const e = new Estate();
    const q = quarantined(e);
    const opening = e.securityRule(
      "allow-rdp-anywhere",
      q.nsg,
      rule({ name: "allow-rdp-anywhere", priority: 101, source: "*", port: "3389", protocol: "Tcp" }),
    );
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([opening.urn]);
    expect(out.get(opening.urn)![0].message).toMatch(
      /^SecurityRule allow-rdp-anywhere is refused before it is created: it would give Exchange host ex01 this finding .*exchange-unverified-isolated/,
    );
  });

  /** A host published on 443 behind its NIC NSG, marked remediated, and its clean assessment. */
  function published(e: Estate) {
    const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
    const sub = e.subnet("published", vnet, "10.0.1.0/24");
    const nsg = e.nsg("nsg-ex02", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const nic = e.nic("nic-ex02", { subnet: sub, nsg, privateIp: "10.0.1.4", tags: HOST_TAGS("remediated") });
    const vm = e.vm("ex02", { nics: [nic], tags: HOST_TAGS("remediated") });
    e.assessment("a-ex02", vm, cleanData({}, NOW));
    return { vnet, sub, nsg, nic, vm };
  }

  it("refuses a firewall that forwards RDP to a published host: proxied, its NSG sees the firewall, not the internet", () => {
    const e = new Estate();
    const p = published(e);
    const fw = firewall(e, "fw", {
      subnet: e.subnet("AzureFirewallSubnet", p.vnet, "10.0.250.0/26"),
      publicIp: e.publicIp("pip-fw"),
      dnat: [{ name: "rdp", destinationPorts: ["3389"], translatedAddress: "10.0.1.4", translatedPort: "3389" }],
    });
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([fw.urn]);
    expect(
      out
        .get(fw.urn)!
        .map((v) => v.message)
        .join("\n"),
    ).toMatch(
      /^AzureFirewall fw is refused before it is created: it would give Exchange host ex02 this finding .*exchange-verified-exposes-only-client-ports: verified host ex02 .*management port 3389 \(RDP\): firewall fw NAT collection dnat-collection rule rdp.*AllowVNetInBound.*TCP 3389/,
    );
  });

  it("admits a public load balancer that pools a published host by address on a client port, and one its NSG closes", () => {
    for (const port of [443, 3389]) {
      const e = new Estate();
      const p = published(e);
      loadBalancer(e, "lb-portal", {
        frontends: [{ name: "fe", publicIp: e.publicIp("pip-portal") }],
        pools: [{ name: "pool", addresses: [{ ipAddress: "10.0.1.4", vnet: p.vnet }] }],
        rules: [{ name: "r", frontend: "fe", pool: "pool", frontendPort: port, backendPort: port }],
      });
      expect(admitAll(e.resources, settings)).toEqual(new Map());
    }
  });

  it("does not blame a later resource for what the host already had, nor one that changes nothing for it", () => {
    const e = new Estate();
    const q = quarantined(e);
    e.securityRule("deny-more", q.nsg, rule({ name: "deny-more", priority: 120, access: "Deny", source: "*" }));
    const other = e.nic("nic-app", { subnet: q.sub });
    e.vm("app", { nics: [other], tags: { workload: "app" } });
    expect(admitAll(e.resources, settings)).toEqual(new Map());
  });

  it("re-judges only the hosts whose neighbourhood a resource joins", () => {
    const e = new Estate();
    quarantined(e);
    const guard = new AdmissionGuard();
    admitAll(e.resources, settings, guard);
    const elsewhere = new Estate({ rg: "rg-other" });
    const lone = elsewhere.nsg("nsg-unrelated", [rule({ name: "allow-all", priority: 100, source: "*" })]);
    const spy = jest.spyOn(guard.index, "neighbourhood");
    expect(guard.admit(analyzeInput(lone), new Set(), settings)).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("admission judges as the stack analysis of the same resources would (property)", () => {
  it("after every registration, each host's admission verdict equals the one from a full analysis with the real ids", () => {
    fc.assert(
      fc.property(estateSpecArb, fc.option(exposureArb, { nil: undefined }), (spec, exposure) => {
        const { e } = buildEstate({ ...spec, preview: false }, exposure);
        const guard = new AdmissionGuard();
        const hosts = e.resources.filter((r) => r.type.endsWith(":VirtualMachine"));
        for (let i = 0; i < e.resources.length; i++) {
          guard.admit(analyzeInput(e.resources[i]), new Set(), settings);
          const prefix = e.resources.slice(0, i + 1).map(stackInput);
          for (const vm of hosts) {
            if (e.resources.indexOf(vm) > i) continue;
            const full = judgeAtAdmission(prefix, vm.urn, settings, new Set()).map((f) => `${f.policy}: ${f.message}`);
            expect([...(guard.verdictOf(vm.urn) ?? [])].map((k) => k.replace("\u0000", ": ")).sort()).toEqual(full.sort());
          }
        }
      }),
      { numRuns: runs(60), seed: 20261207 },
    );
  });
});

describe("admission of generic ARM writes and template deployments", () => {
  it("refuses a generic write that adds an allow rule to a quarantined host's NSG after its VM", () => {
    const q = quarantinedHost(false);
    const opening = genericSecurityRule(
      q.e,
      "portal-rule",
      "nsg-iso-ex01",
      rule({ name: "allow-rdp-any", priority: 101, source: "*", port: "3389", protocol: "Tcp" }),
    );
    const out = admitAll(q.e.resources, settings);
    expect([...out.keys()]).toEqual([opening.urn]);
    expect(out.get(opening.urn)![0].message).toMatch(
      /^Resource portal-rule \(writing SecurityRule allow-rdp-any\) is refused before it is created: it would give Exchange host ex01 this finding .*exchange-unverified-isolated: .*allow-rdp-any \(101\) allows \*/,
    );
  });

  it("refuses an Exchange VM written through the generic write like a typed one", () => {
    const e = new Estate();
    const t = templateShaped(e);
    const vmProps = { ...t.vm.properties };
    e.resources.splice(e.resources.indexOf(t.vm), 1);
    const { vmName: _n, resourceGroupName: _rg, tags, id: _id, ...body } = vmProps;
    void _n;
    void _rg;
    void _id;
    const generic = genericWrite(e, "vm-generic", {
      namespace: "Microsoft.Compute",
      type: "virtualMachines",
      resourceName: "vm",
      properties: body,
      extra: { tags },
    });
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([generic.urn]);
    expect(
      out
        .get(generic.urn)!
        .map((v) => v.message)
        .join("\n"),
    ).toMatch(/exchange-unverified-not-internet-exposed: host vm .*public IP public-ip/);
  });

  it("refuses a template deployment that declares an Exchange VM (Microsoft's quick-start, tagged as a host)", () => {
    const e = new Estate();
    const deployment = e.add("azure-native:resources:Deployment", "exchange-2016", {
      deploymentName: "exchange-2016",
      resourceGroupName: e.rg,
      properties: { mode: "Incremental", template: withHostTags(HOST_TAGS("unverified")) },
    });
    const out = admitAll(e.resources, settings);
    expect([...out.keys()]).toEqual([deployment.urn]);
    expect(out.get(deployment.urn)![0].message).toMatch(
      /^Deployment exchange-2016 of Exchange host exchange-2016\/.* is refused before it is created/,
    );
    // The same deployment of the template as published declares no host: nothing to refuse.
    const plain = new Estate();
    plain.add("azure-native:resources:Deployment", "exchange-2016", {
      deploymentName: "exchange-2016",
      resourceGroupName: plain.rg,
      properties: { mode: "Incremental", template: exchange2016Template() },
    });
    expect(admitAll(plain.resources, settings)).toEqual(new Map());
  });
});
