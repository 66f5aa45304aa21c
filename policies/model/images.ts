import { normalizeId, parseArmId } from "./armIds";
import { GraphNode, ResourceGraph } from "./graph";
import { T } from "./resourceTypes";
import { field, Indeterminate, isIndeterminate, str } from "./values";

export type ImageVerdict =
  { readonly kind: "approved" } | { readonly kind: "not-approved"; readonly image: string } | { readonly kind: "unknown"; readonly why: string };

interface ApprovedMarketplace {
  readonly publisher: string;
  readonly offer: string;
  readonly sku: string;
  readonly version?: string;
}

/** Splits approvedImages into resource ids and publisher:offer:sku[:version] entries (docs/contract.md#configuration). */
export function parseApproved(entries: readonly string[]): { ids: string[]; marketplace: ApprovedMarketplace[] } {
  const ids: string[] = [];
  const marketplace: ApprovedMarketplace[] = [];
  for (const e of entries) {
    const t = e.trim();
    if (t.includes("/")) ids.push(normalizeId(t));
    else {
      const [publisher, offer, sku, version] = t.split(":").map((x) => x.trim().toLowerCase());
      marketplace.push({ publisher, offer, sku, version });
    }
  }
  return { ids, marketplace };
}

/** True when `id` is an approved id or a version of an approved gallery image. */
export function idApproved(id: string, approved: readonly string[]): boolean {
  const n = normalizeId(id);
  return approved.some((a) => n === a || (n.startsWith(a + "/versions/") && /\/images\/[^/]+$/.test(a)));
}

/** Names along a gallery/image chain from a node whose id is not known yet: [gallery, image, version?] or [image]. */
function nodeNames(node: GraphNode): string[] {
  return [...node.parentNames.map((p) => (p ?? "").toLowerCase()), (node.azName ?? "").toLowerCase()];
}

function nodeApproved(node: GraphNode, approved: readonly string[]): boolean {
  const names = nodeNames(node);
  return approved.some((a) => {
    const id = parseArmId(a);
    const an = id.names.map((n) => n.toLowerCase());
    // An image built in this stack is approved only when its resource group is known to be the approved one.
    if (!id.resourceGroup || !node.rg || id.resourceGroup !== node.rg) return false;
    if (node.subscription && id.subscription && node.subscription !== id.subscription) return false;
    if (node.type === T.GalleryImageVersion) {
      // approved gallery image (2 names) matches its versions; approved version (3 names) must match exactly
      if (id.type === "microsoft.compute/galleries/images") return an[0] === names[0] && an[1] === names[1];
      if (id.type === "microsoft.compute/galleries/images/versions") return an.join("/") === names.join("/");
      return false;
    }
    if (node.type === T.GalleryImage) return id.type === "microsoft.compute/galleries/images" && an.join("/") === names.join("/");
    if (node.type === T.Image) return id.type === "microsoft.compute/images" && an[0] === names[0];
    return false;
  });
}

/** Is the VM's `imageReference` one of `approvedImages`? Unknown parts fail closed. */
export function imageVerdict(
  graph: ResourceGraph,
  vm: GraphNode,
  image: unknown,
  approvedEntries: readonly string[],
  depKey = "storageProfile",
): ImageVerdict {
  return imageReferenceVerdict(image, approvedEntries, (approved, key, v) => {
    // The image is created in this stack: identify it through the dependency.
    const nodes = graph.dependencyCandidates(vm, depKey, [T.GalleryImageVersion, T.GalleryImage, T.Image]);
    if (nodes.length === 0) return { kind: "unknown", why: `imageReference.${key} is ${v.describe()} and no dependency names the image` };
    const bad = nodes.find((n) => !nodeApproved(n, approved.ids));
    return bad ? { kind: "not-approved", image: `${bad.type.split(":").pop()} ${nodeNames(bad).join("/")}` } : { kind: "approved" };
  });
}

/**
 * The verdict on an image reference by its values alone (a stack config's image, before any resource exists); an id
 * that is not known is judged by `notKnown` (the stack's dependencies), else it fails closed.
 */
export function imageReferenceVerdict(
  image: unknown,
  approvedEntries: readonly string[],
  notKnown?: (approved: ReturnType<typeof parseApproved>, key: string, v: Indeterminate) => ImageVerdict,
): ImageVerdict {
  const approved = parseApproved(approvedEntries);
  for (const key of ["id", "sharedGalleryImageId", "communityGalleryImageId"]) {
    const v = str(field(image, key));
    if (typeof v === "string" && v.trim() !== "") {
      return idApproved(v, approved.ids) ? { kind: "approved" } : { kind: "not-approved", image: v };
    }
    if (isIndeterminate(v)) return notKnown ? notKnown(approved, key, v) : { kind: "unknown", why: `imageReference.${key} is ${v.describe()}` };
  }
  const parts = ["publisher", "offer", "sku", "version"].map((k) => str(field(image, k)));
  const unknown = parts.findIndex((p) => isIndeterminate(p));
  if (unknown >= 0) return { kind: "unknown", why: `imageReference.${["publisher", "offer", "sku", "version"][unknown]} is unknown at preview` };
  const [publisher, offer, sku, version] = parts.map((p) => (typeof p === "string" ? p.trim().toLowerCase() : undefined));
  if (!publisher || !offer || !sku) return { kind: "not-approved", image: "an image reference without publisher, offer and sku" };
  const text = `${publisher}:${offer}:${sku}${version ? `:${version}` : ""}`;
  const ok = approved.marketplace.some(
    (m) => m.publisher === publisher && m.offer === offer && m.sku === sku && (m.version === undefined || m.version === version),
  );
  return ok ? { kind: "approved" } : { kind: "not-approved", image: text };
}
