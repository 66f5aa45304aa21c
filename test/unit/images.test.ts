/**
 * approvedImages matching (docs/contract.md#configuration): image resource ids (gallery image, image version, managed
 * image; case-insensitive; a gallery image id also matches its versions) or
 * publisher:offer:sku[:version]. Unknown parts fail closed.
 */
import { ResourceGraph } from "../../policies/model/graph";
import { imageVerdict, parseApproved } from "../../policies/model/images";
import { toInputs } from "../support/judge";
import { Estate, host, Res, UNKNOWN, withDeps } from "../support/gateFixtures";

const SUB = "00000000-0000-0000-0000-000000000001";
const IMG = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gal/images/exchange`;

function verdict(
  image: Record<string, unknown>,
  approved: string[],
  o: { preview?: boolean; deps?: (e: Estate) => Parameters<typeof withDeps>[3] } = {},
) {
  const e = new Estate({ preview: o.preview });
  let vm = host(e, { image });
  if (o.deps) vm = withDeps(e, vm, "storageProfile", o.deps(e));
  const graph = new ResourceGraph(toInputs(e.resources));
  const node = graph.node(vm.urn)!;
  return imageVerdict(graph, node, image, approved);
}

describe("parseApproved", () => {
  it("splits ids from marketplace entries, normalising both", () => {
    const p = parseApproved([` ${IMG.toUpperCase()}/ `, " MicrosoftWindowsServer : WindowsServer:2022-Datacenter ", "a:b:c:1.2.3"]);
    expect(p.ids).toEqual([IMG.slice(1).toLowerCase()]);
    expect(p.marketplace).toEqual([
      { publisher: "microsoftwindowsserver", offer: "windowsserver", sku: "2022-datacenter", version: undefined },
      { publisher: "a", offer: "b", sku: "c", version: "1.2.3" },
    ]);
  });
});

describe("imageVerdict", () => {
  const market = { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" };

  it.each<[string, string[], string]>([
    ["no version approves any version", ["microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition"], "approved"],
    ["the same version", ["MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:Latest"], "approved"],
    ["another version", ["MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:1.0"], "not-approved"],
    ["another sku", ["MicrosoftWindowsServer:WindowsServer:2019-datacenter"], "not-approved"],
    ["ids only", [IMG], "not-approved"],
  ])("marketplace: %s", (_label, approved, kind) => {
    expect(verdict(market, approved).kind).toBe(kind);
  });

  it("a marketplace reference without a sku is not approved", () => {
    expect(verdict({ publisher: "MicrosoftWindowsServer", offer: "WindowsServer" }, ["MicrosoftWindowsServer:WindowsServer:x"]).kind).toBe(
      "not-approved",
    );
  });

  it.each<[string, string, string[], string]>([
    ["a version of an approved gallery image", `${IMG}/versions/1.0.0`, [IMG], "approved"],
    ["the gallery image itself", IMG, [IMG], "approved"],
    ["an exact version", `${IMG}/versions/1.0.0`, [`${IMG}/versions/1.0.0`], "approved"],
    ["another version", `${IMG}/versions/1.0.1`, [`${IMG}/versions/1.0.0`], "not-approved"],
    ["an image whose name extends the approved one", `${IMG}2/versions/1.0.0`, [IMG], "not-approved"],
    ["case and slashes differ", `${IMG.toUpperCase().slice(1)}/versions/1.0.0`, [IMG.toLowerCase()], "approved"],
    ["another gallery", IMG.replace("/gal/", "/gal2/") + "/versions/1.0.0", [IMG], "not-approved"],
  ])("ids: %s", (_label, id, approved, kind) => {
    expect(verdict({ id }, approved).kind).toBe(kind);
  });

  it("a shared gallery image id is matched against the ids too", () => {
    const id = "/SharedGalleries/abc-123/Images/exchange/Versions/1.0.0";
    expect(verdict({ sharedGalleryImageId: id }, [IMG]).kind).toBe("not-approved");
  });

  it("an id unknown with no dependency naming the image: unknown (fail closed), naming the field", () => {
    const v = verdict({ id: UNKNOWN }, [IMG], { preview: true });
    expect(v.kind).toBe("unknown");
    if (v.kind === "unknown") expect(v.why).toContain("imageReference.id");
  });

  it("an id unknown, resolved through a dependency on a GalleryImageVersion: approved / not approved by its names", () => {
    const giv = (e: Estate, image = "exchange") => [
      e.add("azure-native:compute:GalleryImageVersion", `giv-${image}`, {
        galleryName: "gal",
        galleryImageName: image,
        galleryImageVersionName: "1.0.0",
        resourceGroupName: "rg-images",
      }),
    ];
    expect(verdict({ id: UNKNOWN }, [IMG], { preview: true, deps: (e) => giv(e) }).kind).toBe("approved");
    expect(verdict({ id: UNKNOWN }, [`${IMG}/versions/1.0.0`], { preview: true, deps: (e) => giv(e) }).kind).toBe("approved");
    expect(verdict({ id: UNKNOWN }, [`${IMG}/versions/2.0.0`], { preview: true, deps: (e) => giv(e) }).kind).toBe("not-approved");
    expect(verdict({ id: UNKNOWN }, [IMG], { preview: true, deps: (e) => giv(e, "exchange-test") }).kind).toBe("not-approved");
  });

  it("a marketplace part unknown: unknown, naming it", () => {
    const v = verdict({ ...market, offer: UNKNOWN }, ["a:b:c"], { preview: true });
    expect(v.kind).toBe("unknown");
    if (v.kind === "unknown") expect(v.why).toContain("imageReference.offer");
  });
});

describe("imageVerdict: an image created in the same stack, named only through the dependency", () => {
  const gallery = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gal`;
  const managed = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/images/exbase`;
  const galleryImage = (e: Estate, props: Record<string, unknown> = {}) =>
    e.add("azure-native:compute:GalleryImage", "gi", { galleryName: "gal", galleryImageName: "exchange", resourceGroupName: "rg-images", ...props });
  const managedImage = (e: Estate, props: Record<string, unknown> = {}) =>
    e.add("azure-native:compute:Image", "img", { imageName: "exbase", resourceGroupName: "rg-images", ...props });
  const version = (e: Estate, props: Record<string, unknown> = {}, armId?: string) =>
    e.add(
      "azure-native:compute:GalleryImageVersion",
      "giv",
      { galleryName: "gal", galleryImageName: "exchange", galleryImageVersionName: "1.0.0", resourceGroupName: "rg-images", ...props },
      {},
      armId,
    );
  const run = (approved: string[], dep: (e: Estate) => Res, preview = true) => verdict({ id: UNKNOWN }, approved, { preview, deps: (e) => [dep(e)] });

  it("a gallery image: approved only by its own gallery image id", () => {
    expect(run([IMG], galleryImage).kind).toBe("approved");
    expect(run([`${IMG}/versions/1.0.0`], galleryImage).kind).toBe("not-approved");
    expect(run([`${gallery}/images/exchange-test`], galleryImage).kind).toBe("not-approved");
    expect(run([managed.replace("exbase", "exchange")], galleryImage).kind).toBe("not-approved");
  });

  it("a managed image: approved only by its own managed image id", () => {
    expect(run([managed], managedImage).kind).toBe("approved");
    expect(run([managed.replace("exbase", "other")], managedImage).kind).toBe("not-approved");
    expect(run([`${gallery}/images/exbase`], managedImage).kind).toBe("not-approved");
  });

  it("one approved entry among several is enough", () => {
    expect(run([managed, IMG], version).kind).toBe("approved");
    expect(run([IMG, managed], managedImage).kind).toBe("approved");
  });

  it("an approved version never approves another kind of image", () => {
    expect(run([managed], version).kind).toBe("not-approved");
    expect(run([`${IMG}/versions/1.0.0`], version).kind).toBe("approved");
    expect(run([`${IMG}/versions/1.0.1`], version).kind).toBe("not-approved");
    expect(run([IMG.replace("/gal/", "/gal2/")], version).kind).toBe("not-approved");
  });

  it("an image in another or an unknown resource group is not approved", () => {
    expect(run([IMG], (e) => version(e, { resourceGroupName: "rg-other" })).kind).toBe("not-approved");
    expect(run([IMG], (e) => version(e, { resourceGroupName: UNKNOWN })).kind).toBe("not-approved");
    expect(run([IMG], (e) => galleryImage(e, { resourceGroupName: "RG-IMAGES-2" })).kind).toBe("not-approved");
  });

  it("an image whose id names another subscription is not approved, the same subscription is", () => {
    const other = "00000000-0000-0000-0000-0000000000ff";
    const idIn = (sub: string) =>
      `/subscriptions/${sub}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gal/images/exchange/versions/1.0.0`;
    expect(run([IMG], (e) => version(e, {}, idIn(other)), false).kind).toBe("not-approved");
    expect(run([IMG], (e) => version(e, {}, idIn(SUB)), false).kind).toBe("approved");
  });

  it("names the image that is not approved, with unknown parent names left empty", () => {
    expect(run([managed], version)).toEqual({ kind: "not-approved", image: "GalleryImageVersion gal/exchange/1.0.0" });
    expect(run([IMG], (e) => version(e, { galleryName: UNKNOWN }))).toEqual({ kind: "not-approved", image: "GalleryImageVersion /exchange/1.0.0" });
    expect(run([IMG], managedImage)).toEqual({ kind: "not-approved", image: "Image exbase" });
  });
});

describe("imageVerdict: reference fields", () => {
  const market = { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" };

  it("a blank id falls through to the marketplace fields", () => {
    expect(verdict({ ...market, id: "   " }, ["microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition"]).kind).toBe("approved");
  });

  it("community gallery ids are matched as ids", () => {
    const id = "/CommunityGalleries/pub-1/Images/exchange/Versions/1.0.0";
    expect(verdict({ communityGalleryImageId: id }, [IMG])).toEqual({ kind: "not-approved", image: id });
    expect(verdict({ communityGalleryImageId: id }, ["/CommunityGalleries/pub-1/Images/exchange"]).kind).toBe("approved");
  });

  it("marketplace parts are compared trimmed and case-insensitively, every part must match", () => {
    const spaced = { publisher: " microsoftwindowsserver ", offer: "WINDOWSSERVER", sku: " 2022-Datacenter-Azure-Edition", version: "Latest " };
    expect(verdict(spaced, ["MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest"]).kind).toBe("approved");
    expect(verdict(market, ["Other:WindowsServer:2022-datacenter-azure-edition"]).kind).toBe("not-approved");
    expect(verdict(market, ["MicrosoftWindowsServer:Other:2022-datacenter-azure-edition"]).kind).toBe("not-approved");
  });

  it("names the marketplace image that is not approved, with and without version", () => {
    expect(verdict(market, ["a:b:c"])).toEqual({
      kind: "not-approved",
      image: "microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition:latest",
    });
    const { version: _v, ...noVersion } = market;
    expect(verdict(noVersion, ["a:b:c"])).toEqual({
      kind: "not-approved",
      image: "microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition",
    });
  });

  it.each(["publisher", "offer", "sku"])("a reference without %s is not approved, whatever is approved", (k) => {
    const ref: Record<string, unknown> = { ...market, [k]: undefined };
    expect(verdict(ref, ["microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition"])).toEqual({
      kind: "not-approved",
      image: "an image reference without publisher, offer and sku",
    });
  });

  it("the first marketplace part unknown is named", () => {
    expect(verdict({ ...market, publisher: UNKNOWN }, ["a:b:c"], { preview: true })).toEqual({
      kind: "unknown",
      why: "imageReference.publisher is unknown at preview",
    });
  });

  it("an unknown id with no dependency explains why", () => {
    const v = verdict({ id: UNKNOWN }, [IMG], { preview: true });
    expect(v.kind === "unknown" && v.why).toMatch(/^imageReference\.id is .+ and no dependency names the image$/);
  });
});
