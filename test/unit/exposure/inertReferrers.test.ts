/**
 * The inert referrers (policies/model/exposure/inertReferrers.ts; contract: docs/contract.md#reach-between-networks-and-inert-referrers): well-known resource
 * types that reference a host but cannot open a network path leave its exposure decidable; every other type that names
 * the host still fails closed. One list, a reason per entry.
 */
import { INERT_REFERRERS, inertReason } from "../../../policies/model/exposure/inertReferrers";
import { Estate, Res, UNKNOWN } from "../../support/estate";
import { runStack } from "../../support/judge";
import { FORMS } from "../../support/assertions";
import { EXPOSED, ISOLATED } from "../../support/policyNames";
import { FORENSICS, forensicsOnlyHost } from "../../support/networks";

/** Each referrer as a program writes it: the VM's id in its own property (unknown at preview, linked by URN). */
const REFERRERS: Array<[string, (e: Estate, vm: Res, nic: Res) => void]> = [
  [
    "Defender server vulnerability assessment (by VM name)",
    (e, vm) =>
      e.add(
        "azure-native:security:ServerVulnerabilityAssessment",
        "sva",
        {
          resourceGroupName: e.rg,
          resourceNamespace: "Microsoft.Compute",
          resourceType: "virtualMachines",
          resourceName: e.opts.preview ? UNKNOWN : "ex01",
          serverVulnerabilityAssessment: "default",
        },
        { resourceName: [vm] },
      ),
  ],
  [
    "another security assessment (Defender for Cloud, not ours)",
    (e, vm) =>
      e.add(
        "azure-native:security:Assessment",
        "other-assessment",
        { resourceId: e.opts.preview ? UNKNOWN : vm.armId, assessmentName: "11111111-2222-3333-4444-555555555555", status: { code: "Healthy" } },
        { resourceId: [vm] },
      ),
  ],
  [
    "backup protected item",
    (e, vm) =>
      e.add(
        "azure-native:recoveryservices:ProtectedItem",
        "backup",
        { properties: { protectedItemType: "Microsoft.Compute/virtualMachines", sourceResourceId: e.opts.preview ? UNKNOWN : vm.armId } },
        { properties: [vm] },
      ),
  ],
  [
    "maintenance (patch) configuration assignment",
    (e, vm) =>
      e.add(
        "azure-native:maintenance:ConfigurationAssignment",
        "patch",
        { resourceName: "ex01", resourceType: "virtualMachines", providerName: "Microsoft.Compute", resourceId: e.opts.preview ? UNKNOWN : vm.armId },
        { resourceId: [vm] },
      ),
  ],
  [
    "data collection rule association",
    (e, vm) =>
      e.add(
        "azure-native:insights:DataCollectionRuleAssociation",
        "dcra",
        { resourceUri: e.opts.preview ? UNKNOWN : vm.armId },
        { resourceUri: [vm] },
      ),
  ],
  [
    "diagnostic setting on the NIC",
    (e, _vm, nic) =>
      e.add("azure-native:insights:DiagnosticSetting", "diag", { resourceUri: e.opts.preview ? UNKNOWN : nic.armId }, { resourceUri: [nic] }),
  ],
  [
    "restore point collection",
    (e, vm) => e.add("azure-native:compute:RestorePointCollection", "rpc", { source: { id: e.opts.preview ? UNKNOWN : vm.armId } }, { source: [vm] }),
  ],
  [
    "role assignment and management lock",
    (e, vm) => {
      e.add(
        "azure-native:authorization:RoleAssignment",
        "ra",
        { scope: e.opts.preview ? UNKNOWN : vm.armId, principalId: "p", roleDefinitionId: "r" },
        { scope: [vm] },
      );
      e.add(
        "azure-native:authorization:ManagementLockByScope",
        "lock",
        { scope: e.opts.preview ? UNKNOWN : vm.armId, level: "CanNotDelete" },
        { scope: [vm] },
      );
    },
  ],
];

describe.each(FORMS)("inert referrers (%s form)", (_form, preview) => {
  it.each(REFERRERS)("%s: the isolated host stays decidable and clean", (_name, add) => {
    const e = new Estate({ preview });
    const { vm, nic } = forensicsOnlyHost(e);
    add(e, vm, nic);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("a type outside the list that names the host still fails closed (a JIT policy in the same security module)", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e);
    REFERRERS.forEach(([, add]) =>
      add(
        e,
        vm,
        e.resources.find((r) => r.name === "nic-ex01")!,
      ),
    );
    e.add(
      "azure-native:security:JitNetworkAccessPolicy",
      "jit",
      { virtualMachines: [{ id: preview ? UNKNOWN : vm.armId, ports: [{ number: 3389 }] }] },
      { virtualMachines: [vm] },
    );
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/host ex01 .*JitNetworkAccessPolicy jit references this host/);
  });
});

describe("the inert list", () => {
  it("gives a reason for every entry, once per type", () => {
    const types = INERT_REFERRERS.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
    for (const e of INERT_REFERRERS) expect(e.reason.length).toBeGreaterThan(10);
  });

  it("covers a module by prefix only for azure-native, and never the security or compute modules as a whole", () => {
    expect(inertReason("azure-native:authorization:RoleAssignment")).toMatch(/who may act/);
    expect(inertReason("azure:authorization:RoleAssignment")).toBeUndefined();
    expect(inertReason("azure-native:security:JitNetworkAccessPolicy")).toBeUndefined();
    expect(inertReason("azure-native:compute:VirtualMachineScaleSet")).toBeUndefined();
  });
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("governance resources that reference the host (a role assignment, a diagnostic setting) do not", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e);
    e.add(
      "azure-native:authorization:RoleAssignment",
      "ra",
      { scope: preview ? UNKNOWN : vm.armId, principalId: "p", roleDefinitionId: "r" },
      { scope: [vm] },
    );
    e.add("azure-native:insights:DiagnosticSetting", "diag", { resourceUri: preview ? UNKNOWN : vm.armId }, { resourceUri: [vm] });
    e.add("random:index/randomPet:RandomPet", "pet", { prefix: vm.armId });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});
