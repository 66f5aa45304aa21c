import * as fs from "fs";
import { InputError, readStackExport } from "../audit/stackExport";
import { exportLocator } from "../report/sarif";
import { progressFor } from "./progress";
import { judgeAndReport, OutputOptions } from "./shared";

/** `audit EXPORT.json`: judge a `pulumi stack export` like `pulumi policy analyze --file` (inputs to Analyze, outputs to AnalyzeStack). */
export async function audit(file: string, opts: OutputOptions): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  progressFor(opts).phase(`reading the stack export ${file}`);
  const stack = readStackExport(text, file);
  return judgeAndReport(`exchange-guard audit of ${file} (${stack.analyzeStack.length} resources)`, stack, opts, exportLocator(file));
}
