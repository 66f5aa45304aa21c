/**
 * One edit of a stack file by a `host` command: what it changes, the record files it adds, and how it is applied —
 * re-planned with the stacks' own functions first (a change the program would refuse is refused here), then, unless it
 * is a dry run, the records written as new files and the stack file replaced atomically.
 */
import * as fs from "fs";
import * as path from "path";
import { evidenceSnapshotName, generationName, HostState } from "../../policies/model";
import { FleetConfig, PlannedHost } from "../../stacks/config/fleetConfig";
import { InputError } from "../errors";
import { CliIo } from "../io";
import { FleetView, fleetConfigOfDocument, plan } from "./fleetView";
import { shown } from "./paths";
import { renderOutcome } from "./render";

/** A refused transition: bad input (exit 2), the file untouched. */
export class Refusal extends InputError {
  constructor(message: string) {
    super(`refused: ${message}`);
  }
}

export interface Change {
  readonly op: "~" | "+";
  readonly host: string;
  readonly field: "state" | "generation" | "assessments";
  readonly from?: string;
  readonly to: string;
}

/** A record file an edit adds under the stack's records folder. */
export interface PendingRecord {
  /** The host's assessments entry: relative to the records folder. */
  readonly entry: string;
  readonly abs: string;
  readonly text: string;
  /** Where it was copied from. */
  readonly source: string;
  /** An identical file is already there: it is referenced, not written. */
  readonly exists: boolean;
}

export interface Edit {
  readonly verb: string;
  readonly hosts: readonly string[];
  readonly changes: readonly Change[];
  readonly records: readonly PendingRecord[];
  /** Said after the changes: hosts skipped, what was already so. */
  readonly notes: readonly string[];
  /** A further refusal, given the edited fleet config and its hosts as the stacks would plan them. */
  readonly check?: (config: FleetConfig, after: readonly PlannedHost[]) => void;
}

export interface EditOptions {
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** How a host stands after an edit, by the stacks' own plan of it. */
export interface HostAfter {
  readonly host: string;
  readonly generation: number;
  readonly state: HostState;
  readonly vm: string;
  readonly placement: "published" | "isolated";
  readonly outboundInternet: "denied" | "allowed";
  /** Evidence snapshots the program declares for this host. */
  readonly evidence: readonly string[];
}

export interface Outcome {
  readonly verb: string;
  readonly stack: string;
  readonly file: string;
  readonly changes: readonly Change[];
  readonly records: readonly { entry: string; path: string; source: string; existed: boolean }[];
  readonly after: readonly HostAfter[];
  readonly notes: readonly string[];
  readonly dryRun: boolean;
  readonly written: boolean;
}

export function hostAfter(p: PlannedHost): HostAfter {
  return {
    host: p.spec.name,
    generation: p.spec.generation,
    state: p.spec.state,
    vm: p.vmName,
    placement: p.verified ? "published" : "isolated",
    outboundInternet: p.compromisedNow && !p.verified ? "denied" : "allowed",
    evidence: [...p.compromisedGenerations.map((g) => generationName(p.spec.name, g)), ...(p.compromisedNow ? [p.vmName] : [])].map(
      evidenceSnapshotName,
    ),
  };
}

/** A second look before anything is written (remediate: the offline check of the edited stack). */
export type Verify = (editedText: string, after: readonly PlannedHost[]) => Promise<{ ok: true } | { ok: false; reasons: readonly string[] }>;

/**
 * Re-plans the edited document, refuses a problem the edit brings to one of its hosts, verifies, then writes (unless a
 * dry run) and reports. Returns the exit code.
 */
export async function applyEdit(view: FleetView, edit: Edit, opts: EditOptions, io: CliIo, clock: Date, verify?: Verify): Promise<number> {
  const rel = shown(view.file);
  if (edit.changes.length === 0) {
    const outcome = outcomeOf(view, edit, [], false, opts);
    io.stdout.write(opts.json ? JSON.stringify(outcome, null, 2) + "\n" : renderOutcome(outcome, rel));
    return 0;
  }
  const { config } = fleetConfigOfDocument(view.document);
  const pending = new Map(edit.records.map((r) => [r.entry, r.text]));
  const replanned = plan(config, view.recordsDir, pending, clock);
  const before = new Map(view.planned.map((p) => [p.spec.name, new Set(p.problems)]));
  const introduced = replanned
    .filter((p) => edit.hosts.includes(p.spec.name))
    .flatMap((p) => p.problems.filter((x) => !before.get(p.spec.name)?.has(x)));
  // With a verification (remediate), the program's refusal is that check's answer (exit 1), not bad input.
  if (introduced.length > 0 && !verify) throw new Refusal(`the program would refuse the edited stack:\n  - ${introduced.join("\n  - ")}`);
  const after = replanned.filter((p) => edit.hosts.includes(p.spec.name));
  edit.check?.(config, after);
  const text = view.document.toString();
  if (verify) {
    const verdict = await verify(text, after);
    if (!verdict.ok) {
      io.stderr.write(
        `exchange-guard: ${edit.verb} refused by the offline check of the edited stack; ${rel} untouched:\n  - ${verdict.reasons.join("\n  - ")}\n`,
      );
      return 1;
    }
  }
  if (!opts.dryRun) commit(view, edit.records, text);
  const rewritten = view.document.untouchedLinesRewritten();
  const notes =
    rewritten > 0
      ? [...edit.notes, `the YAML writer also rewrote ${rewritten} line(s) the edit did not touch (a layout it does not keep)`]
      : edit.notes;
  const outcome = outcomeOf(view, { ...edit, notes }, after, !opts.dryRun, opts);
  io.stdout.write(opts.json ? JSON.stringify(outcome, null, 2) + "\n" : renderOutcome(outcome, rel));
  return 0;
}

function outcomeOf(view: FleetView, edit: Edit, after: readonly PlannedHost[], written: boolean, opts: EditOptions): Outcome {
  return {
    verb: edit.verb,
    stack: view.stack,
    file: view.file,
    changes: edit.changes,
    records: edit.records.map((r) => ({ entry: r.entry, path: r.abs, source: r.source, existed: r.exists })),
    after: after.map(hostAfter),
    notes: edit.notes,
    dryRun: opts.dryRun === true,
    written,
  };
}

/** New record files first (never over an existing one), then the stack file; a failed stack write takes them back. */
function commit(view: FleetView, records: readonly PendingRecord[], text: string): void {
  const created: string[] = [];
  try {
    for (const r of records.filter((x) => !x.exists)) {
      fs.mkdirSync(path.dirname(r.abs), { recursive: true });
      try {
        fs.writeFileSync(r.abs, r.text, { flag: "wx" });
      } catch (e) {
        throw new InputError(`cannot write record ${r.abs}: ${(e as Error).message}`);
      }
      created.push(r.abs);
    }
    view.document.write(text);
  } catch (e) {
    for (const f of created) fs.rmSync(f, { force: true });
    throw e;
  }
}
