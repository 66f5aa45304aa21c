import { parseArmId } from "./armIds";
import { readGenericWrite } from "./genericResources";
import { GraphNode, ResourceInput } from "./graph";
import { canonicalType, T, TYPE_INFO } from "./resourceTypes";
import { arr, eachString, field, str } from "./values";

/**
 * What one update has registered so far, as the pack sees it resource by resource (Analyze inputs, in registration
 * order), indexed so that the part of it that can matter to one Exchange host — its network neighbourhood — is found
 * without walking everything: the resources a host's VM and NICs name, what those name in turn, and what names them
 * back. Per-resource inputs carry no ids and no dependencies; but each resource's inputs carry the real ARM ids of the
 * resources created before it, so an id named by a later resource is learned onto the one it names, and the scoped
 * analysis links by id as a stack analysis would.
 */

/** `microsoft.network/virtualnetworks|vnet-hub`: a top-level ARM resource by type and name, lower case. */
type Key = string;

export interface Registered {
  readonly seq: number;
  readonly input: ResourceInput;
  readonly node: GraphNode;
  /** The top-level resource this one is or belongs to (a standalone SecurityRule: its NSG). */
  readonly identity: Key | undefined;
  /** The full ARM type and names of the resource itself, for learning a child's own id. */
  readonly ownType: string | undefined;
  readonly ownNames: readonly string[];
  /** Top-level resources named by ARM ids anywhere in the inputs. */
  readonly outgoing: ReadonlySet<Key>;
  /** Subnets named by ARM ids, as `virtualnetworks|vnet/subnet` (a VNet's subnets are reached one by one). */
  readonly subnets: ReadonlySet<string>;
  /** IPv4 literals and host names (URLs included) found in any string. */
  readonly addresses: ReadonlySet<string>;
  readonly secrets: ReadonlySet<string>;
  /** The resource's own ARM id, once a later resource named it. */
  learnedId?: string;
  /** The inputs with the learned id, made once. */
  withId?: ResourceInput;
}

/** What an OS disk can be made from, at any depth. */
const DISK_CHAIN: ReadonlySet<string> = new Set([
  T.VM,
  T.VMSS,
  T.Disk,
  T.Snapshot,
  T.Image,
  T.Gallery,
  T.GalleryImage,
  T.GalleryImageVersion,
  "azure-native:compute:RestorePoint",
  "azure-native:compute:RestorePointCollection",
]);

/** Machines and NICs: many share a subnet or an NSG; one host's own are reached forward from its VM, never backwards. */
const PER_MACHINE = new Set<string>([T.VM, T.VMSS, T.NIC]);

/**
 * Types the model reads that are not in TYPE_INFO: the ARM type of the top-level resource each is or belongs to, and
 * the input naming that top-level resource (for a top-level resource, its own name).
 */
const EXTRA_NAMES: Readonly<Record<string, { arm: string; topKey: string; child?: true }>> = {
  [T.VMSS]: { arm: "microsoft.compute/virtualmachinescalesets", topKey: "vmScaleSetName" },
  "azure-native:network:VirtualNetworkGateway": { arm: "microsoft.network/virtualnetworkgateways", topKey: "virtualNetworkGatewayName" },
  "azure-native:network:PrivateEndpoint": { arm: "microsoft.network/privateendpoints", topKey: "privateEndpointName" },
  "azure-native:apimanagement:ApiManagementService": { arm: "microsoft.apimanagement/service", topKey: "serviceName" },
  "azure-native:network:NetworkManager": { arm: "microsoft.network/networkmanagers", topKey: "networkManagerName" },
  [T.PrivateZone]: { arm: "microsoft.network/privatednszones", topKey: "privateZoneName" },
  [T.PrivateRecordSet]: { arm: "microsoft.network/privatednszones", topKey: "privateZoneName", child: true },
  "azure-native:privatedns:VirtualNetworkLink": { arm: "microsoft.network/privatednszones", topKey: "privateZoneName", child: true },
  [T.PrivateZoneLegacy]: { arm: "microsoft.network/privatednszones", topKey: "privateZoneName" },
  [T.PrivateRecordSetLegacy]: { arm: "microsoft.network/privatednszones", topKey: "privateZoneName", child: true },
};

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}(?:\/32)?$/;
const URL_HOST = /[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^/:?#\s"'<>]+)/gi;
const FQDN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}\.?$/i;

/** An address a string names: a whole IPv4 literal (or its /32), or a DNS name; every host named by a URL inside it. */
function addressesIn(s: string, out: Set<string>): void {
  if (s.includes("://")) for (const m of s.matchAll(URL_HOST)) out.add(m[1].toLowerCase().replace(/\.$/, ""));
  if (s.length > 253 || !s.includes(".")) return;
  const t = s.trim();
  const c = t.charCodeAt(0);
  if (c >= 48 && c <= 57 && IPV4.test(t)) out.add(t.replace(/\/32$/, ""));
  else if (!t.includes("/") && !t.includes(" ") && FQDN.test(t)) out.add(t.toLowerCase().replace(/\.$/, ""));
}

const key = (type: string, name: string): Key => `${type.toLowerCase()}|${name.toLowerCase()}`;

/** `microsoft.network/virtualnetworks|vnet/snet` when an id names a subnet. */
function subnetKeyOfId(id: string): string | undefined {
  const m = /\/providers\/microsoft\.network\/virtualnetworks\/([^/]+)\/subnets\/([^/]+)/i.exec(id);
  return m ? `microsoft.network/virtualnetworks|${m[1].toLowerCase()}/${m[2].toLowerCase()}` : undefined;
}

/** The top-level resources an ARM id string points into: the first provider's, and an extension's host resource. */
export function keysOfId(id: string): Key[] {
  const parts = id
    .trim()
    .split("/")
    .filter((p) => p !== "");
  const out: Key[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].toLowerCase() !== "providers") continue;
    const ns = parts[i + 1];
    const type = parts[i + 2];
    const name = parts[i + 3];
    if (ns && type && name) out.push(key(`${ns}/${type}`, name));
  }
  return out;
}

function identityOf(node: GraphNode, input: ResourceInput): { identity?: Key; ownType?: string; ownNames: string[] } {
  const info = TYPE_INFO[node.type];
  if (info) {
    const segments = info.arm.split("/");
    const ownNames = [...node.parentNames.map((p) => p ?? ""), node.azName ?? ""];
    const top = segments.length > 2 ? node.parentNames[0] : node.azName;
    return { identity: top ? key(segments.slice(0, 2).join("/"), top) : undefined, ownType: info.arm, ownNames };
  }
  const extra = EXTRA_NAMES[node.type];
  if (extra) {
    const n = str(field(input.props, extra.topKey));
    const name = typeof n === "string" && n !== "" ? n : extra.child ? undefined : node.azName;
    if (!name) return { ownNames: [] };
    return extra.child ? { identity: key(extra.arm, name), ownNames: [] } : { identity: key(extra.arm, name), ownType: extra.arm, ownNames: [name] };
  }
  if (canonicalType(input.type) === "azure-native:resources:Resource") return genericIdentity(input.props);
  return { ownNames: [] };
}

/** ARM's generic PUT names its target by namespace, parent path, type and name. */
function genericIdentity(props: unknown): { identity?: Key; ownType?: string; ownNames: string[] } {
  const ns = str(field(props, "resourceProviderNamespace"));
  const parent = str(field(props, "parentResourcePath"));
  const type = str(field(props, "resourceType"));
  const name = str(field(props, "resourceName"));
  if (typeof ns !== "string" || typeof type !== "string" || typeof name !== "string") return { ownNames: [] };
  // parent path is type/name pairs; the written resource's type may itself be a path (e.g. "virtualNetworks/subnets").
  const types: string[] = [];
  const names: string[] = [];
  const pairs = typeof parent === "string" ? parent.split("/").filter((p) => p !== "") : [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    types.push(pairs[i]);
    names.push(pairs[i + 1]);
  }
  types.push(...type.split("/").filter((p) => p !== ""));
  names.push(name);
  if (types.length === 0) return { ownNames: [] };
  return {
    identity: key(`${ns}/${types[0]}`, names[0]),
    ownType: [ns, ...types].join("/").toLowerCase(),
    ownNames: names,
  };
}

function referencesOf(props: unknown): { ids: string[]; outgoing: Set<Key>; subnets: Set<string>; addresses: Set<string> } {
  const ids: string[] = [];
  const outgoing = new Set<Key>();
  const subnets = new Set<string>();
  const addresses = new Set<string>();
  eachString(props, (s) => {
    if (s.length > 20 && /\/providers\//i.test(s)) {
      ids.push(s);
      for (const k of keysOfId(s)) outgoing.add(k);
      const sub = subnetKeyOfId(s);
      if (sub) subnets.add(sub);
    } else addressesIn(s, addresses);
  });
  return { ids, outgoing, subnets, addresses };
}

/** The static private addresses a NIC (or a scale set's inline NIC) declares. */
function staticAddresses(node: GraphNode): string[] {
  const out: string[] = [];
  const fromConfigs = (cfgs: unknown) => {
    for (const c of Array.isArray(arr(cfgs)) ? (cfgs as unknown[]) : []) {
      const ip = str(field(c, "privateIPAddress"));
      if (typeof ip === "string" && ip !== "") out.push(ip);
    }
  };
  if (node.type === T.NIC) fromConfigs(field(node.props, "ipConfigurations"));
  return out;
}

export class RegistrationIndex {
  private readonly byUrn = new Map<string, Registered>();
  private readonly byIdentity = new Map<Key, Registered[]>();
  /** Resources (not machines or NICs) naming a top-level resource. */
  private readonly referrers = new Map<Key, Registered[]>();
  private readonly byAddress = new Map<string, Registered[]>();
  private seq = 0;

  get size(): number {
    return this.byUrn.size;
  }

  get(urn: string): Registered | undefined {
    return this.byUrn.get(urn);
  }

  /** Records one resource as the engine registered it; a URN seen again replaces the earlier inputs. */
  add(input: ResourceInput, secrets: ReadonlySet<string> = new Set()): Registered {
    const old = this.byUrn.get(input.urn);
    if (old) this.remove(old);
    // A generic ARM write is indexed as the typed resource it writes, as the graph will read it.
    const generic = readGenericWrite(input);
    const viewed = generic?.kind === "typed" ? generic.input : input;
    const node = new GraphNode(viewed);
    const { identity, ownType, ownNames } = identityOf(node, viewed);
    const refs = referencesOf(input.props);
    const entry: Registered = {
      seq: this.seq++,
      input,
      node,
      identity,
      ownType,
      ownNames,
      outgoing: refs.outgoing,
      subnets: refs.subnets,
      addresses: refs.addresses,
      secrets,
    };
    this.byUrn.set(input.urn, entry);
    if (identity) push(this.byIdentity, identity, entry);
    if (!PER_MACHINE.has(node.type)) {
      for (const k of refs.outgoing) if (k !== identity) push(this.referrers, k, entry);
      for (const a of refs.addresses) push(this.byAddress, a, entry);
    }
    for (const id of refs.ids) this.learn(id);
    return entry;
  }

  private remove(e: Registered): void {
    this.byUrn.delete(e.input.urn);
    const drop = (map: Map<Key, Registered[]>, k: Key) => {
      const list = map.get(k);
      if (list)
        map.set(
          k,
          list.filter((x) => x !== e),
        );
    };
    if (e.identity) drop(this.byIdentity, e.identity);
    for (const k of e.outgoing) drop(this.referrers, k);
    for (const a of e.addresses) drop(this.byAddress, a);
  }

  /**
   * An id named by a later resource is the real id of the resource it names: when exactly one registered resource
   * of that type, name (and parents) and resource group lacks an id, it is that one's.
   */
  private learn(idText: string): void {
    // An extension id ({vm id}/providers/Microsoft.Security/…) names its host resource before the second provider.
    const second = idText.toLowerCase().indexOf("/providers/", idText.toLowerCase().indexOf("/providers/") + 1);
    if (second > 0) idText = idText.slice(0, second);
    const top = keysOfId(idText)[0];
    // Most ids name a resource whose id is learned already: nothing to parse.
    if (!top || !(this.byIdentity.get(top) ?? []).some((e) => e.learnedId === undefined && e.node.id === undefined)) return;
    const id = parseArmId(idText);
    if (!id.type || id.names.length === 0) return;
    const segments = id.type.split("/");
    for (let depth = 2; depth <= segments.length; depth++) {
      const type = segments.slice(0, depth).join("/");
      const names = id.names.slice(0, depth - 1).map((n) => n.toLowerCase());
      const candidates = (this.byIdentity.get(top) ?? []).filter(
        (e) =>
          e.ownType === type &&
          e.ownNames.length === names.length &&
          e.ownNames.every((n, i) => n.toLowerCase() === names[i]) &&
          (e.node.rg === undefined || id.resourceGroup === undefined || e.node.rg === id.resourceGroup),
      );
      if (candidates.length !== 1 || candidates[0].node.id !== undefined) continue;
      const prefix = prefixOf(idText, depth);
      if (prefix && candidates[0].learnedId === undefined) candidates[0].learnedId = prefix;
    }
  }

  /**
   * Everything registered so far that can matter to the machine `urn`: forward along the ids it and its NICs name
   * (any depth, through everything but other machines and NICs), the other parts of each top-level resource reached,
   * what names a reached resource back (never a machine or NIC: they only matter through their own host), and what
   * names one of its NICs' static addresses or a DNS name that resolves to one. In registration order, each input
   * with its learned id.
   */
  neighbourhood(urn: string): Registered[] {
    const start = this.byUrn.get(urn);
    if (!start) return [];
    const seen = new Set<Registered>([start]);
    const queue: Registered[] = [start];
    const own = new Set<Registered>([start]);
    const visit = (e: Registered, ownNic = false) => {
      if (ownNic) own.add(e);
      if (seen.has(e)) return;
      seen.add(e);
      queue.push(e);
    };
    for (let qi = 0; qi < queue.length; qi++) {
      const e = queue[qi];
      const machine = PER_MACHINE.has(e.node.type);
      if (machine && !own.has(e)) continue;
      // A VNet's standalone subnets are its parts one by one: only those named are reached, not every subnet of a VNet.
      const named = (x: Registered) => x.node.type !== T.Subnet || x === e || e.subnets.has(subnetKeyOf(x));
      for (const k of e.outgoing) {
        for (const x of this.byIdentity.get(k) ?? []) if (named(x)) visit(x, e === start && x.node.type === T.NIC);
      }
      if (e.identity) {
        for (const x of this.byIdentity.get(e.identity) ?? []) if (!PER_MACHINE.has(x.node.type) && x.node.type !== T.Subnet) visit(x);
        for (const x of this.referrers.get(e.identity) ?? []) visit(x);
      }
      if (own.has(e)) for (const a of staticAddresses(e.node)) for (const x of this.byAddress.get(a) ?? []) visit(x);
      for (const fqdn of recordNames(e)) for (const x of this.byAddress.get(fqdn) ?? []) visit(x);
    }
    return [...seen].sort((a, b) => a.seq - b.seq);
  }

  /**
   * What the gate reads of a machine: the machine, its own NICs (their state tags count), tags applied to either from
   * outside, the assessments naming it, and the chain its OS disk is made from (images, galleries, disks, snapshots and
   * the machines they came from).
   */
  gateScope(urn: string): Registered[] {
    const start = this.byUrn.get(urn);
    if (!start) return [];
    const out = new Set<Registered>([start]);
    const queue: Registered[] = [start];
    for (let i = 0; i < queue.length; i++) {
      const e = queue[i];
      for (const k of e.outgoing) {
        for (const x of this.byIdentity.get(k) ?? []) {
          const follow = e === start ? x.node.type === T.NIC || DISK_CHAIN.has(x.node.type) : DISK_CHAIN.has(x.node.type);
          if (follow && !out.has(x)) {
            out.add(x);
            if (x.node.type !== T.NIC) queue.push(x);
          }
        }
      }
    }
    for (const e of [...out]) {
      if ((e !== start && e.node.type !== T.NIC) || !e.identity) continue;
      for (const x of this.referrers.get(e.identity) ?? []) if (x.node.type === T.TagAtScope || x.node.type === T.Assessment) out.add(x);
    }
    return [...out].sort((a, b) => a.seq - b.seq);
  }

  /** Does a TagAtScope registered so far name this resource (so it may be a host by tags applied from outside)? */
  taggedFromOutside(e: Registered): boolean {
    return e.identity !== undefined && (this.referrers.get(e.identity) ?? []).some((x) => x.node.type === T.TagAtScope);
  }

  /** What a registered resource can touch: the top-level resources it is part of or names, and the addresses it names. */
  static reach(e: Registered): string[] {
    return [...(e.identity ? [e.identity] : []), ...e.outgoing, ...[...e.addresses].map((a) => `@${a}`)];
  }

  /** What a neighbourhood is made of, in the same terms: its resources, what they name, its NICs' static addresses. */
  static extent(scope: readonly Registered[]): Set<string> {
    const out = new Set<string>();
    for (const e of scope) {
      if (e.identity) out.add(e.identity);
      for (const k of e.outgoing) out.add(k);
      for (const a of staticAddresses(e.node)) out.add(`@${a}`);
      for (const n of recordNames(e)) out.add(`@${n}`);
    }
    return out;
  }

  /** The inputs of these entries as a stack analysis reads them: learned ids filled in. */
  static inputs(entries: readonly Registered[]): ResourceInput[] {
    return entries.map((e) => {
      if (e.learnedId === undefined || e.node.id !== undefined || typeof e.input.props !== "object" || e.input.props === null) return e.input;
      e.withId ??= { ...e.input, props: { ...(e.input.props as Record<string, unknown>), id: e.learnedId } };
      return e.withId;
    });
  }
}

function subnetKeyOf(e: Registered): string {
  return `${e.identity ?? ""}/${(e.node.azName ?? "").toLowerCase()}`;
}

/** The names a private DNS A record set answers for: `<record>.<zone>`. */
function recordNames(e: Registered): string[] {
  if (e.node.type !== T.PrivateRecordSet && e.node.type !== T.PrivateRecordSetLegacy) return [];
  const zone = str(field(e.node.props, "privateZoneName"));
  const rec = str(field(e.node.props, "relativeRecordSetName"));
  if (typeof zone !== "string" || typeof rec !== "string") return [];
  return [rec === "@" ? zone.toLowerCase() : `${rec}.${zone}`.toLowerCase()];
}

/** The id up to the `depth`-th type segment after the last provider (namespace counts as the first). */
function prefixOf(idText: string, depth: number): string | undefined {
  const parts = idText
    .trim()
    .split("/")
    .filter((p) => p !== "");
  let p = -1;
  for (let k = parts.length - 1; k >= 0; k--)
    if (parts[k].toLowerCase() === "providers") {
      p = k;
      break;
    }
  if (p < 0) return undefined;
  const end = p + 2 + (depth - 1) * 2;
  if (end > parts.length) return undefined;
  return "/" + parts.slice(0, end).join("/");
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
