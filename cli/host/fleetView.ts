/**
 * A stack file as the `host` commands see it: the document they edit, the fleet config the program would read from it,
 * where its records are, and the plan (each host's records, gate verdict and problems), made by the stacks' own
 * functions so that a command and `pulumi preview` never disagree about a host.
 */
import * as fs from "fs";
import * as path from "path";
import { didYouMean } from "../../policies/model";
import { FleetConfig, FleetConfigError, HostSpec, parseFleetConfig, PlannedHost, planHosts } from "../../stacks/config/fleetConfig";
import { encodeConfigMap, fleetConfigOf, NAMESPACE, StackFileError } from "../../stacks/config/programConfig";
import { findProjectRoot, stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { InputError } from "../errors";
import { unknownStackMessage } from "../commands/stackFiles";
import { shown } from "./paths";
import { StackDocument } from "./stackDocument";

export interface StackRef {
  readonly stack: string;
  /** Folder with Pulumi.<stack>.yaml (default: the project's stacks/). */
  readonly stacksDir?: string;
}

export interface FleetView {
  readonly stack: string;
  readonly dir: string;
  readonly file: string;
  readonly document: StackDocument;
  readonly config: FleetConfig;
  /** Where the stack's records are (the assessments entries are relative to it). */
  readonly recordsDir: string;
  readonly planned: readonly PlannedHost[];
  /** The gate's clock: the stack's pinned `gate.asOf`, else the wall clock. */
  readonly now: Date;
}

/** Record files not written yet, by their assessments entry: a plan of an edit reads them as if they were. */
export type PendingFiles = ReadonlyMap<string, string>;

/** Only the keys the program reads: a secure value the program never reads must not stop a command. */
const programKey = (k: string) => k.startsWith(`${NAMESPACE}:`) || k === "azure-native:location";

/** The fleet config of a stack document, exactly as the program would parse it. */
export function fleetConfigOfDocument(document: StackDocument): { config: FleetConfig; raw: Record<string, unknown> } {
  let raw: Record<string, unknown>;
  try {
    raw = fleetConfigOf(encodeConfigMap(document.toJS()?.config, document.file, programKey));
    return { config: parseFleetConfig(raw), raw };
  } catch (e) {
    if (e instanceof FleetConfigError || e instanceof StackFileError) throw new InputError(`${document.file}: ${(e as Error).message}`);
    throw e;
  }
}

/** The records folder of a stack: `exchange-guard:recordsDir` (relative to the project root), else records/ beside the file. */
export function recordsDirOf(raw: Record<string, unknown>, dir: string): string {
  return typeof raw.recordsDir === "string" && raw.recordsDir !== "" ? path.resolve(findProjectRoot(), raw.recordsDir) : path.join(dir, "records");
}

export function loadFleet(ref: StackRef, clock = new Date()): FleetView {
  const dir = path.resolve(ref.stacksDir ?? STACKS_DIR);
  const file = stackFile(ref.stack, dir);
  if (!fs.existsSync(file)) throw new InputError(unknownStackMessage(ref.stack, dir));
  const document = StackDocument.read(file);
  const { config, raw } = fleetConfigOfDocument(document);
  const recordsDir = recordsDirOf(raw, dir);
  return {
    stack: ref.stack,
    dir,
    file,
    document,
    config,
    recordsDir,
    planned: plan(config, recordsDir, new Map(), clock),
    now: config.asOf ?? clock,
  };
}

/** The plan of a fleet config, reading records from the records folder (or from `pending`, for an edit). */
export function plan(config: FleetConfig, recordsDir: string, pending: PendingFiles, clock: Date): PlannedHost[] {
  return planHosts(config, (name) => pending.get(name) ?? fs.readFileSync(path.join(recordsDir, name), "utf8"), clock);
}

/** The host of that name, or bad input naming the close one and the hosts there are. */
export function requireHost(view: FleetView, name: string): PlannedHost {
  const found = view.planned.find((p) => p.spec.name === name);
  if (found) return found;
  const names = view.config.hosts.map((h: HostSpec) => h.name);
  const hint = didYouMean(name, names);
  const listed = names.length > 12 ? `${names.slice(0, 12).join(", ")}, … (${names.length} hosts)` : names.join(", ") || "none";
  throw new InputError(
    `stack ${view.stack} has no host "${name}"${hint ? `; did you mean "${hint}"?` : ""} (hosts in ${shown(view.file)}: ${listed})`,
  );
}
