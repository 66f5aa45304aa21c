/**
 * A `Pulumi.<stack>.yaml` edited in place: the YAML document model keeps every comment and the layout of what is not
 * edited, and the file is replaced atomically (a temporary file renamed over it) only if nobody changed it since it
 * was read.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import { NAMESPACE } from "../../stacks/config/programConfig";
import { InputError } from "../errors";

/** How the stack files are written: flow lists as `[a, b]`, no line folding (what the bundled files look like). */
const WRITE_OPTIONS = { flowCollectionPadding: false, lineWidth: 0 } as const;
const HOSTS_KEY = `${NAMESPACE}:hosts`;

export type HostField = "state" | "generation" | "assessments";

export class StackDocument {
  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
  ) {}

  static read(file: string): StackDocument {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new InputError(`cannot read stack config ${file}: ${(e as Error).message}`);
    }
    const doc = parseDocument(text);
    if (doc.errors.length > 0) throw new InputError(`cannot read stack config ${file}: ${doc.errors[0].message}`);
    return new StackDocument(file, text, doc);
  }

  /** The whole document as plain values (what the Pulumi CLI reads). */
  toJS(): { config?: unknown } | null {
    return this.doc.toJS() as { config?: unknown } | null;
  }

  /** The hosts list's index of a host, or -1. */
  hostIndex(name: string): number {
    const seq = this.doc.getIn(["config", HOSTS_KEY]);
    if (!isSeq(seq)) return -1;
    return seq.items.findIndex((item) => isMap(item) && String((item as YAMLMap).get("name")) === name);
  }

  private hostPath(name: string, field: HostField): (string | number)[] {
    const i = this.hostIndex(name);
    if (i < 0) throw new Error(`host ${name} is not in ${this.file}`);
    return ["config", HOSTS_KEY, i, field];
  }

  set(name: string, field: Exclude<HostField, "assessments">, value: string | number): void {
    this.doc.setIn(this.hostPath(name, field), value);
  }

  /** Appends a record path to a host's `assessments`, keeping the list's style (a new list is written `[a]`). */
  addAssessment(name: string, record: string): void {
    const at = this.hostPath(name, "assessments");
    const list = this.doc.getIn(at, true);
    if (isSeq(list)) {
      (list as YAMLSeq).add(this.doc.createNode(record));
      return;
    }
    if (list !== undefined && !(isScalar(list) && list.value === null))
      throw new InputError(`${this.file}: ${name}.assessments is not a list; fix it by hand first`);
    const seq = this.doc.createNode([record], { flow: true });
    this.doc.setIn(at, seq);
  }

  /** The edited text. */
  toString(): string {
    return this.doc.toString(WRITE_OPTIONS);
  }

  /** Lines of the file the YAML writer would change although nothing was edited there (a layout it cannot keep). */
  untouchedLinesRewritten(): number {
    const again = parseDocument(this.text).toString(WRITE_OPTIONS).split("\n");
    const before = this.text.split("\n");
    let n = Math.abs(again.length - before.length);
    for (let i = 0; i < Math.min(again.length, before.length); i++) if (again[i] !== before[i]) n++;
    return n;
  }

  /**
   * Replaces the file with `text`: written beside it and renamed over it, so a reader sees the old file or the new one,
   * never half of one. Refused when the file on disk is no longer the one that was read.
   */
  write(text: string): void {
    let now: string;
    try {
      now = fs.readFileSync(this.file, "utf8");
    } catch (e) {
      throw new InputError(`cannot re-read ${this.file} before writing it: ${(e as Error).message}`);
    }
    if (sha256(now) !== sha256(this.text))
      throw new InputError(`${this.file} changed since it was read (by another edit or command); nothing was written: run the command again`);
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${process.pid}.${Date.now()}.tmp`);
    const mode = fs.statSync(this.file).mode & 0o777;
    try {
      fs.writeFileSync(tmp, text, { flag: "wx", mode });
      fs.renameSync(tmp, this.file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw new InputError(`cannot write ${this.file}: ${(e as Error).message}`);
    }
  }
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}
