/**
 * Issue #15, class 1: only an assessment's resourceId (its value, or its own property dependencies) links it to a host.
 * Plain dependencies (dependsOn) never override the property's own dependencies; they stand in only when the engine sent
 * no property dependencies at all, and a link they make where the engine sent some is a guess that never verifies.
 */
import { clean, Estate, expectSome, FORMS, gateOf, host, rawAssessment, runGate, UNKNOWN, withDeps } from "../support/gateFixtures";

describe.each(FORMS)("assessment links: the resourceId's own dependencies are authoritative (%s form)", (_form, preview) => {
  const nicOf = (e: Estate, vmName = "ex01") => e.resources.find((r) => r.name === `nic-${vmName}`)!;

  it("resourceId names the NIC (by id, or by its property dependencies at preview) while dependsOn names the VM: not linked, not verified", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    const nic = nicOf(e);
    const a = rawAssessment(e, "a-on-nic", { resourceId: preview ? UNKNOWN : nic.armId, data: clean() });
    withDeps(e, a, "resourceId", [nic]);
    // dependsOn: the VM, as a plain dependency only.
    const i = e.resources.findIndex((r) => r.urn === a.urn);
    e.resources[i] = { ...e.resources[i], dependencies: [...(e.resources[i].dependencies ?? []), vm.urn] };
    const g = gateOf(e, vm);
    expect(g.links).toHaveLength(0);
    expect(g.verified).toBe(false);
    expectSome(runGate(e).requires, "host ex01 is marked remediated but no compromise assessment");
  });

  if (preview) {
    it("property dependencies sent for other inputs but none for resourceId: a dependsOn VM is a guess that never verifies", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      const a = rawAssessment(e, "a-guess", { resourceId: UNKNOWN, data: clean() });
      const i = e.resources.findIndex((r) => r.urn === a.urn);
      e.resources[i] = { ...a, dependencies: [vm.urn], propertyDependencies: { additionalData: [vm.urn] } };
      const g = gateOf(e, vm);
      expect(g.links).toHaveLength(1);
      expect(g.links[0].certain).toBe(false);
      expect(g.verified).toBe(false);
      expect(runGate(e).requires.length).toBeGreaterThan(0);
    });

    it("the same guess still counts against the host: a compromised record linked only by dependsOn blocks remediated", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-ok", vm, clean());
      const bad = rawAssessment(e, "a-bad", {
        resourceId: UNKNOWN,
        data: clean({ verdict: "compromised" }),
        status: { code: "Unhealthy" },
      });
      const i = e.resources.findIndex((r) => r.urn === bad.urn);
      e.resources[i] = { ...bad, dependencies: [vm.urn], propertyDependencies: { additionalData: [vm.urn] } };
      expect(gateOf(e, vm).verified).toBe(false);
      expectSome(runGate(e).rebuild, "ex01");
    });
  }
});
