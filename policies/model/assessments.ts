import { parseArmId } from "./armIds";
import { parseExchangeBuild } from "./exchangeBuilds";
import { GraphNode, ResourceGraph } from "./graph";
import { Host } from "./hosts";
import { T } from "./resourceTypes";
import { field, Indeterminate, isIndeterminate, isUnknownSentinel, path, str } from "./values";

export const ASSESSMENT_KIND = "exchange-compromise";
const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";
/** How far in the future `completedAt` may lie before it is rejected: clocks of the SOC's tooling and the CI runner drift. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

export type Verdict = "clean" | "compromised";

/** A host generation (docs/contract.md#remediation-states-and-transitions): 1 for the first VM, raised by one for each rebuild from scratch. */
export function isGeneration(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
}
export const GENERATION_RULE = "a whole number from 1";

/** One `additionalData` value: a string, unknown at preview, missing, or of the wrong type. */
type DataValue = string | Indeterminate | undefined;

/** What is wrong with an assessment, or unknown about it, as a value: decisions read `field` and `kind`, never `text`. */
export interface AssessmentFinding {
  /** The property path, e.g. `additionalData.completedAt`, `status.code`, `resourceId`. */
  readonly field: string;
  /** `unknown`: not known at preview; every other kind is a problem with the record. */
  readonly kind: "unknown" | "missing" | "malformed" | "invalid" | "future" | "inconsistent";
  /** The finding in words, naming the field: how it is shown. */
  readonly text: string;
}

class Findings {
  readonly items: AssessmentFinding[] = [];
  add(field: string, kind: AssessmentFinding["kind"], text: string): void {
    this.items.push({ field, kind, text });
  }
  has(field: string, kind: AssessmentFinding["kind"]): boolean {
    return this.items.some((f) => f.field === field && f.kind === kind);
  }
}

export interface AssessmentView {
  /** The resource, for an assessment in a stack; none for an assessment record file. */
  readonly node: GraphNode | undefined;
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
  /** Everything wrong with the record (docs/contract.md#the-compromise-assessment) and everything unknown at preview, as values. */
  readonly findings: readonly AssessmentFinding[];
  /** The problems (findings other than `unknown`) in words, each naming the field. */
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

const SHA256_RE = /^[0-9a-fA-F]{64}$/;
const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function dataMap(raw: unknown, f: Findings): Map<string, DataValue> {
  const out = new Map<string, DataValue>();
  if (isUnknownSentinel(raw)) {
    f.add("additionalData", "unknown", "additionalData is unknown at preview");
    return out;
  }
  if (raw === undefined || raw === null) {
    f.add("additionalData", "missing", "additionalData is missing");
    return out;
  }
  if (typeof raw !== "object" || Array.isArray(raw)) {
    f.add("additionalData", "malformed", "additionalData is not an object");
    return out;
  }
  for (const k of Object.keys(raw)) {
    const v = (raw as Record<string, unknown>)[k];
    const s = str(v);
    // Azure stores additionalData values as strings only.
    if (s === undefined || (isIndeterminate(s) && s.kind === "malformed"))
      f.add(`additionalData.${k}`, "malformed", `additionalData.${k} is not a string`);
    out.set(k, s);
  }
  return out;
}

type AssessmentData = Omit<AssessmentView, "node" | "label" | "findings" | "problems" | "unknowns">;

/**
 * The record itself: `additionalData` and, for an assessment in a stack, `status.code` (a record file has none: its
 * status follows its verdict). Every problem is listed, not only the first (docs/contract.md#the-compromise-assessment).
 */
function readData(additionalData: unknown, status: { code: unknown } | undefined, now: Date, f: Findings): AssessmentData {
  const data = dataMap(additionalData, f);
  const get = (k: string): DataValue => data.get(k);
  const need = (k: string): string | undefined => {
    const v = get(k);
    if (isIndeterminate(v)) {
      if (v.kind === "unknown") f.add(`additionalData.${k}`, "unknown", `additionalData.${k} is unknown at preview`);
      return undefined;
    }
    if (v === undefined || v.trim() === "") {
      if (!f.has("additionalData", "unknown")) f.add(`additionalData.${k}`, "missing", `additionalData.${k} is missing`);
      return undefined;
    }
    return v.trim();
  };
  const kind = get("assessmentKind");
  const ours = typeof kind === "string" && kind.trim().toLowerCase() === ASSESSMENT_KIND;

  const statusCode = status === undefined ? undefined : str(status.code);
  let statusVerdict: Verdict | undefined;
  if (status !== undefined) {
    if (isIndeterminate(statusCode)) {
      if (statusCode.kind === "unknown") f.add("status.code", "unknown", "status.code is unknown at preview");
      else f.add("status.code", "malformed", "status.code is not a string");
    } else if (statusCode === undefined) f.add("status.code", "missing", "status.code is missing");
    else {
      const c = statusCode.trim().toLowerCase();
      if (c === "healthy") statusVerdict = "clean";
      else if (c === "unhealthy") statusVerdict = "compromised";
      else if (c === "notapplicable")
        f.add("status.code", "invalid", "status.code NotApplicable is not a result: record Healthy (clean) or Unhealthy (compromised)");
      else f.add("status.code", "invalid", `status.code "${statusCode}" is not Healthy or Unhealthy`);
    }
  }

  const verdictText = need("verdict");
  let verdict: Verdict | undefined;
  if (verdictText !== undefined) {
    const v = verdictText.toLowerCase();
    if (v === "clean" || v === "compromised") verdict = v;
    else f.add("additionalData.verdict", "invalid", `additionalData.verdict "${verdictText}" is not clean or compromised`);
  }
  if (verdict && statusVerdict && verdict !== statusVerdict) {
    f.add(
      "additionalData.verdict",
      "inconsistent",
      `verdict ${verdict} disagrees with status.code ${statusCode as string} (${verdict === "clean" ? "Healthy" : "Unhealthy"} expected)`,
    );
  }

  const completedText = need("completedAt");
  let completedAt: Date | undefined;
  if (completedText !== undefined) {
    completedAt = parseInstant(completedText);
    if (!completedAt)
      f.add(
        "additionalData.completedAt",
        "malformed",
        `additionalData.completedAt "${completedText}" is not an ISO-8601 instant with a zone (e.g. 2021-04-02T10:30:00Z)`,
      );
    else if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
      f.add("additionalData.completedAt", "future", `additionalData.completedAt ${completedText} is in the future`);
  }

  const logsText = need("logsSince");
  let logsSince: Date | undefined;
  if (logsText !== undefined) {
    logsSince = parseDateOrInstant(logsText);
    if (!logsSince) f.add("additionalData.logsSince", "malformed", `additionalData.logsSince "${logsText}" is not an ISO-8601 date`);
    else if (completedAt && logsSince.getTime() > completedAt.getTime())
      f.add("additionalData.logsSince", "inconsistent", `additionalData.logsSince ${logsText} is after completedAt`);
  }

  const buildText = need("exchangeBuild");
  let exchangeBuild: string | undefined;
  if (buildText !== undefined) {
    if (parseExchangeBuild(buildText)) exchangeBuild = buildText;
    else f.add("additionalData.exchangeBuild", "malformed", `additionalData.exchangeBuild "${buildText}" is not a build number like 15.2.792.10`);
  }

  const checksText = need("checks");
  const checks =
    checksText === undefined
      ? []
      : checksText
          .split(",")
          .map((c) => c.trim())
          .filter((c) => c !== "");
  if (checksText !== undefined && checks.length === 0) f.add("additionalData.checks", "invalid", "additionalData.checks lists no check");

  const hash = need("evidenceSha256");
  if (hash !== undefined && !SHA256_RE.test(hash))
    f.add("additionalData.evidenceSha256", "malformed", "additionalData.evidenceSha256 is not 64 hexadecimal characters");
  need("tool");
  if (kind !== undefined && !ours && !isIndeterminate(kind))
    f.add("additionalData.assessmentKind", "invalid", `additionalData.assessmentKind "${kind}" is not ${ASSESSMENT_KIND}`);
  if (isIndeterminate(kind) && kind.kind === "unknown")
    f.add("additionalData.assessmentKind", "unknown", "additionalData.assessmentKind is unknown at preview");

  return {
    ours,
    statusCode,
    data,
    verdict,
    saysCompromised: verdict === "compromised" || statusVerdict === "compromised",
    completedAt,
    logsSince,
    checks,
    exchangeBuild,
  };
}

function view(node: GraphNode | undefined, label: string, data: AssessmentData, f: Findings): AssessmentView {
  return {
    node,
    label,
    ...data,
    findings: f.items,
    problems: f.items.filter((x) => x.kind !== "unknown").map((x) => x.text),
    unknowns: f.items.filter((x) => x.kind === "unknown").map((x) => x.text),
  };
}

/** Reads one `security.Assessment` resource: its record, and the link fields (resourceId, assessmentName). */
export function readAssessment(node: GraphNode, now: Date): AssessmentView {
  const f = new Findings();
  const data = readData(field(node.props, "additionalData"), { code: path(node.props, "status", "code") }, now, f);
  const resourceId = str(field(node.props, "resourceId")) ?? str(path(node.props, "resourceDetails", "id"));
  if (resourceId === undefined) f.add("resourceId", "missing", "resourceId is missing");
  else if (isIndeterminate(resourceId) && resourceId.kind === "malformed") f.add("resourceId", "malformed", "resourceId is not a string");
  else if (typeof resourceId === "string" && parseArmId(resourceId).type !== "microsoft.compute/virtualmachines") {
    f.add("resourceId", "invalid", `resourceId ${resourceId} is not a virtual machine`);
  }
  const name = str(field(node.props, "assessmentName")) ?? str(field(node.props, "name"));
  if (typeof name === "string" && !GUID_RE.test(name.trim()))
    f.add("assessmentName", "invalid", `assessmentName "${name}" is not the GUID of the assessment metadata`);
  // Every record of a VM shares the metadata GUID as its Azure name: the Pulumi name is what tells them apart.
  return view(node, `assessment ${node.input.name}`, data, f);
}

/**
 * Reads an assessment record file's `additionalData` (docs/contract.md#assessment-records: the file form of one assessment, whose status
 * follows its verdict), the same way the pack reads the resource the stacks make of it.
 */
export function readAssessmentRecord(additionalData: unknown, now: Date, label: string): AssessmentView {
  const f = new Findings();
  return view(undefined, label, readData(additionalData, undefined, now, f), f);
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
      const key = field(node.props, "resourceId") !== undefined ? "resourceId" : "resourceDetails";
      const res = graph.resolve(node, id, key, [T.VM]);
      for (const t of res.targets) {
        const h = hostVm.get(t.node.urn);
        if (h && t.child.length === 0) {
          // A certain target is the VM's own known id; otherwise only its name matched while its id is unknown.
          const proved = t.certain || computedFromThatVm(graph, node, key, t.node, id);
          push(h, {
            assessment: view,
            certain: proved,
            how: t.certain
              ? "by VM id"
              : proved
                ? "by VM id, computed from that VM (its id is not known at preview)"
                : "by VM name, without a known matching subscription and resource group",
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

/**
 * At the preview of an update the provider leaves a VM's own `id` output unknown while an assessment's `resourceId`,
 * computed from that VM, is already known (the engine has it from the state). The id then matches the VM by name only.
 * It is proved to be that VM when the engine says the property was computed from it (its own property dependency names
 * only that VM) and the id's subscription and resource group are those of the ResourceGroup resource the VM is placed
 * in (known from its own id): a same-named VM in another subscription or group cannot pass for it.
 */
function computedFromThatVm(graph: ResourceGraph, assessment: GraphNode, key: string, vm: GraphNode, id: string): boolean {
  const own = assessment.propertyDependencies[key];
  if (!own || own.length !== 1 || own[0] !== vm.urn) return false;
  const target = parseArmId(id);
  const groups = graph.dependencyCandidates(vm, "resourceGroupName", [RESOURCE_GROUP]);
  if (groups.length !== 1 || groups[0].id === undefined || graph.dependencyLinks(vm, "resourceGroupName", [RESOURCE_GROUP]).guessed) return false;
  const group = parseArmId(groups[0].id);
  return (
    group.subscription !== undefined &&
    group.subscription === target.subscription &&
    group.resourceGroup !== undefined &&
    group.resourceGroup === target.resourceGroup &&
    vm.azName !== undefined &&
    vm.azName.toLowerCase() === target.names[target.names.length - 1]?.toLowerCase()
  );
}

/** Orders assessments newest first by completedAt; a record without a usable date sorts first so it cannot be skipped. */
export function newestFirst(links: readonly AssessmentLink[]): AssessmentLink[] {
  return [...links].sort((a, b) => (b.assessment.completedAt?.getTime() ?? Infinity) - (a.assessment.completedAt?.getTime() ?? Infinity));
}
