import type { runOfflineStack } from "./preview/offlineStack";

/** Where a command writes: the process's streams when run as `exchange-guard`, buffers when a test runs it in process. */
export interface OutStream {
  write(text: string): unknown;
  /** A terminal gets colour and a redrawn counter; a log or a pipe gets plain lines. */
  readonly isTTY?: boolean;
}

export interface CliIo {
  /** The report (text or JSON) or the record: what a pipeline captures. */
  readonly stdout: OutStream;
  /** Progress, timings and errors. */
  readonly stderr: OutStream;
}

/** How `check` runs a stack's program offline; tests pass one that shares captures across a test run. */
export type RunStack = typeof runOfflineStack;

export const PROCESS_IO: CliIo = { stdout: process.stdout, stderr: process.stderr };
