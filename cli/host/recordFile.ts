/**
 * An assessment record handed to `host record` (or `host isolate --compromised`): read through the record contract,
 * checked as ingest and the pack check it, bound to the host and its current generation, and placed under the stack's
 * records folder with the name the stacks give records.
 */
import * as fs from "fs";
import * as path from "path";
import { AssessmentRecord, AssessmentView, readRecordText, recordFileName, recordGeneration } from "../../policies/model";
import { PlannedHost } from "../../stacks/config/fleetConfig";
import { InputError } from "../errors";
import { PendingRecord, Refusal } from "./edit";
import { FleetView } from "./fleetView";
import { sha256 } from "./stackDocument";

export interface HandedRecord {
  readonly record: AssessmentRecord;
  readonly view: AssessmentView;
  /** The record's file under records/, new or identical to one there. */
  readonly pending: PendingRecord;
  /** Set when the host already lists this very record (same bytes): nothing to add. */
  readonly alreadyListed?: string;
}

/** Reads and checks `file` as a record of `host`'s current generation; refuses anything the pack or the plan would refuse. */
export function handedRecord(view: FleetView, host: PlannedHost, file: string): HandedRecord {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read record ${file}: ${(e as Error).message}`);
  }
  const reading = readRecordText(text, view.now, `assessment ${path.basename(file)}`);
  if (!reading.record || !reading.view || reading.problems.length > 0)
    throw new Refusal(`${file} is not an assessment record the pack would accept:\n  - ${reading.problems.join("\n  - ")}`);
  const { record, view: assessment } = reading;
  const name = host.spec.name;
  if (record.host !== name)
    throw new Refusal(
      `${file} is a record of host ${record.host}, not of ${name}: evidence of one host never counts for another (ingest --host ${name} with ${name}'s own reports)`,
    );
  const gen = recordGeneration(record);
  if (gen !== host.spec.generation) {
    const named = record.generation === undefined ? " (it names no generation, which reads as 1)" : "";
    throw new Refusal(
      `${file} records generation ${gen} of ${name}${named}, whose current generation is ${host.spec.generation}: ` +
        (gen < host.spec.generation
          ? `an assessment of a generation that was rebuilt says nothing about the new VM; assess generation ${host.spec.generation} and ingest it with --generation ${host.spec.generation}`
          : `a record cannot be of a generation that does not exist yet (rebuild first, or ingest with --generation ${host.spec.generation})`),
    );
  }
  const listed = host.records.find((r) => sha256(fs.readFileSync(path.join(view.recordsDir, r.file), "utf8")) === sha256(text));
  const pending = placeRecord(view, host, record, text, file);
  return { record, view: assessment, pending, alreadyListed: listed?.file };
}

/** Where a new record goes: the folder the host's records (or all the stack's records) are in, named `<host>-g<n>-<date>.json`. */
function placeRecord(view: FleetView, host: PlannedHost, record: AssessmentRecord, text: string, source: string): PendingRecord {
  const folder = recordsFolder(view, host);
  const base = recordFileName(record).replace(/\.json$/, "");
  for (let n = 1; ; n++) {
    const entry = path.posix.join(folder, `${base}${n === 1 ? "" : `-${n}`}.json`);
    const abs = path.join(view.recordsDir, ...entry.split("/"));
    if (!fs.existsSync(abs)) return { entry, abs, text, source, exists: false };
    // Records are evidence: an existing file is never replaced, only referenced when it is the same record.
    if (sha256(fs.readFileSync(abs, "utf8")) === sha256(text)) return { entry, abs, text, source, exists: true };
  }
}

function recordsFolder(view: FleetView, host: PlannedHost): string {
  const own = host.spec.assessments.at(-1);
  if (own !== undefined) return path.posix.dirname(own);
  const folders = new Set(view.config.hosts.flatMap((h) => h.assessments.map((a) => path.posix.dirname(a))));
  return folders.size === 1 ? [...folders][0] : ".";
}
