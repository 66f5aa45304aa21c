/**
 * approvedImages matching (DESIGN §3.3): image resource ids (gallery image, image version, managed
 * image; case-insensitive; a gallery image id also matches its versions) or
 * publisher:offer:sku[:version]. Unknown parts fail closed.
 */
import { ResourceGraph } from "../../policies/model/graph";
import { imageVerdict, parseApproved } from "../../policies/model/images";
import { toInputs } from "../support/judge";
import { Estate, host, UNKNOWN, withDeps } from "../support/gateFixtures";

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
