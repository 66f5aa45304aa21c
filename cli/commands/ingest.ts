import * as fs from "fs";
import { ingestAssessment, IngestError } from "../ingest";
import { InputError } from "../errors";
import { GENERATION_RULE, isGeneration, recordText } from "../../policies/model";
import { CliIo } from "../io";

export interface IngestCliOptions {
  readonly host: string;
  readonly from: string;
  readonly build: string;
  readonly generation?: string;
  readonly completedAt?: string;
  readonly utcOffset?: string;
  readonly out?: string;
}

/** `ingest --host NAME --from DIR --build 15.x.y.z`: the assessment tools' output → an assessment record (stdout or --out). */
export async function ingest(opts: IngestCliOptions, io: CliIo): Promise<number> {
  let generation: number | undefined;
  if (opts.generation !== undefined) {
    generation = Number(opts.generation);
    if (!isGeneration(generation)) throw new InputError(`--generation ${opts.generation}: must be ${GENERATION_RULE}`);
  }
  let result;
  try {
    result = await ingestAssessment({
      host: opts.host,
      from: opts.from,
      exchangeBuild: opts.build,
      generation,
      completedAt: opts.completedAt,
      utcOffset: opts.utcOffset,
    });
  } catch (e) {
    if (e instanceof IngestError) throw new InputError(`ingest: ${e.message}`);
    throw e;
  }
  const json = recordText(result.record);
  if (opts.out) writeNewFile(opts.out, json);
  else io.stdout.write(json);
  io.stderr.write(result.summary.map((l) => `  ${l}`).join("\n") + "\n");
  return 0;
}

/**
 * Writes `--out` only as a new file: an assessment record is evidence, and overwriting one (a bundled record the
 * stacks read, an earlier assessment) would silently replace what a host was judged by.
 */
function writeNewFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text, { flag: "wx" });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      throw new InputError(`--out ${file}: the file exists; records are never overwritten: name a new file (e.g. <host>-g<generation>-<date>.json)`);
    }
    throw new InputError(`--out ${file}: cannot write: ${(e as Error).message}`);
  }
}
