/**
 * Preview unknowns over gRPC (docs/contract.md#preview-semantics): @pulumi/policy turns a read of an
 * unknown value into an ADVISORY "can't run policy ... during preview", so a mandatory policy stops
 * blocking. Whatever is unknown, the pack must decide with what is known and fail closed: no
 * diagnostic anywhere (AnalyzeStack, Analyze, Remediate) may be that downgrade, and the expected
 * mandatory violations must be there.
 */
import type { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { baseNet, exHost, hostNic, loadBalancer } from "../support/networks";
import { expectDiag, expectNoInternalError, expectNoPreviewDowngrade, exposedHost, POLICY, SENTINEL, setPath, useSession } from "./helpers";

const session = useSession();

/** Sends the estate through AnalyzeStack and every resource through Analyze; returns both. */
async function judge(resources: readonly Res[]): Promise<{ stack: Diagnostic[]; resource: Diagnostic[] }> {
  const s = session();
  const stack = (await s.client.analyzeStack(resources)).diagnostics;
  const resource: Diagnostic[] = [];
  for (const r of resources) resource.push(...(await s.client.analyze(r)).diagnostics);
  expectNoPreviewDowngrade(stack);
  expectNoPreviewDowngrade(resource);
  expectNoInternalError(stack);
  expectNoInternalError(resource);
  return { stack, resource };
}

/** Unverified ex01 behind a NIC NSG with `rules`, with a public IP. */
function withNicRules(rules: unknown) {
  const e = new Estate({ preview: true });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", rules as Array<Record<string, unknown>>);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") });
  const vm = exHost(e, { nics: [nic] });
  return { e, vm, nic, nsg };
}

describe("string unknowns in many positions", () => {
  it("an NSG rule's sourceAddressPrefix: exposed, mandatory", async () => {
    const { e, vm } = withNicRules([rule({ name: "allow-x", priority: 100, source: UNKNOWN, port: "3389", protocol: "Tcp" })]);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["allow-x"] });
    expectDiag(stack, POLICY.isolated, "mandatory", { urn: vm.urn });
  });

  it("an NSG rule's destinationPortRange, protocol, access and direction all unknown: exposed", async () => {
    const { e, vm } = withNicRules([
      rule({ name: "allow-x", priority: 100, source: "Internet", port: UNKNOWN, protocol: UNKNOWN, access: UNKNOWN, direction: UNKNOWN }),
    ]);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("the whole securityRules: exposed, the message says the rules are unknown", async () => {
    const { e, vm } = withNicRules(UNKNOWN);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["nsg-ex01", /unknown/] });
  });

  it("a NIC's publicIPAddress.id with the public IP only in propertyDependencies: exposed via that public IP", async () => {
    const { e, vm, nic, pip } = exposedHost(true);
    expect((nic.properties.ipConfigurations as Array<Record<string, unknown>>)[0].publicIPAddress).toEqual({ id: UNKNOWN });
    expect(nic.propertyDependencies?.ipConfigurations).toContain(pip.urn);
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["pip-ex01"] });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("the VM's tags (whole object unknown): treated as an Exchange host, exposed", async () => {
    const { e, vm } = exposedHost(true, { vmTags: UNKNOWN });
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
    // The VM itself carries no public attachment; its NIC (tags known) does.
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("the NIC's and VM's tags both unknown: still a host, still blocked by both policies", async () => {
    const { e, vm } = exposedHost(true, { vmTags: UNKNOWN, nicTags: UNKNOWN as unknown as Record<string, unknown> });
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("the state tag's value (on VM and NIC): unverified, exposed", async () => {
    const tags = { workload: "exchange", "remediation-state": UNKNOWN };
    const { e, vm } = exposedHost(true, { vmTags: tags, nicTags: tags });
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: [/unknown/] });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory");
  });

  it("the host tag's value: treated as an Exchange host", async () => {
    const tags = { workload: UNKNOWN, "remediation-state": "unverified" };
    const { e, vm } = exposedHost(true, { vmTags: tags, nicTags: tags });
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory");
  });

  it("a remediated host's assessment completedAt: not verified, so the exposure blocks; the record policy says why", async () => {
    const { e, vm } = exposedHost(true, { state: "remediated" });
    e.assessment("a-ex01", vm, cleanData({ completedAt: UNKNOWN }));
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.requiresAssessment, "mandatory", { urn: vm.urn, has: ["completedAt"] });
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectDiag(resource, POLICY.recordValid, "mandatory", { has: ["completedAt", /unknown/] });
  });

  it("a remediated host's assessment verdict, status and exchangeBuild: not verified", async () => {
    const { e, vm } = exposedHost(true, { state: "remediated" });
    const a = e.assessment("a-ex01", vm, cleanData({ verdict: UNKNOWN, exchangeBuild: UNKNOWN }));
    setPath(a.properties, ["status", "code"], UNKNOWN);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("a remediated host's assessment additionalData as a whole: not verified", async () => {
    const { e, vm } = exposedHost(true, { state: "remediated" });
    const a = e.assessment("a-ex01", vm, cleanData());
    setPath(a.properties, ["additionalData"], UNKNOWN);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("a public load balancer's rules (host in its pool, no public IP on the NIC): exposed via the load balancer", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool-owa" }],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    });
    setPath(lb.properties, ["loadBalancingRules"], UNKNOWN);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, lbPools: [[lb, "pool-owa"]] })] });
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["lb-ex"] });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory", { has: ["load balancer backend pool"] });
  });

  it("a load balancer's frontendIPConfigurations (public or not unknown): exposed", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool-owa" }],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    });
    setPath(lb.properties, ["frontendIPConfigurations"], UNKNOWN);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, lbPools: [[lb, "pool-owa"]] })] });
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("the public IP's sku: exposed (a Basic IP is open without an NSG, so unknown counts as open)", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-ex01");
    setPath(pip.properties, ["sku"], UNKNOWN);
    const vm = exHost(e, { nics: [hostNic(e, sub, { publicIp: pip })] });
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["pip-ex01"] });
  });

  it("the NIC's ipConfigurations as a whole: exposed (undecidable), and blocked per resource", async () => {
    const { e, vm, nic } = exposedHost(true);
    setPath(nic.properties, ["ipConfigurations"], UNKNOWN);
    const { stack, resource } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["nic-ex01"] });
    expectDiag(resource, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("the subnet's networkSecurityGroup and the NIC's networkSecurityGroup ids (linked by URN): still judged, exposed", async () => {
    const e = new Estate({ preview: true });
    const { vnet } = baseNet(e, { subnetName: "snet-unused" });
    const subNsg = e.nsg("nsg-subnet", [rule({ name: "allow-rdp-sub", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const sub = e.subnet("snet", vnet, "10.0.1.0/24", subNsg);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") })] });
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["allow-rdp"] });
  });
});

describe("unknown sentinels of the other types", () => {
  it("number (a rule's priority): the allow is read as wide as possible, exposed", async () => {
    const { e, vm } = withNicRules([
      rule({ name: "deny-all", priority: 200, access: "Deny", source: "*", port: "*" }),
      rule({ name: "allow-rdp", priority: SENTINEL.number, source: "Internet", port: "3389", protocol: "Tcp" }),
    ]);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["allow-rdp"] });
  });

  it("number (an LB rule's backendPort and frontendPort): exposed", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
      pools: [{ name: "pool-owa" }],
      rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    });
    setPath(lb.properties, ["loadBalancingRules", 0, "backendPort"], SENTINEL.number);
    setPath(lb.properties, ["loadBalancingRules", 0, "frontendPort"], SENTINEL.number);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-any", priority: 100, source: "Internet", port: "*", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, lbPools: [[lb, "pool-owa"]] })] });
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["lb-ex"] });
  });

  it("bool (ipConfiguration.primary, enableIPForwarding, flushConnection, the LB rule's enableFloatingIP): no downgrade, exposed", async () => {
    const { e, vm, nic, nsg } = exposedHost(true);
    setPath(nic.properties, ["ipConfigurations", 0, "primary"], SENTINEL.bool);
    setPath(nic.properties, ["enableIPForwarding"], SENTINEL.bool);
    setPath(nic.properties, ["enableAcceleratedNetworking"], SENTINEL.bool);
    setPath(nsg.properties, ["flushConnection"], SENTINEL.bool);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("array (securityRules, an NSG rule's destinationPortRanges, the ipConfiguration's applicationSecurityGroups): exposed", async () => {
    const { e, vm } = withNicRules(SENTINEL.array);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });

    const second = withNicRules([rule({ name: "allow-some", priority: 100, source: "Internet", ports: SENTINEL.array, protocol: "Tcp" })]);
    setPath(second.nic.properties, ["ipConfigurations", 0, "applicationSecurityGroups"], SENTINEL.array);
    const r2 = await judge(second.e.resources);
    expectDiag(r2.stack, POLICY.notExposed, "mandatory", { urn: second.vm.urn });
  });

  it("array (a VM's networkInterfaces, NICs linked by propertyDependencies): exposed", async () => {
    const { e, vm } = exposedHost(true);
    setPath(vm.properties, ["networkProfile", "networkInterfaces"], SENTINEL.array);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("object (the NIC's publicIPAddress, the NIC's networkSecurityGroup, the VM's networkProfile): exposed", async () => {
    const a = exposedHost(true);
    setPath(a.nic.properties, ["ipConfigurations", 0, "publicIPAddress"], SENTINEL.object);
    setPath(a.nic.properties, ["networkSecurityGroup"], SENTINEL.object);
    const ra = await judge(a.e.resources);
    expectDiag(ra.stack, POLICY.notExposed, "mandatory", { urn: a.vm.urn });
    expectDiag(ra.resource, POLICY.noPublicAttachment, "mandatory");

    const b = exposedHost(true);
    setPath(b.vm.properties, ["networkProfile"], SENTINEL.object);
    const rb = await judge(b.e.resources);
    expectDiag(rb.stack, POLICY.notExposed, "mandatory", { urn: b.vm.urn });
  });

  it("object (the VM's tags), asset and archive sentinels in odd places: no downgrade, still blocked", async () => {
    const { e, vm, nic } = exposedHost(true, { vmTags: SENTINEL.object });
    setPath(nic.properties, ["dnsSettings"], SENTINEL.object);
    setPath(vm.properties, ["userData"], SENTINEL.asset);
    setPath(vm.properties, ["osProfile", "customData"], SENTINEL.archive);
    const { stack } = await judge(e.resources);
    expectDiag(stack, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("a remediated, verified host with every sentinel type in fields the verdict does not need: no downgrade", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    setPath(nsg.properties, ["flushConnection"], SENTINEL.bool);
    setPath(nsg.properties, ["location"], SENTINEL.string);
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
    setPath(nic.properties, ["enableAcceleratedNetworking"], SENTINEL.bool);
    setPath(nic.properties, ["dnsSettings"], SENTINEL.object);
    const vm = exHost(e, {
      nics: [nic],
      state: "remediated",
      extra: { priority: SENTINEL.string, diagnosticsProfile: SENTINEL.object, zones: SENTINEL.array, evictionPolicy: SENTINEL.number },
    });
    e.assessment("a-ex01", vm, cleanData());
    const { stack, resource } = await judge(e.resources);
    // Verified and reachable on 443 only: nothing to report.
    expect(stack.filter((d) => d.urn === vm.urn && d.enforcementLevel === "mandatory")).toEqual([]);
    expect(resource).toEqual([]);
  });
});

describe("Remediate at preview", () => {
  afterAll(async () => {
    await session().configure("");
  });

  it("no remediation reports a can't-run diagnostic, whatever is unknown", async () => {
    await session().configure(`{"${POLICY.noPublicAttachment}": "remediate"}`);
    const variants = [exposedHost(true), exposedHost(true, { vmTags: UNKNOWN, nicTags: UNKNOWN as unknown as Record<string, unknown> })];
    const odd = exposedHost(true);
    setPath(odd.nic.properties, ["ipConfigurations", 0, "publicIPAddress"], SENTINEL.object);
    setPath(odd.vm.properties, ["networkProfile"], SENTINEL.object);
    variants.push(odd);
    const ipcfgs = exposedHost(true);
    setPath(ipcfgs.nic.properties, ["ipConfigurations"], SENTINEL.array);
    variants.push(ipcfgs);
    for (const v of variants) {
      for (const r of v.e.resources) {
        const rems = await session().client.remediate(r);
        for (const m of rems) expect([r.name, m.diagnostic]).not.toEqual([r.name, expect.stringMatching(/can't run|during preview/)]);
      }
    }
    // The first variant's NIC (tags known, public IP id unknown) is remediated.
    const rems = await session().client.remediate(variants[0].nic);
    expect(rems).toHaveLength(1);
    const cfg = (rems[0].properties?.ipConfigurations as Array<Record<string, unknown>>)[0];
    expect(cfg).not.toHaveProperty("publicIPAddress");
  });
});
