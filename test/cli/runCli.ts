import { execFile } from "child_process";
import * as path from "path";
import type { RunStack } from "../../cli/io";
import { main } from "../../cli/main";
import { PACK_DIR } from "../../cli/projectPaths";
import { runOfflineStack } from "../../cli/preview/offlineStack";
import { capturedStack } from "../support/capturedStacks";

export const ROOT = path.join(__dirname, "../..");
const BIN = path.join(ROOT, "dist/cli/main.js");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  readonly tty?: boolean;
  /** Run the stack's program afresh instead of judging the run's shared capture. */
  readonly fresh?: boolean;
  /** Run the program this way instead (a program that fails, say). */
  readonly runStack?: RunStack;
  /** Judge with this policy pack instead of the project's (a pack that crashes, say). */
  readonly packDir?: string;
}

/**
 * The CLI's `main` in this process, its output captured: the binary's code path without a Node start per call. `check`
 * judges the run's shared capture of the stack (test/support/capturedStacks.ts) unless `fresh` asks it to run the
 * program itself.
 */
export async function runInProcess(args: readonly string[], opts: InProcessOptions = {}): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(
    args,
    {
      stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty },
      stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty },
    },
    opts.runStack ?? (opts.fresh ? runOfflineStack : capturedStack),
    opts.packDir ?? PACK_DIR,
  );
  return { code, stdout, stderr };
}

/** The built binary as a pipeline runs it (`node dist/cli/main.js`), with its real exit code and streams. */
export function runSpawned(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}
