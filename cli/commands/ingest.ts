import * as fs from "fs";
import { ingestAssessment, IngestError } from "../ingest";
import { InputError } from "../audit/stackExport";

export interface IngestCliOptions {
  readonly host: string;
  readonly from: string;
  readonly build: string;
  readonly generation?: string;
  readonly completedAt?: string;
  readonly out?: string;
}

/** `ingest --host NAME --from DIR --build 15.x.y.z`: the assessment tools' output → an assessment record (stdout or --out). */
export async function ingest(opts: IngestCliOptions): Promise<number> {
  let generation: number | undefined;
  if (opts.generation !== undefined) {
    generation = Number(opts.generation);
    if (!Number.isInteger(generation) || generation < 1) throw new InputError(`--generation ${opts.generation}: must be a whole number from 1`);
  }
  try {
    const { record, summary } = await ingestAssessment({
      host: opts.host,
      from: opts.from,
      exchangeBuild: opts.build,
      generation,
      completedAt: opts.completedAt,
    });
    const json = JSON.stringify(record, null, 2) + "\n";
    if (opts.out) fs.writeFileSync(opts.out, json);
    else process.stdout.write(json);
    process.stderr.write(summary.map((l) => `  ${l}`).join("\n") + "\n");
    return 0;
  } catch (e) {
    if (e instanceof IngestError) throw new InputError(`ingest: ${e.message}`);
    throw e;
  }
}
