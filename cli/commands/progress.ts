/**
 * Progress for long work. On a terminal, a counter redrawn in place; elsewhere (a CI log, a pipe) one line per
 * phase on stderr, so a slow or stuck run shows where it is without flooding the log. Never on stdout, which
 * carries the report (or JSON).
 */
import { OutStream } from "../io";

export interface Progress {
  phase(text: string): void;
  count?: (done: number, total: number) => void;
}

export function progressFor(opts: { quiet?: boolean; json?: boolean }, stream: OutStream): Progress {
  if (opts.quiet) return { phase: () => {} };
  if (stream.isTTY) {
    // A terminal shows the counter; JSON on a terminal is for a program, so it stays silent.
    if (opts.json) return { phase: () => {} };
    return {
      phase: () => {},
      count: (done, total) => {
        if (done % 50 === 0 || done === total) stream.write(`\ranalysing resources ${done}/${total}`);
        if (done === total) stream.write("\n");
      },
    };
  }
  return { phase: (text) => stream.write(`exchange-guard: ${text}\n`) };
}
