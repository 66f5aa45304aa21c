/**
 * A host's evidence (policies/model/evidence.ts): the stack's snapshots that copy its VM's OS disk (`creationData`
 * createOption Copy), matched by the disk's id, by the disk's name in the same resource group, or — the source id an
 * output of the VM, unknown at preview — by the dependency of `creationData` on the VM. Evidence kept and evidence
 * locked both ask here.
 */
import { ResourceGraph } from "../../policies/model/graph";
import { evidenceSnapshotsOf, snapshotOfOsDisk } from "../../policies/model/evidence";
import { evidenceSnapshotName, generationName, osDiskName } from "../../policies/model/generationNames";
import { FORMS } from "../support/assertions";
import { diskId, Estate, host, Res, UNKNOWN } from "../support/gateFixtures";
import { toInputs } from "../support/judge";

function snapshot(e: Estate, name: string, creationData: unknown, deps: Record<string, Res[]> = {}): Res {
  return e.add("azure-native:compute:Snapshot", name, { snapshotName: name, resourceGroupName: e.rg, creationData }, deps);
}

/** Which of the stack's snapshots are the VM's evidence, by name. */
function evidenceOf(e: Estate, vm: Res): string[] {
  const graph = new ResourceGraph(toInputs(e.resources));
  return evidenceSnapshotsOf(graph, graph.node(vm.urn)!).map((s) => s.display);
}

/** Is this one snapshot the VM's evidence? */
function isEvidence(e: Estate, snap: Res, vm: Res): boolean {
  const graph = new ResourceGraph(toInputs(e.resources));
  return snapshotOfOsDisk(graph, graph.node(snap.urn)!, graph.node(vm.urn)!);
}

describe.each(FORMS)("snapshotOfOsDisk (%s form)", (_form, preview) => {
  /** Host ex01-g1 with its OS disk named as the stacks name it; `withId`: the VM states the managed disk's id. */
  const compromised = (o: { withId?: boolean } = {}) => {
    const e = new Estate({ preview });
    const name = generationName("ex01", 1);
    const disk = osDiskName(name);
    const managedDisk = o.withId
      ? { id: preview ? UNKNOWN : diskId(e, disk), storageAccountType: "Premium_LRS" }
      : { storageAccountType: "Premium_LRS" };
    const vm = host(e, { name, state: "compromised", osDisk: { createOption: "FromImage", name: disk, managedDisk } });
    return { e, vm, disk };
  };

  it("a Copy of the OS disk by the disk's literal id (resource group and name): evidence", () => {
    const { e, vm, disk } = compromised();
    const snap = snapshot(e, evidenceSnapshotName(vm.name), { createOption: "Copy", sourceResourceId: diskId(e, disk) });
    expect(isEvidence(e, snap, vm)).toBe(true);
    expect(evidenceOf(e, vm)).toEqual(["ex01-g1-osdisk-evidence"]);
  });

  it.each(["copy", " COPY ", "Copy"])("createOption %p counts", (createOption) => {
    const { e, vm, disk } = compromised();
    const snap = snapshot(e, "snap", { createOption, sourceResourceId: diskId(e, disk) });
    expect(isEvidence(e, snap, vm)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["Empty", "Empty"],
    ["Import", "Import"],
    ["FromImage", "FromImage"],
    ["missing", undefined],
    ["unknown at preview", UNKNOWN],
    ["not a string", 1],
  ])("createOption %s does not copy the disk: not evidence", (_what, createOption) => {
    const { e, vm, disk } = compromised();
    const snap = snapshot(e, "snap", { createOption, sourceResourceId: diskId(e, disk) });
    expect(isEvidence(e, snap, vm)).toBe(false);
  });

  it("no creationData at all: not evidence", () => {
    const { e, vm } = compromised();
    expect(isEvidence(e, snapshot(e, "snap", undefined), vm)).toBe(false);
  });

  it("the disk's name is compared without regard to case", () => {
    const { e, vm, disk } = compromised();
    const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: diskId(e, disk.toUpperCase()) });
    expect(isEvidence(e, snap, vm)).toBe(true);
  });

  it.each<[string, (e: Estate, disk: string) => string]>([
    ["a disk of the same name in another resource group", (e, disk) => diskId(e, disk, "rg-other")],
    ["another disk in the same resource group", (e) => diskId(e, "ex02-g1-osdisk")],
    [
      "a snapshot (not a disk) of the same name",
      (e, disk) => `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Compute/snapshots/${disk}`,
    ],
    ["a bare name", (_e, disk) => disk],
  ])("a Copy of %s: not evidence", (_what, source) => {
    const { e, vm, disk } = compromised();
    const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: source(e, disk) });
    expect(isEvidence(e, snap, vm)).toBe(false);
  });

  if (!preview) {
    it("by the managed disk's id the VM states, compared case-insensitively and without the leading slash", () => {
      const { e, vm, disk } = compromised({ withId: true });
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: diskId(e, disk).slice(1).toUpperCase() });
      expect(isEvidence(e, snap, vm)).toBe(true);
    });

    it("the VM states its disk's id and the source is a disk of the same name elsewhere (another subscription): not evidence", () => {
      const { e, vm, disk } = compromised({ withId: true });
      const elsewhere = diskId(e, disk).replace(e.sub, "00000000-0000-0000-0000-00000000beef");
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: elsewhere });
      expect(isEvidence(e, snap, vm)).toBe(false);
    });
  }

  if (preview) {
    it("the source id unknown, creationData depending on the VM: evidence", () => {
      const { e, vm } = compromised({ withId: true });
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: UNKNOWN }, { creationData: [vm] });
      expect(isEvidence(e, snap, vm)).toBe(true);
    });

    it("the source id unknown, creationData depending on another VM: not this host's evidence", () => {
      const { e, vm } = compromised({ withId: true });
      const other = host(e, { name: "ex02-g1", state: "unverified", ip: "10.0.1.5" });
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: UNKNOWN }, { creationData: [other] });
      expect(isEvidence(e, snap, vm)).toBe(false);
      expect(isEvidence(e, snap, other)).toBe(true);
    });

    it("the source id unknown and nothing says which VM: not evidence", () => {
      const { e, vm } = compromised({ withId: true });
      const snap = snapshot(e, "snap", { createOption: "Copy", sourceResourceId: UNKNOWN });
      expect(isEvidence(e, snap, vm)).toBe(false);
    });

    it("the whole creationData unknown: createOption cannot be read, so not evidence", () => {
      const { e, vm } = compromised({ withId: true });
      const snap = snapshot(e, "snap", UNKNOWN, { creationData: [vm] });
      expect(isEvidence(e, snap, vm)).toBe(false);
    });
  }
});

describe.each(FORMS)("evidenceSnapshotsOf (%s form)", (_form, preview) => {
  it("a host's evidence is its own Copy snapshots only, in stack order", () => {
    const e = new Estate({ preview });
    const ex01 = host(e, { name: "ex01-g1", state: "compromised" });
    const ex02 = host(e, { name: "ex02-g1", state: "compromised", ip: "10.0.1.5" });
    snapshot(e, "ex01-g1-osdisk-evidence", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-g1-osdisk") });
    snapshot(e, "ex02-g1-osdisk-evidence", { createOption: "Copy", sourceResourceId: diskId(e, "ex02-g1-osdisk") });
    snapshot(e, "ex01-g1-empty", { createOption: "Empty" });
    snapshot(e, "ex01-g1-second", { createOption: "Copy", sourceResourceId: diskId(e, "ex01-g1-osdisk") });
    expect(evidenceOf(e, ex01)).toEqual(["ex01-g1-osdisk-evidence", "ex01-g1-second"]);
    expect(evidenceOf(e, ex02)).toEqual(["ex02-g1-osdisk-evidence"]);
  });

  it("a stack without snapshots keeps no evidence", () => {
    const e = new Estate({ preview });
    const vm = host(e, { state: "compromised" });
    expect(evidenceOf(e, vm)).toEqual([]);
  });

  it("a managed disk that copies the OS disk is not a snapshot: not evidence", () => {
    const e = new Estate({ preview });
    const vm = host(e, { state: "compromised" });
    e.add("azure-native:compute:Disk", "copy", {
      diskName: "copy",
      resourceGroupName: e.rg,
      creationData: { createOption: "Copy", sourceResourceId: diskId(e, "ex01-osdisk") },
    });
    expect(evidenceOf(e, vm)).toEqual([]);
  });
});
