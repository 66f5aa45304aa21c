/**
 * exchange-compromised-rebuilt-from-scratch (rule: policies/rules/compromisedRebuiltFromScratch.ts; contract:
 * docs/contract.md#rebuild-from-scratch-and-image-provenance): a host with any compromised assessment is never marked remediated; every Exchange host's OS disk
 * is created from an image (never an attached disk), from approvedImages when set, and never from one that descends
 * from an Exchange host. The ancestry of the rebuilt host's OS disk is judged through the whole pack's stack analysis: a
 * host "rebuilt from scratch" from an image captured from the compromised VM, built on its evidence snapshot, published
 * to a gallery from it, or restored from its restore points is a violation on the rebuilt host and is never verified;
 * images from builder VMs that never were Exchange hosts stay allowed.
 */
import { ago, clean, diskId, Estate, gateOf, host, isolatedNet, NOW, REBUILD, Res, runGate, UNKNOWN, withDeps } from "../support/gateFixtures";
import { analyse, runStack, stackRule } from "../support/judge";
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

/**
 * exchange-compromised-rebuilt-from-scratch (docs/contract.md#rebuild-from-scratch-and-image-provenance, docs/contract.md#preview-semantics): a host with any compromised
 * assessment is never marked remediated; every Exchange host's OS disk is created from an image
 * (never an attached disk), from approvedImages when set.
 */
const GALLERY_RG = "rg-images";
const galleryBase = (e: Estate) => `/subscriptions/${e.sub}/resourceGroups/${GALLERY_RG}/providers/Microsoft.Compute/galleries/galExchange`;
const galleryImageId = (e: Estate) => `${galleryBase(e)}/images/exchange-2019`;
const versionId = (e: Estate, v = "1.0.0") => `${galleryImageId(e)}/versions/${v}`;

describe.each(FORMS)("exchange-compromised-rebuilt-from-scratch (%s form)", (_form, preview) => {
  it("is mandatory", () => {
    expect(stackRule("exchange-compromised-rebuilt-from-scratch").enforcementLevel).toBe("mandatory");
  });

  describe("compromise history", () => {
    it("compromised, then a newer clean assessment on the SAME VM: a violation; the host is not verified", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-1-compromised", vm, clean({ verdict: "compromised", completedAt: ago(20) }));
      e.assessment("a-2-clean", vm, clean({ completedAt: ago(1) }));
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectOnHost(r.rebuild, vm);
      // the message names the compromised record by its date (ago(20) = 2026-11-06)
      expectSome(r.rebuild, "host ex01 was found compromised", "2026-11-06", "marked remediated", "never cleaned in place");
      // requires-assessment and build-patched judge the newest (clean, complete) record and pass on their own
      expect(r.requires).toEqual([]);
      expect(r.build).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.verified).toBe(false);
      expect(g.effectiveState).toBe("compromised");
    });

    it.each([
      ["compromised oldest, in the middle of the array", ["clean-mid", "compromised-old", "clean-new"]],
      ["compromised last in the array", ["clean-new", "clean-mid", "compromised-old"]],
      ["compromised first in the array", ["compromised-old", "clean-new", "clean-mid"]],
    ])("several assessments, the newest clean but an older compromised (%s): a violation", (_label, order) => {
      const e = new Estate({ preview });
      const vm = host(e);
      const spec: Record<string, Record<string, unknown>> = {
        "compromised-old": { verdict: "compromised", completedAt: ago(25) },
        "clean-mid": { completedAt: ago(10) },
        "clean-new": { completedAt: ago(1) },
      };
      for (const n of order) e.assessment(n, vm, clean(spec[n]));
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectSome(r.rebuild, "was found compromised", "2026-11-01"); // ago(25)
      expect(r.requires).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.newest?.assessment.node?.input.name).toBe("clean-new");
      expect(g.verified).toBe(false);
    });

    it("an older Healthy record whose verdict says compromised counts as compromised history", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-old", vm, clean({ verdict: "compromised", completedAt: ago(20) }), "Healthy");
      e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
      expectSome(runGate(e).rebuild, "was found compromised");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a compromised record even when it is stale or otherwise malformed still blocks", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-old", vm, clean({ verdict: "compromised", completedAt: ago(400), evidenceSha256: "nope" }));
      e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
      expectSome(runGate(e).rebuild, "was found compromised");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a host tagged compromised with a compromised assessment: no violation from this policy (it is not claimed remediated)", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "compromised" });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      expect(runGate(e).rebuild).toEqual([]);
      expect(gateOf(e, vm).effectiveState).toBe("compromised");
    });

    it("a host whose newest assessment is compromised but whose tag says unverified is reported compromised", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: "unverified" });
      e.assessment("a-old", vm, clean({ completedAt: ago(20) }));
      e.assessment("a-new", vm, clean({ verdict: "compromised", completedAt: ago(1) }));
      const a = analyse(e.resources, {}, NOW);
      const h = a.hosts.find((x) => x.urn === vm.urn)!;
      expect(h.state).toBe("unverified");
      expect(a.gateOf(h).effectiveState).toBe("compromised");
      expect(a.gateOf(h).verified).toBe(false);
      expect(runGate(e).rebuild).toEqual([]);
    });

    it("also with no state tag at all", () => {
      const e = new Estate({ preview });
      const vm = host(e, { state: null });
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }));
      expect(gateOf(e, vm).effectiveState).toBe("compromised");
    });

    it("the rebuild: a NEW VM (next generation) with a clean assessment is verified; the old VM's history does not follow it", () => {
      const e = new Estate({ preview });
      const net = isolatedNet(e);
      const old = host(e, { name: "ex01", state: "compromised", net });
      e.assessment("a-ex01-g1", old, clean({ verdict: "compromised", completedAt: ago(20) }));
      const vm = host(e, { name: "ex01-g2", ip: "10.0.1.5", net });
      e.assessment("a-ex01-g2", vm, clean({ completedAt: ago(1) }));
      const r = runGate(e);
      expect(messages([...r.requires, ...r.build, ...r.rebuild])).toBe("");
      expect(gateOf(e, vm).verified).toBe(true);
      expect(gateOf(e, old).effectiveState).toBe("compromised");
    });
  });

  describe("OS disk created from an image", () => {
    const attached = (e: Estate) => ({ createOption: "Attach", managedDisk: { id: diskId(e, "ex01-old-osdisk") } });

    it.each(["remediated", "unverified", "compromised", null])("an attached OS disk is a violation for host state %p", (state) => {
      const e = new Estate({ preview });
      const vm = host(e, { state, osDisk: attached(e) });
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.rebuild).toHaveLength(1);
      expectOnHost(r.rebuild, vm);
      expectSome(r.rebuild, "host ex01", "Attach", "not from an image");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("an attached OS disk on a remediated host with a perfect assessment: only this policy objects", () => {
      const e = new Estate({ preview });
      const vm = host(e, { osDisk: attached(e) });
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.requires).toEqual([]);
      expect(r.build).toEqual([]);
      expect(r.rebuild).toHaveLength(1);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it.each([
      ["Copy", { createOption: "Copy" }],
      ["Empty", { createOption: "Empty" }],
      ["attach (lower case)", { createOption: "attach", managedDisk: { id: "x" } }],
    ])("createOption %s: a violation", (_label, osDisk) => {
      const e = new Estate({ preview });
      host(e, { state: "unverified", osDisk });
      expectSome(runGate(e).rebuild, "host ex01", "not from an image");
    });

    it("no createOption: a violation", () => {
      const e = new Estate({ preview });
      host(e, { state: "unverified", osDisk: { name: "ex01-osdisk" } });
      expectSome(runGate(e).rebuild, "host ex01", "createOption");
    });

    it("fromimage in any case passes", () => {
      const e = new Estate({ preview });
      const vm = host(e, { osDisk: { createOption: "fromImage", name: "ex01-osdisk" } });
      e.assessment("a-ex01", vm, clean());
      expect(runGate(e).rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    if (preview) {
      it("createOption unknown at preview: fails closed", () => {
        const e = new Estate({ preview });
        const vm = host(e, { osDisk: { createOption: UNKNOWN } });
        e.assessment("a-ex01", vm, clean());
        expectSome(runGate(e).rebuild, "host ex01", "unknown at preview");
        expect(gateOf(e, vm).verified).toBe(false);
      });
    }

    it("a VM that is not an Exchange host is not judged", () => {
      const e = new Estate({ preview });
      const { sub } = isolatedNet(e);
      const nic = e.nic("nic-jump", { subnet: sub, privateIp: "10.0.1.9" });
      e.vm("jump01", { nics: [nic], tags: { workload: "jumpbox" }, osDisk: attached(e) });
      expect(runGate(e).rebuild).toEqual([]);
    });
  });

  describe("approvedImages", () => {
    const MARKET = "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition";

    const marketHost = (image?: Record<string, unknown>) => {
      const e = new Estate({ preview });
      const vm = host(e, { image });
      e.assessment("a-ex01", vm, clean());
      return { e, vm };
    };

    it.each([
      ["exact case, no version", [MARKET]],
      ["lower case, no version", [MARKET.toLowerCase()]],
      ["upper case with the version", [`${MARKET.toUpperCase()}:LATEST`]],
      ["among others", ["Canonical:ubuntu:22_04-lts", MARKET]],
    ])("marketplace image approved (%s)", (_label, approvedImages) => {
      const { e, vm } = marketHost();
      expect(runGate(e, { approvedImages }).rebuild).toEqual([]);
      expect(gateOf(e, vm, { approvedImages }).verified).toBe(true);
    });

    it.each([
      ["another sku", ["MicrosoftWindowsServer:WindowsServer:2019-datacenter"]],
      ["another version", [`${MARKET}:20348.2700.240905`]],
      ["another publisher", ["Contoso:WindowsServer:2022-datacenter-azure-edition"]],
      ["only a gallery image id", ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i"]],
    ])("marketplace image not approved (%s): a violation naming the image", (_label, approvedImages) => {
      const { e, vm } = marketHost();
      const v = runGate(e, { approvedImages }).rebuild;
      expect(v).toHaveLength(1);
      expectOnHost(v, vm);
      expectSome(v, "host ex01", "microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition", "not in approvedImages");
      expect(gateOf(e, vm, { approvedImages }).verified).toBe(false);
    });

    it("a pinned version approved and used: passes; the same entry with the VM on 'latest': not approved", () => {
      const pinned = marketHost({
        publisher: "MicrosoftWindowsServer",
        offer: "WindowsServer",
        sku: "2022-datacenter-azure-edition",
        version: "20348.2700.240905",
      });
      expect(runGate(pinned.e, { approvedImages: [`${MARKET}:20348.2700.240905`] }).rebuild).toEqual([]);
      const latest = marketHost();
      expect(runGate(latest.e, { approvedImages: [`${MARKET}:20348.2700.240905`] }).rebuild).toHaveLength(1);
    });

    it("empty approvedImages allows any image built FromImage", () => {
      const { e, vm } = marketHost({ publisher: "Anyone", offer: "Anything", sku: "x", version: "1" });
      expect(runGate(e, { approvedImages: [] }).rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    describe("gallery images by id (the id is a literal, known in both forms)", () => {
      const idHost = (id: string) => marketHost({ id });

      it("an approved gallery image id approves a version id of that image", () => {
        const e0 = new Estate();
        const { e, vm } = idHost(versionId(e0));
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toEqual([]);
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(true);
      });

      it("... case-insensitively and without the leading slash", () => {
        const e0 = new Estate();
        const { e } = idHost(versionId(e0).toUpperCase());
        expect(runGate(e, { approvedImages: [galleryImageId(e0).slice(1).toLowerCase()] }).rebuild).toEqual([]);
      });

      it("an exact version id approves that version only", () => {
        const e0 = new Estate();
        const ok = idHost(versionId(e0, "1.0.0"));
        expect(runGate(ok.e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild).toEqual([]);
        const other = idHost(versionId(e0, "1.0.1"));
        const v = runGate(other.e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild;
        expect(v).toHaveLength(1);
        expectSome(v, "1.0.1", "not in approvedImages");
      });

      it('an approved version id does not approve its gallery image ("latest")', () => {
        const e0 = new Estate();
        const { e } = idHost(galleryImageId(e0));
        expect(runGate(e, { approvedImages: [versionId(e0)] }).rebuild).toHaveLength(1);
      });

      it("an image of another gallery with a name that starts the same is not approved", () => {
        const e0 = new Estate();
        const { e } = idHost(`${galleryImageId(e0)}-old/versions/1.0.0`);
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toHaveLength(1);
      });

      it("a managed image id approved exactly", () => {
        const img = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${GALLERY_RG}/providers/Microsoft.Compute/images/exchange-golden`;
        const { e } = idHost(img);
        expect(runGate(e, { approvedImages: [img] }).rebuild).toEqual([]);
        expect(runGate(e, { approvedImages: [`${img}-2`] }).rebuild).toHaveLength(1);
      });

      it("an image id while only marketplace entries are approved: not approved", () => {
        const e0 = new Estate();
        const { e } = idHost(versionId(e0));
        expectSome(runGate(e, { approvedImages: [MARKET] }).rebuild, "not in approvedImages");
      });
    });

    describe("a gallery image version created in this stack (its id unknown at preview)", () => {
      const galleryStack = (o: { versionName?: string; imageName?: string; rg?: unknown; link?: boolean } = {}) => {
        const e = new Estate({ preview });
        const versionName = o.versionName ?? "1.0.0";
        const imageName = o.imageName ?? "exchange-2019";
        const rg = typeof o.rg === "string" && o.rg !== UNKNOWN ? o.rg : GALLERY_RG;
        const id = `/subscriptions/${e.sub}/resourceGroups/${rg}/providers/Microsoft.Compute/galleries/galExchange/images/${imageName}/versions/${versionName}`;
        const giv = e.add(
          "azure-native:compute:GalleryImageVersion",
          `giv-${imageName}-${versionName}`,
          {
            galleryName: "galExchange",
            galleryImageName: imageName,
            galleryImageVersionName: versionName,
            resourceGroupName: o.rg ?? GALLERY_RG,
            location: "westeurope",
          },
          {},
          id,
        );
        let vm: Res = host(e, { image: e.ref(giv) });
        if (o.link !== false) vm = withDeps(e, vm, "storageProfile", [giv]);
        e.assessment("a-ex01", vm, clean());
        return { e, vm, giv };
      };

      it("the image reference is unknown at preview exactly when expected", () => {
        const { vm } = galleryStack();
        const id = ((vm.properties.storageProfile as Record<string, unknown>).imageReference as Record<string, unknown>).id;
        expect(id === UNKNOWN).toBe(preview);
      });

      it("approved gallery image: resolved through the dependency, passes", () => {
        const e0 = new Estate();
        const { e, vm } = galleryStack();
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toEqual([]);
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(true);
      });

      it("approved exact version: passes; another version approved: a violation", () => {
        const e0 = new Estate();
        const { e } = galleryStack();
        expect(runGate(e, { approvedImages: [versionId(e0, "1.0.0")] }).rebuild).toEqual([]);
        expectSome(runGate(e, { approvedImages: [versionId(e0, "2.0.0")] }).rebuild, "host ex01", "not in approvedImages");
      });

      it("a version of another image of the gallery: a violation", () => {
        const e0 = new Estate();
        const { e, vm } = galleryStack({ imageName: "exchange-test" });
        const v = runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild;
        expect(v).toHaveLength(1);
        expectSome(v, "exchange-test");
        expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
      });

      it("the same gallery and image names in another resource group: a violation", () => {
        const e0 = new Estate();
        const { e } = galleryStack({ rg: "rg-sandbox" });
        expect(runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild).toHaveLength(1);
      });

      if (preview) {
        it("no dependency names the image: cannot be checked, fails closed", () => {
          const e0 = new Estate();
          const { e, vm } = galleryStack({ link: false });
          // Estate.vm gives the VM plain dependencies on its NICs only.
          const v = runGate(e, { approvedImages: [galleryImageId(e0)] }).rebuild;
          expect(v).toHaveLength(1);
          expectSome(v, "host ex01", "cannot be checked against approvedImages", "unknown at preview");
          expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
        });

        it("the gallery's resource group unknown at preview: the approval cannot be proved, fails closed", () => {
          const e0 = new Estate();
          const { e, vm } = galleryStack({ rg: UNKNOWN });
          expect(gateOf(e, vm, { approvedImages: [galleryImageId(e0)] }).verified).toBe(false);
        });
      }
    });

    it("an image id that cannot be resolved (unknown, no dependency): fails closed", () => {
      const { e, vm } = marketHost({ id: UNKNOWN });
      const v = runGate(e, { approvedImages: [MARKET] }).rebuild;
      expect(v).toHaveLength(1);
      expectSome(v, "host ex01", "cannot be checked against approvedImages", "imageReference.id");
      expect(gateOf(e, vm, { approvedImages: [MARKET] }).verified).toBe(false);
    });

    it("a marketplace part unknown: fails closed naming it", () => {
      const { e } = marketHost({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: UNKNOWN, version: "latest" });
      expectSome(runGate(e, { approvedImages: [MARKET] }).rebuild, "imageReference.sku", "unknown");
    });

    it("no imageReference at all with FromImage: a violation even without approvedImages", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      const i = e.resources.indexOf(vm);
      const sp = vm.properties.storageProfile as Record<string, unknown>;
      e.resources[i] = { ...vm, properties: { ...vm.properties, storageProfile: { osDisk: sp.osDisk } } };
      e.assessment("a-ex01", e.resources[i], clean());
      expectSome(runGate(e).rebuild, "host ex01", "no imageReference");
    });
  });
});
