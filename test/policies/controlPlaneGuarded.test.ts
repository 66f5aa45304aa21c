/**
 * exchange-control-plane-guarded (advisory stack policy): a stack with Exchange hosts assigns Microsoft's built-in
 * "Network interfaces should not have public IPs" (deny) at a scope holding the hosts' NICs, unless
 * controlPlaneAssignedAt names the management group or subscription where it lives; every evidence snapshot has a
 * CanNotDelete (or ReadOnly) lock. The rule's words, where it reports, and its config; the decisions themselves are
 * tested on the model (test/unit/controlPlane.test.ts).
 */
import { controlPlaneGuarded } from "../../policies/rules";
import { assignment, compromisedHost, lock, NO_PUBLIC_IP_ON_NICS, resourceGroup } from "../support/controlPlane";
import { NOW, UNKNOWN } from "../support/gateFixtures";
import { runStack, stackRule } from "../support/judge";
import { expectOnHost, expectSome, FORMS } from "../support/assertions";
import { CONTROL_PLANE } from "../support/policyNames";

const run = (e: { resources: Parameters<typeof runStack>[1] }, config: Record<string, unknown> = {}) =>
  runStack(CONTROL_PLANE, e.resources, config, {}, NOW);

it("is an advisory stack policy, registered in the pack, documented under its own anchor, with its one config key", () => {
  expect(stackRule(CONTROL_PLANE)).toBe(controlPlaneGuarded);
  expect(controlPlaneGuarded.enforcementLevel).toBe("advisory");
  expect(controlPlaneGuarded.url).toMatch(/docs\/policies\.md#exchange-control-plane-guarded$/);
  expect(controlPlaneGuarded.schemas.flatMap((s) => Object.keys(s.properties))).toEqual(["controlPlaneAssignedAt"]);
});

describe("controlPlaneAssignedAt", () => {
  it.each(["/providers/Microsoft.Management/managementGroups/corp", "/subscriptions/00000000-0000-0000-0000-000000000001"])("%s is accepted", (v) => {
    expect(controlPlaneGuarded.configErrors!({ controlPlaneAssignedAt: v })).toEqual([]);
  });

  it("anything else is a config error naming the key, the value and both accepted forms", () => {
    expect(controlPlaneGuarded.configErrors!({ controlPlaneAssignedAt: "/subscriptions/x/resourceGroups/rg-exchange" })).toEqual([
      'controlPlaneAssignedAt: "/subscriptions/x/resourceGroups/rg-exchange" is neither a management group id (/providers/Microsoft.Management/managementGroups/<name>) nor a subscription id (/subscriptions/<subscription GUID>)',
    ]);
  });

  it("a malformed value vouches for nothing", () => {
    const { e, snap } = compromisedHost(false);
    lock(e, snap);
    expect(run(e, { controlPlaneAssignedAt: "corp" })).toHaveLength(1);
    expect(run(e, { controlPlaneAssignedAt: "/providers/Microsoft.Management/managementGroups/corp" })).toEqual([]);
  });
});

describe.each(FORMS)("exchange-control-plane-guarded (%s form)", (_form, preview) => {
  it("hosts, their NICs guarded and their evidence locked: nothing to report", () => {
    const { e, rg, snap } = compromisedHost(preview);
    assignment(e, { scope: rg });
    lock(e, snap);
    expect(run(e)).toEqual([]);
  });

  it("no assignment: one violation on the stack, naming the hosts, the built-in by name and id, and both fixes", () => {
    const { e, snap } = compromisedHost(preview);
    lock(e, snap);
    const v = run(e);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBeUndefined();
    expectSome(
      v,
      "Exchange hosts (ex01)",
      '"Network interfaces should not have public IPs"',
      NO_PUBLIC_IP_ON_NICS,
      "resource group",
      "controlPlaneAssignedAt",
    );
  });

  it("an assignment that does not hold a host's NIC: on the host's VM, naming the NIC, the assignment and why", () => {
    const { e, vm, rg, snap } = compromisedHost(preview);
    lock(e, snap);
    assignment(e, { scope: resourceGroup(e, "rg-other"), name: "elsewhere" });
    assignment(e, { scope: rg, name: "what-if", enforcementMode: "DoNotEnforce" });
    const v = run(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
    expectSome(v, "host ex01: NIC nic-ex01 is not guarded", "assignment elsewhere: its scope ResourceGroup rg-other does not hold it", "Fix: assign");
    expectSome(v, "assignment what-if:", "enforcementMode is DoNotEnforce");
  });

  it("evidence without a lock: on the host's VM, naming the snapshot and the fix", () => {
    const { e, vm, rg } = compromisedHost(preview);
    assignment(e, { scope: rg });
    const v = run(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
    expectSome(v, "host ex01: evidence snapshot ex01-osdisk-evidence has no CanNotDelete or ReadOnly management lock", "ManagementLockByScope");
  });

  it("a lock too weak to keep it says so", () => {
    const { e, rg, snap } = compromisedHost(preview);
    assignment(e, { scope: rg });
    lock(e, snap, { name: "weak", level: "NotSpecified" });
    expectSome(run(e), "lock weak: its level is NotSpecified, not CanNotDelete or ReadOnly");
  });

  it("controlPlaneAssignedAt at a management group stands in for the assignment", () => {
    const { e, snap } = compromisedHost(preview);
    lock(e, snap);
    expect(run(e, { controlPlaneAssignedAt: "/providers/Microsoft.Management/managementGroups/corp" })).toEqual([]);
  });

  if (preview) {
    it("what is unknown at preview is named in the message", () => {
      const { e, rg } = compromisedHost(preview);
      assignment(e, { scope: rg, enforcementMode: UNKNOWN });
      lock(e, UNKNOWN, { name: "lock-somewhere" });
      const v = run(e);
      expectSome(v, "its enforcementMode is unknown at preview, so it may not deny");
      expectSome(
        v,
        "lock lock-somewhere: it cannot be shown to cover the snapshot: the scope of lock-somewhere is unknown at preview and no dependency of that property names it",
      );
    });
  }
});
