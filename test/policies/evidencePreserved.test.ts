/**
 * exchange-evidence-preserved (advisory stack policy, docs/contract.md#policies-and-enforcement): a host with a compromised
 * assessment has a disk snapshot (compute.Snapshot, creationData.createOption Copy) of its OS disk.
 * The snapshot is matched by the OS disk's id, by the disk's name, or (the id an output of the VM,
 * unknown at preview) by a URN dependency of creationData on the VM.
 */
import { stackRule, runStack } from "../support/judge";
import { clean, diskId, Estate, EVIDENCE, host, NOW, Res, UNKNOWN } from "../support/gateFixtures";
import { expectOnHost, expectSome, FORMS } from "../support/assertions";

const run = (e: Estate) => runStack(EVIDENCE, e.resources, {}, {}, NOW);

function snapshot(e: Estate, name: string, creationData: Record<string, unknown>, deps: Record<string, Res[]> = {}): Res {
  return e.add("azure-native:compute:Snapshot", name, { snapshotName: name, resourceGroupName: e.rg, location: "westeurope", creationData }, deps);
}

describe.each(FORMS)("exchange-evidence-preserved (%s form)", (_form, preview) => {
  /** A compromised host whose OS disk has a managed-disk id (an output of the VM: unknown at preview). */
  const compromised = (o: { state?: string; withAssessment?: boolean; diskIdKnown?: boolean } = {}) => {
    const e = new Estate({ preview });
    const osId = diskId(e, "ex01-osdisk");
    const vm = host(e, {
      state: o.state ?? "compromised",
      osDisk: {
        createOption: "FromImage",
        name: "ex01-osdisk",
        managedDisk: { id: preview && o.diskIdKnown !== true ? UNKNOWN : osId, storageAccountType: "Premium_LRS" },
      },
    });
    if (o.withAssessment !== false) e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
    return { e, vm, osId };
  };

  it("is advisory", () => {
    expect(stackRule(EVIDENCE).enforcementLevel).toBe("advisory");
  });

  it("a compromised host without a snapshot: one violation on the host's VM", () => {
    const { e, vm } = compromised();
    const v = run(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
    expectSome(v, "host ex01", "compromised", "snapshot");
  });

  if (!preview) {
    it("a Copy snapshot of the OS disk by its id: no violation", () => {
      const { e, osId } = compromised();
      snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: osId });
      expect(run(e)).toEqual([]);
    });

    it("... compared case-insensitively and without the leading slash", () => {
      const { e, osId } = compromised();
      snapshot(e, "snap-ex01", { createOption: "copy", sourceResourceId: osId.slice(1).toUpperCase() });
      expect(run(e)).toEqual([]);
    });
  }

  it("a snapshot by the disk's literal id (the disk name) when the VM's disk id is not an output: no violation", () => {
    const e = new Estate({ preview });
    const vm = host(e, { state: "compromised" }); // osDisk { name: "ex01-osdisk" } without managedDisk.id
    e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
    snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-osdisk") });
    expect(run(e)).toEqual([]);
  });

  it("a snapshot of a disk with the same name in another resource group does not count", () => {
    const e = new Estate({ preview });
    const vm = host(e, { state: "compromised" });
    e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
    snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-osdisk", "rg-other") });
    expect(run(e)).toHaveLength(1);
  });

  if (preview) {
    it("sourceResourceId unknown at preview, creationData depends on the VM: no violation", () => {
      const { e, vm } = compromised();
      snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: UNKNOWN }, { creationData: [vm] });
      expect(run(e)).toEqual([]);
    });

    it("sourceResourceId unknown at preview, creationData depends on ANOTHER VM: a violation", () => {
      const { e } = compromised();
      const other = host(e, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
      snapshot(e, "snap-ex02", { createOption: "Copy", sourceResourceId: UNKNOWN }, { creationData: [other] });
      expect(run(e)).toHaveLength(1);
    });

    it("sourceResourceId unknown and no dependency: a violation (fail closed)", () => {
      const { e } = compromised();
      snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: UNKNOWN });
      expect(run(e)).toHaveLength(1);
    });
  }

  it("a snapshot of another disk: a violation", () => {
    const { e } = compromised({ diskIdKnown: true });
    snapshot(e, "snap-other", { createOption: "Copy", sourceResourceId: diskId(e, "ex02-osdisk") });
    expect(run(e)).toHaveLength(1);
  });

  it.each(["Import", "Empty", "FromImage"])("a snapshot with createOption %s: a violation", (createOption) => {
    const { e, osId } = compromised({ diskIdKnown: true });
    snapshot(e, "snap-ex01", { createOption, sourceResourceId: osId });
    expect(run(e)).toHaveLength(1);
  });

  it("a Disk (not a Snapshot) copied from the OS disk does not count", () => {
    const { e, osId } = compromised({ diskIdKnown: true });
    e.add("azure-native:compute:Disk", "disk-copy", {
      diskName: "disk-copy",
      resourceGroupName: e.rg,
      creationData: { createOption: "Copy", sourceResourceId: osId },
    });
    expect(run(e)).toHaveLength(1);
  });

  it("a host tagged compromised without any compromised assessment: nothing to preserve by this rule", () => {
    const { e } = compromised({ withAssessment: false });
    expect(run(e)).toEqual([]);
  });

  it.each(["remediated", "unverified"])("a host tagged %s with a compromised assessment needs the snapshot too", (state) => {
    const { e, vm } = compromised({ state });
    const v = run(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
  });

  it("compromised history followed by a clean assessment: the snapshot is still asked for", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-old", vm, clean({ verdict: "compromised", completedAt: new Date(NOW.getTime() - 20 * 86400000).toISOString() }));
    e.assessment("a-new", vm, clean());
    expect(run(e)).toHaveLength(1);
  });

  it("a clean host: nothing to preserve", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-ex01", vm, clean());
    expect(run(e)).toEqual([]);
  });

  it("one snapshot per compromised host: the host without one is reported, the other not", () => {
    const e = new Estate({ preview });
    const vm1 = host(e, { state: "compromised" });
    const vm2 = host(e, { name: "ex02", state: "compromised", ip: "10.0.1.5", osDisk: { createOption: "FromImage", name: "ex02-osdisk" } });
    e.assessment("a-ex01", vm1, clean({ verdict: "compromised" }));
    e.assessment("a-ex02", vm2, clean({ verdict: "compromised" }));
    snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-osdisk") });
    const v = run(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm2);
  });
  it("the message names the host, the compromised record and the fix", () => {
    const { e } = compromised();
    expect(run(e).map((v) => v.message)).toEqual([
      "host ex01 was found compromised (assessment a-ex01) but no snapshot of its OS disk exists in this stack: add a compute.Snapshot with creationData.createOption Copy of the OS disk before rebuilding, so the evidence is kept.",
    ]);
  });

  it("createOption Copy is read trimmed and in any case; a missing or non-string option does not count", () => {
    const named = (createOption: unknown) => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "compromised" });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      snapshot(e, "snap-ex01", { createOption, sourceResourceId: diskId(e, "ex01-osdisk") });
      return run(e);
    };
    expect(named(" COPY ")).toEqual([]);
    expect(named(undefined)).toHaveLength(1);
    expect(named(["Copy"])).toHaveLength(1);
  });

  it("by disk name: compared case-insensitively, and only for a disk id", () => {
    const byName = (source: (e: Estate) => unknown) => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "compromised" });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: source(e) });
      return run(e);
    };
    expect(byName((e) => diskId(e, "EX01-OSDISK"))).toEqual([]);
    expect(byName((e) => diskId(e, "ex01-osdisk").replace("/disks/", "/snapshots/"))).toHaveLength(1);
    expect(byName((e) => diskId(e, "ex01-osdisk-2"))).toHaveLength(1);
    expect(byName(() => 42)).toHaveLength(1);
  });

  it("the disk id known but different, the disk name matching: still the OS disk (the name and resource group identify it)", () => {
    const { e } = compromised({ diskIdKnown: true });
    snapshot(e, "snap-ex01", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-osdisk").toUpperCase() });
    expect(run(e)).toEqual([]);
  });

  if (preview) {
    it("at preview only the creationData dependency counts, not a plain dependency on the VM", () => {
      const { e, vm } = compromised();
      const other = host(e, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: UNKNOWN }, { creationData: [other], tags: [vm] });
      expect(snap.dependencies).toContain(vm.urn);
      expect(run(e)).toHaveLength(1);
    });
  }
});
