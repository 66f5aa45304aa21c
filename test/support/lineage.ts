/**
 * Image lineages in azure-native's shapes: managed images, gallery images and versions, disks, snapshots, restore
 * points and the VMs they come from, as the engine reports them in update form (ids known) or preview form (ids of
 * resources created in the run unknown; the link only in the property's propertyDependencies).
 */
import { Estate, HOST_TAGS, Res, UNKNOWN } from "./estate";
import { host, isolatedNet, withDeps } from "./gateFixtures";

/** Where a reference points: a resource of the estate, one of its children (a disk restore point), or a literal id. */
export type Source = Res | { readonly res: Res; readonly child: string } | string;

export interface Creation {
  createOption?: string;
  source?: Source;
  image?: Source;
  galleryImage?: Source;
  sharedGalleryImage?: string;
  sourceUri?: string;
  securityDataUri?: string;
  elasticSan?: string;
}

export interface ImageDisk {
  snapshot?: Source;
  disk?: Source;
  blobUri?: string;
}

export const MARKETPLACE = {
  publisher: "MicrosoftWindowsServer",
  offer: "WindowsServer",
  sku: "2022-datacenter-azure-edition",
  version: "latest",
};

export class Lineage {
  private net?: ReturnType<typeof isolatedNet>;
  private ip = 10;

  constructor(readonly e: Estate) {}

  get preview(): boolean {
    return this.e.opts.preview === true;
  }

  /** A Microsoft.Compute id in the estate's resource group: `compute("images", "img")`, `compute("galleries", "g", "images", "i")`. */
  compute(...pairs: string[]): string {
    return `/subscriptions/${this.e.sub}/resourceGroups/${this.e.rg}/providers/Microsoft.Compute/${pairs.join("/")}`;
  }

  /** The value a program writes for a reference, recording the dependency it brings. */
  ref(s: Source, deps: Res[]): string {
    if (typeof s === "string") return s;
    const res = "res" in s ? s.res : s;
    if (!deps.includes(res)) deps.push(res);
    if (this.preview) return UNKNOWN;
    return "res" in s ? `${s.res.armId}/${s.child}` : s.armId;
  }

  private add(type: string, name: string, props: Record<string, unknown>, deps: Record<string, Res[]>, armId: string): Res {
    const used = Object.fromEntries(Object.entries(deps).filter(([, l]) => l.length > 0));
    return this.e.add(type, name, { resourceGroupName: this.e.rg, location: "westeurope", ...props }, used, armId);
  }

  image(name: string, o: { vm?: Source; os?: ImageDisk; data?: ImageDisk[] }): Res {
    const vmDeps: Res[] = [];
    const spDeps: Res[] = [];
    const disk = (d: ImageDisk, extra: Record<string, unknown>) => ({
      ...extra,
      ...(d.snapshot ? { snapshot: { id: this.ref(d.snapshot, spDeps) } } : {}),
      ...(d.disk ? { managedDisk: { id: this.ref(d.disk, spDeps) } } : {}),
      ...(d.blobUri ? { blobUri: d.blobUri } : {}),
    });
    const props: Record<string, unknown> = { imageName: name };
    if (o.vm) props.sourceVirtualMachine = { id: this.ref(o.vm, vmDeps) };
    if (o.os || o.data) {
      props.storageProfile = {
        ...(o.os ? { osDisk: disk(o.os, { osType: "Windows", osState: "Generalized" }) } : {}),
        ...(o.data ? { dataDisks: o.data.map((d, i) => disk(d, { lun: i })) } : {}),
      };
    }
    return this.add(
      "azure-native:compute:Image",
      name,
      props,
      { sourceVirtualMachine: vmDeps, storageProfile: spDeps },
      this.compute("images", name),
    );
  }

  private creationData(c: Creation, deps: Res[]): Record<string, unknown> {
    const out: Record<string, unknown> = {
      createOption: c.createOption ?? (c.image || c.galleryImage ? "FromImage" : c.sourceUri ? "Import" : "Copy"),
    };
    if (c.source) out.sourceResourceId = this.ref(c.source, deps);
    if (c.image) out.imageReference = { id: this.ref(c.image, deps) };
    if (c.galleryImage) out.galleryImageReference = { id: this.ref(c.galleryImage, deps) };
    if (c.sharedGalleryImage) out.galleryImageReference = { sharedGalleryImageId: c.sharedGalleryImage };
    if (c.sourceUri) out.sourceUri = c.sourceUri;
    if (c.securityDataUri) out.securityDataUri = c.securityDataUri;
    if (c.elasticSan) out.elasticSanResourceId = c.elasticSan;
    return out;
  }

  snapshot(name: string, c: Creation, tags?: Record<string, string>): Res {
    const deps: Res[] = [];
    const props: Record<string, unknown> = { snapshotName: name, creationData: this.creationData(c, deps) };
    if (tags) props.tags = tags;
    return this.add("azure-native:compute:Snapshot", name, props, { creationData: deps }, this.compute("snapshots", name));
  }

  disk(name: string, c: Creation, extra: Record<string, unknown> = {}): Res {
    const deps: Res[] = [];
    return this.add(
      "azure-native:compute:Disk",
      name,
      { diskName: name, creationData: this.creationData(c, deps), ...extra },
      { creationData: deps },
      this.compute("disks", name),
    );
  }

  gallery(name: string, extra: Record<string, unknown> = {}): Res {
    return this.add("azure-native:compute:Gallery", name, { galleryName: name, ...extra }, {}, this.compute("galleries", name));
  }

  galleryImage(gallery: Res, name: string): Res {
    return this.add(
      "azure-native:compute:GalleryImage",
      `${gallery.name}-${name}`,
      { galleryName: gallery.name, galleryImageName: name, osType: "Windows", osState: "Generalized" },
      { galleryName: [gallery] },
      this.compute("galleries", gallery.name, "images", name),
    );
  }

  /** A gallery image version; `image` is the GalleryImage resource (its name inputs are literals, its dependency recorded). */
  version(image: Res, name: string, o: { source?: Source; vm?: Source; os?: Source; osUri?: string; data?: Source[] }): Res {
    const deps: Res[] = [];
    const [gallery, def] = [image.properties.galleryName as string, image.properties.galleryImageName as string];
    const storageProfile: Record<string, unknown> = {};
    if (o.source || o.vm) {
      storageProfile.source = { ...(o.source ? { id: this.ref(o.source, deps) } : {}), ...(o.vm ? { virtualMachineId: this.ref(o.vm, deps) } : {}) };
    }
    if (o.os || o.osUri) storageProfile.osDiskImage = { source: o.os ? { id: this.ref(o.os, deps) } : { uri: o.osUri } };
    if (o.data) storageProfile.dataDiskImages = o.data.map((d, i) => ({ lun: i, source: { id: this.ref(d, deps) } }));
    return this.add(
      "azure-native:compute:GalleryImageVersion",
      `${image.name}-${name}`,
      { galleryName: gallery, galleryImageName: def, galleryImageVersionName: name, storageProfile },
      { galleryImageName: [image], storageProfile: deps },
      this.compute("galleries", gallery, "images", def, "versions", name),
    );
  }

  restorePointCollection(name: string, vm: Source): Res {
    const deps: Res[] = [];
    return this.add(
      "azure-native:compute:RestorePointCollection",
      name,
      { restorePointCollectionName: name, source: { id: this.ref(vm, deps) } },
      { source: deps },
      this.compute("restorePointCollections", name),
    );
  }

  restorePoint(collection: Res, name: string, o: { copyOf?: Source } = {}): Res {
    const deps: Res[] = [];
    const props: Record<string, unknown> = { restorePointCollectionName: collection.name, restorePointName: name };
    if (o.copyOf) props.sourceRestorePoint = { id: this.ref(o.copyOf, deps) };
    return this.add(
      "azure-native:compute:RestorePoint",
      `${collection.name}-${name}`,
      props,
      { restorePointCollectionName: [collection], sourceRestorePoint: deps },
      this.compute("restorePointCollections", collection.name, "restorePoints", name),
    );
  }

  /**
   * A VM whose OS disk is made from `image` (a resource of the estate or a literal id; marketplace by default). Tagged
   * as an Exchange host unless `tags` says otherwise; `osDiskOutput` adds the OS disk id Azure reports (update form only).
   */
  vm(
    name: string,
    image?: Source,
    o: {
      tags?: Record<string, string> | string;
      state?: string;
      osDisk?: Record<string, unknown>;
      osDiskOutput?: boolean;
      extra?: Record<string, unknown>;
    } = {},
  ): Res {
    this.net ??= isolatedNet(this.e);
    const deps: Res[] = [];
    const ref = image === undefined ? MARKETPLACE : { id: this.ref(image, deps) };
    const osDisk = o.osDisk ?? {
      createOption: "FromImage",
      name: `${name}-osdisk`,
      managedDisk: { storageAccountType: "Premium_LRS", ...(o.osDiskOutput && !this.preview ? { id: this.compute("disks", `${name}-osdisk`) } : {}) },
    };
    let vm = host(this.e, {
      name,
      net: this.net,
      ip: `10.0.1.${this.ip++}`,
      image: ref,
      osDisk,
      tags: o.tags as Record<string, string> | undefined,
      state: o.state,
    });
    if (o.extra) {
      const i = this.e.resources.indexOf(vm);
      vm = { ...vm, properties: { ...vm.properties, ...o.extra } };
      this.e.resources[i] = vm;
    }
    if (deps.length > 0) vm = withDeps(this.e, vm, "storageProfile", deps);
    return vm;
  }

  /** A builder VM: not an Exchange host. */
  builder(name: string, image?: Source, o: { osDisk?: Record<string, unknown> } = {}): Res {
    return this.vm(name, image, { tags: { workload: "image-builder" }, osDisk: o.osDisk });
  }
}

export { HOST_TAGS };
