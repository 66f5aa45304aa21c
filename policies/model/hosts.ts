import { Family, familySet, parseAddressPrefix } from "./addresses";
import { GraphNode, ResourceGraph } from "./graph";
import { IntervalSet } from "./intervalSet";
import { NetworkModel, NsgSlot, refProblem, SubnetView } from "./network";
import { T } from "./resourceTypes";
import { readTemplateDeployments } from "./templateDeployments";
import { unmappedWriteProblems } from "./unmappedWrites";
import { HostStateWhy, renderHostStateWhy, renderTagReading, TagReadingWhy, TagSource } from "./stateNotes";
import { arr, field, Indeterminate, isIndeterminate, isUnknownSentinel, path, present, str, UNKNOWN } from "./values";

export interface HostTagConfig {
  /** Tag whose value marks a VM as an Exchange host (name compared case-insensitively). */
  readonly hostTag: string;
  readonly hostTagValues: readonly string[];
  readonly stateTag: string;
}

export const DEFAULT_HOST_TAGS: HostTagConfig = { hostTag: "workload", hostTagValues: ["exchange"], stateTag: "remediation-state" };

export type HostState = "unverified" | "compromised" | "remediated";
const STATE_RANK: Record<HostState, number> = { remediated: 0, unverified: 1, compromised: 2 };
// Types that run a machine (scale sets, classic-provider VMs): tagged as a host, the pack cannot analyse them. Extensions and
// run commands only carry the name, and programs that tag every resource alike must not turn them into hosts.
const COMPUTE_INSTANCE_TYPE = /^(?:(?:windows|linux|orchestrated)?virtualmachine(?:scaleset(?:vm)?)?|scaleset)$/i;

/** Values of every tag whose name matches `name` case-insensitively (Azure treats tag names so). */
export function tagValues(tags: unknown, name: string): Array<string | Indeterminate> | Indeterminate {
  if (isUnknownSentinel(tags)) return UNKNOWN;
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) return [];
  const want = name.trim().toLowerCase();
  const out: Array<string | Indeterminate> = [];
  for (const k of Object.keys(tags)) {
    if (k.trim().toLowerCase() !== want) continue;
    const v = str((tags as Record<string, unknown>)[k]);
    if (v !== undefined) out.push(v);
  }
  return out;
}

export type HostMatch = "yes" | "no" | "unknown";

export function matchesHostTag(tags: unknown, cfg: HostTagConfig): HostMatch {
  const values = tagValues(tags, cfg.hostTag);
  if (isIndeterminate(values)) return "unknown";
  const wanted = cfg.hostTagValues.map((v) => v.trim().toLowerCase());
  let unknown = false;
  for (const v of values) {
    if (isIndeterminate(v)) unknown = true;
    else if (wanted.includes(v.trim().toLowerCase())) return "yes";
  }
  return unknown ? "unknown" : "no";
}

export interface StateReading {
  readonly state: HostState;
  /** Why the state is what it is when the tag did not simply say so. */
  readonly note?: string;
  /** The tag could not be read: it may say any state, so the host is judged as possibly remediated and possibly compromised. */
  readonly unknown?: boolean;
}

/** A state reading with its reason as a value (`readState` gives the same in words). */
export interface StateValue {
  readonly state: HostState;
  readonly why?: TagReadingWhy;
  readonly unknown?: boolean;
}

function reading(state: HostState, why?: TagReadingWhy, unknown?: boolean): StateValue {
  return { state, why, ...(unknown ? { unknown } : {}) };
}

/** The remediation state from a tag set; anything but a clear known value is `unverified` (fail closed). */
export function readStateValue(tags: unknown, cfg: HostTagConfig): StateValue {
  const values = tagValues(tags, cfg.stateTag);
  if (isIndeterminate(values)) return reading("unverified", { kind: "tags unreadable", how: values.describe() }, true);
  if (values.length === 0) return reading("unverified", { kind: "no state tag", tag: cfg.stateTag });
  // An unknown value anywhere wins over a bad one: the tag may say compromised, whatever order the tags came in.
  const unknownValue = values.find(isIndeterminate);
  if (unknownValue) return reading("unverified", { kind: "state tag unreadable", tag: cfg.stateTag, how: unknownValue.describe() }, true);
  const states: HostState[] = [];
  for (const v of values.filter((x): x is string => typeof x === "string")) {
    const t = v.trim().toLowerCase();
    if (t === "unverified" || t === "compromised" || t === "remediated") states.push(t);
    else return reading("unverified", { kind: "bad state value", tag: cfg.stateTag, value: v });
  }
  const worst = worstState(states);
  if (new Set(states).size > 1) return reading(worst, { kind: "conflicting state tags", tag: cfg.stateTag });
  return { state: worst };
}

/** `readStateValue` in words, of the tagged resource itself ("it has no remediation-state tag"). */
export function readState(tags: unknown, cfg: HostTagConfig): StateReading {
  const v = readStateValue(tags, cfg);
  return { state: v.state, ...(v.why ? { note: renderTagReading(v.why) } : {}), ...(v.unknown ? { unknown: true } : {}) };
}

/** A host's state note as a value and in words. */
function stateWhyFields(why: HostStateWhy | undefined): { stateWhy?: HostStateWhy; stateNote?: string } {
  return why === undefined ? {} : { stateWhy: why, stateNote: renderHostStateWhy(why) };
}

function ownTags(why: TagReadingWhy | undefined): HostStateWhy | undefined {
  return why === undefined ? undefined : { kind: "own tags", why };
}

export function worstState(states: readonly HostState[]): HostState {
  return states.reduce<HostState>((w, s) => (STATE_RANK[s] > STATE_RANK[w] ? s : w), "remediated");
}

/** A tag set another resource applies to a VM or NIC (the Tags API at scope replaces the resource's tags). */
interface ExternalTags {
  readonly from: GraphNode;
  readonly tags: unknown;
  /** Set when the scope cannot be read: the tags may land on any VM; says why. */
  readonly anyVm?: string;
}

interface ScopedTags {
  readonly byTarget: Map<string, ExternalTags[]>;
  readonly anyVm: ExternalTags[];
}

/** Every TagAtScope of the stack by the VM or NIC it tags; one whose scope cannot be followed may tag any VM. */
function tagsAtScope(graph: ResourceGraph): ScopedTags {
  const out: ScopedTags = { byTarget: new Map(), anyVm: [] };
  for (const node of graph.ofType(T.TagAtScope)) {
    const tags = path(node.props, "properties", "tags");
    const scope = field(node.props, "scope");
    const res = graph.resolve(node, scope, "scope", [T.VM, T.NIC]);
    const targets = res.targets.filter((t) => t.child.length === 0 && (t.node.type === T.VM || t.node.type === T.NIC));
    for (const t of targets) {
      let l = out.byTarget.get(t.node.urn);
      if (!l) out.byTarget.set(t.node.urn, (l = []));
      l.push({ from: node, tags });
    }
    if (targets.length === 0 && res.unresolved) out.anyVm.push({ from: node, tags, anyVm: `its scope ${res.unresolved}` });
  }
  return out;
}

export interface IpConfigView {
  /** "nic-ex01/ipconfig1" style label. */
  readonly label: string;
  readonly nicLabel: string;
  /** The resource that holds the reference (the NIC, or the VM for inline NIC configurations). */
  readonly owner: GraphNode;
  /** Top-level property of `owner` whose propertyDependencies cover this ipConfiguration. */
  readonly depKey: string;
  readonly raw: unknown;
  readonly family: Family | undefined;
  /** Exact private address when known. */
  readonly privateAddr: IntervalSet | undefined;
  readonly subnets: readonly SubnetView[];
  readonly nicNsg: NsgSlot;
  /** Keys of the ASGs this ipConfiguration belongs to; undefined when unknown. */
  readonly asgRefs: ReadonlyArray<unknown> | Indeterminate;
  readonly publicIpRef: unknown;
  /** VM-created public IP (inline NIC configuration). */
  readonly inlinePublicIp: unknown;
  readonly lbPoolRefs: ReadonlyArray<unknown> | Indeterminate;
  readonly natRuleRefs: ReadonlyArray<unknown> | Indeterminate;
  readonly agwPoolRefs: ReadonlyArray<unknown> | Indeterminate;
}

export interface Host {
  readonly vm: GraphNode;
  readonly name: string;
  readonly urn: string;
  /** The state from the VM's tag, made worse (never better) by conflicting tags on its NICs. */
  readonly state: HostState;
  /** Why the state is what it is, when the VM's own tag did not simply say so. */
  readonly stateWhy?: HostStateWhy;
  /** `stateWhy` in words. */
  readonly stateNote?: string;
  /** The state tag (on the VM or a NIC) cannot be read: possibly remediated, possibly compromised. */
  readonly stateUnknown: boolean;
  /** Set when the VM is only treated as an Exchange host because its tags cannot be read. */
  readonly hostNote?: string;
  readonly nics: readonly GraphNode[];
  readonly ipConfigs: readonly IpConfigView[];
  /** Network attachments that could not be followed; each makes exposure undecidable. */
  readonly problems: readonly string[];
  /** Normalised ids and URNs that identify this host's VM, NICs and ipConfigurations. */
  readonly identities: ReadonlySet<string>;
}

function refList(v: unknown): ReadonlyArray<unknown> | Indeterminate {
  const a = arr(v);
  if (a === undefined) return [];
  return a;
}

function privateAddress(cfg: unknown): IntervalSet | undefined {
  const ip = str(field(cfg, "privateIPAddress"));
  if (typeof ip !== "string") return undefined;
  const set = parseAddressPrefix(ip);
  return set && set.size() === 1n ? set : undefined;
}

function familyOfConfig(cfg: unknown): Family | undefined {
  const v = str(field(cfg, "privateIPAddressVersion"));
  if (typeof v === "string") {
    if (v.toLowerCase() === "ipv6") return "IPv6";
    if (v.toLowerCase() === "ipv4") return "IPv4";
  }
  const ip = str(field(cfg, "privateIPAddress"));
  if (typeof ip === "string" && ip.includes(":")) return "IPv6";
  if (typeof ip === "string" && ip.includes(".")) return "IPv4";
  // ARM's default ipConfiguration version is IPv4.
  return v === undefined ? "IPv4" : undefined;
}

/**
 * The Exchange fleet of one analysis: which VMs are hosts, their state tags, and the
 * network attachments of every ipConfiguration of every NIC (standalone or inline).
 */
export class HostInventory {
  readonly hosts: Host[] = [];
  private readonly nicOwner = new Map<string, Host>();

  constructor(
    readonly graph: ResourceGraph,
    readonly network: NetworkModel,
    readonly cfg: HostTagConfig,
  ) {
    const nicsByVm = this.nicsByVirtualMachineOutput();
    this.scopedTags = tagsAtScope(graph);
    for (const vm of graph.ofType(T.VM)) {
      const fromNicSide = nicsByVm.get(vm.urn) ?? [];
      const external = this.externalTagsOf(vm, fromNicSide);
      // Tags set on the VM or its NICs by another resource count as the VM's: the worse reading holds.
      let match = matchesHostTag(field(vm.props, "tags"), cfg);
      for (const x of external) {
        const m = x.anyVm ? (matchesHostTag(x.tags, cfg) === "no" ? "no" : "unknown") : matchesHostTag(x.tags, cfg);
        if (m === "yes" || (m === "unknown" && match === "no")) match = m;
      }
      if (match === "no") continue;
      this.hosts.push(this.buildHost(vm, match === "unknown", fromNicSide, external));
    }
    // A VM built through another resource type (classic provider, scale set) is still an Exchange host the pack cannot analyse.
    for (const node of graph.nodes) {
      if (node.type === T.VM || !COMPUTE_INSTANCE_TYPE.test(node.type.split(":").pop() ?? "")) continue;
      if (node.type === T.VMSS) {
        // A scale set is judged with its own shape: the instances' NICs are its virtualMachineProfile's inline configurations.
        if (matchesHostTag(field(node.props, "tags"), cfg) === "yes") this.hosts.push(this.scaleSetHost(node));
        continue;
      }
      if (matchesHostTag(field(node.props, "tags"), cfg) !== "yes") continue;
      this.hosts.push(this.unmodeledHost(node));
    }
    this.hosts.push(...this.templateHosts());
    // A generic ARM write the pack cannot read that lands in a host's network leaves its exposure and isolation unknown.
    for (const host of this.hosts) (host.problems as string[]).push(...unmappedWriteProblems(graph, host));
  }

  private readonly scopedTags: ScopedTags;

  /** Tag sets other resources (TagAtScope) apply to this VM or its NICs, and those whose scope cannot be read. */
  private externalTagsOf(vm: GraphNode, fromNicSide: readonly GraphNode[]): ExternalTags[] {
    if (this.scopedTags.byTarget.size === 0 && this.scopedTags.anyVm.length === 0) return [];
    const out: ExternalTags[] = [...(this.scopedTags.byTarget.get(vm.urn) ?? [])];
    for (const nic of [...this.nicsOfVm(vm), ...fromNicSide]) {
      for (const x of this.scopedTags.byTarget.get(nic.urn) ?? []) if (!out.includes(x)) out.push(x);
    }
    return [...out, ...this.scopedTags.anyVm];
  }

  /** The NICs a VM's networkProfile names (known or by dependency); only the tag lookup needs them before the host is built. */
  private nicsOfVm(vm: GraphNode): GraphNode[] {
    const refs = arr(path(vm.props, "networkProfile", "networkInterfaces"));
    if (!Array.isArray(refs)) return this.graph.dependencyCandidates(vm, "networkProfile", [T.NIC]);
    return refs.flatMap((ref) => this.graph.resolve(vm, ref, "networkProfile", [T.NIC]).targets.map((t) => t.node));
  }

  hostOfNic(urn: string): Host | undefined {
    return this.nicOwner.get(urn);
  }

  /** NICs whose output `virtualMachine.id` names a VM of this stack (attachment seen from the NIC side). */
  private nicsByVirtualMachineOutput(): Map<string, GraphNode[]> {
    const out = new Map<string, GraphNode[]>();
    for (const nic of this.graph.ofType(T.NIC)) {
      const ref = field(nic.props, "virtualMachine");
      if (ref === undefined || ref === null) continue;
      const id = str(field(ref, "id"));
      if (typeof id !== "string") continue;
      for (const t of this.graph.resolve(nic, ref, "virtualMachine", [T.VM]).targets) {
        let list = out.get(t.node.urn);
        if (!list) out.set(t.node.urn, (list = []));
        list.push(nic);
      }
    }
    return out;
  }

  private buildHost(vm: GraphNode, uncertain: boolean, nicsFromNicSide: GraphNode[], external: readonly ExternalTags[] = []): Host {
    const problems: string[] = [];
    const identities = new Set<string>([vm.urn]);
    if (vm.id) identities.add(vm.id);
    const stateReading = readStateValue(field(vm.props, "tags"), this.cfg);
    const states: HostState[] = [stateReading.state];
    let stateWhy = ownTags(stateReading.why);
    let stateUnknown = stateReading.unknown === true;
    for (const x of external) {
      // A tag set applied from outside replaces the VM's (last writer wins): either may be in force, so the worse holds.
      const r = readStateValue(x.tags, this.cfg);
      const by: TagSource = { type: x.from.type.split(":").pop() ?? x.from.type, name: x.from.display, scope: x.anyVm };
      if (r.unknown) {
        stateUnknown = true;
        stateWhy ??= { kind: "applied tags unreadable", by };
      }
      if (STATE_RANK[r.state] > STATE_RANK[worstState(states)] || (r.unknown && stateWhy === undefined)) {
        states.push(r.state);
        stateWhy = { kind: "applied tags read", by, state: r.state, why: r.why };
      } else if (STATE_RANK[r.state] < STATE_RANK[worstState(states)] && !x.anyVm && stateWhy === undefined) {
        stateWhy = { kind: "own tags against applied", own: worstState(states), by, applied: r.state };
      }
    }

    const taggedBy =
      matchesHostTag(field(vm.props, "tags"), this.cfg) === "no" ? external.find((x) => matchesHostTag(x.tags, this.cfg) === "yes") : undefined;
    if (taggedBy) {
      stateWhy = {
        kind: "tagged as host by",
        by: { type: taggedBy.from.type.split(":").pop() ?? taggedBy.from.type, name: taggedBy.from.display },
        then: stateWhy,
      };
    }

    const nics: GraphNode[] = [];
    const ipConfigs: IpConfigView[] = [];
    const profile = field(vm.props, "networkProfile");
    const nicRefs = arr(field(profile, "networkInterfaces"));
    if (isIndeterminate(nicRefs) || isUnknownSentinel(profile)) {
      const candidates = this.graph.dependencyCandidates(vm, "networkProfile", [T.NIC]);
      if (candidates.length === 0) problems.push(`the network interfaces of VM ${vm.display} are unknown at preview and no dependency names them`);
      nics.push(...candidates);
    } else {
      (nicRefs ?? []).forEach((ref, i) => {
        const res = this.graph.resolve(vm, ref, "networkProfile", [T.NIC]);
        const problem = refProblem(`network interface #${i + 1} of VM ${vm.display}`, res);
        if (problem) problems.push(problem);
        for (const t of res.targets) if (!nics.includes(t.node)) nics.push(t.node);
      });
    }
    for (const n of nicsFromNicSide) if (!nics.includes(n)) nics.push(n);

    for (const nic of nics) {
      identities.add(nic.urn);
      if (nic.id) identities.add(nic.id);
      // A NIC without the state tag says nothing; a NIC whose tag reads worse than its VM's wins.
      const nicTags = field(nic.props, "tags");
      const nicValues = tagValues(nicTags, this.cfg.stateTag);
      if (isIndeterminate(nicValues) || nicValues.length > 0) {
        const nicState = readStateValue(nicTags, this.cfg);
        if (nicState.unknown) {
          stateUnknown = true;
          stateWhy ??= { kind: "NIC tags unreadable", nic: nic.display };
        }
        if (STATE_RANK[nicState.state] > STATE_RANK[worstState(states)]) {
          states.push(nicState.state);
          stateWhy = { kind: "NIC reads", nic: nic.display, state: nicState.state, why: nicState.why };
        }
      }
      ipConfigs.push(...this.nicIpConfigs(nic, problems));
    }

    const inline = arr(field(profile, "networkInterfaceConfigurations"));
    ipConfigs.push(...this.inlineIpConfigs(vm, `VM ${vm.display}`, "networkProfile", inline, problems));
    if (nics.length === 0 && (inline === undefined || (Array.isArray(inline) && inline.length === 0)) && problems.length === 0) {
      // A VM must have a NIC; none visible means it lives outside what the pack can see.
      problems.push(`VM ${vm.display} has no network interface the pack can see`);
    }
    const host: Host = {
      vm,
      name: vm.display,
      urn: vm.urn,
      state: worstState(states),
      ...stateWhyFields(stateWhy),
      stateUnknown,
      hostNote: uncertain ? this.uncertainHostNote(vm, external) : undefined,
      nics,
      ipConfigs,
      problems,
      identities,
    };
    for (const nic of nics) this.nicOwner.set(nic.urn, host);
    return host;
  }

  private uncertainHostNote(vm: GraphNode, external: readonly ExternalTags[]): string {
    if (matchesHostTag(field(vm.props, "tags"), this.cfg) === "unknown") {
      return `the tags of VM ${vm.display} cannot be read (${isUnknownSentinel(field(vm.props, "tags")) ? "unknown at preview" : "unknown host tag"}), so it is treated as an Exchange host`;
    }
    const x = external.find((t) => t.anyVm !== undefined || matchesHostTag(t.tags, this.cfg) === "unknown");
    const label = x ? `${x.from.type.split(":").pop()} ${x.from.display}` : "another resource";
    return `${label} may set the tags of VM ${vm.display} (${x?.anyVm ?? "its tag set cannot be read"}), so it is treated as an Exchange host`;
  }

  /** ipConfigurations of inline NIC configurations (a VM's, or a scale set's virtualMachineProfile). */
  private inlineIpConfigs(owner: GraphNode, what: string, depKey: string, inline: ReturnType<typeof arr>, problems: string[]): IpConfigView[] {
    const out: IpConfigView[] = [];
    if (isIndeterminate(inline)) {
      problems.push(`the inline network interface configurations of ${what} are ${inline.describe()}`);
      return out;
    }
    (inline ?? []).forEach((nicCfg, i) => {
      const nicName = str(field(nicCfg, "name"));
      const label = typeof nicName === "string" ? nicName : `nic-config-${i + 1}`;
      const nsg = this.network.nsgSlot(owner, field(nicCfg, "networkSecurityGroup"), depKey);
      const cfgs = arr(field(nicCfg, "ipConfigurations"));
      if (isIndeterminate(cfgs)) {
        problems.push(`the ipConfigurations of inline NIC ${label} of ${what} are ${cfgs.describe()}`);
        return;
      }
      (cfgs ?? []).forEach((c, j) => {
        // Scale sets reach instances through load balancer NAT pools, which the pack does not model.
        if (present(field(c, "loadBalancerInboundNatPools"))) {
          problems.push(`ipConfiguration ${label}/#${j + 1} of ${what} is in a load balancer inbound NAT pool, which the pack does not model`);
        }
        out.push(this.ipConfigView(owner, depKey, label, c, j, nsg, true));
      });
    });
    return out;
  }

  /** An Exchange host run as a scale set: its state tags and the network of its instance profile. */
  private scaleSetHost(node: GraphNode): Host {
    const reading = readStateValue(field(node.props, "tags"), this.cfg);
    const problems: string[] = [];
    const vmProfile = field(node.props, "virtualMachineProfile");
    const inline = arr(path(vmProfile, "networkProfile", "networkInterfaceConfigurations"));
    const ipConfigs = this.inlineIpConfigs(node, `scale set ${node.display}`, "virtualMachineProfile", inline, problems);
    if (ipConfigs.length === 0 && problems.length === 0)
      problems.push(`scale set ${node.display} has no network interface configuration the pack can see`);
    return this.nicLessHost(node, reading, ipConfigs, problems);
  }

  /**
   * ARM template deployments that declare a machine carrying the host tag (or tags the pack cannot evaluate), or whose
   * template it cannot read: one host per deployment, named by it and the template's machine, that no policy can judge.
   */
  private templateHosts(): Host[] {
    const reading = readTemplateDeployments(this.graph);
    if (reading.machines.length === 0 && reading.opaque.length === 0) return [];
    const byDeployment = new Map<string, { node: GraphNode; machines: (typeof reading.machines)[number][]; opaque: string[] }>();
    const entry = (node: GraphNode) => {
      let e = byDeployment.get(node.urn);
      if (!e) byDeployment.set(node.urn, (e = { node, machines: [], opaque: [] }));
      return e;
    };
    for (const m of reading.machines) if (matchesHostTag(m.tags, this.cfg) !== "no") entry(m.deployment).machines.push(m);
    for (const o of reading.opaque) entry(o.deployment).opaque.push(o.why);
    const out: Host[] = [];
    for (const { node, machines, opaque } of byDeployment.values()) {
      const kind = `${node.type.split(":").pop()} ${node.display}`;
      const first = machines[0]?.name ?? "(a VM its template may declare)";
      const name = `${node.display}/${first}${machines.length > 1 ? ` and ${machines.length - 1} more` : ""}`;
      const readings = machines.map((m) => readStateValue(m.tags, this.cfg));
      const states = readings.map((r) => r.state);
      const tagged = machines.some((m) => matchesHostTag(m.tags, this.cfg) === "yes");
      const problems = [
        ...machines.map(
          (m) =>
            `VM ${m.name} is declared in the ARM template of ${kind}; the pack does not read what a template deploys (the VM's NICs, NSGs and public IPs), so it cannot judge this host; declare the host with azure-native resources (compute:VirtualMachine and its network) so every policy can judge it`,
        ),
        ...opaque.map(
          (why) =>
            `${kind}: ${why}, so it may declare an Exchange VM the pack cannot see; inline the template, or declare the host with azure-native resources`,
        ),
      ];
      out.push({
        vm: node,
        name,
        urn: node.urn,
        state: worstState(states.length > 0 ? states : ["unverified"]),
        ...stateWhyFields(ownTags(readings.find((r) => r.why)?.why)),
        stateUnknown: opaque.length > 0 || readings.some((r) => r.unknown === true),
        hostNote: tagged
          ? undefined
          : `${kind} may deploy an Exchange VM (its template's tags or resources cannot be read), so it is treated as an Exchange host`,
        nics: [],
        ipConfigs: [],
        problems,
        identities: new Set([node.urn, ...(node.id ? [node.id] : [])]),
      });
    }
    return out;
  }

  private unmodeledHost(node: GraphNode): Host {
    return this.nicLessHost(
      node,
      readStateValue(field(node.props, "tags"), this.cfg),
      [],
      [
        `${node.type} ${node.display} is tagged as an Exchange host but the pack only analyses azure-native:compute:VirtualMachine; build the host with azure-native so its network can be judged`,
      ],
    );
  }

  /** A host that is not a VM with NICs (a scale set, or a type the pack does not model). */
  private nicLessHost(node: GraphNode, reading: StateValue, ipConfigs: IpConfigView[], problems: string[]): Host {
    return {
      vm: node,
      name: node.display,
      urn: node.urn,
      state: reading.state,
      ...stateWhyFields(ownTags(reading.why)),
      stateUnknown: reading.unknown === true,
      nics: [],
      ipConfigs,
      problems,
      identities: new Set([node.urn, ...(node.id ? [node.id] : [])]),
    };
  }

  private nicIpConfigs(nic: GraphNode, problems: string[]): IpConfigView[] {
    const nsg = this.network.nsgSlot(nic, field(nic.props, "networkSecurityGroup"), "networkSecurityGroup");
    const cfgs = arr(field(nic.props, "ipConfigurations"));
    if (isIndeterminate(cfgs)) {
      problems.push(`the ipConfigurations of NIC ${nic.display} are ${cfgs.describe()}`);
      return [];
    }
    if (!cfgs || cfgs.length === 0) {
      problems.push(`NIC ${nic.display} has no ipConfigurations`);
      return [];
    }
    return cfgs.map((c, j) => this.ipConfigView(nic, "ipConfigurations", nic.display, c, j, nsg, false));
  }

  private ipConfigView(
    owner: GraphNode,
    depKey: string,
    nicLabel: string,
    cfg: unknown,
    index: number,
    nicNsg: NsgSlot,
    inline: boolean,
  ): IpConfigView {
    const name = str(field(cfg, "name"));
    const label = `${nicLabel}/${typeof name === "string" ? name : `ipconfig #${index + 1}`}`;
    const subnetRef = field(cfg, "subnet");
    const subnets = present(subnetRef) ? this.network.subnetViews(owner, subnetRef, depKey) : [];
    return {
      label,
      nicLabel,
      owner,
      depKey,
      raw: cfg,
      family: familyOfConfig(cfg),
      privateAddr: privateAddress(cfg),
      subnets,
      nicNsg,
      asgRefs: refList(field(cfg, "applicationSecurityGroups")),
      publicIpRef: inline ? undefined : field(cfg, "publicIPAddress"),
      inlinePublicIp: inline ? field(cfg, "publicIPAddressConfiguration") : undefined,
      lbPoolRefs: refList(field(cfg, "loadBalancerBackendAddressPools")),
      natRuleRefs: refList(field(cfg, "loadBalancerInboundNatRules")),
      agwPoolRefs: refList(field(cfg, "applicationGatewayBackendAddressPools")),
    };
  }
}

/** The local end for NSG matching: exact address, else the subnet's range, else the whole family. */
export function localAddrs(ip: IpConfigView, subnet: SubnetView | undefined): IntervalSet {
  if (ip.privateAddr) return ip.privateAddr;
  if (subnet?.prefixes) return subnet.prefixes.intersect(familySet(ip.family));
  return familySet(ip.family);
}
