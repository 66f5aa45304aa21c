import { parseArmId } from "./armIds";
import { GraphNode, ResourceGraph } from "./graph";
import { Host } from "./hosts";
import { T } from "./resourceTypes";
import { field, Indeterminate, isIndeterminate, isUnknownSentinel, path, str } from "./values";

export const ASSESSMENT_KIND = "exchange-compromise";
/** How far in the future `completedAt` may lie before it is rejected: clocks of the SOC's tooling and the CI runner drift. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export type Verdict = "clean" | "compromised";

/** One `additionalData` value: a string, unknown at preview, missing, or of the wrong type. */
type DataValue = string | Indeterminate | undefined;

export interface AssessmentView {
  readonly node: GraphNode;
  readonly label: string;
  /** `additionalData.assessmentKind` is exchange-compromise (case-insensitive). */
  readonly ours: boolean;
  readonly statusCode: DataValue;
  readonly data: ReadonlyMap<string, DataValue>;
  /** The verdict the record states, when it states a valid one. */
  readonly verdict: Verdict | undefined;
  /** Negative evidence: the record says or implies compromise (verdict or status Unhealthy). */
  readonly saysCompromised: boolean;
  readonly completedAt: Date | undefined;
  readonly logsSince: Date | undefined;
  readonly checks: readonly string[];
  readonly exchangeBuild: string | undefined;
  /** Everything wrong with the record (DESIGN §3.2), each in words naming the field. */
  readonly problems: readonly string[];
  /** What could not be known at preview, in words; a gate never passes on these. */
  readonly unknowns: readonly string[];
}

export interface AssessmentLink {
  readonly assessment: AssessmentView;
  /** True when proved (matching id, or a single URN dependency); positive evidence needs a certain link. */
  readonly certain: boolean;
  readonly how: string;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict ISO-8601 instant with a zone (Z or ±hh:mm); rejects impossible dates instead of rolling them over. */
export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  // Date.parse accepts hour 24 (ES date-time format), so the hour is checked here.
  if (!validCalendar(+y, +mo, +d) || +h > 23) return undefined;
  // Stryker disable next-line all: defence in depth, Date.parse already rejects minute and second 60.
  if (+mi > 59 || (s !== undefined && +s > 59)) return undefined;
  const t = Date.parse(text.trim());
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** An ISO-8601 date (taken as 00:00 UTC) or instant. */
export function parseDateOrInstant(text: string): Date | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (m) return validCalendar(+m[1], +m[2], +m[3]) ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  return parseInstant(text);
}

function validCalendar(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  // The patterns allow four-digit years only, so 9999 needs no check.
  return d <= days && y >= 1900;
}

const BUILD_RE = /^\d{1,2}\.\d{1,2}\.\d{1,5}\.\d{1,5}$/;
const SHA256_RE = /^[0-9a-fA-F]{64}$/;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function dataMap(raw: unknown, problems: string[], unknowns: string[]): Map<string, DataValue> {
  const out = new Map<string, DataValue>();
  if (isUnknownSentinel(raw)) {
    unknowns.push("additionalData is unknown at preview");
    return out;
  }
  if (raw === undefined || raw === null) {
    problems.push("additionalData is missing");
    return out;
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    problems.push("additionalData is not an object");
    return out;
  }
  for (const k of Object.keys(raw)) {
    const v = (raw as Record<string, unknown>)[k];
    const s = str(v);
    // Azure stores additionalData values as strings only.
    if (s === undefined || (isIndeterminate(s) && s.kind === "malformed")) problems.push(`additionalData.${k} is not a string`);
    out.set(k, s);
  }
  return out;
}

/** Reads one `security.Assessment` and lists every problem with it, not only the first (DESIGN §3.2). */
export function readAssessment(node: GraphNode, now: Date): AssessmentView {
  const problems: string[] = [];
  const unknowns: string[] = [];
  const data = dataMap(field(node.props, "additionalData"), problems, unknowns);
  const get = (k: string): DataValue => data.get(k);
  const need = (k: string): string | undefined => {
    const v = get(k);
    if (isIndeterminate(v)) {
      if (v.kind === "unknown") unknowns.push(`additionalData.${k} is unknown at preview`);
      return undefined;
    }
    if (v === undefined || v.trim() === "") {
      if (!unknowns.includes("additionalData is unknown at preview")) problems.push(`additionalData.${k} is missing`);
      return undefined;
    }
    return v.trim();
  };
  const kind = get("assessmentKind");
  const ours = typeof kind === "string" && kind.trim().toLowerCase() === ASSESSMENT_KIND;

  const statusRaw = path(node.props, "status", "code");
  const statusCode = str(statusRaw);
  let statusVerdict: Verdict | undefined;
  if (isIndeterminate(statusCode)) {
    if (statusCode.kind === "unknown") unknowns.push("status.code is unknown at preview");
    else problems.push("status.code is not a string");
  } else if (statusCode === undefined) problems.push("status.code is missing");
  else {
    const c = statusCode.trim().toLowerCase();
    if (c === "healthy") statusVerdict = "clean";
    else if (c === "unhealthy") statusVerdict = "compromised";
    else if (c === "notapplicable") problems.push("status.code NotApplicable is not a result: record Healthy (clean) or Unhealthy (compromised)");
    else problems.push(`status.code "${statusCode}" is not Healthy or Unhealthy`);
  }

  const verdictText = need("verdict");
  let verdict: Verdict | undefined;
  if (verdictText !== undefined) {
    const v = verdictText.toLowerCase();
    if (v === "clean" || v === "compromised") verdict = v;
    else problems.push(`additionalData.verdict "${verdictText}" is not clean or compromised`);
  }
  if (verdict && statusVerdict && verdict !== statusVerdict) {
    problems.push(
      `verdict ${verdict} disagrees with status.code ${statusCode as string} (${verdict === "clean" ? "Healthy" : "Unhealthy"} expected)`,
    );
  }

  const completedText = need("completedAt");
  let completedAt: Date | undefined;
  if (completedText !== undefined) {
    completedAt = parseInstant(completedText);
    if (!completedAt)
      problems.push(`additionalData.completedAt "${completedText}" is not an ISO-8601 instant with a zone (e.g. 2021-04-02T10:30:00Z)`);
    else if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.push(`additionalData.completedAt ${completedText} is in the future`);
  }

  const logsText = need("logsSince");
  let logsSince: Date | undefined;
  if (logsText !== undefined) {
    logsSince = parseDateOrInstant(logsText);
    if (!logsSince) problems.push(`additionalData.logsSince "${logsText}" is not an ISO-8601 date`);
    else if (completedAt && logsSince.getTime() > completedAt.getTime()) problems.push(`additionalData.logsSince ${logsText} is after completedAt`);
  }

  const buildText = need("exchangeBuild");
  let exchangeBuild: string | undefined;
  if (buildText !== undefined) {
    if (BUILD_RE.test(buildText)) exchangeBuild = buildText;
    else problems.push(`additionalData.exchangeBuild "${buildText}" is not a build number like 15.2.792.10`);
  }

  const checksText = need("checks");
  const checks =
    checksText === undefined
      ? []
      : checksText
          .split(",")
          .map((c) => c.trim())
          .filter((c) => c !== "");
  if (checksText !== undefined && checks.length === 0) problems.push("additionalData.checks lists no check");

  const hash = need("evidenceSha256");
  if (hash !== undefined && !SHA256_RE.test(hash)) problems.push("additionalData.evidenceSha256 is not 64 hexadecimal characters");
  need("tool");
  if (kind !== undefined && !ours && !isIndeterminate(kind)) problems.push(`additionalData.assessmentKind "${kind}" is not ${ASSESSMENT_KIND}`);
  if (isIndeterminate(kind) && kind.kind === "unknown") unknowns.push("additionalData.assessmentKind is unknown at preview");

  const resourceId = str(field(node.props, "resourceId")) ?? str(path(node.props, "resourceDetails", "id"));
  if (resourceId === undefined) problems.push("resourceId is missing");
  else if (isIndeterminate(resourceId) && resourceId.kind === "malformed") problems.push("resourceId is not a string");
  else if (typeof resourceId === "string" && parseArmId(resourceId).type !== "microsoft.compute/virtualmachines") {
    problems.push(`resourceId ${resourceId} is not a virtual machine`);
  }
  const name = str(field(node.props, "assessmentName")) ?? str(field(node.props, "name"));
  if (typeof name === "string" && !GUID_RE.test(name.trim())) problems.push(`assessmentName "${name}" is not the GUID of the assessment metadata`);

  return {
    node,
    // Every record of a VM shares the metadata GUID as its Azure name: the Pulumi name is what tells them apart.
    label: `assessment ${node.input.name}`,
    ours,
    statusCode,
    data,
    verdict,
    saysCompromised: verdict === "compromised" || statusVerdict === "compromised",
    completedAt,
    logsSince,
    checks,
    exchangeBuild,
    problems,
    unknowns,
  };
}

/** True when the resource is one of ours or may be (its kind unknown at preview). */
export function isCandidateAssessment(node: GraphNode): boolean {
  if (node.type !== T.Assessment) return false;
  const data = field(node.props, "additionalData");
  if (isUnknownSentinel(data)) return true;
  const kind = str(field(data, "assessmentKind"));
  return isIndeterminate(kind) ? kind.kind === "unknown" : typeof kind === "string" && kind.trim().toLowerCase() === ASSESSMENT_KIND;
}

/**
 * Links compromise assessments to host VMs: by id (`resourceId` or `resourceDetails.id`,
 * case-insensitive, leading slash optional), and when the VM's id is unknown at preview by
 * URN through `propertyDependencies.resourceId` (authoritative when sent), or through `dependencies` when the engine
 * sent no property dependencies at all. A link that is only a
 * guess (a VM id that matches by name but the resource group is unknown) is marked uncertain:
 * it can count against a host, never for it.
 */
export function linkAssessments(graph: ResourceGraph, hosts: readonly Host[], now: Date): Map<string, AssessmentLink[]> {
  const byVm = new Map<string, AssessmentLink[]>();
  const hostVm = new Map<string, Host>();
  for (const h of hosts) hostVm.set(h.vm.urn, h);
  const push = (h: Host, link: AssessmentLink) => {
    let l = byVm.get(h.urn);
    if (!l) byVm.set(h.urn, (l = []));
    if (!l.some((x) => x.assessment.node === link.assessment.node)) l.push(link);
  };
  for (const node of graph.ofType(T.Assessment)) {
    if (!isCandidateAssessment(node)) continue;
    const view = readAssessment(node, now);
    const idRaw = field(node.props, "resourceId") ?? path(node.props, "resourceDetails", "id");
    const id = str(idRaw);
    if (typeof id === "string" && id.trim() !== "") {
      const res = graph.resolve(node, id, "resourceId", [T.VM]);
      for (const t of res.targets) {
        const h = hostVm.get(t.node.urn);
        if (h && t.child.length === 0) {
          // A certain target is the VM's own known id; otherwise only its name matched while its id is unknown.
          push(h, {
            assessment: view,
            certain: t.certain,
            how: t.certain ? "by VM id" : "by VM name, without a known matching subscription and resource group",
          });
        }
      }
      continue;
    }
    // Only the resourceId (or resourceDetails.id) links: its own property dependencies when the engine sent them, even
    // when they name a NIC and dependsOn names the VM. Plain dependencies stand in only when it sent none for either.
    const pd = node.propertyDependencies;
    const key =
      pd.resourceId && pd.resourceId.length > 0
        ? "resourceId"
        : pd.resourceDetails && pd.resourceDetails.length > 0
          ? "resourceDetails"
          : "resourceId";
    const { nodes: vms, guessed } = graph.dependencyLinks(node, key, [T.VM]);
    for (const vm of vms) {
      const h = hostVm.get(vm.urn);
      if (!h) continue;
      push(h, {
        assessment: view,
        certain: vms.length === 1 && !guessed,
        how: guessed
          ? "only by a plain dependency (its resourceId has no dependency of its own), which can count against the host, never for it"
          : "by URN (the VM id is unknown at preview)",
      });
    }
  }
  return byVm;
}

/** Orders assessments newest first by completedAt; a record without a usable date sorts first so it cannot be skipped. */
export function newestFirst(links: readonly AssessmentLink[]): AssessmentLink[] {
  return [...links].sort((a, b) => (b.assessment.completedAt?.getTime() ?? Infinity) - (a.assessment.completedAt?.getTime() ?? Infinity));
}
