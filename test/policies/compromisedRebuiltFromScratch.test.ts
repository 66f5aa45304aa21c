/**
 * exchange-compromised-rebuilt-from-scratch, the ancestry of the rebuilt host's OS disk, through the whole pack's stack
 * analysis: a host "rebuilt from scratch" from an image captured from the compromised VM, built on its evidence
 * snapshot, published to a gallery from it, or restored from its restore points is a violation on the rebuilt host and
 * is never verified; images from builder VMs that never were Exchange hosts stay allowed.
 */
import { ago, clean, Estate, gateOf, NOW, REBUILD, Res, runGate, UNKNOWN } from "../support/gateFixtures";
import { runStack } from "../support/judge";
import { Lineage, Source } from "../support/lineage";
import { expectOnHost, expectSome, FORMS, messages } from "../support/assertions";

/**
 * The incident as the stacks leave it: generation 1 of ex02 found compromised (tag and assessment), its OS disk
 * snapshotted as evidence the way the stacks do it (the disk id known before the VM exists, the order by dependsOn), and
 * generation 2 marked remediated with a clean, complete assessment.
 */
function incident(preview: boolean, o: { keepOld?: boolean } = {}) {
  const e = new Estate({ preview });
  const l = new Lineage(e);
  const old = o.keepOld === false ? undefined : l.vm("ex02-g1", undefined, { state: "compromised" });
  if (old) e.assessment("a-ex02-g1", old, clean({ verdict: "compromised", completedAt: ago(12) }));
  const evidence = l.snapshot(
    "ex02-g1-osdisk-evidence",
    { source: l.compute("disks", "ex02-g1-osdisk") },
    { purpose: "exchange-compromise-evidence", "source-vm": "ex02-g1" },
  );
  if (old) {
    const i = e.resources.indexOf(evidence);
    e.resources[i] = { ...evidence, dependencies: [old.urn] };
  }
  const rebuild = (image?: Source) => {
    const vm = l.vm("ex02-g2", image);
    e.assessment("a-ex02-g2", vm, clean({ completedAt: ago(1) }));
    return vm;
  };
  return { e, l, old, evidence: e.resources.find((r) => r.urn === evidence.urn)!, rebuild };
}

const rebuildOnly = (e: Estate, gate: Record<string, unknown> = {}) => runStack(REBUILD, e.resources, {}, gate, NOW);

describe.each(FORMS)("the rebuilt host's OS disk never descends from an Exchange host (%s form)", (_form, preview) => {
  it("the honest rebuild from the marketplace image: verified, no violation", () => {
    const { e, rebuild } = incident(preview);
    const vm = rebuild();
    expect(messages(rebuildOnly(e))).toBe("");
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("a managed image captured from the compromised VM (sourceVirtualMachine): a violation naming the chain; not verified", () => {
    const { e, l, old, rebuild } = incident(preview);
    const vm = rebuild(l.image("img-golden", { vm: old! }));
    const v = rebuildOnly(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm, "ex02-g2");
    expectSome(
      v,
      preview
        ? "host ex02-g2's OS disk descends from Exchange host ex02-g1: VM ex02-g2 (imageReference.id, by dependency) → image img-golden (sourceVirtualMachine, by dependency) → VM ex02-g1 (an Exchange host). Fix: build the image from a trusted, non-Exchange source"
        : "host ex02-g2's OS disk descends from Exchange host ex02-g1: VM ex02-g2 imageReference.id → image img-golden (sourceVirtualMachine) → VM ex02-g1 (an Exchange host). Fix: build the image from a trusted, non-Exchange source",
    );
    const g = gateOf(e, vm);
    expect(g.requiresAssessment).toEqual([]);
    expect(g.buildPatched).toEqual([]);
    expect(g.verified).toBe(false);
  });

  it("an image built on the compromised host's evidence snapshot", () => {
    const { e, l, evidence, rebuild } = incident(preview);
    const vm = rebuild(l.image("img-from-evidence", { os: { snapshot: evidence } }));
    const v = rebuildOnly(e);
    expectOnHost(v, vm, "ex02-g2");
    expectSome(
      v,
      "host ex02-g2's OS disk descends from",
      "image img-from-evidence (storageProfile.osDisk.snapshot",
      "snapshot ex02-g1-osdisk-evidence",
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("...also once the old generation is gone from the stack and only its evidence stays", () => {
    const { e, l, evidence, rebuild } = incident(preview, { keepOld: false });
    const vm = rebuild(l.image("img-from-evidence", { os: { snapshot: evidence } }));
    expectSome(
      rebuildOnly(e),
      "host ex02-g2's OS disk descends from the evidence of a compromised Exchange host",
      "snapshot ex02-g1-osdisk-evidence (evidence of a compromised Exchange host",
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("...and an image of the old OS disk itself, named only by its id", () => {
    const { e, l, rebuild } = incident(preview, { keepOld: false });
    const vm = rebuild(l.image("img-from-old-disk", { os: { disk: l.compute("disks", "ex02-g1-osdisk") } }));
    expectSome(rebuildOnly(e), "descends from", "disk ex02-g1-osdisk (the disk evidence snapshot ex02-g1-osdisk-evidence copies)");
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("a gallery image version whose source is the compromised VM", () => {
    const { e, l, old, rebuild } = incident(preview);
    const version = l.version(l.galleryImage(l.gallery("galExchange"), "exchange-2019"), "1.0.0", { vm: old! });
    const vm = rebuild(version);
    expectSome(
      rebuildOnly(e),
      "gallery image version galExchange/exchange-2019/1.0.0 (storageProfile.source.virtualMachineId",
      "VM ex02-g1 (an Exchange host)",
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("...or the gallery image itself ('latest'), whose versions in the stack include one", () => {
    const { e, l, old, rebuild } = incident(preview);
    const gi = l.galleryImage(l.gallery("galExchange"), "exchange-2019");
    l.version(gi, "1.0.0", { source: l.image("img-builder", { vm: l.builder("builder01") }) });
    l.version(gi, "1.0.1", { os: l.snapshot("snap-g1", { source: preview ? old! : l.compute("disks", "ex02-g1-osdisk") }) });
    const vm = rebuild(gi);
    expectSome(rebuildOnly(e), "gallery image galExchange/exchange-2019 (versions", "galExchange/exchange-2019/1.0.1");
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("a chain of disks and snapshots: snapshot → disk → snapshot → image", () => {
    const { e, l, old, rebuild } = incident(preview);
    const s1 = l.snapshot("s1", { source: preview ? old! : l.compute("disks", "ex02-g1-osdisk") });
    const d1 = l.disk("d1", { source: s1 });
    const s2 = l.snapshot("s2", { source: d1 });
    const vm = rebuild(l.image("img-laundered", { os: { snapshot: s2 } }));
    const v = rebuildOnly(e);
    expectSome(
      v,
      "image img-laundered",
      "snapshot s2 (creationData.sourceResourceId",
      "disk d1 (creationData.sourceResourceId",
      "snapshot s1 (creationData.sourceResourceId",
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("a disk restored from the compromised VM's restore point", () => {
    const { e, l, old, rebuild } = incident(preview);
    const rp = l.restorePoint(l.restorePointCollection("rpc-ex02", old!), "before-cleanup");
    const d = l.disk("d-restored", { createOption: "Restore", source: { res: rp, child: "diskRestorePoints/ex02-g1-osdisk_1" } });
    const vm = rebuild(l.image("img-restored", { os: { disk: d } }));
    expectSome(
      rebuildOnly(e),
      "restore point rpc-ex02/before-cleanup",
      "restore point collection rpc-ex02 (source.id",
      "VM ex02-g1 (an Exchange host)",
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("no false alarm: an image of a builder VM that never was an Exchange host, with a compromised host in the stack", () => {
    const { e, l, rebuild } = incident(preview);
    const vm = rebuild(l.image("img-builder", { vm: l.builder("builder01") }));
    expect(messages(rebuildOnly(e))).toBe("");
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("an image from outside the stack while a host is compromised: its origin cannot be traced, unless approved", () => {
    const { e, rebuild } = incident(preview);
    const golden = `/subscriptions/${e.sub}/resourceGroups/rg-images/providers/Microsoft.Compute/images/golden`;
    const vm = rebuild(golden);
    const v = rebuildOnly(e);
    expect(v).toHaveLength(1);
    expectOnHost(v, vm, "ex02-g2");
    expectSome(
      v,
      "the origin of host ex02-g2's OS disk cannot be traced while this stack holds a compromised host (ex02-g1, found compromised by assessment a-ex02-g1)",
      golden,
      "list it in approvedImages",
    );
    expect(gateOf(e, vm).verified).toBe(false);
    // (The compromised generation's marketplace image is not approved then: that finding is about ex02-g1.)
    expect(rebuildOnly(e, { approvedImages: [golden] }).filter((x) => x.urn === vm.urn)).toEqual([]);
    expect(gateOf(e, vm, { approvedImages: [golden] }).verified).toBe(true);
  });

  it("...and the same image in a stack without a compromised host is not a finding", () => {
    const e = new Estate({ preview });
    const vm = new Lineage(e).vm("ex01", `/subscriptions/${e.sub}/resourceGroups/rg-images/providers/Microsoft.Compute/images/golden`);
    e.assessment("a-ex01", vm, clean());
    expect(rebuildOnly(e)).toEqual([]);
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("every host that descends is reported, each on its own VM", () => {
    const { e, l, old, rebuild } = incident(preview);
    const img = l.image("img-golden", { vm: old! });
    const a = rebuild(img);
    const b = l.vm("ex03", img, { state: "unverified" });
    const v = rebuildOnly(e);
    expect(v.map((x) => x.urn).sort()).toEqual([a.urn, b.urn].sort());
    expectSome(v, "host ex03's OS disk descends from Exchange host ex02-g1");
  });

  it("the compromised host itself, built from an image the stack cannot place, is reported too", () => {
    const e = new Estate({ preview });
    const l = new Lineage(e);
    const golden = `/subscriptions/${e.sub}/resourceGroups/rg-images/providers/Microsoft.Compute/images/golden`;
    const old = l.vm("ex02-g1", golden, { state: "compromised" });
    const v = rebuildOnly(e);
    expect(v.map((x) => x.urn)).toEqual([old.urn]);
    expectSome(v, "the origin of host ex02-g1's OS disk cannot be traced while this stack holds a compromised host (ex02-g1, tagged compromised)");
  });

  it("an attached OS disk is refused as not made from an image, once: its ancestry adds nothing", () => {
    const { e, l } = incident(preview);
    const vm = l.vm("ex02-g2", undefined, { osDisk: { createOption: "Attach", managedDisk: { id: l.compute("disks", "ex02-g1-osdisk") } } });
    const v = rebuildOnly(e);
    expect(v).toHaveLength(1);
    expectSome(v, "host ex02-g2", '"Attach", not from an image');
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("the three gate policies agree: only this one objects to the descent", () => {
    const { e, l, old, rebuild } = incident(preview);
    const vm = rebuild(l.image("img-golden", { vm: old! }));
    const r = runGate(e);
    expect(r.requires).toEqual([]);
    expect(r.build).toEqual([]);
    expect(r.rebuild.map((x) => x.urn)).toEqual([vm.urn]);
  });

  if (preview) {
    it("an image id unknown at preview that no dependency names, while a host is compromised: fails closed", () => {
      const { e, rebuild } = incident(preview);
      const vm = rebuild(UNKNOWN);
      expectSome(
        rebuildOnly(e),
        "the origin of host ex02-g2's OS disk cannot be traced",
        "an id that is unknown at preview, and no dependency names the resource",
      );
      expect(gateOf(e, vm).verified).toBe(false);
    });
  }
});

describe("the image reference as the rebuilt host's VM holds it", () => {
  it("is the test's premise: unknown at preview, the image's id once deployed", () => {
    for (const [, preview] of FORMS) {
      const { l, old, rebuild } = incident(preview);
      const img: Res = l.image("img-golden", { vm: old! });
      const vm = rebuild(img);
      const ref = ((vm.properties.storageProfile as Record<string, unknown>).imageReference as Record<string, unknown>).id;
      expect(ref).toBe(preview ? UNKNOWN : img.armId);
      expect(vm.propertyDependencies?.storageProfile).toEqual([img.urn]);
    }
  });
});
