import * as fs from "fs";
import { readStackExport } from "../audit/stackExport";
import { InputError } from "../errors";
import { exportLocator, Locator, stackConfigLocator } from "../report/sarif";
import { stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { CliIo } from "../io";
import { progressFor } from "./progress";
import { judgeAndReport, OutputOptions } from "./shared";

/**
 * Where an audit's findings live in the repository: the stack's own `Pulumi.<stack>.yaml` when the repository has
 * it (the file a fix goes into), else the export file itself.
 */
export function auditLocator(exportFile: string, stack: string, stacksDir = STACKS_DIR): Locator {
  const config = stackFile(stack, stacksDir);
  return fs.existsSync(config) ? stackConfigLocator(config) : exportLocator(exportFile);
}

/** `audit EXPORT.json`: judge a `pulumi stack export` like `pulumi policy analyze --file` (inputs to Analyze, outputs to AnalyzeStack). */
export async function audit(file: string, opts: OutputOptions & { stacksDir?: string }, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  progressFor(opts, io.stderr).phase(`reading the stack export ${file}`);
  const stack = readStackExport(text, file);
  return judgeAndReport(
    `exchange-guard audit of ${file} (${stack.analyzeStack.length} resources)`,
    stack,
    opts,
    auditLocator(file, stack.stack, opts.stacksDir),
    io,
  );
}
