import { StackAnalysis } from "../model/analysis";
import { GateConfig, HostGate } from "../model/gate";
import { ResourceInput } from "../model/graph";
import { Host, matchesHostTag } from "../model/hosts";
import { Registered, RegistrationIndex } from "../model/registration";
import { TEMPLATE_DEPLOYMENTS } from "../model/templateDeployments";
import { canonicalType, T } from "../model/resourceTypes";
import { field } from "../model/values";
import { publicAttachmentFindings } from "../model/publicAttachments";
import { StackRule, Violation } from "./types";
import { stateText } from "./wording";
import { unverifiedIsolated } from "./unverifiedIsolated";
import { unverifiedNotInternetExposed } from "./unverifiedNotInternetExposed";
import { verifiedExposesOnlyClientPorts } from "./verifiedExposesOnlyClientPorts";

/**
 * The guard at admission: during `pulumi up` the engine runs stack policies only after every change is made, but it
 * analyses each resource, in registration order, before creating it. So each resource is judged with what the update
 * registered before it: an Exchange host's VM (or scale set) is refused when, with that, the host would be reachable
 * from the internet, not isolated while unverified, or publicly attached; and any later resource is refused when it
 * would give an already registered host such a finding it did not have. Refused, the resource is never created and the
 * update stops.
 */

/** The stack policies whose verdicts admission holds a host to, when they are mandatory. */
export const ADMISSION_RULES: readonly StackRule[] = [unverifiedNotInternetExposed, unverifiedIsolated, verifiedExposesOnlyClientPorts];

export interface AdmissionSettings {
  readonly gate: GateConfig;
  readonly now: Date;
  /** A stack policy's own config (its trusted and forensics prefixes, client ports). */
  configOf(policy: string): Readonly<Record<string, unknown>>;
  /** Whether a stack policy is mandatory in this run (its level as configured, else its default). */
  enforced(rule: StackRule): boolean;
}

export interface AdmissionFinding {
  readonly policy: string;
  readonly host: string;
  readonly message: string;
}

/**
 * How a host can be read before its assessment is registered: an assessment names its VM's id, so it always comes
 * after the VM. A host marked remediated with nothing linked yet may turn out verified or not; until then only what
 * is wrong under either reading is held against it (a flow the verified reading forbids: a management port, a port
 * that is not a client port). Anything the gate can already decide without an assessment (its OS disk) counts as is.
 */
class AdmissionAnalysis extends StackAnalysis {
  constructor(resources: readonly ResourceInput[], gate: GateConfig, now: Date, secrets: ReadonlySet<string>) {
    super(resources, gate, now, secrets);
  }

  private readonly pendingGates = new Map<string, HostGate>();

  /** Marked remediated, nothing linked yet, and nothing the gate can already hold against it. */
  pending(host: Host): boolean {
    const g = super.gateOf(host);
    return host.state === "remediated" && !host.stateUnknown && !host.hostNote && g.links.length === 0 && g.rebuiltFromScratch.length === 0;
  }

  /** A pending host reads as verified, in every word, exactly as it will once a clean assessment links to it. */
  override gateOf(host: Host): HostGate {
    const g = super.gateOf(host);
    if (!this.pending(host)) return g;
    let read = this.pendingGates.get(host.urn);
    if (!read) this.pendingGates.set(host.urn, (read = { ...g, requiresAssessment: [], verified: true }));
    return read;
  }
}

/**
 * How the gate reads a host (what the admission rules' verdicts depend on besides the network): verified or not,
 * its effective state, and the words that say so.
 */
function readingOf(a: AdmissionAnalysis, host: Host): string {
  return `${a.verified(host)}|${a.gateOf(host).effectiveState}|${host.stateUnknown}|${stateText(a, host)}`;
}

/** The gate's reading of a host from what the gate reads of it (RegistrationIndex.gateScope). */
export function readingAtAdmission(scoped: readonly ResourceInput[], hostUrn: string, settings: AdmissionSettings): string {
  const a = new AdmissionAnalysis(scoped, settings.gate, settings.now, new Set());
  const host = a.hosts.find((h) => h.urn === hostUrn);
  return host ? readingOf(a, host) : "not a host";
}

/** The findings the admission rules (and the public-attachment scan of the host's own NICs) give one host. */
export function judgeAtAdmission(
  scoped: readonly ResourceInput[],
  hostUrn: string,
  settings: AdmissionSettings,
  secrets: ReadonlySet<string>,
): AdmissionFinding[] {
  return judgeHostAtAdmission(scoped, hostUrn, settings, secrets).findings;
}

/** The findings, and the gate's reading of the host they were made with. */
function judgeHostAtAdmission(
  scoped: readonly ResourceInput[],
  hostUrn: string,
  settings: AdmissionSettings,
  secrets: ReadonlySet<string>,
): { reading: string; findings: AdmissionFinding[] } {
  const a = new AdmissionAnalysis(scoped, settings.gate, settings.now, secrets);
  const host = a.hosts.find((h) => h.urn === hostUrn);
  if (!host) return { reading: "not a host", findings: [] };
  const out: AdmissionFinding[] = [];
  for (const rule of ADMISSION_RULES) {
    if (!settings.enforced(rule)) continue;
    for (const v of rule.evaluate(a, settings.configOf(rule.name))) {
      if (v.urn === host.urn) out.push({ policy: rule.name, host: host.name, message: v.message });
    }
  }
  if (!a.verified(host)) {
    // NICs that carry no host tag of their own escape the per-NIC check; through their VM they are the host's.
    for (const nic of host.nics) {
      if (matchesHostTag(field(nic.props, "tags"), settings.gate) !== "no") continue;
      for (const f of publicAttachmentFindings({ ...nic.input, type: nic.type })) {
        out.push({
          policy: "exchange-unverified-no-public-attachment",
          host: host.name,
          message: `host ${host.name} is not verified and its ${f.where} (a NIC without the host tag) carries ${f.what}. Fix: remove it; an Exchange host gets a public path only once marked remediated and verified.`,
        });
      }
    }
  }
  return { reading: readingOf(a, host), findings: out };
}

/** What changes how the gate reads a host, and nothing of its network: assessments and tags applied from outside. */
const GATE_ONLY: ReadonlySet<string> = new Set([T.Assessment, T.TagAtScope]);

/**
 * What opens no way to an already registered host by being registered: other machines and NICs (they join only their
 * own host's neighbourhood), and resources that matter only once something names them — and what names them comes
 * later and is judged then (a reference to one not registered yet cannot be followed, so its host was refused already).
 */
const PASSIVE: ReadonlySet<string> = new Set([
  T.VM,
  T.VMSS,
  T.NIC,
  T.VNet,
  T.Subnet,
  T.NSG,
  T.PublicIP,
  T.PublicIPPrefix,
  T.ASG,
  T.RouteTable,
  T.Disk,
  T.Snapshot,
  T.Image,
  T.Gallery,
  T.GalleryImage,
  T.GalleryImageVersion,
  T.AssessmentMetadata,
  "azure-native:resources:ResourceGroup",
]);

/** Could this registered resource be an Exchange host's machine? (Its own tags, or tags applied to it from outside.) */
function maybeHost(e: Registered, gate: GateConfig): boolean {
  // A template deployment may declare a host the pack cannot judge: the scoped analysis says whether it does.
  if (TEMPLATE_DEPLOYMENTS.has(e.node.type)) return true;
  if (e.node.type !== T.VM && e.node.type !== T.VMSS) return false;
  return matchesHostTag(field(e.node.props, "tags"), gate) !== "no";
}

/**
 * One update's admission guard: the registration index, the hosts registered so far and what each was last found to
 * have, so that a later resource is blamed only for what it adds.
 */
export class AdmissionGuard {
  readonly index = new RegistrationIndex();
  private readonly verdicts = new Map<string, Set<string>>();
  private readonly readings = new Map<string, string>();
  /** What each judged host's neighbourhood is made of (RegistrationIndex.extent), inverted: part → hosts. */
  private readonly near = new Map<string, Set<string>>();

  /** Records `input` and answers what it must be refused for (nothing when it adds no finding to any host). */
  admit(input: ResourceInput, secrets: ReadonlySet<string>, settings: AdmissionSettings): Violation[] {
    const entry = this.index.add(input, secrets);
    const host = maybeHost(entry, settings.gate) || this.index.taggedFromOutside(entry);
    const hosts = host ? [entry] : this.hostsTouchedBy(entry);
    const out: Violation[] = [];
    for (const host of hosts) {
      // An assessment or a tag set changes only how the gate reads the host: when that reading holds, nothing changed.
      if (entry !== host && GATE_ONLY.has(entry.node.type)) {
        const reading = readingAtAdmission(RegistrationIndex.inputs(this.index.gateScope(host.input.urn)), host.input.urn, settings);
        if (reading === this.readings.get(host.input.urn)) continue;
      }
      const scope = this.index.neighbourhood(host.input.urn);
      for (const part of RegistrationIndex.extent(scope)) {
        let set = this.near.get(part);
        if (!set) this.near.set(part, (set = new Set()));
        set.add(host.input.urn);
      }
      const allSecrets = new Set<string>();
      for (const e of scope) for (const s of e.secrets) allSecrets.add(s);
      const judged = judgeHostAtAdmission(RegistrationIndex.inputs(scope), host.input.urn, settings, allSecrets);
      this.readings.set(host.input.urn, judged.reading);
      const findings = judged.findings;
      const before = this.verdicts.get(host.input.urn) ?? new Set<string>();
      const now = new Set(findings.map((f) => `${f.policy}\u0000${f.message}`));
      this.verdicts.set(host.input.urn, now);
      for (const f of findings) {
        if (before.has(`${f.policy}\u0000${f.message}`)) continue;
        out.push({ message: refusal(entry, host, f) });
      }
    }
    return out;
  }

  /** What a host was last found to have, as `policy\u0000message` (undefined: not judged yet). */
  verdictOf(hostUrn: string): ReadonlySet<string> | undefined {
    return this.verdicts.get(hostUrn);
  }

  /** Hosts judged so far whose neighbourhood `entry` joins; another machine or NIC joins only its own host's. */
  private hostsTouchedBy(entry: Registered): Registered[] {
    if (this.near.size === 0 || PASSIVE.has(entry.node.type)) return [];
    const urns = new Set<string>();
    for (const part of RegistrationIndex.reach(entry)) for (const u of this.near.get(part) ?? []) urns.add(u);
    return [...urns].map((u) => this.index.get(u)).filter((e): e is Registered => e !== undefined);
  }
}

function label(e: Registered): string {
  const own = canonicalType(e.input.type).split(":").pop();
  const typed = e.node.type.split(":").pop();
  // A generic write is named as the program named it, and by what it writes.
  return own === typed ? `${own} ${e.node.display}` : `${own} ${e.input.name} (writing ${typed} ${e.node.display})`;
}

function refusal(entry: Registered, host: Registered, f: AdmissionFinding): string {
  const subject =
    entry === host
      ? `${label(entry)} of Exchange host ${f.host} is refused before it is created`
      : `${label(entry)} is refused before it is created: it would give Exchange host ${f.host} this finding`;
  return `${subject} (pulumi up runs stack policies only after every change is made; this stops the update first). ${f.policy}: ${f.message}`;
}
