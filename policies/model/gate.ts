import { CHECK_IDS } from "./assessmentRecord";
import { AssessmentLink, newestFirst } from "./assessments";
import { includesWave, Wave } from "./exchangeBuilds";
import { AssessmentProblem, BuildProblem, GateFinding, GateProblem, isoDate, RebuildProblem } from "./gateFindings";
import { GraphNode, ResourceGraph } from "./graph";
import { Host, HostState, HostTagConfig } from "./hosts";
import { imageVerdict } from "./images";
import { CompromiseWitness, Provenance, ProvenanceIndex } from "./provenance";
import { T } from "./resourceTypes";
import { field, isIndeterminate, path, str } from "./values";

/** Every check a record can list: what a complete assessment covers unless `requiredChecks` says otherwise. */
export const DEFAULT_REQUIRED_CHECKS: readonly string[] = CHECK_IDS;

/** The settings that decide whether a host is verified; every policy must judge with the same ones. */
export interface GateConfig extends HostTagConfig {
  readonly maxAssessmentAgeDays: number;
  readonly requiredChecks: readonly string[];
  readonly investigationWindowStart: Date;
  readonly securityBaseline: Wave;
  readonly approvedImages: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The gate's verdict on one host: the three gate policies' findings and what follows from them. */
export interface HostGate {
  readonly host: Host;
  readonly links: readonly AssessmentLink[];
  /** The newest linked assessment (by completedAt), if any. */
  readonly newest: AssessmentLink | undefined;
  /** Compromised or Unhealthy assessments linked to this VM, certain or not. */
  readonly compromisedAssessments: readonly AssessmentLink[];
  /** The tag state, made `compromised` by any compromised assessment. */
  readonly effectiveState: HostState;
  readonly requiresAssessment: readonly GateFinding<AssessmentProblem>[];
  readonly buildPatched: readonly GateFinding<BuildProblem>[];
  readonly rebuiltFromScratch: readonly GateFinding<RebuildProblem>[];
  /** Marked remediated and none of the three gate policies finds anything wrong. */
  readonly verified: boolean;
}

function ageDays(from: Date, now: Date): number {
  return Math.floor((now.getTime() - from.getTime()) / DAY_MS);
}

/** exchange-remediated-requires-assessment for one host marked remediated. */
export function assessmentFindings(host: string, links: readonly AssessmentLink[], cfg: GateConfig, now: Date): GateFinding<AssessmentProblem>[] {
  if (links.length === 0) return [{ host, kind: "no-assessment" }];
  const ordered = newestFirst(links);
  const undated = ordered.filter((l) => !l.assessment.completedAt);
  if (undated.length > 0) {
    const a = undated[0].assessment;
    const about = (kind?: string) => a.findings.find((f) => f.field === "additionalData.completedAt" && (kind === undefined || f.kind === kind));
    const why = (about("unknown") ?? about())?.text ?? "it has no usable completedAt";
    return [{ host, kind: "newest-undated", label: a.label, why }];
  }
  const newest = ordered[0];
  const a = newest.assessment;
  const out: GateFinding<AssessmentProblem>[] = [];
  if (!newest.certain) out.push({ host, kind: "uncertain-link", label: a.label, how: newest.how });
  const unknowns = a.findings.filter((f) => f.kind === "unknown");
  if (unknowns.length > 0) out.push({ host, kind: "unknown-at-preview", label: a.label, unknowns });
  if (a.saysCompromised) {
    out.push({ host, kind: "found-compromised", label: a.label, completedAt: a.completedAt! });
    return out;
  }
  if (a.verdict !== "clean") out.push({ host, kind: "not-clean", label: a.label });
  for (const problem of a.findings) if (problem.kind !== "unknown") out.push({ host, kind: "malformed", label: a.label, problem });
  const age = ageDays(a.completedAt!, now);
  if (age > cfg.maxAssessmentAgeDays) out.push({ host, kind: "too-old", ageDays: age, limitDays: cfg.maxAssessmentAgeDays });
  const have = new Set(a.checks.map((c) => c.toLowerCase()));
  const missing = cfg.requiredChecks.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length > 0) out.push({ host, kind: "missing-checks", missing });
  if (a.logsSince && a.logsSince.getTime() > cfg.investigationWindowStart.getTime()) {
    out.push({ host, kind: "logs-too-recent", logsSince: a.logsSince, windowStart: cfg.investigationWindowStart });
  }
  return out;
}

/** exchange-build-patched: the build in the host's newest clean assessment includes the baseline wave. */
export function buildFindings(host: string, newest: AssessmentLink | undefined, cfg: GateConfig): GateFinding<BuildProblem>[] {
  if (!newest || newest.assessment.saysCompromised) return [];
  const a = newest.assessment;
  if (a.verdict !== "clean") {
    // A verdict that cannot be read may be clean: then its build must still be judged, and it cannot be.
    const unknownVerdict = a.findings.find((f) => f.kind === "unknown" && (f.field === "additionalData" || f.field === "additionalData.verdict"));
    return unknownVerdict ? [{ host, kind: "verdict-unknown", label: a.label, why: unknownVerdict.text }] : [];
  }
  const raw = a.data.get("exchangeBuild");
  if (isIndeterminate(raw) && raw.kind === "unknown") return [{ host, kind: "build-unknown", label: a.label }];
  if (!a.exchangeBuild) return [{ host, kind: "build-missing", label: a.label }];
  const v = includesWave(a.exchangeBuild, cfg.securityBaseline);
  if (v.patched) return [];
  return [
    {
      host,
      kind: "build-unpatched",
      product: v.product,
      build: a.exchangeBuild,
      baseline: cfg.securityBaseline,
      reason: v.reason,
      minimumBuild: v.minimumBuild,
    },
  ];
}

/** exchange-compromised-rebuilt-from-scratch for one host: compromise history, how its OS disk was made, and from what. */
function rebuildFindings(
  graph: ResourceGraph,
  host: Host,
  compromised: readonly AssessmentLink[],
  cfg: GateConfig,
  provenance: ProvenanceIndex,
): GateFinding<RebuildProblem>[] {
  const out: GateFinding<RebuildProblem>[] = [];
  if ((host.state === "remediated" || host.stateUnknown) && compromised.length > 0) {
    const c = compromised[0].assessment;
    out.push({ host: host.name, kind: "compromised-marked-remediated", label: c.label, completedAt: c.completedAt });
  }
  const disk = osDiskFindings(graph, host.vm, host.name, cfg.approvedImages);
  out.push(...disk);
  // Only a disk made from an image has an image's ancestry; an attached or copied one is refused above.
  if (!disk.some((f) => NOT_FROM_AN_IMAGE.has(f.kind))) {
    const p = provenance.of(host);
    if (p) out.push(provenanceFinding(host.name, p));
  }
  return out;
}

const NOT_FROM_AN_IMAGE: ReadonlySet<RebuildProblem["kind"]> = new Set([
  "os-disk-unreadable",
  "create-option-unknown",
  "create-option-missing",
  "not-from-image",
  "no-image-reference",
]);

/** The model's answer on where a host's OS disk comes from, as the rebuild policy's finding. */
export function provenanceFinding(host: string, p: Provenance): GateFinding<RebuildProblem> {
  const elided = p.elided ? { elided: p.elided } : {};
  return p.kind === "descends"
    ? { host, kind: "descends-from-exchange-host", chain: p.chain, origin: p.origin, ...elided }
    : { host, kind: "ancestry-untraceable", chain: p.chain, unknown: p.unknown, witness: p.witness, ...elided };
}

/** The hosts that make an untraceable ancestry matter: found or tagged compromised, or whose state tag may say so. */
function compromiseWitnesses(hosts: readonly Host[], links: ReadonlyMap<string, AssessmentLink[]>): CompromiseWitness[] {
  const certain: CompromiseWitness[] = [];
  const possible: CompromiseWitness[] = [];
  for (const h of hosts) {
    const found = (links.get(h.urn) ?? []).find((l) => l.assessment.saysCompromised);
    if (found) certain.push({ host: h.name, by: "assessment", label: found.assessment.label });
    else if (h.state === "compromised") certain.push({ host: h.name, by: "tag" });
    else if (h.stateUnknown) possible.push({ host: h.name, by: "unreadable-tag" });
  }
  return [...certain, ...possible];
}

/** Where a machine declares its disks: a VM's storageProfile, a scale set's virtualMachineProfile.storageProfile. */
export function storageProfileOf(vm: GraphNode): { profile: unknown; depKey: string } | undefined {
  if (vm.type === T.VM) return { profile: field(vm.props, "storageProfile"), depKey: "storageProfile" };
  if (vm.type === T.VMSS) return { profile: path(vm.props, "virtualMachineProfile", "storageProfile"), depKey: "virtualMachineProfile" };
  return undefined;
}

export function osDiskFindings(graph: ResourceGraph, vm: GraphNode, host: string, approvedImages: readonly string[]): GateFinding<RebuildProblem>[] {
  const shape = storageProfileOf(vm);
  if (!shape) return [{ host, kind: "os-disk-unreadable", resourceType: vm.type }];
  const profile = shape.profile;
  const osDisk = field(profile, "osDisk");
  const option = str(field(osDisk, "createOption"));
  if (isIndeterminate(option)) return [{ host, kind: "create-option-unknown", described: option.describe() }];
  if (option === undefined) return [{ host, kind: "create-option-missing" }];
  if (option.trim().toLowerCase() !== "fromimage") return [{ host, kind: "not-from-image", createOption: option }];
  const image = field(profile, "imageReference");
  if (image === undefined || image === null) return [{ host, kind: "no-image-reference" }];
  if (approvedImages.length === 0) return [];
  const verdict = imageVerdict(graph, vm, image, approvedImages, shape.depKey);
  if (verdict.kind === "approved") return [];
  if (verdict.kind === "unknown") return [{ host, kind: "image-unknown", why: verdict.why }];
  return [{ host, kind: "image-not-approved", image: verdict.image, approved: approvedImages }];
}

/**
 * The remediation gate for every host (docs/contract.md#verified-hosts-the-gate): the only place that decides "verified".
 * A host is verified when it is marked remediated and requires-assessment, build-patched and
 * rebuilt-from-scratch find nothing wrong with it.
 */
export function judgeHosts(
  graph: ResourceGraph,
  hosts: readonly Host[],
  links: ReadonlyMap<string, AssessmentLink[]>,
  cfg: GateConfig,
  now: Date,
): Map<string, HostGate> {
  const out = new Map<string, HostGate>();
  const provenance = new ProvenanceIndex(graph, hosts, compromiseWitnesses(hosts, links), cfg.approvedImages);
  for (const host of hosts) {
    const all = links.get(host.urn) ?? [];
    const ordered = newestFirst(all);
    const compromised = all.filter((l) => l.assessment.saysCompromised);
    const newest = ordered[0];
    const remediated = host.state === "remediated";
    // An unreadable state tag may say remediated: the gate must hold for it too, and the message says why it is asked.
    const judged = remediated || host.stateUnknown;
    const maybe = <P extends GateProblem>(list: GateFinding<P>[]): GateFinding<P>[] =>
      host.stateUnknown && !remediated ? list.map((f) => ({ ...f, unreadableStateTag: cfg.stateTag })) : list;
    const requiresAssessment = judged ? maybe(assessmentFindings(host.name, all, cfg, now)) : [];
    const buildPatched = judged ? maybe(buildFindings(host.name, newest, cfg)) : [];
    const rebuiltFromScratch = rebuildFindings(graph, host, compromised, cfg, provenance);
    const effectiveState: HostState = host.state === "compromised" || compromised.length > 0 ? "compromised" : host.state;
    out.set(host.urn, {
      host,
      links: all,
      newest,
      compromisedAssessments: compromised,
      effectiveState,
      requiresAssessment,
      buildPatched,
      rebuiltFromScratch,
      verified:
        remediated &&
        !host.stateUnknown &&
        !host.hostNote &&
        requiresAssessment.length === 0 &&
        buildPatched.length === 0 &&
        rebuiltFromScratch.length === 0,
    });
  }
  return out;
}

/** A short text for reports: the newest assessment's verdict and date. */
export function describeNewest(g: HostGate): string {
  if (!g.newest) return "none";
  const a = g.newest.assessment;
  const when = a.completedAt ? isoDate(a.completedAt) : "date unknown";
  const verdict = a.saysCompromised ? "compromised" : (a.verdict ?? "no verdict");
  return `${verdict} (${when})`;
}
