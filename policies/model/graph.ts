import { ArmId, childPath, parseArmId, topLevelId } from "./armIds";
import { readGenericWrite, UnmappedWrite } from "./genericResources";
import { canonicalType, TYPE_INFO } from "./resourceTypes";
import { field, isIndeterminate, isUnknownSentinel, str } from "./values";

/** One resource as the engine reports it to a policy (stack outputs, or inputs for a single resource). */
export interface ResourceInput {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: unknown;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly parent?: string;
}

export class GraphNode {
  /** Canonical type token. */
  readonly type: string;
  /** Normalised ARM id when known. */
  readonly id: string | undefined;
  /** The resource's Azure name when known (input name, output `name`, or the id's last name). */
  readonly azName: string | undefined;
  /** Resource group, lower case, when known. */
  readonly rg: string | undefined;
  /** Subscription id, lower case, when the resource's own id is known. */
  readonly subscription: string | undefined;
  /** Names of the parents for child resources (from inputs), outermost first; undefined entries are unknown. */
  readonly parentNames: ReadonlyArray<string | undefined>;

  constructor(readonly input: ResourceInput) {
    this.type = canonicalType(input.type);
    const props = input.props;
    const idRead = str(field(props, "id"));
    const parsed = typeof idRead === "string" && idRead.trim() !== "" ? parseArmId(idRead) : undefined;
    this.id = parsed?.normalized;
    const info = TYPE_INFO[this.type];
    const inputName = info ? str(field(props, info.nameKey)) : undefined;
    const outName = str(field(props, "name"));
    this.azName =
      typeof inputName === "string" && inputName !== ""
        ? inputName
        : typeof outName === "string" && outName !== ""
          ? outName
          : parsed && parsed.names.length > 0
            ? parsed.names[parsed.names.length - 1]
            : undefined;
    const rgRead = str(field(props, "resourceGroupName"));
    this.rg = typeof rgRead === "string" && rgRead !== "" ? rgRead.toLowerCase() : parsed?.resourceGroup;
    this.subscription = parsed?.subscription;
    const parentNames: Array<string | undefined> = [];
    for (const k of info?.parentKeys ?? []) {
      const v = str(field(props, k));
      parentNames.push(typeof v === "string" && v !== "" ? v : undefined);
    }
    if (parsed && parentNames.some((n) => n === undefined) && parsed.names.length === parentNames.length + 1) {
      parsed.names.slice(0, -1).forEach((n, i) => (parentNames[i] ??= n));
    }
    this.parentNames = parentNames;
  }

  get urn(): string {
    return this.input.urn;
  }
  get props(): unknown {
    return this.input.props;
  }
  /** A short name for messages: the Azure name if known, else the Pulumi resource name. */
  get display(): string {
    return this.azName ?? this.input.name;
  }
  get propertyDependencies(): Readonly<Record<string, readonly string[]>> {
    return this.input.propertyDependencies ?? {};
  }
  get dependencies(): readonly string[] {
    return this.input.dependencies ?? [];
  }
}

/** Where a reference points. `child` is the path inside the target ([type, name]); a name of undefined means "any child of that type". */
export interface RefTarget {
  readonly node: GraphNode;
  readonly child: ReadonlyArray<readonly [string, string | undefined]>;
  /** False when the link was guessed from dependencies or names, not proved by an id. */
  readonly certain: boolean;
}

export interface RefResolution {
  readonly targets: RefTarget[];
  /** Known ids that point outside this stack. */
  readonly external: string[];
  /** Set when a reference exists but could not be followed; says why. */
  readonly unresolved?: string;
}

const NONE: RefResolution = { targets: [], external: [] };

/**
 * The resource graph of one analysis, built once: resources by URN, by normalised ARM id,
 * and by (ARM type, name), with reference resolution that falls back from ids to
 * propertyDependencies / dependencies when ids are unknown at preview.
 */
export class ResourceGraph {
  readonly nodes: GraphNode[];
  /** Generic ARM writes the graph could not read as the typed resource they write; they stay nodes of their own type. */
  readonly unmappedWrites: readonly UnmappedWrite[];
  private readonly byUrn = new Map<string, GraphNode>();
  private readonly byId = new Map<string, GraphNode>();
  private readonly byType = new Map<string, GraphNode[]>();
  private readonly byArmName = new Map<string, GraphNode[]>();

  constructor(resources: readonly ResourceInput[]) {
    const unmapped: UnmappedWrite[] = [];
    // A generic ARM write joins the graph as the typed resource it writes, so every path module reads it like one.
    this.nodes = resources.map((r) => {
      const generic = readGenericWrite(r);
      if (generic?.kind === "unmapped") unmapped.push(generic.write);
      return new GraphNode(generic?.kind === "typed" ? generic.input : r);
    });
    this.unmappedWrites = unmapped;
    for (const n of this.nodes) {
      this.byUrn.set(n.urn, n);
      if (n.id) this.byId.set(n.id, n);
      let list = this.byType.get(n.type);
      if (!list) this.byType.set(n.type, (list = []));
      list.push(n);
      const info = TYPE_INFO[n.type];
      if (info && n.azName) {
        const key = `${info.arm}|${n.azName.toLowerCase()}`;
        let named = this.byArmName.get(key);
        if (!named) this.byArmName.set(key, (named = []));
        named.push(n);
      }
    }
  }

  node(urn: string): GraphNode | undefined {
    return this.byUrn.get(urn);
  }

  ofType(...types: string[]): GraphNode[] {
    if (types.length === 1) return this.byType.get(types[0]) ?? [];
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  byNormalizedId(id: string): GraphNode | undefined {
    return this.byId.get(id);
  }

  /** Nodes of `type` with this Azure name (case-insensitive). */
  named(type: string, name: string): GraphNode[] {
    const info = TYPE_INFO[type];
    if (!info) return this.ofType(type).filter((n) => n.azName?.toLowerCase() === name.toLowerCase());
    return this.byArmName.get(`${info.arm}|${name.toLowerCase()}`) ?? [];
  }

  /** Nodes listed as dependencies of `from` for a top-level property (or in its plain dependencies), of the given types. */
  dependencyCandidates(from: GraphNode, propKey: string | undefined, types: readonly string[]): GraphNode[] {
    return this.dependencyLinks(from, propKey, types).nodes;
  }

  /**
   * The resources a property may reference, from the engine's dependency lists. A property's own dependencies are
   * authoritative for it: when the engine sent them, plain dependencies (dependsOn, every other input) never add to or
   * replace them, even when they name nothing of the wanted types (the bypass of docs/threat-model.md row 29: an assessment's resourceId depending on a
   * NIC while dependsOn names the VM). Plain dependencies are read only when the engine sent no entry for the property;
   * `guessed` then says the link is a candidate, never proof.
   */
  dependencyLinks(from: GraphNode, propKey: string | undefined, types: readonly string[]): { nodes: GraphNode[]; guessed: boolean } {
    const want = new Set(types);
    const pick = (urns: readonly string[] | undefined) => {
      const out: GraphNode[] = [];
      for (const u of urns ?? []) {
        const n = this.byUrn.get(u);
        if (n && want.has(n.type) && !out.includes(n)) out.push(n);
      }
      return out;
    };
    const own = propKey === undefined ? undefined : from.propertyDependencies[propKey];
    if (own !== undefined && own.length > 0) return { nodes: pick(own), guessed: false };
    // The engine sends only non-empty entries: with none at all (an older engine, a stack export) plain dependencies are
    // all there is; with entries for other properties but none for this one, anything they name is only a guess.
    const noneSent = Object.keys(from.propertyDependencies).length === 0;
    return { nodes: pick(from.dependencies), guessed: propKey !== undefined && !noneSent };
  }

  /**
   * Resolves an `{ id }` sub-resource reference (or a bare id string) found in `from` under
   * the top-level property `propKey`. `types` are the resource types it may point to; for a
   * reference to a child of a resource (an LB backend pool, a VNet's inline subnet) list the
   * parent type and give `childType`.
   */
  resolve(from: GraphNode, ref: unknown, propKey: string | undefined, types: readonly string[], childType?: string): RefResolution {
    if (ref === undefined || ref === null) return NONE;
    const idValue = typeof ref === "string" ? ref : field(ref, "id");
    if (idValue === undefined && !isUnknownSentinel(ref)) return NONE;
    const id = str(idValue);
    if (typeof id === "string" && id.trim() !== "") return this.resolveKnownId(parseArmId(id), types, childType);
    const what = isIndeterminate(id) ? id.describe() : "missing";
    const { nodes: candidates, guessed } = this.dependencyLinks(from, propKey, types);
    if (candidates.length === 0) {
      return { targets: [], external: [], unresolved: `its id is ${what} and no dependency names the target` };
    }
    return {
      targets: candidates.map((node) => ({
        node,
        child: childType && !isChildType(node.type, childType) ? [[childType, undefined] as const] : [],
        certain: candidates.length === 1 && !guessed,
      })),
      external: [],
    };
  }

  private resolveKnownId(id: ArmId, types: readonly string[], childType?: string): RefResolution {
    const direct = this.byId.get(id.normalized);
    if (direct) return { targets: [{ node: direct, child: [], certain: true }], external: [] };
    const top = topLevelId(id);
    const children = childPath(id);
    if (top && children.length > 0) {
      const parent = this.byId.get(top);
      if (parent) return { targets: [{ node: parent, child: children, certain: true }], external: [] };
    }
    // Ids of resources created in this run are unknown at preview on their side; match by type and names.
    const byName = this.matchByNames(id, types);
    if (byName.length > 0) return { targets: byName, external: [] };
    void childType;
    return { targets: [], external: [id.normalized] };
  }

  private matchByNames(id: ArmId, types: readonly string[]): RefTarget[] {
    if (!id.type || id.names.length === 0) return [];
    const out: RefTarget[] = [];
    const rgMatches = (n: GraphNode) => n.rg === undefined || id.resourceGroup === undefined || n.rg === id.resourceGroup;
    // Only nodes whose own id is unknown are matched here (a different known id is a different resource), so
    // their subscription is unknown too: a match by names is never proof, only a candidate.
    const candidate = (n: GraphNode) => n.id === undefined && rgMatches(n);
    // The whole id may name a standalone child resource (a Subnet) or a top-level one.
    for (const t of types) {
      const info = TYPE_INFO[t];
      if (!info) continue;
      if (info.arm === id.type) {
        for (const n of this.named(t, id.names[id.names.length - 1])) {
          const parentsOk = n.parentNames.every((p, i) => p === undefined || p.toLowerCase() === id.names[i]?.toLowerCase());
          if (parentsOk && candidate(n)) out.push({ node: n, child: [], certain: false });
        }
      } else if (id.type.startsWith(info.arm + "/")) {
        const depth = info.arm.split("/").length - 1;
        const own = id.names[depth - 1];
        if (own === undefined) continue;
        const rest = id.type.split("/").slice(depth + 1);
        const child = rest.map((ct, k) => [ct, id.names[depth + k]] as const);
        for (const n of this.named(t, own)) {
          if (candidate(n)) out.push({ node: n, child, certain: false });
        }
      }
    }
    return out;
  }
}

/**
 * Are two resources in the same resource group? "yes" when both names are known and equal or
 * both take it from the same ResourceGroup resource, "no" when known and different.
 */
export function sameResourceGroup(graph: ResourceGraph, a: GraphNode, b: GraphNode): "yes" | "no" | "unknown" {
  if (a.rg !== undefined && b.rg !== undefined) return a.rg === b.rg ? "yes" : "no";
  const da = graph.dependencyCandidates(a, "resourceGroupName", ["azure-native:resources:ResourceGroup"]);
  const db = graph.dependencyCandidates(b, "resourceGroupName", ["azure-native:resources:ResourceGroup"]);
  if (da.length === 1 && db.length === 1) return da[0] === db[0] ? "yes" : "no";
  return "unknown";
}

function isChildType(nodeType: string, childType: string): boolean {
  const info = TYPE_INFO[nodeType];
  return info !== undefined && info.arm.endsWith("/" + childType);
}
