import { StackAnalysis } from "../model/analysis";
import { GateConfig } from "../model/gate";
import { ResourceInput } from "../model/graph";
import { Host, matchesHostTag } from "../model/hosts";
import { Registered, RegistrationIndex } from "../model/registration";
import { canonicalType, T } from "../model/resourceTypes";
import { field } from "../model/values";
import { publicAttachmentFindings } from "../model/publicAttachments";
import { StackRule, Violation } from "./types";
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

  /** Marked remediated, nothing linked yet, and nothing the gate can already hold against it. */
  pending(host: Host): boolean {
    const g = this.gateOf(host);
    return host.state === "remediated" && !host.stateUnknown && !host.hostNote && g.links.length === 0 && g.rebuiltFromScratch.length === 0;
  }

  override verified(host: Host): boolean {
    return this.pending(host) || super.verified(host);
  }
}

/** The findings the admission rules (and the public-attachment scan of the host's own NICs) give one host. */
export function judgeAtAdmission(
  scoped: readonly ResourceInput[],
  hostUrn: string,
  settings: AdmissionSettings,
  secrets: ReadonlySet<string>,
): AdmissionFinding[] {
  const a = new AdmissionAnalysis(scoped, settings.gate, settings.now, secrets);
  const host = a.hosts.find((h) => h.urn === hostUrn);
  if (!host) return [];
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
  return out;
}

/** Could this registered resource be an Exchange host's machine? (Its own tags, or tags applied to it from outside.) */
function maybeHost(e: Registered, gate: GateConfig): boolean {
  if (e.node.type !== T.VM && e.node.type !== T.VMSS) return false;
  return matchesHostTag(field(e.input.props, "tags"), gate) !== "no";
}

/**
 * One update's admission guard: the registration index, the hosts registered so far and what each was last found to
 * have, so that a later resource is blamed only for what it adds.
 */
export class AdmissionGuard {
  readonly index = new RegistrationIndex();
  private readonly verdicts = new Map<string, Set<string>>();
  /** What each judged host's neighbourhood is made of (RegistrationIndex.extent), inverted: part → hosts. */
  private readonly near = new Map<string, Set<string>>();

  /** Records `input` and answers what it must be refused for (nothing when it adds no finding to any host). */
  admit(input: ResourceInput, secrets: ReadonlySet<string>, settings: AdmissionSettings): Violation[] {
    const entry = this.index.add(input, secrets);
    const host = maybeHost(entry, settings.gate) || this.index.taggedFromOutside(entry);
    const hosts = host ? [entry] : this.hostsTouchedBy(entry);
    const out: Violation[] = [];
    for (const host of hosts) {
      const scope = this.index.neighbourhood(host.input.urn);
      for (const part of RegistrationIndex.extent(scope)) {
        let set = this.near.get(part);
        if (!set) this.near.set(part, (set = new Set()));
        set.add(host.input.urn);
      }
      const allSecrets = new Set<string>();
      for (const e of scope) for (const s of e.secrets) allSecrets.add(s);
      const findings = judgeAtAdmission(RegistrationIndex.inputs(scope), host.input.urn, settings, allSecrets);
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
    if (this.near.size === 0 || entry.node.type === T.VM || entry.node.type === T.VMSS || entry.node.type === T.NIC) return [];
    const urns = new Set<string>();
    for (const part of RegistrationIndex.reach(entry)) for (const u of this.near.get(part) ?? []) urns.add(u);
    return [...urns].map((u) => this.index.get(u)).filter((e): e is Registered => e !== undefined);
  }
}

function label(e: Registered): string {
  return `${canonicalType(e.input.type).split(":").pop()} ${e.node.display}`;
}

function refusal(entry: Registered, host: Registered, f: AdmissionFinding): string {
  const subject =
    entry === host
      ? `${label(entry)} of Exchange host ${f.host} is refused before it is created`
      : `${label(entry)} is refused before it is created: it would give Exchange host ${f.host} this finding`;
  return `${subject} (pulumi up runs stack policies only after every change is made; this stops the update first). ${f.policy}: ${f.message}`;
}
