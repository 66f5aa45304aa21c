import { AssessmentLink, newestFirst } from "./assessments";
import { includesWave, Wave } from "./exchangeBuilds";
import { GraphNode, ResourceGraph } from "./graph";
import { Host, HostState, HostTagConfig } from "./hosts";
import { imageVerdict } from "./images";
import { T } from "./resourceTypes";
import { field, isIndeterminate, path, str } from "./values";

export const DEFAULT_REQUIRED_CHECKS: readonly string[] = [
  "CVE-2021-26855",
  "CVE-2021-26857",
  "CVE-2021-26858",
  "CVE-2021-27065",
  "webshell-scan",
  "msert-full-scan",
];

/** The settings that decide whether a host is verified; every policy must judge with the same ones. */
export interface GateConfig extends HostTagConfig {
  readonly maxAssessmentAgeDays: number;
  readonly requiredChecks: readonly string[];
  readonly investigationWindowStart: Date;
  readonly securityBaseline: Wave;
  readonly approvedImages: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const RERUN = "re-run Test-ProxyLogon.ps1 and a full MSERT scan, ingest the output (exchange-guard ingest) and record a new assessment";

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
  readonly requiresAssessment: readonly string[];
  readonly buildPatched: readonly string[];
  readonly rebuiltFromScratch: readonly string[];
  /** Marked remediated and none of the three gate policies finds anything wrong. */
  readonly verified: boolean;
}

function ageDays(from: Date, now: Date): number {
  return Math.floor((now.getTime() - from.getTime()) / DAY_MS);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** exchange-remediated-requires-assessment for one host marked remediated. */
export function assessmentFindings(hostName: string, links: readonly AssessmentLink[], cfg: GateConfig, now: Date): string[] {
  const host = { name: hostName };
  const out: string[] = [];
  if (links.length === 0) {
    return [
      `host ${host.name} is marked remediated but no compromise assessment (security.Assessment with assessmentKind exchange-compromise) is linked to its VM: ${RERUN} for this VM`,
    ];
  }
  const ordered = newestFirst(links);
  const undated = ordered.filter((l) => !l.assessment.completedAt);
  if (undated.length > 0) {
    const a = undated[0].assessment;
    const about = (kind?: string) => a.findings.find((f) => f.field === "additionalData.completedAt" && (kind === undefined || f.kind === kind));
    const why = (about("unknown") ?? about())?.text ?? "it has no usable completedAt";
    out.push(`the newest assessment of host ${host.name} cannot be determined: ${a.label}: ${why}`);
    return out;
  }
  const newest = ordered[0];
  const a = newest.assessment;
  if (!newest.certain) out.push(`${a.label} is linked to host ${host.name} only ${newest.how}: link it by the VM's id (resourceId: vm.id)`);
  if (a.unknowns.length > 0) out.push(`${a.label} of host ${host.name} cannot be judged at preview: ${a.unknowns.join("; ")}`);
  if (a.saysCompromised) {
    out.push(
      `the newest assessment of host ${host.name} (${a.label}, ${a.completedAt!.toISOString()}) found it compromised: a compromised host is rebuilt as a new generation, never marked remediated`,
    );
    return out;
  }
  if (a.verdict !== "clean") out.push(`${a.label} of host ${host.name} does not record a clean verdict`);
  for (const p of a.problems) out.push(`${a.label} of host ${host.name} is malformed: ${p}`);
  const age = ageDays(a.completedAt!, now);
  if (age > cfg.maxAssessmentAgeDays) {
    out.push(`assessment of ${host.name} completed ${age} days ago (limit ${cfg.maxAssessmentAgeDays}): ${RERUN}`);
  }
  const have = new Set(a.checks.map((c) => c.toLowerCase()));
  const missing = cfg.requiredChecks.filter((c) => !have.has(c.toLowerCase()));
  if (missing.length > 0)
    out.push(`assessment of ${host.name} does not cover ${missing.join(", ")}: run the missing checks and record a new assessment`);
  if (a.logsSince && a.logsSince.getTime() > cfg.investigationWindowStart.getTime()) {
    out.push(
      `assessment of ${host.name} only covers logs since ${isoDate(a.logsSince)}, after the investigation window start ${isoDate(cfg.investigationWindowStart)}: a clean scan over too few logs proves nothing; restore older logs (or a backup) and re-scan, or rebuild the host`,
    );
  }
  return out;
}

/** exchange-build-patched: the build in the host's newest clean assessment includes the baseline wave. */
export function buildFindings(hostName: string, newest: AssessmentLink | undefined, cfg: GateConfig): string[] {
  const host = { name: hostName };
  if (!newest || newest.assessment.saysCompromised) return [];
  const a = newest.assessment;
  if (a.verdict !== "clean") {
    // A verdict that cannot be read may be clean: then its build must still be judged, and it cannot be.
    const unknownVerdict = a.findings.find((f) => f.kind === "unknown" && (f.field === "additionalData" || f.field === "additionalData.verdict"));
    return unknownVerdict ? [`the build of host ${host.name} cannot be judged: ${a.label}: ${unknownVerdict.text}`] : [];
  }
  const raw = a.data.get("exchangeBuild");
  if (isIndeterminate(raw) && raw.kind === "unknown")
    return [`the Exchange build of host ${host.name} is unknown at preview (${a.label} additionalData.exchangeBuild)`];
  if (!a.exchangeBuild)
    return [
      `${a.label} of host ${host.name} records no valid Exchange build: read it with HealthChecker or Get-Command ExSetup.exe and record it in additionalData.exchangeBuild`,
    ];
  const v = includesWave(a.exchangeBuild, cfg.securityBaseline);
  if (v.patched) return [];
  // Without a minimum build the reason already says what to do (upgrade the CU, migrate, update the table).
  const need = v.minimumBuild
    ? ` Install the security update (build ${v.minimumBuild} or later), then record a new assessment.`
    : " Then record a new assessment.";
  return [
    `host ${host.name} runs ${v.product} (${a.exchangeBuild}), which does not include the ${cfg.securityBaseline} security update: ${v.reason}.${need}`,
  ];
}

/** exchange-compromised-rebuilt-from-scratch for one host: compromise history and how its OS disk was made. */
function rebuildFindings(graph: ResourceGraph, host: Host, compromised: readonly AssessmentLink[], cfg: GateConfig): string[] {
  const out: string[] = [];
  if ((host.state === "remediated" || host.stateUnknown) && compromised.length > 0) {
    const c = compromised[0].assessment;
    out.push(
      `host ${host.name} was found compromised (${c.label}${c.completedAt ? `, ${c.completedAt.toISOString()}` : ""}) and is marked remediated: a compromised host is never cleaned in place; raise its generation to build a new VM from a trusted image, keep the old disk's snapshot as evidence and rotate its credentials`,
    );
  }
  out.push(...osDiskFindings(graph, host.vm, host.name, cfg.approvedImages));
  return out;
}

/** Where a machine declares its disks: a VM's storageProfile, a scale set's virtualMachineProfile.storageProfile. */
export function storageProfileOf(vm: GraphNode): { profile: unknown; depKey: string } | undefined {
  if (vm.type === T.VM) return { profile: field(vm.props, "storageProfile"), depKey: "storageProfile" };
  if (vm.type === T.VMSS) return { profile: path(vm.props, "virtualMachineProfile", "storageProfile"), depKey: "virtualMachineProfile" };
  return undefined;
}

export function osDiskFindings(graph: ResourceGraph, vm: GraphNode, hostName: string, approvedImages: readonly string[]): string[] {
  const shape = storageProfileOf(vm);
  if (!shape) {
    return [
      `host ${hostName} is a ${vm.type}, whose OS disk the pack cannot read (it reads VirtualMachine and VirtualMachineScaleSet): build it with azure-native from a trusted image`,
    ];
  }
  const profile = shape.profile;
  const osDisk = field(profile, "osDisk");
  const option = str(field(osDisk, "createOption"));
  if (isIndeterminate(option))
    return [`the OS disk create option of host ${hostName} is ${option.describe()}, so the pack cannot tell that it is built from an image`];
  if (option === undefined) return [`the OS disk of host ${hostName} declares no createOption: create it FromImage from a trusted image`];
  if (option.trim().toLowerCase() !== "fromimage") {
    return [
      `the OS disk of host ${hostName} is created with "${option}", not from an image: an attached or copied disk carries whatever was on it; build the VM from a trusted image (createOption FromImage)`,
    ];
  }
  const image = field(profile, "imageReference");
  if (image === undefined || image === null) return [`host ${hostName} has createOption FromImage but no imageReference`];
  if (approvedImages.length === 0) return [];
  const verdict = imageVerdict(graph, vm, image, approvedImages, shape.depKey);
  if (verdict.kind === "approved") return [];
  if (verdict.kind === "unknown") return [`the image of host ${hostName} cannot be checked against approvedImages: ${verdict.why}`];
  return [`host ${hostName} is built from ${verdict.image}, which is not in approvedImages: build it from one of ${approvedImages.join(", ")}`];
}

/**
 * The remediation gate for every host (DESIGN §3.1): the only place that decides "verified".
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
  for (const host of hosts) {
    const all = links.get(host.urn) ?? [];
    const ordered = newestFirst(all);
    const compromised = all.filter((l) => l.assessment.saysCompromised);
    const newest = ordered[0];
    const remediated = host.state === "remediated";
    // An unreadable state tag may say remediated: the gate must hold for it too, and the message says why it is asked.
    const judged = remediated || host.stateUnknown;
    const maybe = (list: string[]) =>
      host.stateUnknown && !remediated
        ? list.map((m) => `the ${cfg.stateTag} tag of host ${host.name} cannot be read, so it may say remediated: ${m}`)
        : list;
    const requiresAssessment = judged ? maybe(assessmentFindings(host.name, all, cfg, now)) : [];
    const buildPatched = judged ? maybe(buildFindings(host.name, newest, cfg)) : [];
    const rebuiltFromScratch = rebuildFindings(graph, host, compromised, cfg);
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
