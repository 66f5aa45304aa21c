/**
 * The ancestry of a host's OS disk (policies/model/provenance.ts): every field Azure records a source in, followed by
 * id in update form and by propertyDependencies in preview form, to an Exchange host's VM, disks, snapshots, images,
 * gallery versions or restore points; what cannot be traced, and when that matters.
 */
import { ResourceGraph } from "../../policies/model/graph";
import { DEFAULT_HOST_TAGS, HostInventory } from "../../policies/model/hosts";
import { NetworkModel } from "../../policies/model/network";
import {
  CHAIN_HEAD,
  CHAIN_TAIL,
  CompromiseWitness,
  configImageProvenance,
  Provenance,
  ProvenanceHop,
  ProvenanceIndex,
} from "../../policies/model/provenance";
import { Estate, Res, UNKNOWN, withDeps, withProps } from "../support/gateFixtures";
import { toInputs } from "../support/judge";
import { Lineage, MARKETPLACE } from "../support/lineage";
import { FORMS } from "../support/assertions";

const WITNESS: CompromiseWitness = { host: "ex09", by: "tag" };

function provenance(e: Estate, vm: Res, o: { witness?: boolean; approved?: string[] } = {}): Provenance | undefined {
  const graph = new ResourceGraph(toInputs(e.resources));
  const inventory = new HostInventory(graph, new NetworkModel(graph), DEFAULT_HOST_TAGS);
  const host = inventory.hosts.find((h) => h.urn === vm.urn);
  if (!host) throw new Error(`${vm.name} is not an Exchange host`);
  return new ProvenanceIndex(graph, inventory.hosts, o.witness ? [WITNESS] : [], o.approved ?? []).of(host);
}

/** A chain as [type, name, field] rows (the form-independent part). */
function rows(chain: readonly ProvenanceHop[]): Array<[string, string, string | undefined]> {
  return chain.map((h) => [h.type, h.name, h.field]);
}

function descends(p: Provenance | undefined): Extract<Provenance, { kind: "descends" }> {
  if (p?.kind !== "descends") throw new Error(`expected a descent, got ${JSON.stringify(p)}`);
  return p;
}

function untraceable(p: Provenance | undefined): Extract<Provenance, { kind: "untraceable" }> {
  if (p?.kind !== "untraceable") throw new Error(`expected an untraceable origin, got ${JSON.stringify(p)}`);
  return p;
}

describe.each(FORMS)("provenance (%s form)", (_form, preview) => {
  const setup = () => {
    const e = new Estate({ preview });
    return { e, l: new Lineage(e) };
  };

  /** Every link after the first hop was read by dependency exactly in preview form. */
  const expectLinkedBy = (p: { chain: readonly ProvenanceHop[] }) => {
    for (const h of p.chain.filter((x) => x.field !== undefined))
      expect({ hop: h.name, byDependency: h.byDependency === true }).toEqual({ hop: h.name, byDependency: preview });
  };

  describe("managed images (compute:Image)", () => {
    it("sourceVirtualMachine: an image captured from the compromised VM", () => {
      const { e, l } = setup();
      const old = l.vm("ex02-g1", undefined, { state: "compromised" });
      const img = l.image("img-golden", { vm: old });
      const vm = l.vm("ex02-g2", img, { state: "unverified" });
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex02-g2", "imageReference.id"],
        ["image", "img-golden", "sourceVirtualMachine"],
        ["VM", "ex02-g1", undefined],
      ]);
      expect(p.origin).toEqual({ kind: "host", host: "ex02-g1", tagsUnreadable: false });
      expectLinkedBy(p);
    });

    it.each([
      ["osDisk.snapshot", (s: Res) => ({ os: { snapshot: s } }), "storageProfile.osDisk.snapshot"],
      ["dataDisks[].snapshot", (s: Res) => ({ os: { blobUri: undefined }, data: [{}, { snapshot: s }] }), "storageProfile.dataDisks[1].snapshot"],
    ])("storageProfile.%s: an image built on the evidence snapshot of the host's OS disk", (_l, shape, fieldName) => {
      const { e, l } = setup();
      const old = l.vm("ex01", undefined, { state: "compromised", osDiskOutput: true });
      // The stacks name the OS disk by the VM's output (update form) or through a dependency on the VM (preview form).
      const snap = l.snapshot("ex01-osdisk-copy", { source: preview ? old : l.compute("disks", "ex01-osdisk") });
      const img = l.image("img-from-snapshot", shape(snap));
      const vm = l.vm("ex05", img);
      const p = descends(provenance(e, vm));
      expect(rows(p.chain).map((r) => r[2])).toEqual(["imageReference.id", fieldName, "creationData.sourceResourceId", undefined]);
      if (preview) {
        expect(p.chain.at(-1)).toMatchObject({ type: "VM", name: "ex01" });
        expect(p.origin.kind).toBe("host");
      } else {
        expect(p.chain.at(-1)).toEqual({ type: "disk", name: "ex01-osdisk" });
        expect(p.origin).toEqual({ kind: "host-disk", host: "ex01", disk: "OS" });
      }
    });

    it("osDisk.managedDisk: an image of a disk the host attaches as a data disk", () => {
      const { e, l } = setup();
      const data = l.disk("ex01-data", { createOption: "Empty" });
      const deps = [data];
      const old = l.vm("ex01", undefined, {
        extra: {
          storageProfile: {
            imageReference: { publisher: "p", offer: "o", sku: "s" },
            osDisk: { createOption: "FromImage", name: "ex01-osdisk" },
            dataDisks: [{ lun: 0, createOption: "Attach", managedDisk: { id: l.ref(data, deps) } }],
          },
        },
      });
      withDeps(e, old, "storageProfile", deps);
      const img = l.image("img-from-data", { os: { disk: data } });
      const vm = l.vm("ex06", img);
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex06", "imageReference.id"],
        ["image", "img-from-data", "storageProfile.osDisk.managedDisk"],
        ["disk", "ex01-data", undefined],
      ]);
      expect(p.origin).toEqual(preview ? { kind: "host-disk", host: "ex01" } : { kind: "host-disk", host: "ex01", disk: "data" });
    });

    // managedBy is an output: known once deployed.
    if (!preview)
      it("a disk whose output says an Exchange VM uses it (managedBy) is that host's disk", () => {
        const { e, l } = setup();
        const old = l.vm("ex01");
        const d = l.disk("spare", { createOption: "Empty" }, { managedBy: old.armId });
        const vm = l.vm("ex07", l.image("img", { os: { disk: d } }));
        expect(descends(provenance(e, vm)).origin).toEqual({ kind: "host-disk", host: "ex01" });
      });

    it("osDisk.blobUri: a VHD blob cannot be traced; it matters only with a compromised host in the stack", () => {
      const { e, l } = setup();
      const vm = l.vm("ex01", l.image("img-vhd", { os: { blobUri: "https://sa.blob.core.windows.net/vhds/ex.vhd" } }));
      expect(provenance(e, vm)).toBeUndefined();
      const p = untraceable(provenance(e, vm, { witness: true }));
      expect(p.unknown).toEqual({ kind: "blob" });
      expect(rows(p.chain)).toEqual([
        ["VM", "ex01", "imageReference.id"],
        ["image", "img-vhd", "storageProfile.osDisk.blobUri"],
      ]);
      expect(p.witness).toEqual(WITNESS);
    });

    it("an image captured from a builder VM that is not an Exchange host: no finding, with or without a compromised host", () => {
      const { e, l } = setup();
      const b = l.builder("builder01");
      const vm = l.vm("ex01", l.image("img-clean", { vm: b }));
      expect(provenance(e, vm)).toBeUndefined();
      expect(provenance(e, vm, { witness: true })).toBeUndefined();
    });

    it("...but a builder VM itself built from an image of the Exchange host passes the descent on", () => {
      const { e, l } = setup();
      const old = l.vm("ex01", undefined, { state: "compromised" });
      const b = l.builder("builder01", l.image("img-ex", { vm: old }));
      const vm = l.vm("ex02", l.image("img-rebuilt", { vm: b }));
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[1])).toEqual(["ex02", "img-rebuilt", "builder01", "img-ex", "ex01"]);
    });

    it("...and so does a builder VM that attaches a disk copied from the host's snapshot as its OS disk", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const snap = l.snapshot("snap-ex01", { source: preview ? old : l.compute("disks", "ex01-osdisk") });
      const d = l.disk("disk-from-snap", { source: snap });
      const deps: Res[] = [];
      let b = l.builder("builder02", undefined, { osDisk: { createOption: "Attach", managedDisk: { id: l.ref(d, deps) } } });
      b = withDeps(e, b, "storageProfile", deps);
      const vm = l.vm("ex02", l.image("img-b", { vm: b }));
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toEqual([
        "imageReference.id",
        "sourceVirtualMachine",
        "osDisk.managedDisk.id",
        "creationData.sourceResourceId",
        "creationData.sourceResourceId",
        undefined,
      ]);
    });

    // A VM's OS disk id is an output.
    it("...and so does a builder VM whose data disk is copied (sourceResource) from the host's snapshot", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const snap = l.snapshot("snap-ex01", { source: preview ? old : l.compute("disks", "ex01-osdisk") });
      const deps: Res[] = [];
      const dataDisks = [{ lun: 0, createOption: "Copy", sourceResource: { id: l.ref(snap, deps) } }];
      let b = l.builder("builder04");
      b = withProps(e, b, { storageProfile: { ...(b.properties.storageProfile as object), dataDisks } });
      withDeps(e, b, "storageProfile", deps);
      const vm = l.vm("ex02", l.image("img-b", { vm: b }));
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toEqual([
        "imageReference.id",
        "sourceVirtualMachine",
        "dataDisks[0].sourceResource.id",
        "creationData.sourceResourceId",
        undefined,
      ]);
    });

    if (!preview)
      it("a builder VM's OS disk id under FromImage is its own disk, not a source", () => {
        const { e, l } = setup();
        const b = l.builder("builder03", undefined, {
          osDisk: { createOption: "FromImage", name: "b-osdisk", managedDisk: { id: l.compute("disks", "b-osdisk") } },
        });
        const vm = l.vm("ex01", l.image("img", { vm: b }));
        expect(provenance(e, vm, { witness: true })).toBeUndefined();
      });
  });

  describe("gallery image versions (compute:GalleryImageVersion)", () => {
    it("storageProfile.source.virtualMachineId: a gallery version captured from the compromised VM", () => {
      const { e, l } = setup();
      const old = l.vm("ex03-g1", undefined, { state: "compromised" });
      const gi = l.galleryImage(l.gallery("galEx"), "exchange-2019");
      const v = l.version(gi, "1.0.0", { vm: old });
      const vm = l.vm("ex03-g2", v);
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex03-g2", "imageReference.id"],
        ["gallery image version", "galEx/exchange-2019/1.0.0", "storageProfile.source.virtualMachineId"],
        ["VM", "ex03-g1", undefined],
      ]);
      expectLinkedBy(p);
    });

    it("storageProfile.source.id: a version of a managed image of the host", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const gi = l.galleryImage(l.gallery("galEx"), "exchange");
      const v = l.version(gi, "2.0.0", { source: l.image("img-ex01", { vm: old }) });
      const vm = l.vm("ex02", v);
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toEqual([
        "imageReference.id",
        "storageProfile.source.id",
        "sourceVirtualMachine",
        undefined,
      ]);
    });

    it.each([
      ["osDiskImage.source.id", (s: Res) => ({ os: s }), "storageProfile.osDiskImage.source.id"],
      ["dataDiskImages[].source.id", (s: Res) => ({ os: undefined, data: [s] }), "storageProfile.dataDiskImages[0].source.id"],
    ])("storageProfile.%s: a version made from a snapshot of the host", (_l, shape, fieldName) => {
      const { e, l } = setup();
      const old = l.vm("ex01", undefined, { osDiskOutput: true });
      const snap = l.snapshot("snap", { source: preview ? old : l.compute("disks", "ex01-osdisk") });
      const gi = l.galleryImage(l.gallery("galEx"), "exchange");
      const v = l.version(gi, "1.0.0", shape(snap));
      const vm = l.vm("ex02", v);
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toEqual([
        "imageReference.id",
        fieldName,
        "creationData.sourceResourceId",
        undefined,
      ]);
    });

    it("osDiskImage.source.uri: a VHD blob, untraceable with a compromised host", () => {
      const { e, l } = setup();
      const v = l.version(l.galleryImage(l.gallery("galEx"), "exchange"), "1.0.0", { osUri: "https://sa.blob.core.windows.net/v/x.vhd" });
      const vm = l.vm("ex01", v);
      expect(provenance(e, vm)).toBeUndefined();
      const p = untraceable(provenance(e, vm, { witness: true }));
      expect(p.unknown).toEqual({ kind: "blob" });
      expect(p.chain.at(-1)?.field).toBe("storageProfile.osDiskImage.source.uri");
    });

    it("a gallery image (latest) resolves to its versions in the stack", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const gi = l.galleryImage(l.gallery("galEx"), "exchange");
      l.version(gi, "1.0.0", { source: l.image("img-clean", { vm: l.builder("b1") }) });
      l.version(gi, "1.1.0", { vm: old });
      const vm = l.vm("ex02", gi);
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex02", "imageReference.id"],
        ["gallery image", "galEx/exchange", "versions"],
        ["gallery image version", "galEx/exchange/1.1.0", "storageProfile.source.virtualMachineId"],
        ["VM", "ex01", undefined],
      ]);
    });

    it("a gallery image with no version in the stack: untraceable with a compromised host", () => {
      const { e, l } = setup();
      const gi = l.galleryImage(l.gallery("galEx"), "exchange");
      const vm = l.vm("ex02", gi);
      expect(provenance(e, vm)).toBeUndefined();
      expect(untraceable(provenance(e, vm, { witness: true })).unknown).toEqual({ kind: "no-versions" });
    });

    it("a gallery image id of an image definition outside the stack resolves to its versions built here", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const gi = l.galleryImage(l.gallery("galEx"), "exchange");
      e.resources.splice(e.resources.indexOf(gi), 1);
      l.version(gi, "1.0.0", { vm: old });
      const vm = l.vm("ex02", l.compute("galleries", "galEx", "images", "exchange"));
      expect(descends(provenance(e, vm)).chain.map((h) => h.type)).toEqual(["VM", "gallery image version", "VM"]);
    });

    // The unique and public names are outputs of the gallery.
    if (!preview)
      it.each([
        ["sharedGalleryImageId", "SharedGalleries/0f1e2d3c-galex/Images/exchange/Versions/1.0.0", { identifier: { uniqueName: "0f1e2d3c-GALEX" } }],
        [
          "communityGalleryImageId",
          "/CommunityGalleries/contoso-exchange-1a2b/Images/exchange/Versions/1.0.0",
          { sharingProfile: { communityGalleryInfo: { publicNames: ["contoso-exchange-1a2b"] } } },
        ],
      ])("imageReference.%s naming a version of a gallery of the stack", (key, id, galleryOutputs) => {
        const { e, l } = setup();
        const old = l.vm("ex01");
        const gi = l.galleryImage(l.gallery("galEx", galleryOutputs), "exchange");
        l.version(gi, "1.0.0", { vm: old });
        const vm = l.vm("ex02");
        withProps(e, vm, { storageProfile: { ...(vm.properties.storageProfile as object), imageReference: { [key]: id } } });
        const p = descends(
          provenance(
            e,
            e.resources.find((r) => r.urn === vm.urn)!,
          ),
        );
        expect(rows(p.chain)[0]).toEqual(["VM", "ex02", `imageReference.${key}`]);
        expect(p.chain[1]).toMatchObject({ type: "gallery image version", name: "galEx/exchange/1.0.0" });
      });
  });

  describe("disks and snapshots (creationData)", () => {
    it.each([
      ["imageReference.id", (img: Res) => ({ image: img })],
      ["galleryImageReference.id", (v: Res) => ({ galleryImage: v })],
    ])("creationData.%s", (fieldName, shape) => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const src = fieldName.startsWith("gallery")
        ? l.version(l.galleryImage(l.gallery("g"), "i"), "1.0.0", { vm: old })
        : l.image("img", { vm: old });
      const d = l.disk("d1", { ...shape(src), createOption: "FromImage" });
      const vm = l.vm("ex02", l.image("img2", { os: { disk: d } }));
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toEqual([
        "imageReference.id",
        "storageProfile.osDisk.managedDisk",
        `creationData.${fieldName}`,
        fieldName.startsWith("gallery") ? "storageProfile.source.virtualMachineId" : "sourceVirtualMachine",
        undefined,
      ]);
    });

    it.each([
      ["sourceUri", { createOption: "Import", sourceUri: "https://sa.blob.core.windows.net/v/x.vhd" }, { kind: "blob" }],
      ["securityDataUri", { createOption: "ImportSecure", securityDataUri: "https://sa.blob.core.windows.net/v/x.vmgs" }, { kind: "blob" }],
      ["createOption Upload", { createOption: "Upload" }, { kind: "uploaded", createOption: "Upload" }],
      ["createOption UploadPreparedSecure", { createOption: "UploadPreparedSecure" }, { kind: "uploaded", createOption: "UploadPreparedSecure" }],
    ])("a disk from %s cannot be traced", (_l, creation, unknown) => {
      const { e, l } = setup();
      const vm = l.vm("ex01", l.image("img", { os: { disk: l.disk("d", creation) } }));
      expect(provenance(e, vm)).toBeUndefined();
      expect(untraceable(provenance(e, vm, { witness: true })).unknown).toEqual(unknown);
    });

    it("an empty disk, a marketplace image and a platform image id have no customer source", () => {
      const { e, l } = setup();
      const platform = `/Subscriptions/${e.sub}/Providers/Microsoft.Compute/Locations/westeurope/Publishers/MicrosoftWindowsServer/ArtifactTypes/VMImage/Offers/WindowsServer/Skus/2022-datacenter/Versions/20348.2700.240905`;
      const d1 = l.disk("d-empty", { createOption: "Empty" });
      const d2 = l.disk("d-platform", { image: platform });
      const vm = l.vm("ex01", l.image("img", { os: { disk: d1 }, data: [{ disk: d2 }] }));
      expect(provenance(e, vm, { witness: true })).toBeUndefined();
      expect(provenance(e, l.vm("ex02", undefined), { witness: true })).toBeUndefined();
    });

    it("an Elastic SAN snapshot source is a resource whose origin the pack does not follow", () => {
      const { e, l } = setup();
      const vm = l.vm(
        "ex01",
        l.image("img", {
          os: {
            disk: l.disk("d", {
              createOption: "CopyFromSanSnapshot",
              elasticSan: `/subscriptions/${e.sub}/resourceGroups/rg/providers/Microsoft.ElasticSan/elasticSans/san/volumegroups/vg/snapshots/s1`,
            }),
          },
        }),
      );
      expect(untraceable(provenance(e, vm, { witness: true })).unknown.kind).toBe("outside-stack");
    });
  });

  describe("restore points", () => {
    it("a disk restored from a disk restore point of the host's restore point collection", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const rpc = l.restorePointCollection("rpc-ex01", old);
      const rp = l.restorePoint(rpc, "rp1");
      const d = l.disk("d-restored", { createOption: "Restore", source: { res: rp, child: "diskRestorePoints/ex01-osdisk_abc" } });
      const vm = l.vm("ex02", l.image("img", { os: { disk: d } }));
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex02", "imageReference.id"],
        ["image", "img", "storageProfile.osDisk.managedDisk"],
        ["disk", "d-restored", "creationData.sourceResourceId"],
        ["restore point", "rpc-ex01/rp1", "restorePointCollectionName"],
        ["restore point collection", "rpc-ex01", "source.id"],
        ["VM", "ex01", undefined],
      ]);
    });

    it("a restore point copied from another (sourceRestorePoint) and a snapshot of the copy", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const rp = l.restorePoint(l.restorePointCollection("rpc-a", old), "rp1");
      const copy = l.restorePoint(l.restorePointCollection("rpc-b", l.builder("stand-in")), "rp1-copy", { copyOf: rp });
      const snap = l.snapshot("s", { source: { res: copy, child: "diskRestorePoints/x" } });
      const vm = l.vm("ex02", l.image("img", { os: { snapshot: snap } }));
      expect(rows(descends(provenance(e, vm)).chain).map((r) => r[2])).toContain("sourceRestorePoint.id");
    });
  });

  describe("chains, cycles and long ancestries", () => {
    it("image → gallery version → snapshot → disk → VM (4 links past the host)", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const d = l.disk("d-clone", { source: preview ? old : l.compute("disks", "ex01-osdisk") });
      const snap = l.snapshot("s-clone", { source: d });
      const v = l.version(l.galleryImage(l.gallery("g"), "i"), "1.0.0", { os: snap });
      const vm = l.vm("ex02", l.image("img-final", { os: { disk: l.disk("d-final", { galleryImage: v, createOption: "FromImage" }) } }));
      const p = descends(provenance(e, vm));
      expect(p.chain.map((h) => h.type)).toEqual(["VM", "image", "disk", "gallery image version", "snapshot", "disk", preview ? "VM" : "disk"]);
      expectLinkedBy(p);
    });

    it("a long chain shows its first and last hops and counts the others", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      let prev: Res | string = preview ? old : l.compute("disks", "ex01-osdisk");
      for (let i = 0; i < 30; i++) prev = l.snapshot(`s${i}`, { source: prev });
      const vm = l.vm("ex02", l.image("img", { os: { snapshot: prev } }));
      const p = descends(provenance(e, vm));
      // ex02, img, s29 … s0, ex01's disk (or VM): 33 resources.
      expect(p.chain).toHaveLength(CHAIN_HEAD + CHAIN_TAIL + 1);
      expect(p.elided).toEqual({ after: CHAIN_HEAD - 1, count: 33 - (CHAIN_HEAD + CHAIN_TAIL + 1) });
      expect(p.chain.map((h) => h.name)).toEqual([
        "ex02",
        "img",
        "s29",
        "s28",
        "s27",
        "s26",
        "s25",
        "s24",
        "s3",
        "s2",
        "s1",
        "s0",
        preview ? "ex01" : "ex01-osdisk",
      ]);
    });

    it("a cycle of images, snapshots and disks without an Exchange host: no finding, and the search ends", () => {
      const { e, l } = setup();
      // A refers to S, S to D, D to A: ids literal in both forms, so the cycle is there whatever the engine sends.
      const idA = l.compute("images", "img-a");
      const d = l.disk("d-cyc", { image: idA, createOption: "FromImage" });
      const s = l.snapshot("s-cyc", { source: l.compute("disks", "d-cyc") });
      const a = l.image("img-a", { os: { snapshot: l.compute("snapshots", "s-cyc") } });
      void d;
      void s;
      const vm = l.vm("ex01", a);
      expect(provenance(e, vm, { witness: true })).toBeUndefined();
    });

    it("a cycle with an exit to an Exchange host: the shortest chain out", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const idA = l.compute("images", "img-a");
      l.disk("d-cyc", { image: idA, createOption: "FromImage" });
      l.snapshot("s-cyc", { source: l.compute("disks", "d-cyc") });
      const a = l.image("img-a", { os: { snapshot: l.compute("snapshots", "s-cyc") }, vm: old });
      const vm = l.vm("ex02", a);
      expect(rows(descends(provenance(e, vm)).chain)).toEqual([
        ["VM", "ex02", "imageReference.id"],
        ["image", "img-a", "sourceVirtualMachine"],
        ["VM", "ex01", undefined],
      ]);
    });

    it("a host built from an image captured from itself (the restore-in-place bypass)", () => {
      const { e, l } = setup();
      const img = l.image("img-self", { vm: l.compute("virtualMachines", "ex01") });
      const vm = l.vm("ex01", img);
      const p = descends(provenance(e, vm));
      expect(rows(p.chain)).toEqual([
        ["VM", "ex01", "imageReference.id"],
        ["image", "img-self", "sourceVirtualMachine"],
        ["VM", "ex01", undefined],
      ]);
    });
  });

  describe("ids outside the stack", () => {
    const external = (e: Estate) => `/subscriptions/${e.sub}/resourceGroups/rg-images/providers/Microsoft.Compute/images/golden`;

    it("an image the stack cannot place: no finding without a compromised host; untraceable with one", () => {
      const { e, l } = setup();
      const vm = l.vm("ex01", external(e));
      expect(provenance(e, vm)).toBeUndefined();
      const p = untraceable(provenance(e, vm, { witness: true }));
      expect(p.unknown).toEqual({ kind: "outside-stack", id: external(e) });
      expect(rows(p.chain)).toEqual([["VM", "ex01", "imageReference.id"]]);
    });

    it("...unless approvedImages lists it (case-insensitively)", () => {
      const { e, l } = setup();
      const vm = l.vm("ex01", external(e));
      expect(provenance(e, vm, { witness: true, approved: [external(e).toUpperCase()] })).toBeUndefined();
    });

    it("the id of a host's VM, of its OS disk, or a name of its generation, met outside the stack", () => {
      const { e, l } = setup();
      l.vm("ex02-g2-old", undefined, { osDiskOutput: true });
      const h = l.vm("ex04-g3");
      void h;
      // The host's own VM by name and resource group (its id is unknown at preview), its OS disk by name.
      const a = l.vm("ex05", l.image("img-a", { vm: l.compute("virtualMachines", "ex02-g2-old") }));
      const b = l.vm("ex06", l.image("img-b", { os: { disk: l.compute("disks", "ex02-g2-old-osdisk") } }));
      // An earlier generation of host ex04-g3, gone from the stack, by the stacks' naming.
      const c = l.vm("ex07", l.image("img-c", { os: { snapshot: l.compute("snapshots", "ex04-g1-osdisk-evidence") } }));
      expect(descends(provenance(e, a)).origin).toEqual({ kind: "host", host: "ex02-g2-old", tagsUnreadable: false });
      expect(descends(provenance(e, b)).origin).toEqual({ kind: "host-disk", host: "ex02-g2-old", disk: "OS" });
      const pc = descends(provenance(e, c));
      expect(pc.origin).toEqual({ kind: "generation", host: "ex04-g3" });
      expect(pc.chain.at(-1)).toEqual({ type: "snapshot", name: "ex04-g1-osdisk-evidence" });
    });

    it("the same names in another resource group are other resources", () => {
      const { e, l } = setup();
      l.vm("ex04-g3");
      const other = `/subscriptions/${e.sub}/resourceGroups/rg-lab/providers/Microsoft.Compute/virtualMachines/ex04-g1`;
      const vm = l.vm("ex07", l.image("img", { vm: other }));
      expect(provenance(e, vm)).toBeUndefined();
      expect(untraceable(provenance(e, vm, { witness: true })).unknown).toEqual({ kind: "outside-stack", id: other });
    });

    it("a VM an exchange-compromise assessment is about, though the VM is gone from the stack", () => {
      const { e, l } = setup();
      const gone = l.compute("virtualMachines", "mbx-old");
      e.add("azure-native:security:Assessment", "a-mbx-old", {
        resourceId: gone,
        additionalData: { assessmentKind: "exchange-compromise", verdict: "compromised" },
      });
      const vm = l.vm("ex01", l.image("img", { vm: gone }));
      expect(descends(provenance(e, vm)).origin).toEqual({ kind: "assessed", label: "assessment a-mbx-old" });
    });

    it("an evidence snapshot (purpose tag) is Exchange lineage, and so is the disk it copies", () => {
      const { e, l } = setup();
      const oldDisk = l.compute("disks", "mbx7-osdisk");
      const ev = l.snapshot("mbx7-evidence", { source: oldDisk }, { purpose: "exchange-compromise-evidence" });
      const a = l.vm("ex01", l.image("img-ev", { os: { snapshot: ev } }));
      const b = l.vm("ex02", l.image("img-disk", { os: { disk: oldDisk } }));
      const pa = descends(provenance(e, a));
      expect(pa.origin).toEqual({ kind: "evidence" });
      expect(pa.chain.at(-1)).toEqual({ type: "snapshot", name: "mbx7-evidence" });
      expect(descends(provenance(e, b)).origin).toEqual({ kind: "evidence-source", snapshot: "mbx7-evidence" });
    });
  });

  describe("what cannot be known", () => {
    if (preview) {
      it("an image id unknown at preview with no dependency naming it", () => {
        const { e, l } = setup();
        const vm = l.vm("ex01");
        withProps(e, vm, { storageProfile: { ...(vm.properties.storageProfile as object), imageReference: { id: UNKNOWN } } });
        const host = e.resources.find((r) => r.urn === vm.urn)!;
        expect(provenance(e, host)).toBeUndefined();
        expect(untraceable(provenance(e, host, { witness: true })).unknown).toEqual({ kind: "unknown-id", described: "unknown at preview" });
      });

      it("a candidate only plain dependencies name leaves the real source open", () => {
        const { e, l } = setup();
        const img = l.image("img-clean", { vm: l.builder("b") });
        let vm = l.vm("ex01");
        vm = withProps(e, vm, { storageProfile: { ...(vm.properties.storageProfile as object), imageReference: { id: UNKNOWN } } });
        const i = e.resources.indexOf(vm);
        e.resources[i] = { ...vm, dependencies: [...(vm.dependencies ?? []), img.urn] };
        expect(untraceable(provenance(e, e.resources[i], { witness: true })).unknown).toEqual({ kind: "guessed" });
      });

      it("a builder VM whose tags cannot be read is treated as an Exchange host", () => {
        const { e, l } = setup();
        const b = l.vm("builder-x", undefined, { tags: UNKNOWN });
        const vm = l.vm("ex01", l.image("img", { vm: b }));
        expect(descends(provenance(e, vm)).origin).toEqual({ kind: "host", host: "builder-x", tagsUnreadable: true });
      });
    }

    it("a malformed source id is unreadable", () => {
      const { e, l } = setup();
      const img = l.image("img", {});
      withProps(e, img, { sourceVirtualMachine: { id: 42 } });
      const vm = l.vm(
        "ex01",
        e.resources.find((r) => r.urn === img.urn)!,
      );
      expect(untraceable(provenance(e, vm, { witness: true })).unknown).toEqual({ kind: "unreadable", described: "malformed (expected a string)" });
    });
  });

  describe("scale sets", () => {
    it("virtualMachineProfile.storageProfile.imageReference of an Exchange scale set", () => {
      const { e, l } = setup();
      const old = l.vm("ex01");
      const img = l.image("img", { vm: old });
      const deps: Res[] = [];
      const ss = e.add(
        "azure-native:compute:VirtualMachineScaleSet",
        "ex-ss",
        {
          vmScaleSetName: "ex-ss",
          resourceGroupName: e.rg,
          tags: { workload: "exchange", "remediation-state": "unverified" },
          virtualMachineProfile: { storageProfile: { imageReference: { id: l.ref(img, deps) }, osDisk: { createOption: "FromImage" } } },
        },
        { virtualMachineProfile: deps },
        l.compute("virtualMachineScaleSets", "ex-ss"),
      );
      expect(rows(descends(provenance(e, ss)).chain)[0]).toEqual(["scale set", "ex-ss", "virtualMachineProfile.storageProfile.imageReference.id"]);
    });
  });
});

describe("configImageProvenance: a stack config's image, judged before any resource exists, as the pack judges the VM", () => {
  const SUB = "00000000-0000-0000-0000-000000000001";
  const golden = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/images/golden`;
  const platform = `/Subscriptions/${SUB}/Providers/Microsoft.Compute/Locations/westeurope/Publishers/MicrosoftWindowsServer/ArtifactTypes/VMImage/Offers/WindowsServer/Skus/2022-datacenter/Versions/1.0.0`;
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ["a marketplace image", MARKETPLACE, []],
    ["a platform image id", { id: platform }, []],
    ["an image id outside the stack", { id: golden }, []],
    ["the same id, approved", { id: golden }, [golden.toLowerCase()]],
    [
      "a gallery version of an approved gallery image",
      { id: `${golden.replace("images/golden", "galleries/g/images/i")}/versions/1.0.0` },
      [golden.replace("images/golden", "galleries/g/images/i")],
    ],
    ["a direct-shared gallery image", { sharedGalleryImageId: "/SharedGalleries/abc-gal/Images/exchange/Versions/latest" }, []],
    ["a community gallery image", { communityGalleryImageId: "/CommunityGalleries/contoso-1/Images/exchange/Versions/1.0.0" }, []],
  ];

  it.each(cases)("%s", (_label, image, approved) => {
    for (const [, preview] of FORMS) {
      const e = new Estate({ preview });
      const vm = new Lineage(e).vm("ex01");
      withProps(e, vm, { storageProfile: { ...(vm.properties.storageProfile as object), imageReference: image } });
      const host = e.resources.find((r) => r.urn === vm.urn)!;
      for (const witness of [false, true]) {
        expect(configImageProvenance("ex01", image, approved, witness ? WITNESS : undefined)).toEqual(provenance(e, host, { witness, approved }));
      }
    }
  });

  it("says so for an id it cannot place while a host is compromised", () => {
    expect(configImageProvenance("ex01", { id: golden }, [], WITNESS)).toEqual({
      kind: "untraceable",
      chain: [{ type: "VM", name: "ex01", field: "imageReference.id" }],
      unknown: { kind: "outside-stack", id: golden },
      witness: WITNESS,
    });
  });
});
