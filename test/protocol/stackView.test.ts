/**
 * The stack as AnalyzeStack shows it (https://github.com/pulumi/pulumi/blob/master/proto/pulumi/analyzer.proto): outputs with dependencies and
 * propertyDependencies; URNs not in the request are dropped by @pulumi/policy before the pack sees
 * them; resources may share names but never URNs. Each violation about a host carries that host
 * VM's URN (docs/contract.md#policies-and-enforcement), links go by URN at preview and by id when known (docs/contract.md#preview-semantics), and what the
 * pack cannot follow counts as exposed (docs/contract.md#what-cannot-be-decided-counts-as-exposed).
 */
import type { Diagnostic, EngineResource } from "../../cli/packDriver/analyzerClient";
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { assignment, rgId } from "../support/controlPlane";
import { baseNet, exHost, hostNic } from "../support/networks";
import { componentUrn, expectDiag, expectNoPreviewDowngrade, exposedHost, of, POLICY, summary, useSession, withUrn } from "./helpers";
import { FORMS } from "../support/assertions";

const session = useSession();

async function stack(resources: readonly EngineResource[]): Promise<Diagnostic[]> {
  const { diagnostics } = await session().client.analyzeStack(resources);
  expectNoPreviewDowngrade(diagnostics);
  return diagnostics;
}

const key = (d: Diagnostic) => `${d.policyName}|${d.enforcementLevel}|${d.urn}|${d.message}`;
const mandatoryAbout = (ds: readonly Diagnostic[], urn: string) => ds.filter((d) => d.urn === urn && d.enforcementLevel === "mandatory");

/** Remediated ex01 that only publishes 443: verified when a clean assessment is linked. */
function publishedHost(preview: boolean) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
  const vm = exHost(e, { nics: [nic], state: "remediated" });
  return { e, vm, nic };
}

describe.each(FORMS)("the same host twice (%s form)", (_form, preview) => {
  it("the same VM registered under two URNs: each URN gets its own mandatory diagnostic", async () => {
    const { e, vm } = exposedHost(preview);
    const again = withUrn(vm, componentUrn(vm));
    const ds = await stack([...e.resources, again]);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["host ex01"] });
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: again.urn, has: ["host ex01"] });
    expect(new Set(of(ds, POLICY.notExposed).map((d) => d.urn))).toEqual(new Set([vm.urn, again.urn]));
  });

  it("a VM under a component parent: the diagnostic carries the full URN (with the type chain)", async () => {
    const { e, vm } = exposedHost(preview);
    const comp: EngineResource = {
      urn: "urn:pulumi:dev::exchange::exchange:index:Host::ex01",
      type: "exchange:index:Host",
      name: "ex01",
      properties: {},
    };
    const child = { ...withUrn(vm, componentUrn(vm)), parent: comp.urn };
    const rest = e.resources.filter((r) => r.urn !== vm.urn);
    const ds = await stack([comp, ...rest, child]);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: child.urn });
    expect(mandatoryAbout(ds, vm.urn)).toEqual([]);
    expect(mandatoryAbout(ds, comp.urn)).toEqual([]);
  });
});

describe("links at preview go by URN", () => {
  it("two VMs named ex01 (different URNs), only one with a linked clean assessment: only the other is reported", async () => {
    const { e, vm } = publishedHost(true);
    e.assessment("a-ex01", vm, cleanData());
    const twin = withUrn(vm, componentUrn(vm));
    const ds = await stack([...e.resources, twin]);
    expect(mandatoryAbout(ds, vm.urn)).toEqual([]);
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: twin.urn });
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: twin.urn });
  });

  it("an assessment linked only through dependencies (no propertyDependencies): the host is verified", async () => {
    const { e, vm } = publishedHost(true);
    const a = e.assessment("a-ex01", vm, cleanData());
    const onlyDeps: EngineResource = { ...a, propertyDependencies: {}, dependencies: [vm.urn] };
    const ds = await stack([...e.resources.filter((r) => r.urn !== a.urn), onlyDeps]);
    if (mandatoryAbout(ds, vm.urn).length > 0) throw new Error(summary(ds));
  });

  it("an assessment whose link names a URN missing from the request: not linked, the host is not verified", async () => {
    const { e, vm } = publishedHost(true);
    const a = e.assessment("a-ex01", vm, cleanData());
    const dangling: EngineResource = {
      ...a,
      propertyDependencies: { resourceId: ["urn:pulumi:dev::exchange::azure-native:compute:VirtualMachine::gone"] },
      dependencies: ["urn:pulumi:dev::exchange::azure-native:compute:VirtualMachine::gone"],
    };
    const ds = await stack([...e.resources.filter((r) => r.urn !== a.urn), dangling]);
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["443"] });
  });

  it("a NIC whose public IP (id unknown) depends on a URN missing from the request: still exposed", async () => {
    const { e, vm, nic, pip } = exposedHost(true);
    const ds = await stack(e.resources.filter((r) => r.urn !== pip.urn));
    expect(nic.propertyDependencies?.ipConfigurations).toContain(pip.urn);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: [/public IP/] });
  });

  it("a VM whose NIC (id unknown) is missing from the request: cannot be shown unexposed, reported", async () => {
    const { e, vm, nic } = exposedHost(true);
    const ds = await stack(e.resources.filter((r) => r.urn !== nic.urn));
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn });
  });
});

describe.each(FORMS)("same names, different resources (%s form)", (_form, preview) => {
  it("another NIC named nic-ex01 in another resource group with a public IP does not make ex01 exposed", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg })] });
    const other = new Estate({ preview, rg: "rg-other" });
    const o = baseNet(other);
    const otherNic = hostNic(other, o.sub, {
      nsg: other.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]),
      publicIp: other.publicIp("pip-ex01"),
      tags: { workload: "web" },
    });
    const rename = (r: Res): EngineResource => ({
      ...withUrn(r, r.urn.replace(`::${r.type}::`, `::other:index:Site$${r.type}::`)),
      dependencies: (r.dependencies ?? []).map((u) => u.replace(/::([^:]+:[^:]+:[^:]+)::/, "::other:index:Site$$$1::")),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.propertyDependencies ?? {}).map(([k, us]) => [
          k,
          us.map((u) => u.replace(/::([^:]+:[^:]+:[^:]+)::/, "::other:index:Site$$$1::")),
        ]),
      ),
    });
    const others = other.resources.map(rename);
    expect(others.find((r) => r.name === otherNic.name)!.urn).not.toBe(e.resources.find((r) => r.name === "nic-ex01")!.urn);
    const ds = await stack([...e.resources, ...others]);
    expect(of(ds, POLICY.notExposed)).toEqual([]);
    expect(ds.filter((d) => d.urn !== vm.urn && d.urn !== "")).toEqual([]);
  });
});

describe("the stack's view is a function of the request", () => {
  it("resource order does not matter", async () => {
    const { e } = exposedHost(true, { state: "compromised" });
    e.assessment(
      "a-ex01",
      e.resources.find((r) => r.type === "azure-native:compute:VirtualMachine")!,
      cleanData({ verdict: "compromised" }),
    );
    const forward = (await stack(e.resources)).map(key).sort();
    const backward = (await stack([...e.resources].reverse())).map(key).sort();
    expect(forward.length).toBeGreaterThan(0);
    expect(backward).toEqual(forward);
  });

  it("the same request twice gives the same answer", async () => {
    const { e } = exposedHost(false);
    const a = (await stack(e.resources)).map(key).sort();
    const b = (await stack(e.resources)).map(key).sort();
    expect(b).toEqual(a);
  });

  it("concurrent AnalyzeStack calls about different stacks do not see each other's resources", async () => {
    const bad = exposedHost(true);
    const good = publishedHost(true);
    good.e.assessment("a-ex01", good.vm, cleanData());
    assignment(good.e, { scope: rgId(good.e) });
    const alone = {
      bad: (await stack(bad.e.resources)).map(key).sort(),
      good: (await stack(good.e.resources)).map(key).sort(),
    };
    expect(alone.bad.length).toBeGreaterThan(0);
    expect(alone.good).toEqual([]);
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => stack(i % 2 === 0 ? bad.e.resources : good.e.resources)));
    runs.forEach((ds, i) => expect(ds.map(key).sort()).toEqual(i % 2 === 0 ? alone.bad : alone.good));
  });

  it("a stack with only the host VM (no network resources at all): fail closed, the message says why", async () => {
    const { vm } = exposedHost(true);
    const ds = await stack([vm]);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    const d = of(ds, POLICY.notExposed)[0];
    expect(d.message).toMatch(/unknown|cannot|no network interface/i);
  });

  it("an update-form VM whose NIC id points outside the stack: reported as undecidable", async () => {
    const e = new Estate({ preview: false });
    const vm = e.vm("ex01", { nics: [], tags: HOST_TAGS("unverified") });
    (vm.properties.networkProfile as Record<string, unknown>).networkInterfaces = [
      { id: "/subscriptions/other/resourceGroups/rg-x/providers/Microsoft.Network/networkInterfaces/nic-elsewhere", primary: true },
    ];
    const ds = await stack(e.resources);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
  });

  it("an unknown id on a resource does not link it to another resource whose id is also unknown", async () => {
    // Two hosts at preview: every id is the same unknown sentinel. ex02 is exposed, ex01 is isolated.
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const deny = e.nsg("nsg-ex01", [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*", port: "*" })]);
    const ex01 = exHost(e, { nics: [hostNic(e, sub, { nsg: deny })] });
    const open = e.nsg("nsg-ex02", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const ex02 = exHost(e, { name: "ex02", nics: [hostNic(e, sub, { name: "nic-ex02", nsg: open, publicIp: e.publicIp("pip-ex02") })] });
    expect(ex01.properties.id).toBe(UNKNOWN);
    const ds = await stack(e.resources);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: ex02.urn, has: ["pip-ex02"] });
    expect(of(ds, POLICY.notExposed).filter((d) => d.urn === ex01.urn)).toEqual([]);
  });
});
