/**
 * What the remediation gate finds wrong with a host, as values (docs/contract.md#verified-hosts-the-gate), and their one rendering to text.
 * Decisions read `kind` and the fields; only the edges (policy messages, reports, the fleet plan) call `renderGateFinding`.
 */
import type { AssessmentFinding } from "./assessments";
import type { CompromiseWitness, Elision, ExchangeOrigin, ProvenanceHop, UnknownOrigin } from "./provenance";

/** exchange-remediated-requires-assessment: the newest linked assessment does not prove the host clean. */
export type AssessmentProblem =
  | { readonly kind: "no-assessment" }
  | { readonly kind: "newest-undated"; readonly label: string; readonly why: string }
  | { readonly kind: "uncertain-link"; readonly label: string; readonly how: string }
  | { readonly kind: "unknown-at-preview"; readonly label: string; readonly unknowns: readonly AssessmentFinding[] }
  | { readonly kind: "found-compromised"; readonly label: string; readonly completedAt: Date }
  | { readonly kind: "not-clean"; readonly label: string }
  | { readonly kind: "malformed"; readonly label: string; readonly problem: AssessmentFinding }
  | { readonly kind: "too-old"; readonly ageDays: number; readonly limitDays: number }
  | { readonly kind: "missing-checks"; readonly missing: readonly string[] }
  | { readonly kind: "logs-too-recent"; readonly logsSince: Date; readonly windowStart: Date };

/** exchange-build-patched: the recorded Exchange build does not include the security baseline. */
export type BuildProblem =
  | { readonly kind: "verdict-unknown"; readonly label: string; readonly why: string }
  | { readonly kind: "build-unknown"; readonly label: string }
  | { readonly kind: "build-missing"; readonly label: string }
  | {
      readonly kind: "build-unpatched";
      readonly product: string;
      readonly build: string;
      readonly baseline: string;
      readonly reason: string;
      readonly minimumBuild: string | undefined;
    };

/** exchange-compromised-rebuilt-from-scratch: a compromise history, or an OS disk not made from a trusted image. */
export type RebuildProblem =
  | { readonly kind: "compromised-marked-remediated"; readonly label: string; readonly completedAt: Date | undefined }
  | { readonly kind: "os-disk-unreadable"; readonly resourceType: string }
  | { readonly kind: "create-option-unknown"; readonly described: string }
  | { readonly kind: "create-option-missing" }
  | { readonly kind: "not-from-image"; readonly createOption: string }
  | { readonly kind: "no-image-reference" }
  | { readonly kind: "image-unknown"; readonly why: string }
  | { readonly kind: "image-not-approved"; readonly image: string; readonly approved: readonly string[] }
  | {
      readonly kind: "descends-from-exchange-host";
      readonly chain: readonly ProvenanceHop[];
      readonly origin: ExchangeOrigin;
      readonly elided?: Elision;
    }
  | {
      readonly kind: "ancestry-untraceable";
      readonly chain: readonly ProvenanceHop[];
      readonly unknown: UnknownOrigin;
      readonly witness: CompromiseWitness;
      readonly elided?: Elision;
    };

export type GateProblem = AssessmentProblem | BuildProblem | RebuildProblem;
export type GateProblemKind = GateProblem["kind"];

/** One finding about one host; `unreadableStateTag` is set when it is asked only because the state tag may say remediated. */
export type GateFinding<P extends GateProblem = GateProblem> = P & { readonly host: string; readonly unreadableStateTag?: string };

const RERUN = "re-run Test-ProxyLogon.ps1 and a full MSERT scan, ingest the output (exchange-guard ingest) and record a new assessment";

const DESCENT_FIX =
  "build the image from a trusted, non-Exchange source (a marketplace image, or an image captured from a builder VM that never was an Exchange host), never from an Exchange host's VM, disks, snapshots or restore points or an image made from them; evidence snapshots stay evidence";
const UNTRACEABLE_FIX =
  "build it from a marketplace image or from an image this stack builds from a non-Exchange source, or verify the source of an image made outside this stack and list it in approvedImages";

/** A chain as messages show it: `VM ex02-g2 imageReference.id → image img-golden (sourceVirtualMachine) → VM ex02-g1`. */
function chainText(chain: readonly ProvenanceHop[], elided: Elision | undefined): string {
  const hops = chain.map((h, i) => {
    const via = h.field === undefined ? "" : h.byDependency ? `${h.field}, by dependency` : h.field;
    if (via === "") return `${h.type} ${h.name}`;
    return i === 0 && !h.byDependency ? `${h.type} ${h.name} ${via}` : `${h.type} ${h.name} (${via})`;
  });
  if (elided) hops.splice(elided.after + 1, 0, `… ${elided.count} more …`);
  return hops.join(" → ");
}

/** What makes the chain's last resource an Exchange host's. */
function originText(o: ExchangeOrigin): string {
  switch (o.kind) {
    case "host":
      return o.tagsUnreadable ? "treated as an Exchange host: its tags cannot be read" : "an Exchange host";
    case "host-disk":
      return o.disk === "OS"
        ? `the OS disk of Exchange host ${o.host}`
        : o.disk === "data"
          ? `a data disk of Exchange host ${o.host}`
          : `a disk of Exchange host ${o.host}`;
    case "generation":
      return `named as a generation of Exchange host ${o.host}`;
    case "evidence":
      return "evidence of a compromised Exchange host, by its purpose tag";
    case "evidence-source":
      return `the disk evidence snapshot ${o.snapshot} copies`;
    case "assessed":
      return `the VM ${o.label} assesses for compromise`;
  }
}

/** Whom the chain leads to, for the first words of the message. */
function originHeadline(o: ExchangeOrigin, last: ProvenanceHop | undefined): string {
  switch (o.kind) {
    case "host":
    case "host-disk":
      return `Exchange host ${o.host}`;
    case "generation":
      return `a generation of Exchange host ${o.host}`;
    case "evidence":
    case "evidence-source":
      return "the evidence of a compromised Exchange host";
    case "assessed":
      return `assessed Exchange host ${last?.name ?? "?"}`;
  }
}

function unknownText(u: UnknownOrigin): string {
  switch (u.kind) {
    case "unknown-id":
      return `an id that is ${u.described}, and no dependency names the resource`;
    case "guessed":
      return "a resource only plain dependencies hint at, as the property has no dependency of its own";
    case "outside-stack":
      return `${u.id}, outside this stack and not a resource it knows as an Exchange host's`;
    case "blob":
      return "a VHD blob, whose origin cannot be traced";
    case "uploaded":
      return `content uploaded after creation (createOption ${u.createOption}), whose origin cannot be traced`;
    case "unmodelled":
      return `${u.resourceType} ${u.name}, whose origin the pack does not follow`;
    case "no-versions":
      return "no version of it in this stack (its versions are published elsewhere)";
    case "unreadable":
      return `a value that is ${u.described}`;
  }
}

function witnessText(w: CompromiseWitness): string {
  if (w.by === "tag") return `${w.host}, tagged compromised`;
  if (w.by === "assessment") return `${w.host}, found compromised by ${w.label}`;
  return `${w.host}, whose state tag cannot be read`;
}

/** The day of an instant, as reports show it. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function problemText(f: GateFinding): string {
  const h = f.host;
  switch (f.kind) {
    case "no-assessment":
      return `host ${h} is marked remediated but no compromise assessment (security.Assessment with assessmentKind exchange-compromise) is linked to its VM: ${RERUN} for this VM`;
    case "newest-undated":
      return `the newest assessment of host ${h} cannot be determined: ${f.label}: ${f.why}`;
    case "uncertain-link":
      return `${f.label} is linked to host ${h} only ${f.how}: link it by the VM's id (resourceId: vm.id)`;
    case "unknown-at-preview":
      return `${f.label} of host ${h} cannot be judged at preview: ${f.unknowns.map((u) => u.text).join("; ")}`;
    case "found-compromised":
      return `the newest assessment of host ${h} (${f.label}, ${f.completedAt.toISOString()}) found it compromised: a compromised host is rebuilt as a new generation, never marked remediated`;
    case "not-clean":
      return `${f.label} of host ${h} does not record a clean verdict`;
    case "malformed":
      return `${f.label} of host ${h} is malformed: ${f.problem.text}`;
    case "too-old":
      return `assessment of ${h} completed ${f.ageDays} days ago (limit ${f.limitDays}): ${RERUN}`;
    case "missing-checks":
      return `assessment of ${h} does not cover ${f.missing.join(", ")}: run the missing checks and record a new assessment`;
    case "logs-too-recent":
      return `assessment of ${h} only covers logs since ${isoDate(f.logsSince)}, after the investigation window start ${isoDate(f.windowStart)}: a clean scan over too few logs proves nothing; restore older logs (or a backup) and re-scan, or rebuild the host`;
    case "verdict-unknown":
      return `the build of host ${h} cannot be judged: ${f.label}: ${f.why}`;
    case "build-unknown":
      return `the Exchange build of host ${h} is unknown at preview (${f.label} additionalData.exchangeBuild)`;
    case "build-missing":
      return `${f.label} of host ${h} records no valid Exchange build: read it with HealthChecker or Get-Command ExSetup.exe and record it in additionalData.exchangeBuild`;
    case "build-unpatched": {
      // Without a minimum build the reason already says what to do (upgrade the CU, migrate, update the table).
      const need = f.minimumBuild
        ? ` Install the security update (build ${f.minimumBuild} or later), then record a new assessment.`
        : " Then record a new assessment.";
      return `host ${h} runs ${f.product} (${f.build}), which does not include the ${f.baseline} security update: ${f.reason}.${need}`;
    }
    case "compromised-marked-remediated":
      return `host ${h} was found compromised (${f.label}${f.completedAt ? `, ${f.completedAt.toISOString()}` : ""}) and is marked remediated: a compromised host is never cleaned in place; raise its generation to build a new VM from a trusted image, keep the old disk's snapshot as evidence and rotate its credentials`;
    case "os-disk-unreadable":
      return `host ${h} is a ${f.resourceType}, whose OS disk the pack cannot read (it reads VirtualMachine and VirtualMachineScaleSet): build it with azure-native from a trusted image`;
    case "create-option-unknown":
      return `the OS disk create option of host ${h} is ${f.described}, so the pack cannot tell that it is built from an image`;
    case "create-option-missing":
      return `the OS disk of host ${h} declares no createOption: create it FromImage from a trusted image`;
    case "not-from-image":
      return `the OS disk of host ${h} is created with "${f.createOption}", not from an image: an attached or copied disk carries whatever was on it; build the VM from a trusted image (createOption FromImage)`;
    case "no-image-reference":
      return `host ${h} has createOption FromImage but no imageReference`;
    case "image-unknown":
      return `the image of host ${h} cannot be checked against approvedImages: ${f.why}`;
    case "image-not-approved":
      return `host ${h} is built from ${f.image}, which is not in approvedImages: build it from one of ${f.approved.join(", ")}`;
    case "descends-from-exchange-host":
      return `host ${h}'s OS disk descends from ${originHeadline(f.origin, f.chain.at(-1))}: ${chainText(f.chain, f.elided)} (${originText(f.origin)}). Fix: ${DESCENT_FIX}`;
    case "ancestry-untraceable":
      return `the origin of host ${h}'s OS disk cannot be traced while this stack holds a compromised host (${witnessText(f.witness)}): ${chainText(f.chain, f.elided)} → ${unknownText(f.unknown)}. Fix: ${UNTRACEABLE_FIX}`;
  }
}

/** The finding in words, naming the host and what to do: how policies, reports and the fleet plan show it. */
export function renderGateFinding(f: GateFinding): string {
  const text = problemText(f);
  return f.unreadableStateTag === undefined
    ? text
    : `the ${f.unreadableStateTag} tag of host ${f.host} cannot be read, so it may say remediated: ${text}`;
}
