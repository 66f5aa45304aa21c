/**
 * Where an Exchange host's OS disk comes from. A machine created FromImage boots whatever its image holds, and Azure
 * records each artefact's source: a managed image the VM, disks or snapshots it was captured from, a gallery image
 * version its VM, image, snapshot or VHD, a disk or snapshot the disk, snapshot, image or restore point it was copied
 * from, a restore point collection its VM. This module follows those records from a host's image reference — inside the
 * stack by id, or by the engine's dependency lists while ids are unknown at preview; outside it by what the stack knows
 * of Exchange hosts — and says whether the OS disk descends from an Exchange host, or that its origin cannot be traced.
 */
import { EVIDENCE_PURPOSE, EVIDENCE_TAG, generationStems, parseGenerationName } from "./generationNames";
import { ArmId, normalizeId, parseArmId } from "./armIds";
import { isCandidateAssessment } from "./assessments";
import { GraphNode, ResourceGraph } from "./graph";
import { Host, tagValues } from "./hosts";
import { idApproved, parseApproved } from "./images";
import { T } from "./resourceTypes";
import { arr, field, isIndeterminate, isUnknownSentinel, path, str } from "./values";

export const RESTORE_POINT_COLLECTION = "azure-native:compute:RestorePointCollection";
export const RESTORE_POINT = "azure-native:compute:RestorePoint";

/** One resource on an ancestry chain, and the field of it that names the next one. */
export interface ProvenanceHop {
  /** What it is, as messages say it: "VM", "image", "gallery image version", "snapshot", ... */
  readonly type: string;
  readonly name: string;
  /** The field that names the next hop; absent on the chain's last resource. */
  readonly field?: string;
  /** That link was read from the engine's dependency lists (the id was unknown at preview), not from an id. */
  readonly byDependency?: boolean;
}

/** Why the resource a chain ends at is an Exchange host's. */
export type ExchangeOrigin =
  | { readonly kind: "host"; readonly host: string; readonly tagsUnreadable: boolean }
  | { readonly kind: "host-disk"; readonly host: string; readonly disk?: "OS" | "data" }
  | { readonly kind: "generation"; readonly host: string }
  | { readonly kind: "evidence" }
  | { readonly kind: "evidence-source"; readonly snapshot: string }
  | { readonly kind: "assessed"; readonly label: string };

/** Why a chain cannot be followed further. */
export type UnknownOrigin =
  | { readonly kind: "unknown-id"; readonly described: string }
  | { readonly kind: "guessed" }
  | { readonly kind: "outside-stack"; readonly id: string }
  | { readonly kind: "blob" }
  | { readonly kind: "uploaded"; readonly createOption: string }
  | { readonly kind: "unmodelled"; readonly resourceType: string; readonly name: string }
  | { readonly kind: "no-versions" }
  | { readonly kind: "unreadable"; readonly described: string };

/** The host that makes an untraceable origin matter: one found or marked compromised, or whose state tag cannot be read. */
export type CompromiseWitness =
  | { readonly host: string; readonly by: "tag" }
  | { readonly host: string; readonly by: "assessment"; readonly label: string }
  | { readonly host: string; readonly by: "unreadable-tag" };

/** Resources of a long chain left out of `chain` after its hop `after` (they are counted, not listed). */
export interface Elision {
  readonly after: number;
  readonly count: number;
}

export type Provenance =
  | { readonly kind: "descends"; readonly chain: readonly ProvenanceHop[]; readonly origin: ExchangeOrigin; readonly elided?: Elision }
  | {
      readonly kind: "untraceable";
      readonly chain: readonly ProvenanceHop[];
      readonly unknown: UnknownOrigin;
      readonly witness: CompromiseWitness;
      readonly elided?: Elision;
    };

/** How much of a long chain a message shows: its first and last hops. */
export const CHAIN_HEAD = 8;
export const CHAIN_TAIL = 4;

/**
 * The ancestry answer for a host whose image reference is `image` (a stack config's image, before any resource exists),
 * as the pack gives it for a stack that builds no image of its own: a marketplace or platform image has no customer
 * source, an approved id is trusted, and any other id is one the stack cannot place — untraceable while a host is
 * compromised (`witness`), else no finding.
 */
export function configImageProvenance(
  vmName: string,
  image: unknown,
  approvedImages: readonly string[],
  witness: CompromiseWitness | undefined,
): Provenance | undefined {
  if (witness === undefined) return undefined;
  for (const key of ["id", "sharedGalleryImageId", "communityGalleryImageId"]) {
    const id = known(field(image, key));
    if (id === undefined) continue;
    if (PLATFORM_IMAGE.test(normalizeId(id)) || idApproved(id, parseApproved(approvedImages).ids)) return undefined;
    return {
      kind: "untraceable",
      chain: [{ type: "VM", name: vmName, field: `imageReference.${key}` }],
      unknown: { kind: "outside-stack", id },
      witness,
    };
  }
  return undefined;
}

/** A "descends from" link: `from` was made from `to`, as `field` of `from` records. */
export interface Link<N> {
  readonly to: N;
  readonly field: string;
  readonly byDependency: boolean;
}

/**
 * For every node from which a source can be reached along links, the first link of a shortest such path (null for a
 * source itself), and that path's length: one breadth-first search backwards from all sources at once, so each node
 * and link is visited once and cycles end by themselves.
 */
export function pathsToSources<N>(
  linksOf: ReadonlyMap<N, readonly Link<N>[]>,
  sources: Iterable<N>,
): { readonly next: ReadonlyMap<N, Link<N> | null>; readonly dist: ReadonlyMap<N, number> } {
  const into = new Map<N, Array<{ from: N; link: Link<N> }>>();
  for (const [from, links] of linksOf) {
    for (const link of links) {
      let l = into.get(link.to);
      if (!l) into.set(link.to, (l = []));
      l.push({ from, link });
    }
  }
  const next = new Map<N, Link<N> | null>();
  const dist = new Map<N, number>();
  const queue: N[] = [];
  for (const s of sources) {
    if (next.has(s)) continue;
    next.set(s, null);
    dist.set(s, 0);
    queue.push(s);
  }
  for (let i = 0; i < queue.length; i++) {
    const d = dist.get(queue[i])! + 1;
    for (const { from, link } of into.get(queue[i]) ?? []) {
      if (next.has(from)) continue;
      next.set(from, link);
      dist.set(from, d);
      queue.push(from);
    }
  }
  return { next, dist };
}

/** The end of a chain outside the stack's resources: an Exchange host's resource known by id or name, or an unknown. */
class Ending {
  constructor(
    readonly hop: ProvenanceHop | undefined,
    readonly origin: ExchangeOrigin | undefined,
    readonly unknown: UnknownOrigin | undefined,
  ) {}
}

type Node = GraphNode | Ending;
type Paths = ReturnType<typeof pathsToSources<Node>>;

interface Shape {
  readonly arm: string;
  /** Input properties holding the names along the ARM type chain, outermost first. */
  readonly nameKeys: readonly string[];
  readonly label: string;
}

/** The resources whose origin the pack follows, with their ARM types and name inputs. */
const SHAPES: Readonly<Record<string, Shape>> = {
  [T.VM]: { arm: "microsoft.compute/virtualmachines", nameKeys: ["vmName"], label: "VM" },
  [T.VMSS]: { arm: "microsoft.compute/virtualmachinescalesets", nameKeys: ["vmScaleSetName"], label: "scale set" },
  [T.Disk]: { arm: "microsoft.compute/disks", nameKeys: ["diskName"], label: "disk" },
  [T.Snapshot]: { arm: "microsoft.compute/snapshots", nameKeys: ["snapshotName"], label: "snapshot" },
  [T.Image]: { arm: "microsoft.compute/images", nameKeys: ["imageName"], label: "image" },
  [T.GalleryImage]: { arm: "microsoft.compute/galleries/images", nameKeys: ["galleryName", "galleryImageName"], label: "gallery image" },
  [T.GalleryImageVersion]: {
    arm: "microsoft.compute/galleries/images/versions",
    nameKeys: ["galleryName", "galleryImageName", "galleryImageVersionName"],
    label: "gallery image version",
  },
  [RESTORE_POINT_COLLECTION]: {
    arm: "microsoft.compute/restorepointcollections",
    nameKeys: ["restorePointCollectionName"],
    label: "restore point collection",
  },
  [RESTORE_POINT]: {
    arm: "microsoft.compute/restorepointcollections/restorepoints",
    nameKeys: ["restorePointCollectionName", "restorePointName"],
    label: "restore point",
  },
};

const ARM_LABEL: ReadonlyMap<string, string> = new Map([
  ...Object.values(SHAPES).map((s) => [s.arm, s.label] as const),
  ["microsoft.compute/restorepointcollections/restorepoints/diskrestorepoints", "disk restore point"],
  ["microsoft.compute/virtualmachinescalesets/virtualmachines", "scale set instance"],
]);

const IMAGES = [T.Image, T.GalleryImage, T.GalleryImageVersion];
const MACHINES = [T.VM, T.VMSS];
// At preview a disk id is often a machine's output (its OS disk id) or a restore point's: the dependency names that one.
const DISK_SOURCES = [T.Disk, T.Snapshot, RESTORE_POINT, RESTORE_POINT_COLLECTION, T.VM, T.VMSS];
const VERSION_SOURCES = [...IMAGES, T.Disk, T.Snapshot, T.VM, T.VMSS];
const RESTORE_POINTS = [RESTORE_POINT, RESTORE_POINT_COLLECTION];

/** Azure's own platform images (publishers' marketplace images): no customer resource is their source. */
const PLATFORM_IMAGE = /(?:^|\/)providers\/microsoft\.compute\/locations\/[^/]+\/publishers\//;
/** Direct-shared and community gallery ids, which are not ARM ids. */
const PUBLIC_GALLERY = /^\/?(shared|community)galleries\/([^/]+)\/images\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i;

function known(v: unknown): string | undefined {
  const s = str(v);
  return typeof s === "string" && s.trim() !== "" ? s.trim() : undefined;
}

/** The normalised id of the first `depth` type/name pairs of an id (its enclosing resource). */
function enclosingId(id: ArmId, depth: number): string | undefined {
  const at = id.normalized.lastIndexOf("providers/");
  if (at < 0) return undefined;
  const rest = id.normalized.slice(at + "providers/".length).split("/");
  if (rest.length < 1 + 2 * depth) return undefined;
  return id.normalized.slice(0, at) + "providers/" + rest.slice(0, 1 + 2 * depth).join("/");
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function rgCompatible(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

interface Keyed {
  readonly rg: string | undefined;
  readonly hop: ProvenanceHop;
  readonly origin: ExchangeOrigin;
}

/**
 * The ancestry of every host's OS disk in one stack, built once: the "made from" links of every image, gallery image
 * version, gallery image, disk, snapshot, restore point (collection) and non-host machine, what of the stack is an
 * Exchange host's (host machines, their disks, evidence snapshots, resources named as a host's generation), and what
 * the stack knows of Exchange hosts' resources outside it (ids and names from host outputs, evidence snapshots,
 * assessments). Shortest chains are found by one search per question over the whole graph.
 */
export class ProvenanceIndex {
  private readonly links = new Map<Node, Link<Node>[]>();
  private readonly start = new Map<string, Link<Node>[]>();
  private readonly roots = new Map<GraphNode, ExchangeOrigin>();
  private readonly exchangeEnds: Ending[] = [];
  private readonly unknownEnds: Ending[] = [];
  private readonly keyById = new Map<string, Keyed>();
  private readonly keyByName = new Map<string, Keyed[]>();
  private readonly stems = new Map<string, Host[]>();
  private readonly byName = new Map<string, GraphNode[]>();
  private readonly versionsOf = new Map<GraphNode, GraphNode[]>();
  /** Gallery image versions by `gallery|image` (lower case). */
  private readonly versionsByName = new Map<string, GraphNode[]>();
  /** Galleries by the names a direct-shared (`shared|…`) or community (`community|…`) gallery id carries. */
  private publicGalleries?: Map<string, GraphNode[]>;
  private readonly approved: string[];
  private readonly tails = new Map<Paths, Map<Node, Node>>();
  private toExchange?: Paths;
  private toUnknown?: Paths;

  constructor(
    private readonly graph: ResourceGraph,
    hosts: readonly Host[],
    private readonly witnesses: readonly CompromiseWitness[],
    approvedImages: readonly string[],
  ) {
    this.approved = parseApproved(approvedImages).ids;
    for (const type of Object.keys(SHAPES)) {
      for (const n of graph.ofType(type)) {
        const own = this.namesOf(n).at(-1);
        if (own === undefined) continue;
        push(this.byName, `${SHAPES[type].arm}|${own.toLowerCase()}`, n);
      }
    }
    for (const h of hosts) {
      this.roots.set(h.vm, { kind: "host", host: h.name, tagsUnreadable: h.hostNote !== undefined });
      const generation = parseGenerationName(h.name);
      if (generation) push(this.stems, generation.host.toLowerCase(), h);
    }
    for (const h of hosts) this.indexHost(h);
    this.indexAttachedDisks(hosts);
    this.indexAssessments();
    this.indexEvidence();
    this.indexGenerations();
    this.indexVersions();
    for (const type of Object.keys(SHAPES)) {
      for (const n of graph.ofType(type)) {
        if (!this.roots.has(n)) this.links.set(n, this.linksOf(n));
      }
    }
    for (const h of hosts) this.start.set(h.urn, this.startLinks(h));
  }

  /** Where a host's OS disk comes from, when that is an Exchange host or (with a compromised host in the stack) unknown. */
  of(host: Host): Provenance | undefined {
    const start = this.start.get(host.urn) ?? [];
    if (start.length === 0) return undefined;
    this.toExchange ??= pathsToSources(this.links, [...this.roots.keys(), ...this.exchangeEnds]);
    const viaExchange = this.shortest(start, this.toExchange);
    if (viaExchange) {
      const { chain, end, elided } = this.walk(host, viaExchange, this.toExchange);
      const last = end instanceof Ending ? end.hop! : this.hop(end);
      const origin = end instanceof Ending ? end.origin! : this.roots.get(end)!;
      return { kind: "descends", chain: [...chain, last], origin, ...(elided ? { elided } : {}) };
    }
    if (this.witnesses.length === 0) return undefined;
    this.toUnknown ??= pathsToSources(this.links, this.unknownEnds);
    const viaUnknown = this.shortest(start, this.toUnknown);
    if (!viaUnknown) return undefined;
    const { chain, end, elided } = this.walk(host, viaUnknown, this.toUnknown);
    return { kind: "untraceable", chain, unknown: (end as Ending).unknown!, witness: this.witnesses[0], ...(elided ? { elided } : {}) };
  }

  private shortest(start: readonly Link<Node>[], paths: Paths): Link<Node> | undefined {
    let best: Link<Node> | undefined;
    let bestDist = Infinity;
    for (const l of start) {
      const d = paths.dist.get(l.to);
      if (d !== undefined && d < bestDist) [best, bestDist] = [l, d];
    }
    return best;
  }

  /**
   * The hops from the host's machine along `first`, then along the shortest path, up to the node the path ends at. A
   * long path shows its first CHAIN_HEAD and last CHAIN_TAIL hops and counts the rest, so reporting every host of a
   * long lineage stays linear.
   */
  private walk(host: Host, first: Link<Node>, paths: Paths): { chain: ProvenanceHop[]; end: Node; elided?: Elision } {
    const chain: ProvenanceHop[] = [this.hop(host.vm, first)];
    let elided: Elision | undefined;
    let cur = first.to;
    for (let link = paths.next.get(cur); link; link = paths.next.get(cur)) {
      const dist = paths.dist.get(cur)!;
      if (elided === undefined && chain.length === CHAIN_HEAD && dist > CHAIN_TAIL + 1) {
        const resume = this.tailOf(cur, paths);
        elided = { after: chain.length - 1, count: dist - paths.dist.get(resume)! };
        cur = resume;
        continue;
      }
      // Only the stack's resources have links; an Ending is always the last node.
      chain.push(this.hop(cur as GraphNode, link));
      cur = link.to;
    }
    return { chain, end: cur, elided };
  }

  /** The node CHAIN_TAIL links before the end of `x`'s shortest path, memoised along the way (each node is set once). */
  private tailOf(x: Node, paths: Paths): Node {
    let memo = this.tails.get(paths);
    if (!memo) this.tails.set(paths, (memo = new Map()));
    const passed: Node[] = [];
    let cur = x;
    while (!memo.has(cur) && paths.dist.get(cur)! > CHAIN_TAIL) {
      passed.push(cur);
      cur = paths.next.get(cur)!.to;
    }
    const found = memo.get(cur) ?? cur;
    for (const n of passed) memo.set(n, found);
    return found;
  }

  private hop(node: GraphNode, via?: Link<Node>): ProvenanceHop {
    const shape = SHAPES[node.type];
    const names = this.namesOf(node);
    const name = names.every((n) => n !== undefined) && names.length > 1 ? names.join("/") : node.display;
    const base = { type: shape?.label ?? node.type, name };
    return via ? { ...base, field: via.field, ...(via.byDependency ? { byDependency: true } : {}) } : base;
  }

  /** Names along the resource's ARM type chain, outermost first, from its inputs or else its id; unknown ones undefined. */
  private namesOf(node: GraphNode): Array<string | undefined> {
    const shape = SHAPES[node.type];
    if (!shape) return [node.azName];
    const fromId = node.id ? parseArmId(node.id).names : [];
    const out: Array<string | undefined> = shape.nameKeys.map((k, i) => known(field(node.props, k)) ?? fromId[i]);
    if (out[out.length - 1] === undefined) out[out.length - 1] = node.azName;
    return out;
  }

  private ending(hop: ProvenanceHop, origin: ExchangeOrigin): Ending {
    const e = new Ending(hop, origin, undefined);
    this.exchangeEnds.push(e);
    return e;
  }

  private unknown(reason: UnknownOrigin): Ending {
    const e = new Ending(undefined, undefined, reason);
    this.unknownEnds.push(e);
    return e;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What the stack knows of Exchange hosts
  // ---------------------------------------------------------------------------------------------------------------

  private addKey(id: string | undefined, arm: string, name: string | undefined, rg: string | undefined, keyed: Omit<Keyed, "rg">): void {
    if (id !== undefined && !this.keyById.has(normalizeId(id))) this.keyById.set(normalizeId(id), { rg, ...keyed });
    if (name !== undefined) {
      const k = `${arm}|${name.toLowerCase()}`;
      push(this.keyByName, k, { rg, ...keyed });
    }
  }

  /** A host's machine and disks: by id and name for references from outside, and its disks in the stack as roots. */
  private indexHost(h: Host): void {
    const vm = h.vm;
    const shape = SHAPES[vm.type];
    const origin = this.roots.get(vm)!;
    this.addKey(vm.id, shape?.arm ?? "", vm.type === T.VM ? vm.azName : undefined, vm.rg, { hop: this.hop(vm), origin });
    if (vm.type !== T.VM) return;
    const sp = field(vm.props, "storageProfile");
    const dataDisks = arr(field(sp, "dataDisks"));
    const disks: Array<[unknown, "OS" | "data"]> = [
      [field(sp, "osDisk"), "OS"],
      ...(Array.isArray(dataDisks) ? dataDisks.map((d) => [d, "data"] as [unknown, "data"]) : []),
    ];
    for (const [d, which] of disks) {
      const diskOrigin: ExchangeOrigin = { kind: "host-disk", host: h.name, disk: which };
      const id = known(path(d, "managedDisk", "id"));
      const name = known(field(d, "name"));
      this.addKey(id, SHAPES[T.Disk].arm, name, vm.rg, {
        hop: { type: "disk", name: name ?? parseArmId(id ?? "").names.at(-1) ?? "?" },
        origin: diskOrigin,
      });
      const inStack = id ? this.inStack(parseArmId(id)) : name ? this.named(T.Disk, [name], vm.rg, true) : [];
      for (const n of inStack) if (n.type === T.Disk && !this.roots.has(n)) this.roots.set(n, diskOrigin);
    }
    // At preview the disks a host attaches are known only as dependencies of its storage profile.
    for (const n of this.graph.dependencyLinks(vm, "storageProfile", [T.Disk]).nodes) {
      if (!this.roots.has(n)) this.roots.set(n, { kind: "host-disk", host: h.name });
    }
  }

  /** A disk whose output says a host's VM uses it (`managedBy`, `managedByExtended`) is that host's disk. */
  private indexAttachedDisks(hosts: readonly Host[]): void {
    const byVmId = new Map(hosts.filter((h) => h.vm.id !== undefined).map((h) => [h.vm.id!, h] as const));
    if (byVmId.size === 0) return;
    for (const n of this.graph.ofType(T.Disk)) {
      if (this.roots.has(n)) continue;
      const extended = arr(field(n.props, "managedByExtended"));
      for (const by of [field(n.props, "managedBy"), ...(Array.isArray(extended) ? extended : [])]) {
        const id = known(by);
        const h = id === undefined ? undefined : byVmId.get(normalizeId(id));
        if (h) {
          this.roots.set(n, { kind: "host-disk", host: h.name });
          break;
        }
      }
    }
  }

  /** VMs that compromise assessments are about are Exchange hosts, also when the VM is no longer in the stack. */
  private indexAssessments(): void {
    for (const a of this.graph.ofType(T.Assessment)) {
      if (!isCandidateAssessment(a)) continue;
      const id = known(field(a.props, "resourceId")) ?? known(path(a.props, "resourceDetails", "id"));
      if (!id) continue;
      const parsed = parseArmId(id);
      if (parsed.type !== SHAPES[T.VM].arm) continue;
      const name = parsed.names.at(-1);
      this.addKey(id, parsed.type, name, parsed.resourceGroup, {
        hop: { type: "VM", name: name ?? id },
        origin: { kind: "assessed", label: `assessment ${a.input.name}` },
      });
    }
  }

  /** Snapshots kept as evidence of a compromised host (the stacks' `purpose` tag) are Exchange roots, as is the disk they copy. */
  private indexEvidence(): void {
    for (const s of this.graph.ofType(T.Snapshot)) {
      const purpose = tagValues(field(s.props, "tags"), EVIDENCE_TAG);
      if (isIndeterminate(purpose) || !purpose.some((v) => typeof v === "string" && v.trim().toLowerCase() === EVIDENCE_PURPOSE)) continue;
      this.roots.set(s, { kind: "evidence" });
      const source = known(path(s.props, "creationData", "sourceResourceId"));
      if (!source) continue;
      const parsed = parseArmId(source);
      const name = parsed.names.at(-1);
      this.addKey(source, parsed.type ?? "", name, parsed.resourceGroup, {
        hop: { type: ARM_LABEL.get(parsed.type ?? "") ?? "resource", name: name ?? source },
        origin: { kind: "evidence-source", snapshot: s.display },
      });
    }
  }

  /** The host whose generations a machine, disk or snapshot name says it belongs to (`ex02-g1-osdisk` for host ex02-g2). */
  private generationOf(name: string | undefined, rg: string | undefined): Host | undefined {
    if (name === undefined) return undefined;
    for (const stem of generationStems(name)) {
      const h = this.stems.get(stem)?.find((x) => rgCompatible(x.vm.rg, rg));
      if (h) return h;
    }
    return undefined;
  }

  private indexGenerations(): void {
    if (this.stems.size === 0) return;
    for (const n of this.graph.ofType(T.VM, T.Disk, T.Snapshot)) {
      if (this.roots.has(n)) continue;
      const h = this.generationOf(this.namesOf(n).at(-1), n.rg);
      if (h) this.roots.set(n, { kind: "generation", host: h.name });
    }
  }

  /** The versions of each gallery image of the stack: by dependency on it, or by gallery and image names. */
  private indexVersions(): void {
    for (const v of this.graph.ofType(T.GalleryImageVersion)) {
      const own = this.graph.dependencyLinks(v, "galleryImageName", [T.GalleryImage]);
      const [gallery, image] = this.namesOf(v);
      const images =
        own.nodes.length > 0 && !own.guessed ? own.nodes : gallery && image ? this.named(T.GalleryImage, [gallery, image], v.rg, true) : [];
      for (const gi of images) push(this.versionsOf, gi, v);
      if (gallery && image) push(this.versionsByName, `${gallery}|${image}`.toLowerCase(), v);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Finding what a reference names
  // ---------------------------------------------------------------------------------------------------------------

  /** Resources of `type` with these names (outermost first) in a compatible resource group; by default only those whose id is unknown. */
  private named(type: string, names: readonly string[], rg: string | undefined, anyId = false): GraphNode[] {
    const shape = SHAPES[type];
    if (!shape || names.length !== shape.nameKeys.length) return [];
    const own = names[names.length - 1].toLowerCase();
    return (this.byName.get(`${shape.arm}|${own}`) ?? []).filter((n) => {
      if (n.type !== type || (!anyId && n.id !== undefined) || !rgCompatible(n.rg, rg)) return false;
      const have = this.namesOf(n);
      return names.every((x, i) => have[i] === undefined || have[i]!.toLowerCase() === x.toLowerCase());
    });
  }

  /** The stack's resource an ARM id names, or the nearest enclosing one that records an origin. */
  private inStack(id: ArmId): GraphNode[] {
    const direct = this.graph.byNormalizedId(id.normalized);
    if (direct) return [direct];
    const type = id.type ?? "";
    const names = id.names;
    const byIdOrName = (nodeType: string, depth: number): GraphNode[] => {
      const enclosing = enclosingId(id, depth);
      const hit = enclosing ? this.graph.byNormalizedId(enclosing) : undefined;
      return hit ? [hit] : this.named(nodeType, names.slice(0, depth), id.resourceGroup);
    };
    if (type.startsWith(SHAPES[RESTORE_POINT_COLLECTION].arm)) {
      // A disk restore point belongs to a restore point, which belongs to a collection made of one VM.
      const rp = names.length >= 2 ? byIdOrName(RESTORE_POINT, 2) : [];
      return rp.length > 0 ? rp : byIdOrName(RESTORE_POINT_COLLECTION, 1);
    }
    if (type === "microsoft.compute/virtualmachinescalesets/virtualmachines") return byIdOrName(T.VMSS, 1);
    if (type === SHAPES[T.GalleryImage].arm) {
      const images = this.named(T.GalleryImage, names, id.resourceGroup);
      if (images.length > 0) return images;
      // The image definition lives elsewhere: its versions built in this stack are what "latest" may pick.
      return (this.versionsByName.get(`${names[0]}|${names[1]}`.toLowerCase()) ?? []).filter(
        (v) => (v.id === undefined || v.id.startsWith(id.normalized + "/versions/")) && rgCompatible(v.rg, id.resourceGroup),
      );
    }
    for (const [nodeType, shape] of Object.entries(SHAPES)) {
      if (shape.arm === type) return this.named(nodeType, names, id.resourceGroup);
    }
    return [];
  }

  /** A direct-shared or community gallery id: the stack's gallery whose unique name or public name it carries. */
  private publicGalleryTargets(kind: string, galleryName: string, image: string, version: string | undefined): GraphNode[] {
    if (!this.publicGalleries) {
      this.publicGalleries = new Map();
      for (const g of this.graph.ofType(T.Gallery)) {
        const unique = known(path(g.props, "identifier", "uniqueName"));
        if (unique !== undefined) push(this.publicGalleries, `shared|${unique.toLowerCase()}`, g);
        const names = arr(path(g.props, "sharingProfile", "communityGalleryInfo", "publicNames"));
        for (const n of Array.isArray(names) ? names : []) {
          const name = known(n);
          if (name !== undefined) push(this.publicGalleries, `community|${name.toLowerCase()}`, g);
        }
      }
    }
    return (this.publicGalleries.get(`${kind}|${galleryName}`.toLowerCase()) ?? []).flatMap((g) => {
      const gname = g.azName;
      if (gname === undefined) return [];
      if (version !== undefined) return this.named(T.GalleryImageVersion, [gname, image, version], g.rg, true);
      return this.named(T.GalleryImage, [gname, image], g.rg, true);
    });
  }

  /** What a known id names: the stack's resource, an Exchange host's resource the stack knows, nothing to follow, or an unknown. */
  private locate(raw: string): Node[] {
    const shared = PUBLIC_GALLERY.exec(raw.trim());
    if (shared) {
      const hits = this.publicGalleryTargets(shared[1], shared[2], shared[3], shared[4]);
      return hits.length > 0 ? hits : this.outside(raw, undefined);
    }
    const id = parseArmId(raw);
    if (PLATFORM_IMAGE.test(id.normalized)) return [];
    const hits = this.inStack(id);
    if (hits.length > 0) {
      return hits.map((n) => (SHAPES[n.type] ? n : this.unknown({ kind: "unmodelled", resourceType: n.type, name: n.display })));
    }
    return this.outside(raw, id);
  }

  /** An id outside the stack: an Exchange host's resource the stack knows, an approved image, or an origin nobody can tell. */
  private outside(raw: string, id: ArmId | undefined): Node[] {
    const normalized = normalizeId(raw);
    if (id) {
      const ids = [normalized, ...(id.type === "microsoft.compute/virtualmachinescalesets/virtualmachines" ? [enclosingId(id, 1)] : [])];
      for (const k of ids) {
        const hit = k === undefined ? undefined : this.keyById.get(k);
        if (hit) return [this.ending(hit.hop, hit.origin)];
      }
      const name = id.names.at(-1);
      const byName =
        name === undefined ? undefined : this.keyByName.get(`${id.type}|${name.toLowerCase()}`)?.find((k) => rgCompatible(k.rg, id.resourceGroup));
      if (byName) return [this.ending(byName.hop, byName.origin)];
      const label = ARM_LABEL.get(id.type ?? "");
      if (name !== undefined && (id.type === SHAPES[T.VM].arm || id.type === SHAPES[T.Disk].arm || id.type === SHAPES[T.Snapshot].arm)) {
        const h = this.generationOf(name, id.resourceGroup);
        if (h) return [this.ending({ type: label ?? "resource", name }, { kind: "generation", host: h.name })];
      }
    }
    // An image the operator approved is trusted where the stack cannot see its making.
    if (idApproved(raw, this.approved)) return [];
    return [this.unknown({ kind: "outside-stack", id: raw.trim() })];
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The "made from" links of each resource
  // ---------------------------------------------------------------------------------------------------------------

  private link(to: Node, fieldName: string, byDependency = false): Link<Node> {
    return { to, field: fieldName, byDependency };
  }

  /** The links of one id-valued field: to what the id names, or at preview to what the field's dependencies name. */
  private idLinks(from: GraphNode, fieldName: string, value: unknown, propKey: string, wanted: readonly string[]): Link<Node>[] {
    const id = str(value);
    if (id === undefined) return [];
    if (typeof id === "string") return id.trim() === "" ? [] : this.locate(id).map((to) => this.link(to, fieldName));
    if (id.kind === "malformed") return [this.link(this.unknown({ kind: "unreadable", described: id.describe() }), fieldName)];
    const { nodes, guessed } = this.graph.dependencyLinks(from, propKey, wanted);
    const out = nodes.map((n) => this.link(n, fieldName, true));
    // Candidates only plain dependencies name may leave out the real source.
    if (nodes.length === 0) out.push(this.link(this.unknown({ kind: "unknown-id", described: id.describe() }), fieldName));
    else if (guessed) out.push(this.link(this.unknown({ kind: "guessed" }), fieldName));
    return out;
  }

  /** An image reference's gallery or image ids (a marketplace publisher/offer/sku names no resource). */
  private imageRefLinks(from: GraphNode, ref: unknown, fieldName: string, propKey: string): Link<Node>[] {
    if (ref === undefined || ref === null) return [];
    if (isUnknownSentinel(ref)) return this.idLinks(from, `${fieldName}.id`, ref, propKey, IMAGES);
    return ["id", "sharedGalleryImageId", "communityGalleryImageId"].flatMap((k) =>
      this.idLinks(from, `${fieldName}.${k}`, field(ref, k), propKey, IMAGES),
    );
  }

  /** A list of sources that cannot be read: what the property's dependencies name, else unknown. */
  private unreadableListLinks(from: GraphNode, fieldName: string, list: unknown, propKey: string, wanted: readonly string[]): Link<Node>[] {
    const read = arr(list);
    if (!isIndeterminate(read)) return [];
    if (read.kind === "malformed") return [this.link(this.unknown({ kind: "unreadable", described: read.describe() }), fieldName)];
    return this.idLinks(from, fieldName, list, propKey, wanted);
  }

  /** A VHD blob source: its origin cannot be traced. */
  private blobLinks(fieldName: string, ...values: unknown[]): Link<Node>[] {
    const v = values.find((x) => x !== undefined && x !== null && x !== "");
    if (v === undefined) return [];
    const s = str(v);
    const reason: UnknownOrigin = isIndeterminate(s) && s.kind === "malformed" ? { kind: "unreadable", described: s.describe() } : { kind: "blob" };
    return [this.link(this.unknown(reason), fieldName)];
  }

  private linksOf(node: GraphNode): Link<Node>[] {
    switch (node.type) {
      case T.VM:
        return this.machineLinks(node, field(node.props, "storageProfile"), "storageProfile", "", true);
      case T.VMSS:
        return this.machineLinks(
          node,
          path(node.props, "virtualMachineProfile", "storageProfile"),
          "virtualMachineProfile",
          "virtualMachineProfile.storageProfile.",
          true,
        );
      case T.Disk:
      case T.Snapshot:
        return this.creationLinks(node);
      case T.Image:
        return this.imageLinks(node);
      case T.GalleryImageVersion:
        return this.versionLinks(node);
      case T.GalleryImage: {
        const versions = this.versionsOf.get(node) ?? [];
        return versions.length > 0 ? versions.map((v) => this.link(v, "versions")) : [this.link(this.unknown({ kind: "no-versions" }), "versions")];
      }
      case RESTORE_POINT_COLLECTION:
        return this.idLinks(node, "source.id", path(node.props, "source", "id"), "source", MACHINES);
      case RESTORE_POINT:
        return this.restorePointLinks(node);
    }
    return [];
  }

  /** Where a host's OS disk comes from: its image reference (or a user-image VHD). */
  private startLinks(h: Host): Link<Node>[] {
    if (h.vm.type === T.VM) return this.machineLinks(h.vm, field(h.vm.props, "storageProfile"), "storageProfile", "", false);
    if (h.vm.type === T.VMSS) {
      const sp = path(h.vm.props, "virtualMachineProfile", "storageProfile");
      return this.machineLinks(h.vm, sp, "virtualMachineProfile", "virtualMachineProfile.storageProfile.", false);
    }
    return [];
  }

  /**
   * A machine's sources. For a host only its OS disk's image matters; a builder machine an image is captured from is
   * also made of the disks it attaches or copies.
   */
  private machineLinks(node: GraphNode, sp: unknown, propKey: string, prefix: string, builder: boolean): Link<Node>[] {
    const os = field(sp, "osDisk");
    const out = [
      ...this.imageRefLinks(node, field(sp, "imageReference"), `${prefix}imageReference`, propKey),
      ...this.blobLinks(`${prefix}osDisk.image.uri`, path(os, "image", "uri")),
    ];
    if (!builder) return out;
    out.push(...this.diskLinks(node, os, `${prefix}osDisk`, propKey));
    const data = arr(field(sp, "dataDisks"));
    if (isIndeterminate(data)) out.push(...this.unreadableListLinks(node, `${prefix}dataDisks`, field(sp, "dataDisks"), propKey, DISK_SOURCES));
    else
      (data ?? []).forEach((d, i) =>
        out.push(
          ...this.diskLinks(node, d, `${prefix}dataDisks[${i}]`, propKey),
          ...this.blobLinks(`${prefix}dataDisks[${i}].image.uri`, path(d, "image", "uri")),
        ),
      );
    return out;
  }

  /** A machine's disk that is not made from its image: an attached disk (managed or VHD) or a copied snapshot / restore point. */
  private diskLinks(node: GraphNode, disk: unknown, fieldName: string, propKey: string): Link<Node>[] {
    const option = str(field(disk, "createOption"));
    const o = typeof option === "string" ? option.trim().toLowerCase() : undefined;
    if (o === "fromimage" || o === "empty" || (option === undefined && !isUnknownSentinel(disk))) return [];
    const out: Link<Node>[] = [];
    if (o !== "copy" && o !== "restore") {
      out.push(...this.idLinks(node, `${fieldName}.managedDisk.id`, path(disk, "managedDisk", "id"), propKey, DISK_SOURCES));
      out.push(...this.blobLinks(`${fieldName}.vhd.uri`, path(disk, "vhd", "uri")));
    }
    if (o !== "attach") out.push(...this.idLinks(node, `${fieldName}.sourceResource.id`, path(disk, "sourceResource", "id"), propKey, DISK_SOURCES));
    return out;
  }

  /** A disk's or snapshot's creationData: every field Azure records a source in. */
  private creationLinks(node: GraphNode): Link<Node>[] {
    const c = field(node.props, "creationData");
    const K = "creationData";
    const out = [
      ...this.idLinks(node, `${K}.sourceResourceId`, field(c, "sourceResourceId"), K, DISK_SOURCES),
      ...this.imageRefLinks(node, field(c, "imageReference"), `${K}.imageReference`, K),
      ...this.imageRefLinks(node, field(c, "galleryImageReference"), `${K}.galleryImageReference`, K),
      ...this.idLinks(node, `${K}.elasticSanResourceId`, field(c, "elasticSanResourceId"), K, []),
      ...this.blobLinks(`${K}.sourceUri`, field(c, "sourceUri")),
      ...this.blobLinks(`${K}.securityDataUri`, field(c, "securityDataUri")),
    ];
    const option = str(field(c, "createOption"));
    if (typeof option === "string" && /^upload/i.test(option.trim())) {
      out.push(this.link(this.unknown({ kind: "uploaded", createOption: option.trim() }), `${K}.createOption`));
    } else if (isIndeterminate(option) && !isUnknownSentinel(c)) {
      // Unknown, it may be Upload: content written after creation.
      out.push(this.link(this.unknown({ kind: "unreadable", described: option.describe() }), `${K}.createOption`));
    }
    return out;
  }

  /** A managed image: the VM it was captured from, or its OS and data disks' snapshots, managed disks and VHDs. */
  private imageLinks(node: GraphNode): Link<Node>[] {
    const sp = field(node.props, "storageProfile");
    const K = "storageProfile";
    const diskOf = (d: unknown, at: string) => [
      ...this.idLinks(node, `${at}.snapshot`, path(d, "snapshot", "id"), K, DISK_SOURCES),
      ...this.idLinks(node, `${at}.managedDisk`, path(d, "managedDisk", "id"), K, DISK_SOURCES),
      ...this.blobLinks(`${at}.blobUri`, field(d, "blobUri")),
    ];
    const out = [
      ...this.idLinks(node, "sourceVirtualMachine", path(node.props, "sourceVirtualMachine", "id"), "sourceVirtualMachine", MACHINES),
      ...diskOf(field(sp, "osDisk"), `${K}.osDisk`),
    ];
    const data = arr(field(sp, "dataDisks"));
    if (isIndeterminate(data)) out.push(...this.unreadableListLinks(node, `${K}.dataDisks`, field(sp, "dataDisks"), K, DISK_SOURCES));
    else (data ?? []).forEach((d, i) => out.push(...diskOf(d, `${K}.dataDisks[${i}]`)));
    return out;
  }

  /** A gallery image version: its source (VM, image, version, disk or snapshot) and its OS and data disk images' sources. */
  private versionLinks(node: GraphNode): Link<Node>[] {
    const sp = field(node.props, "storageProfile");
    const K = "storageProfile";
    const src = field(sp, "source");
    const diskImage = (d: unknown, at: string) => [
      ...this.idLinks(node, `${at}.source.id`, path(d, "source", "id"), K, DISK_SOURCES),
      ...this.blobLinks(`${at}.source.uri`, path(d, "source", "uri"), path(d, "source", "storageAccountId")),
    ];
    const out = [
      ...this.idLinks(node, `${K}.source.id`, field(src, "id"), K, VERSION_SOURCES),
      ...this.idLinks(node, `${K}.source.virtualMachineId`, field(src, "virtualMachineId"), K, MACHINES),
      ...this.idLinks(node, `${K}.source.communityGalleryImageId`, field(src, "communityGalleryImageId"), K, IMAGES),
      ...diskImage(field(sp, "osDiskImage"), `${K}.osDiskImage`),
    ];
    const data = arr(field(sp, "dataDiskImages"));
    if (isIndeterminate(data)) out.push(...this.unreadableListLinks(node, `${K}.dataDiskImages`, field(sp, "dataDiskImages"), K, DISK_SOURCES));
    else (data ?? []).forEach((d, i) => out.push(...diskImage(d, `${K}.dataDiskImages[${i}]`)));
    return out;
  }

  /** A restore point: the collection it belongs to (whose source is a VM) and the restore point it was copied from. */
  private restorePointLinks(node: GraphNode): Link<Node>[] {
    const K = "restorePointCollectionName";
    const raw = field(node.props, K);
    const name = known(raw);
    const deps = this.graph.dependencyLinks(node, K, [RESTORE_POINT_COLLECTION]);
    let out: Link<Node>[];
    if (deps.nodes.length > 0 && !deps.guessed) out = deps.nodes.map((n) => this.link(n, K, true));
    else if (name !== undefined) {
      const hits = this.named(RESTORE_POINT_COLLECTION, [name], node.rg, true);
      out =
        hits.length > 0
          ? hits.map((n) => this.link(n, K))
          : [this.link(this.unknown({ kind: "outside-stack", id: `restore point collection ${name}` }), K)];
    } else out = isIndeterminate(str(raw)) ? this.idLinks(node, K, raw, K, [RESTORE_POINT_COLLECTION]) : [];
    out.push(...this.idLinks(node, "sourceRestorePoint.id", path(node.props, "sourceRestorePoint", "id"), "sourceRestorePoint", RESTORE_POINTS));
    return out;
  }
}
