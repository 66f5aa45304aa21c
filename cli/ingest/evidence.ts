import { createHash } from "crypto";
import { createReadStream, Dirent, promises as fs, Stats } from "fs";
import * as path from "path";
import { IngestError } from "./errors";

/** One file of the evidence bundle: every regular file under the folder handed to ingestion. */
export interface EvidenceFile {
  /** Path relative to the evidence folder, `/`-separated. */
  readonly rel: string;
  readonly abs: string;
  readonly size: number;
  // No modification time: a copy changes it, so it is never evidence of when an assessment was made.
}

/**
 * Lists every regular file under `root`, recursively, in canonical order. Symlinks and special files are
 * rejected: the bundle the hash describes must be exactly the bytes in the folder.
 */
export async function listEvidenceFiles(root: string): Promise<EvidenceFile[]> {
  const out: EvidenceFile[] = [];
  const walk = async (dir: string, relDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      const where = relDir === "" ? root : relDir;
      throw new IngestError("UNREADABLE_FILE", `${where}: cannot list the folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`, where);
    }
    for (const entry of entries) {
      const rel = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs, rel);
      else if (entry.isFile()) {
        let st: Stats;
        try {
          st = await fs.stat(abs);
        } catch (e) {
          throw new IngestError("UNREADABLE_FILE", `${rel}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, rel);
        }
        out.push({ rel, abs, size: st.size });
      } else {
        const kind = entry.isSymbolicLink() ? "a symbolic link" : "not a regular file";
        throw new IngestError("UNSUPPORTED_ENTRY", `${rel}: ${kind}; the evidence folder must hold plain files only (copy the target in)`, rel);
      }
    }
  };
  await walk(root, "");
  return canonicalOrder(out);
}

/**
 * Canonical order: by lower-cased relative path, ties (paths differing only in case) by the exact path.
 * Plain code-unit comparison, never locale-aware, so every machine sorts alike.
 */
export function canonicalOrder<T extends { readonly rel: string }>(files: readonly T[]): T[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...files].sort((a, b) => cmp(a.rel.toLowerCase(), b.rel.toLowerCase()) || cmp(a.rel, b.rel));
}

/**
 * SHA-256 (lower-case hex) of the canonical evidence bundle: for each file in canonical order, its relative
 * path (UTF-8, `/`-separated), NUL, its byte length in decimal ASCII, NUL, its raw bytes. The same files give
 * the same hash whatever their order on disk, their mtimes or the machine; one changed byte changes it.
 */
export async function evidenceSha256(files: readonly EvidenceFile[]): Promise<string> {
  const hash = createHash("sha256");
  const nul = Buffer.from([0]);
  for (const f of canonicalOrder(files)) {
    hash.update(Buffer.from(f.rel, "utf8"));
    hash.update(nul);
    hash.update(Buffer.from(String(f.size), "ascii"));
    hash.update(nul);
    let read = 0;
    try {
      for await (const chunk of createReadStream(f.abs)) {
        const buf = chunk as Buffer;
        read += buf.length;
        hash.update(buf);
      }
    } catch (e) {
      throw new IngestError("UNREADABLE_FILE", `${f.rel}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, f.rel);
    }
    if (read !== f.size) {
      throw new IngestError(
        "UNREADABLE_FILE",
        `${f.rel}: changed while it was being read (${f.size} bytes listed, ${read} read); ingest a folder nobody writes to`,
        f.rel,
      );
    }
  }
  return hash.digest("hex");
}
