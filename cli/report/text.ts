import type { Diagnostic } from "../packDriver/analyzerClient";
import { Report } from "./hostRows";

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLOUR: Style = { bold: ansi(1), red: ansi(31), yellow: ansi(33), green: ansi(32), dim: ansi(2) };
export const PLAIN: Style = { bold: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, dim: (s) => s };

function table(rows: string[][], style: Style): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r, i) => {
    const line = r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ");
    return i === 0 ? style.bold(line) : line;
  });
}

function level(d: Diagnostic, style: Style): string {
  return d.enforcementLevel === "mandatory" ? style.red("mandatory") : style.yellow(d.enforcementLevel);
}

/** The human report: a status table per host, then the violations grouped by host. */
export function renderText(report: Report, title: string, style: Style): string {
  const out: string[] = [style.bold(title), ""];
  if (report.rows.length === 0) out.push("No Exchange host in this stack (no VM tagged as one).");
  else {
    const verdict = (v: string) => (v === "blocked" ? style.red("BLOCKED") : v === "advice" ? style.yellow("advice") : style.green("ok"));
    const rows = [["HOST", "STATE", "NEWEST ASSESSMENT", "INTERNET EXPOSURE", "VERDICT"]];
    for (const r of report.rows) rows.push([r.host, r.state, r.assessment, r.exposure, r.verdict]);
    const lines = table(rows, style);
    out.push(lines[0], ...lines.slice(1).map((l, i) => l.slice(0, l.length - report.rows[i].verdict.length) + verdict(report.rows[i].verdict)));
  }
  const withFindings = report.rows.filter((r) => r.diagnostics.length > 0);
  if (withFindings.length > 0 || report.other.length > 0) {
    out.push("", style.bold("Violations"));
    for (const r of withFindings) {
      out.push(`  ${style.bold(r.host)} ${style.dim(r.urn)}`);
      for (const d of r.diagnostics) out.push(`    [${level(d, style)}] ${d.policyName}: ${messageBody(d)}`);
    }
    if (report.other.length > 0) {
      out.push(`  ${style.bold("other resources")}`);
      for (const d of report.other) out.push(`    [${level(d, style)}] ${d.policyName} ${style.dim(d.urn)}: ${messageBody(d)}`);
    }
  }
  out.push("", `${report.mandatory} mandatory and ${report.advisory} advisory violation(s).`);
  return out.join("\n");
}

/** @pulumi/policy prefixes the policy description to each message; the report shows the finding only. */
export function messageBody(d: Diagnostic): string {
  return d.description && d.message.startsWith(d.description + "\n") ? d.message.slice(d.description.length + 1) : d.message;
}

/** Findings beside the policies' (drift from the stack), one line each under their heading. */
export function renderFindings(heading: string, findings: readonly { message: string }[], style: Style): string {
  const out = ["", style.bold(`${heading} (${findings.length})`)];
  if (findings.length === 0) out.push("  none");
  for (const f of findings) out.push(`  ${style.yellow("drift")} ${f.message}`);
  return out.join("\n");
}
