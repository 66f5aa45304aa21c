/**
 * Stack files for the `exchange-guard host` tests: a copy of a bundled (or fixture) stack and its records in a folder of
 * the test's own, run through the CLI in process, with what a test looks at (the file's bytes, its hosts, the records
 * folder).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ingestAssessment } from "../../cli/ingest";
import { recordText } from "../../policies/model";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { CliRun, ROOT, runInProcess } from "../cli/runCli";

export const DRILL_DIR = path.join(ROOT, "test", "fixtures", "stacks", "drill");
export const DRILL_POLICY_CONFIG = path.join(DRILL_DIR, "drill.policy-config.json");
export const INGEST_SAMPLES = path.join(ROOT, "test", "fixtures", "ingest");
/** The bundled incident walk-through's policy config (gate clock and baseline pinned as its stacks pin them). */
export const INCIDENT_POLICY_CONFIG = path.join(STACKS_DIR, "policy-config", "incident-4-verified.json");

export interface HostRow {
  readonly name: string;
  readonly generation?: number;
  readonly state: string;
  readonly assessments?: string[];
}

export class StackCopy {
  constructor(
    readonly dir: string,
    readonly stack: string,
  ) {}

  get file(): string {
    return path.join(this.dir, `Pulumi.${this.stack}.yaml`);
  }

  text(): string {
    return fs.readFileSync(this.file, "utf8");
  }

  hosts(): HostRow[] {
    return (parse(this.text()) as { config: Record<string, HostRow[]> }).config["exchange-guard:hosts"];
  }

  host(name: string): HostRow {
    const h = this.hosts().find((x) => x.name === name);
    if (!h) throw new Error(`no host ${name} in ${this.file}`);
    return h;
  }

  /** Every file under records/, relative to it, sorted. */
  records(): string[] {
    const root = path.join(this.dir, "records");
    const walk = (d: string): string[] =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.relative(root, path.join(d, e.name))]));
    return fs.existsSync(root) ? walk(root).sort() : [];
  }

  /** `exchange-guard host <verb> …args --stack <stack> --stacks-dir <dir>`, in process. */
  run(verb: string, ...args: string[]): Promise<CliRun> {
    return runInProcess(["host", verb, ...args, "--stack", this.stack, "--stacks-dir", this.dir]);
  }
}

const tmpRoots: string[] = [];
/** Removes every folder made by this module in the test file (call from afterAll). */
export function removeCopies(): void {
  for (const d of tmpRoots.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

export function tmpDir(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `exg-host-${label}-`));
  tmpRoots.push(d);
  return d;
}

/** A copy of `Pulumi.<from>.yaml` (from the project's stacks/, or `srcDir`) as stack `as`, with its records. */
export function copyStack(from: string, as = "t", srcDir = STACKS_DIR): StackCopy {
  const dir = tmpDir(as);
  fs.copyFileSync(path.join(srcDir, `Pulumi.${from}.yaml`), path.join(dir, `Pulumi.${as}.yaml`));
  if (fs.existsSync(path.join(srcDir, "records"))) fs.cpSync(path.join(srcDir, "records"), path.join(dir, "records"), { recursive: true });
  return new StackCopy(dir, as);
}

/** `exchange-guard ingest` of a real tool-output sample, written to a file of its own; returns the file. */
export async function ingestSample(
  sample: string,
  o: { host: string; generation: number; completedAt?: string; build?: string; now?: Date },
): Promise<string> {
  const { record } = await ingestAssessment({
    host: o.host,
    from: path.join(INGEST_SAMPLES, sample),
    exchangeBuild: o.build ?? "15.2.792.10",
    generation: o.generation,
    completedAt: o.completedAt,
    utcOffset: "+00:00",
    now: o.now ?? new Date("2021-05-01T00:00:00Z"),
  });
  const file = path.join(tmpDir("record"), `${sample}-${o.host}-g${o.generation}.json`);
  fs.writeFileSync(file, recordText(record));
  return file;
}

/** A record file written from a plain object (for records no tool would write). */
export function writeRecord(record: unknown): string {
  const file = path.join(tmpDir("record"), "record.json");
  fs.writeFileSync(file, typeof record === "string" ? record : JSON.stringify(record, null, 2) + "\n");
  return file;
}
