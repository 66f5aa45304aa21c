import type { Diagnostic } from "../packDriver/analyzerClient";
import { exposureGraph } from "./exposureGraph";
import { HostStory } from "./hostStory";
import { toMermaid } from "./mermaid";
import { pathForDiagnostic } from "./violationPaths";
import { messageBody } from "./text";

/** A table cell or inline text: HTML escaped, Markdown punctuation escaped, one line. */
export function mdText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, " ");
}

export interface SummaryInput {
  readonly title: string;
  readonly mandatory: number;
  readonly advisory: number;
  readonly stories: readonly HostStory[];
  readonly other: readonly Diagnostic[];
}

/** GitHub-flavoured Markdown for a job summary or a pull-request comment: verdict, hosts, each violation's path. */
export function renderSummary(s: SummaryInput, r: (t: string) => string): string {
  const blocked = s.mandatory > 0;
  const out = [
    `## ${blocked ? "❌" : "✅"} ${mdText(r(s.title))}`,
    "",
    blocked
      ? `**Blocked:** ${s.mandatory} mandatory and ${s.advisory} advisory violation(s).`
      : `**Passed:** no mandatory violation${s.advisory > 0 ? `, ${s.advisory} advisory` : ""}.`,
    "",
    "| host | state | newest assessment | verdict |",
    "|---|---|---|---|",
    ...s.stories.map(
      (h) => `| ${mdText(r(h.host))} | ${mdText(r(h.state))} | ${mdText(r(h.assessment))} | ${h.verdict === "blocked" ? "**BLOCKED**" : h.verdict} |`,
    ),
  ];
  const withFindings = s.stories.filter((h) => h.diagnostics.length > 0);
  if (withFindings.length > 0 || s.other.length > 0) out.push("", "### Violations");
  for (const h of withFindings) {
    out.push("", `#### ${mdText(r(h.host))}`);
    for (const d of h.diagnostics) {
      out.push("", `- **${d.enforcementLevel}** \`${d.policyName}\`: ${mdText(r(messageBody(d)))}`);
      const path = pathForDiagnostic(h, d, r);
      if (path) out.push("", "```mermaid", toMermaid(exposureGraph(h, [path], r)), "```");
    }
  }
  for (const d of s.other) out.push("", `- **${d.enforcementLevel}** \`${d.policyName}\` (${mdText(r(d.urn))}): ${mdText(r(messageBody(d)))}`);
  out.push(
    "",
    "<sub>Solid red: open (traffic reaches the host). Dashed green ending in ✕: closed, the rule named drops it. Dotted orange: the pack cannot decide, so it counts as open.</sub>",
    "",
  );
  return out.join("\n");
}
