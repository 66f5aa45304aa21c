/**
 * The control-plane model (policies/model/controlPlane.ts) as values: which assignments of the built-in
 * "Network interfaces should not have public IPs" guard which host NICs, and which locks keep which evidence snapshots,
 * in update form (ids known) and preview form (ids unknown, links through propertyDependencies).
 */
import { AssignedAt, ControlPlaneFinding, controlPlaneFindings, parseAssignedAt } from "../../policies/model/controlPlane";
import {
  assignment,
  compromisedHost,
  evidenceSnapshot,
  lock,
  NO_PUBLIC_IP_ON_NICS,
  OTHER_SUB,
  RDP_DEFINITION,
  resourceGroup,
  rgId,
} from "../support/controlPlane";
import { Estate, host, NOW, Res, UNKNOWN, withDeps, withProps } from "../support/gateFixtures";
import { analyse } from "../support/judge";
import { FORMS } from "../support/assertions";

function findings(e: Estate, assignedAt?: AssignedAt): ControlPlaneFinding[] {
  const a = analyse(e.resources, {}, NOW);
  return controlPlaneFindings(a.graph, a.hosts, assignedAt);
}

/** The findings as plain facts: kind, host, what is unguarded, and each miss's kind. */
function facts(e: Estate, assignedAt?: AssignedAt) {
  return findings(e, assignedAt).map((f) =>
    f.kind === "no-assignment"
      ? { kind: f.kind, hosts: f.hosts }
      : f.kind === "nic-unguarded"
        ? { kind: f.kind, host: f.host.name, nic: f.nic, misses: f.misses.map((m) => m.miss.kind) }
        : { kind: f.kind, host: f.host.name, snapshot: f.snapshot, misses: f.misses.map((m) => m.miss.kind) },
  );
}

const nicFacts = (e: Estate, assignedAt?: AssignedAt) => facts(e, assignedAt).filter((f) => f.kind !== "evidence-unlocked");
const lockFacts = (e: Estate) => facts(e).filter((f) => f.kind === "evidence-unlocked");
const unguarded = (...misses: string[]) => [{ kind: "nic-unguarded", host: "ex01", nic: "NIC nic-ex01", misses }];
const unlocked = (...misses: string[]) => [{ kind: "evidence-unlocked", host: "ex01", snapshot: "ex01-osdisk-evidence", misses }];

const mg = parseAssignedAt("/providers/Microsoft.Management/managementGroups/corp-landing-zones").value!;

describe("parseAssignedAt", () => {
  it.each([
    ["/providers/Microsoft.Management/managementGroups/corp-landing-zones", "managementGroup"],
    ["providers/microsoft.management/managementgroups/Corp_(EU).1", "managementGroup"],
    ["/subscriptions/00000000-0000-0000-0000-000000000001", "subscription"],
    [" /SUBSCRIPTIONS/0A0B0C0D-0000-0000-0000-000000000001/ ", "subscription"],
  ])("%s is a %s", (text, kind) => {
    expect(parseAssignedAt(text)).toEqual({ value: expect.objectContaining({ kind }) });
  });

  it("keeps the subscription in lower case, as the model compares it", () => {
    expect(parseAssignedAt("/subscriptions/0A0B0C0D-0000-0000-0000-000000000001").value).toMatchObject({
      subscription: "0a0b0c0d-0000-0000-0000-000000000001",
    });
  });

  it("unset is no value and no error", () => {
    expect(parseAssignedAt(undefined)).toEqual({});
  });

  it.each([
    "/subscriptions/not-a-guid",
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-exchange",
    "/providers/Microsoft.Management/managementGroups/",
    "/providers/Microsoft.Management/managementGroups/a/b",
    "corp-landing-zones",
    "",
    42,
  ])("refuses %p and says which forms it takes", (v) => {
    const r = parseAssignedAt(v);
    expect(r.value).toBeUndefined();
    expect(r.error).toMatch(
      /^controlPlaneAssignedAt: .* is neither a management group id \(\/providers\/Microsoft\.Management\/managementGroups\/<name>\) nor a subscription id/,
    );
  });
});

describe.each(FORMS)("the no-public-IP assignment (%s form)", (_form, preview) => {
  it("a stack without Exchange hosts needs nothing", () => {
    const e = new Estate({ preview });
    resourceGroup(e);
    expect(findings(e)).toEqual([]);
  });

  it("hosts and no assignment: one finding for the stack naming every host", () => {
    const { e } = compromisedHost(preview);
    host(e, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
    expect(nicFacts(e)).toEqual([{ kind: "no-assignment", hosts: ["ex01", "ex02"] }]);
  });

  it("assigned at the hosts' resource group (a resource of the stack): guarded", () => {
    const { e, rg } = compromisedHost(preview);
    assignment(e, { scope: rg });
    expect(nicFacts(e)).toEqual([]);
  });

  it("... with the NIC's resource group an output linked by URN, as the stacks write it", () => {
    const { e, rg, nic } = compromisedHost(preview);
    withDeps(e, withProps(e, nic, { resourceGroupName: preview ? UNKNOWN : "rg-exchange" }), "resourceGroupName", [rg]);
    assignment(e, { scope: rg });
    expect(nicFacts(e)).toEqual([]);
  });

  it("assigned at the resource group by its literal id, in another case: guarded", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: rgId(e).toUpperCase(), definition: NO_PUBLIC_IP_ON_NICS.toLowerCase().slice(1) });
    expect(nicFacts(e)).toEqual([]);
  });

  it("assigned at another resource group: not guarded, and says where it is", () => {
    const { e } = compromisedHost(preview);
    const other = resourceGroup(e, "rg-other");
    assignment(e, { scope: other });
    expect(nicFacts(e)).toEqual(unguarded("scope-elsewhere"));
  });

  it("assigned at another resource group of the same name in another subscription: not guarded once ids are known", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: rgId(e, e.rg, OTHER_SUB) });
    // At preview the NIC's subscription is unknown and the group's name decides, as for every resource-group link.
    expect(nicFacts(e)).toEqual(preview ? [] : unguarded("scope-elsewhere"));
  });

  it("assigned at the hosts' subscription: guarded once the NIC's subscription is known, unknown at preview", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: `/subscriptions/${e.sub}` });
    expect(nicFacts(e)).toEqual(preview ? unguarded("scope-unknown") : []);
  });

  it("assigned at another subscription: not guarded", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: `/subscriptions/${OTHER_SUB}` });
    expect(nicFacts(e)).toEqual(unguarded(preview ? "scope-unknown" : "scope-elsewhere"));
  });

  it("assigned at a management group in the stack: only config can vouch for that", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: "/providers/Microsoft.Management/managementGroups/corp" });
    expect(nicFacts(e)).toEqual(unguarded("scope-management-group"));
  });

  it("assigned at the NIC itself: guarded; at the VM: not (the NIC is not the VM's child)", () => {
    const { e, nic, vm } = compromisedHost(preview);
    const onVm = assignment(e, { scope: vm, name: "on-vm" });
    expect(nicFacts(e)).toEqual(unguarded("scope-elsewhere"));
    e.resources.splice(e.resources.indexOf(onVm), 1);
    assignment(e, { scope: nic, name: "on-nic" });
    expect(nicFacts(e)).toEqual([]);
  });

  it("a scope unknown at preview with no dependency naming it: not guarded", () => {
    const { e } = compromisedHost(preview);
    assignment(e, { scope: UNKNOWN });
    expect(nicFacts(e)).toEqual(unguarded("scope-unknown"));
  });

  it("a scope that depends on two resources cannot be read as either", () => {
    const { e, rg, nic } = compromisedHost(preview);
    const a = assignment(e, { scope: UNKNOWN });
    withDeps(e, a, "scope", [rg, nic]);
    expect(nicFacts(e)).toEqual(unguarded("scope-unknown"));
  });

  it("two hosts, one of them in a resource group the assignment does not hold: only that host's NIC", () => {
    const { e, rg } = compromisedHost(preview);
    const other = new Estate({ preview, rg: "rg-second" });
    host(other, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
    e.resources.push(...other.resources);
    assignment(e, { scope: rg });
    expect(nicFacts(e)).toEqual([{ kind: "nic-unguarded", host: "ex02", nic: "NIC nic-ex02", misses: ["scope-elsewhere"] }]);
  });

  it("any one assignment that guards the NIC is enough; every miss is kept when none does", () => {
    const { e, rg } = compromisedHost(preview);
    assignment(e, { scope: rg, name: "what-if", enforcementMode: "DoNotEnforce" });
    assignment(e, { scope: resourceGroup(e, "rg-other"), name: "elsewhere" });
    expect(nicFacts(e)).toEqual(unguarded("not-enforced", "scope-elsewhere"));
    assignment(e, { scope: rg, name: "enforced" });
    expect(nicFacts(e)).toEqual([]);
  });
});

describe.each(FORMS)("which definition (%s form)", (_form, preview) => {
  it("another built-in definition does not count", () => {
    const { e, rg } = compromisedHost(preview);
    assignment(e, { scope: rg, definition: RDP_DEFINITION });
    expect(nicFacts(e)).toEqual([{ kind: "no-assignment", hosts: ["ex01"] }]);
  });

  it("a custom definition that copies the built-in's name, GUID and rule does not count", () => {
    const { e, rg } = compromisedHost(preview);
    const custom = e.add(
      "azure-native:authorization:PolicyDefinition",
      "83a86a26-fd1f-447c-b59d-e51f44264114",
      {
        policyDefinitionName: "83a86a26-fd1f-447c-b59d-e51f44264114",
        displayName: "Network interfaces should not have public IPs",
        mode: "Indexed",
        policyRule: {
          if: { allOf: [{ field: "type", equals: "Microsoft.Network/networkInterfaces" }] },
          then: { effect: "deny" },
        },
      },
      {},
      `/subscriptions/${e.sub}/providers/Microsoft.Authorization/policyDefinitions/83a86a26-fd1f-447c-b59d-e51f44264114`,
    );
    const a = assignment(e, { scope: rg, definition: preview ? UNKNOWN : custom.armId });
    withDeps(e, a, "policyDefinitionId", [custom]);
    // Known, it is another id; unknown at preview, it may be anything, so it vouches for nothing either.
    expect(nicFacts(e)).toEqual(preview ? unguarded("definition-unknown") : [{ kind: "no-assignment", hosts: ["ex01"] }]);
  });

  it("the same GUID at subscription scope is a custom definition, not the built-in", () => {
    const { e, rg } = compromisedHost(preview);
    assignment(e, { scope: rg, definition: `/subscriptions/${e.sub}${NO_PUBLIC_IP_ON_NICS}` });
    expect(nicFacts(e)).toEqual([{ kind: "no-assignment", hosts: ["ex01"] }]);
  });
});

describe.each(FORMS)("what keeps an assignment from denying (%s form)", (_form, preview) => {
  const run = (o: Omit<Parameters<typeof assignment>[1], "scope">, tweak?: (e: Estate, nic: Res) => void) => {
    const { e, rg, nic } = compromisedHost(preview);
    tweak?.(e, nic);
    assignment(e, { scope: rg, ...o });
    return nicFacts(e);
  };

  it.each([["Default"], ["default"], [undefined]])("enforcementMode %p enforces", (mode) => {
    expect(run({ enforcementMode: mode })).toEqual([]);
  });

  it.each([["DoNotEnforce"], ["Enroll"]])("enforcementMode %s does not deny", (mode) => {
    expect(run({ enforcementMode: mode })).toEqual(unguarded("not-enforced"));
  });

  it("an enforcementMode unknown at preview may not deny", () => {
    expect(run({ enforcementMode: UNKNOWN })).toEqual(unguarded("enforcement-unknown"));
  });

  it("an override of the effect to audit (or disabled) does not deny; deny and a version override do", () => {
    expect(run({ overrides: [{ kind: "policyEffect", value: "Audit" }] })).toEqual(unguarded("effect-overridden"));
    expect(run({ overrides: [{ kind: "policyEffect", value: "Disabled", selectors: [{ kind: "resourceLocation", in: ["eastus"] }] }] })).toEqual(
      unguarded("effect-overridden"),
    );
    expect(run({ overrides: [{ kind: "policyEffect", value: "Deny" }] })).toEqual([]);
    expect(run({ overrides: [{ kind: "policyVersion", value: "1.*.*" }] })).toEqual([]);
    expect(run({ overrides: UNKNOWN })).toEqual(unguarded("overrides-unknown"));
  });

  it("resource selectors must select the NIC: by type, by its location, never only location-less resources", () => {
    const located = (e: Estate, nic: Res) => void withProps(e, nic, { location: "West Europe" });
    const sel = (...selectors: unknown[]) => ({ resourceSelectors: [{ name: "sdp", selectors }] });
    expect(run(sel({ kind: "resourceType", in: ["Microsoft.Network/networkInterfaces"] }))).toEqual([]);
    expect(run(sel({ kind: "resourceType", notIn: ["Microsoft.Network/networkInterfaces"] }))).toEqual(unguarded("not-selected"));
    expect(run(sel({ kind: "resourceType", in: ["Microsoft.Compute/virtualMachines"] }))).toEqual(unguarded("not-selected"));
    expect(run(sel({ kind: "resourceLocation", in: ["westeurope"] }), located)).toEqual([]);
    expect(run(sel({ kind: "resourceLocation", in: ["eastus"] }), located)).toEqual(unguarded("not-selected"));
    expect(run(sel({ kind: "resourceLocation", in: ["westeurope"] }))).toEqual(unguarded("not-selected")); // the NIC's location is not given
    expect(run(sel({ kind: "resourceWithoutLocation", in: ["subscriptionLevelResources"] }))).toEqual(unguarded("not-selected"));
    // Any one resource selector that selects the NIC is enough.
    expect(
      run(
        {
          resourceSelectors: [
            { name: "a", selectors: [{ kind: "resourceLocation", in: ["eastus"] }] },
            { name: "b", selectors: [{ kind: "resourceType", in: ["microsoft.network/networkinterfaces"] }] },
          ],
        },
        located,
      ),
    ).toEqual([]);
  });
});

describe.each(FORMS)("notScopes (%s form)", (_form, preview) => {
  it("excluding the hosts' resource group (by id or by the resource) leaves the NIC unguarded", () => {
    const a = compromisedHost(preview);
    assignment(a.e, { scope: `/subscriptions/${a.e.sub}`, notScopes: [a.rg] });
    expect(nicFacts(a.e).map((f) => ("misses" in f ? f.misses : []))).toEqual([[preview ? "scope-unknown" : "excluded"]]);
    const b = compromisedHost(preview);
    assignment(b.e, { scope: b.rg, notScopes: [rgId(b.e)] });
    expect(nicFacts(b.e)).toEqual(unguarded("excluded"));
  });

  it("excluding the NIC itself leaves it unguarded; excluding another resource or group does not", () => {
    const a = compromisedHost(preview);
    assignment(a.e, { scope: a.rg, notScopes: [a.nic] });
    expect(nicFacts(a.e)).toEqual(unguarded("excluded"));
    const b = compromisedHost(preview);
    assignment(b.e, { scope: b.rg, notScopes: [`${rgId(b.e)}/providers/Microsoft.Network/networkInterfaces/nic-ex01`] });
    expect(nicFacts(b.e)).toEqual(unguarded("excluded"));
    const c = compromisedHost(preview);
    assignment(c.e, { scope: c.rg, notScopes: [c.snap, rgId(c.e, "rg-other")] });
    expect(nicFacts(c.e)).toEqual([]);
  });

  if (preview) {
    it("an entry unknown at preview that no dependency names may exclude anything", () => {
      const { e, rg } = compromisedHost(preview);
      assignment(e, { scope: rg, notScopes: [UNKNOWN] });
      expect(nicFacts(e)).toEqual(unguarded("exclusion-unknown"));
    });

    it("the whole list unknown: it may exclude anything, and does when its dependencies name the hosts' resource group", () => {
      const { e, rg } = compromisedHost(preview);
      const other = resourceGroup(e, "rg-other");
      const a = assignment(e, { scope: rg });
      withDeps(e, withProps(e, a, { notScopes: UNKNOWN }), "notScopes", [other]);
      expect(nicFacts(e)).toEqual(unguarded("exclusion-unknown"));
      const f = compromisedHost(preview);
      const b = assignment(f.e, { scope: f.rg });
      withDeps(f.e, withProps(f.e, b, { notScopes: UNKNOWN }), "notScopes", [f.rg]);
      expect(nicFacts(f.e)).toEqual(unguarded("excluded"));
    });
  }
});

describe.each(FORMS)("controlPlaneAssignedAt (%s form)", (_form, preview) => {
  it("a management group vouches for every host: no assignment needed in the stack", () => {
    const { e } = compromisedHost(preview);
    expect(nicFacts(e, mg)).toEqual([]);
  });

  it("the hosts' subscription vouches for them", () => {
    const { e } = compromisedHost(preview);
    expect(nicFacts(e, parseAssignedAt(`/subscriptions/${e.sub}`).value)).toEqual([]);
  });

  it("another subscription does not, once the NIC's subscription is known", () => {
    const { e } = compromisedHost(preview);
    expect(nicFacts(e, parseAssignedAt(`/subscriptions/${OTHER_SUB}`).value)).toEqual(preview ? [] : unguarded("config-other-subscription"));
  });
});

describe.each(FORMS)("evidence locks (%s form)", (_form, preview) => {
  it("an evidence snapshot without a lock", () => {
    const { e } = compromisedHost(preview);
    expect(lockFacts(e)).toEqual(unlocked());
  });

  it("a snapshot that copies no host's OS disk is not evidence", () => {
    const { e, vm, snap } = compromisedHost(preview);
    e.resources.splice(e.resources.indexOf(snap), 1);
    evidenceSnapshot(e, { ...vm, name: "not-a-host" }, "other-snapshot");
    expect(lockFacts(e)).toEqual([]);
  });

  it.each([["CanNotDelete"], ["ReadOnly"], ["cannotdelete"]])("a %s lock on the snapshot keeps it", (level) => {
    const { e, snap } = compromisedHost(preview);
    lock(e, snap, { level });
    expect(lockFacts(e)).toEqual([]);
  });

  it("a lock of level NotSpecified keeps nothing; one unknown at preview may not", () => {
    const a = compromisedHost(preview);
    lock(a.e, a.snap, { level: "NotSpecified" });
    expect(lockFacts(a.e)).toEqual(unlocked("level-too-weak"));
    const b = compromisedHost(preview);
    lock(b.e, b.snap, { level: UNKNOWN });
    expect(lockFacts(b.e)).toEqual(unlocked("level-unknown"));
  });

  it("a lock on the snapshot's resource group keeps it: by scope (resource or id) and at resource-group level", () => {
    const a = compromisedHost(preview);
    lock(a.e, a.rg);
    expect(lockFacts(a.e)).toEqual([]);
    const b = compromisedHost(preview);
    lock(b.e, rgId(b.e));
    expect(lockFacts(b.e)).toEqual([]);
    const c = compromisedHost(preview);
    c.e.add("azure-native:authorization:ManagementLockAtResourceGroupLevel", "rg-lock", {
      resourceGroupName: c.e.rg,
      lockName: "rg-lock",
      level: "CanNotDelete",
    });
    expect(lockFacts(c.e)).toEqual([]);
    const d = compromisedHost(preview);
    d.e.add("azure-native:authorization:ManagementLockAtSubscriptionLevel", "sub-lock", { lockName: "sub-lock", level: "ReadOnly" });
    expect(lockFacts(d.e)).toEqual([]);
  });

  it("a lock on another resource group, another snapshot or the VM keeps nothing", () => {
    const { e, vm } = compromisedHost(preview);
    lock(e, resourceGroup(e, "rg-other"));
    lock(e, evidenceSnapshot(e, { ...vm, name: "ex09" }, "ex09-osdisk-evidence"));
    lock(e, vm);
    expect(lockFacts(e)).toEqual(unlocked());
  });

  it("a resource-level lock names the snapshot by group, namespace, type and name; a disk of the same name is not it", () => {
    const add = (e: Estate, resourceType: string) =>
      e.add("azure-native:authorization:ManagementLockAtResourceLevel", `lock-${resourceType}`, {
        resourceGroupName: e.rg,
        resourceProviderNamespace: "Microsoft.Compute",
        parentResourcePath: "",
        resourceType,
        resourceName: "ex01-osdisk-evidence",
        lockName: "evidence",
        level: "CanNotDelete",
      });
    const a = compromisedHost(preview);
    add(a.e, "snapshots");
    expect(lockFacts(a.e)).toEqual([]);
    const b = compromisedHost(preview);
    add(b.e, "disks");
    expect(lockFacts(b.e)).toEqual(unlocked());
  });

  if (preview) {
    it("a scope unknown at preview with no dependency naming it: the lock may cover it or not", () => {
      const { e } = compromisedHost(preview);
      lock(e, UNKNOWN);
      expect(lockFacts(e)).toEqual(unlocked("scope-unknown"));
    });

    it("a scope linked only by plain dependencies (dependsOn) is a guess and keeps nothing", () => {
      const { e, snap } = compromisedHost(preview);
      const l = lock(e, UNKNOWN);
      const i = e.resources.indexOf(l);
      e.resources[i] = { ...l, dependencies: [snap.urn], propertyDependencies: { level: [] } };
      expect(lockFacts(e)).toEqual(unlocked("scope-unknown"));
    });
  }

  it("each host's evidence is judged on its own", () => {
    const { e, snap } = compromisedHost(preview);
    const ex02 = host(e, { name: "ex02", state: "compromised", ip: "10.0.1.5" });
    evidenceSnapshot(e, ex02);
    lock(e, snap);
    expect(lockFacts(e)).toEqual([{ kind: "evidence-unlocked", host: "ex02", snapshot: "ex02-osdisk-evidence", misses: [] }]);
  });
});
