/**
 * The assessment record: the file form of one compromise assessment. `exchange-guard ingest` writes it through
 * `recordText`, the stacks and the `host` commands read it through `readRecordText`, and the stacks turn it into the
 * `security.Assessment` the pack judges through `assessmentStatus`; its `additionalData` is read by
 * `readAssessmentRecord`, the same reading the pack gives the resource. One contract, one place.
 */
import { generationName } from "./generationNames";
import { ASSESSMENT_KIND, AssessmentView, GENERATION_RULE, isGeneration, parseInstant, readAssessmentRecord } from "./assessments";

export { ASSESSMENT_KIND };

/** The four ProxyLogon checks Test-ProxyLogon.ps1 runs. */
export const CVE_CHECKS = ["CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065"] as const;
/** A search for web shells produced a result (MSERT, or Test-ProxyLogon's suspicious-file check). */
export const WEBSHELL_SCAN = "webshell-scan";
/** A Microsoft Safety Scanner full scan finished with a result (CISA ED 21-02). */
export const MSERT_FULL_SCAN = "msert-full-scan";
/** Every check id a record can list, and the gate's default `requiredChecks`. */
export const CHECK_IDS = [...CVE_CHECKS, WEBSHELL_SCAN, MSERT_FULL_SCAN] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type RecordVerdict = "clean" | "compromised";

/** `additionalData` as a record writer makes it: every key of the contract, every value a string. */
export type AssessmentData = {
  readonly assessmentKind: typeof ASSESSMENT_KIND;
  readonly verdict: RecordVerdict;
  /** ISO-8601 UTC instant (`formatInstant`). */
  readonly completedAt: string;
  readonly exchangeBuild: string;
  /** Comma-separated check ids. */
  readonly checks: string;
  /** ISO-8601 date of the oldest log covered. */
  readonly logsSince: string;
  readonly evidenceSha256: string;
  readonly tool: string;
};

/** The keys of `additionalData`, in the order records are written. */
export const RECORD_DATA_KEYS = [
  "assessmentKind",
  "verdict",
  "completedAt",
  "exchangeBuild",
  "checks",
  "logsSince",
  "evidenceSha256",
  "tool",
] as const satisfies readonly (keyof AssessmentData)[];

/** One assessment record as a file holds it: `{ host, generation?, additionalData }`. */
export interface AssessmentRecord {
  readonly host: string;
  /** The host generation assessed; a record without one is of generation 1. */
  readonly generation?: number;
  readonly additionalData: Readonly<Record<string, string>>;
}

/** A record as writers make it. */
export interface WrittenRecord extends AssessmentRecord {
  readonly additionalData: AssessmentData;
}

/** `2021-04-09T15:20:00Z`: UTC, whole seconds (milliseconds kept only when present). */
export function formatInstant(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}

/** A record in the contract's key order, `generation` only when known. */
export function makeRecord(host: string, generation: number | undefined, data: AssessmentData): WrittenRecord {
  const additionalData = Object.fromEntries(RECORD_DATA_KEYS.map((k) => [k, data[k]])) as unknown as AssessmentData;
  return generation === undefined ? { host, additionalData } : { host, generation, additionalData };
}

/** The text of a record file, as ingest writes it. */
export function recordText(record: AssessmentRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}

/** The generation a record is of: the one it names, else 1 (the first VM). */
export function recordGeneration(record: AssessmentRecord): number {
  return record.generation ?? 1;
}

/** A record file read and checked: the record when its shape is right, the pack's reading of it, and every problem. */
export interface RecordReading {
  readonly record: AssessmentRecord | undefined;
  readonly view: AssessmentView | undefined;
  /** Everything wrong with the file, each naming the field; empty when the pack would accept it. */
  readonly problems: readonly string[];
}

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Raw) : undefined);

/**
 * Reads a record file's text: its shape (`{ "host", "generation"?, "additionalData": {...} }`), its generation, and its
 * `additionalData` exactly as the pack reads the `security.Assessment` made of it (`now` bounds `completedAt`).
 */
export function readRecordText(text: string, now: Date, label: string): RecordReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { record: undefined, view: undefined, problems: [`not JSON (${(e as Error).message})`] };
  }
  const o = obj(json);
  const data = obj(o?.additionalData);
  if (!o || typeof o.host !== "string" || !data) {
    return { record: undefined, view: undefined, problems: ['an assessment record is { "host", "generation"?, "additionalData": {...} }'] };
  }
  const problems: string[] = [];
  if (o.host.trim() === "") problems.push("host is empty");
  if (o.generation !== undefined && !isGeneration(o.generation)) problems.push(`generation must be ${GENERATION_RULE}`);
  const view = readAssessmentRecord(data, now, label);
  problems.push(...view.problems);
  const record: AssessmentRecord = {
    host: o.host,
    generation: isGeneration(o.generation) ? o.generation : undefined,
    additionalData: data as Record<string, string>,
  };
  return { record, view, problems };
}

/** The `status` of the `security.Assessment` made from a record: a record has none of its own, so it follows the verdict. */
export function assessmentStatus(additionalData: Readonly<Record<string, string>>): { code: "Healthy" | "Unhealthy"; description: string } {
  return (additionalData.verdict ?? "").trim().toLowerCase() === "compromised"
    ? { code: "Unhealthy", description: "Exchange compromise assessment found indicators of compromise" }
    : { code: "Healthy", description: "Exchange compromise assessment found no indicator of compromise" };
}

/** The file name the stacks give a record: `<host>-g<generation>-<completed date>.json` (`ex02-g1-2026-11-10.json`). */
export function recordFileName(record: AssessmentRecord): string {
  const completed = parseInstant(record.additionalData.completedAt ?? "");
  const day = completed ? completed.toISOString().slice(0, 10) : "undated";
  return `${generationName(record.host, recordGeneration(record))}-${day}.json`;
}
