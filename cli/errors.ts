import type { OutStream } from "./io";

/** What every exchange-guard command exits with. A pipeline tells the user's mistakes (2) from ours (3). */
export const EXIT = {
  /** Nothing mandatory violated (or, for the commands that edit or write, done). */
  clean: 0,
  /** A mandatory violation, a refusal by the gate, or no Exchange host where one was expected. */
  violation: 1,
  /** Bad input the user can fix: the message names what is wrong and where (a file, an option, a host). */
  badInput: 2,
  /** A failure of the tool or the pack itself (a bug): never the user's mistake. */
  internal: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as every command's help states them. */
export const EXIT_CODES_HELP =
  "Exit codes: 0 clean, 1 a mandatory violation, 2 bad input (the message says what and where), 3 an internal error (a bug).";

/**
 * Bad input: a file that cannot be read or is not what it should be, an option out of range, an unknown host or
 * stack, a transition the runbook refuses. Its message is for the user and names what and where. Every other error
 * that reaches `main` is an internal failure.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Writes what went wrong for the user and answers the exit code: 2 for bad input, 3 (with the stack on --debug) for the rest. */
export function reportFailure(e: unknown, stderr: OutStream, debug: boolean): ExitCode {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof InputError) {
    stderr.write(`exchange-guard: ${message}\n`);
    return EXIT.badInput;
  }
  stderr.write(
    `exchange-guard: internal error: ${message} (this is a bug; ${debug ? "its stack follows" : "run again with --debug for the stack"})\n`,
  );
  if (debug) stderr.write(`${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
  return EXIT.internal;
}
