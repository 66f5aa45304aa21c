import type { Diagnostic } from "../packDriver/analyzerClient";
import { exposureGraph } from "./exposureGraph";
import { EDGE_STYLE, toSvg } from "./graphRender";
import { HostStory } from "./hostStory";
import { pathLines } from "./pathWords";
import { messageBody } from "./text";

/** Text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export interface PageInput {
  readonly title: string;
  readonly mandatory: number;
  readonly advisory: number;
  readonly stories: readonly HostStory[];
  readonly other: readonly Diagnostic[];
}

const CSS = `
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#202124;background:#fafafa}
header{padding:16px 24px;background:#fff;border-bottom:1px solid #dadce0}
h1{font-size:20px;margin:0 0 4px}
main{padding:16px 24px}
.verdict{font-weight:600}.blocked{color:#b3261e}.passed{color:#2e7d32}.advice{color:#8a5300}
table{border-collapse:collapse;background:#fff;margin:8px 0 16px}
th,td{border:1px solid #dadce0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f1f3f4}
section.host{background:#fff;border:1px solid #dadce0;border-radius:6px;margin:16px 0;padding:12px 16px}
section.host h2{font-size:17px;margin:0 0 6px}
.cols{display:flex;flex-direction:column;gap:8px}
.picture{overflow:auto;max-width:100%;border:1px solid #eceff1;border-radius:4px;padding:4px}
.facts{max-width:1100px}
pre{white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,Consolas,monospace;background:#f8f9fa;padding:6px 8px;border-radius:4px}
.legend{display:flex;gap:18px;flex-wrap:wrap;margin:8px 0}
.legend span{display:inline-flex;align-items:center;gap:6px}
ul{margin:4px 0 8px 18px;padding:0}
.urn{color:#5f6368;font-size:12px;word-break:break-all}
`;

function legend(): string {
  const item = (v: keyof typeof EDGE_STYLE) => {
    const st = EDGE_STYLE[v];
    const dash = st.style === "dashed" ? ' stroke-dasharray="6 4"' : st.style === "dotted" ? ' stroke-dasharray="2 3"' : "";
    const head =
      st.arrowhead === "tee"
        ? `<line x1="46" y1="3" x2="46" y2="13" stroke="${st.color}" stroke-width="2.5"/>`
        : st.arrowhead === "odot"
          ? `<circle cx="44" cy="8" r="3.5" fill="none" stroke="${st.color}" stroke-width="1.5"/>`
          : `<polygon points="40,3 48,8 40,13" fill="${st.color}"/>`;
    return `<span><svg width="50" height="16" role="img" aria-label="${esc(v)}"><line x1="2" y1="8" x2="42" y2="8" stroke="${st.color}" stroke-width="${st.penwidth}"${dash}/>${head}</svg>${esc(st.word)}</span>`;
  };
  return `<div class="legend" id="legend">${item("open")}${item("closed")}${item("undecidable")}<span>◯ dashed border: a path not built (what a new public IP on the NIC would meet)</span></div>`;
}

function diagnosticsList(ds: readonly Diagnostic[], r: (s: string) => string): string {
  if (ds.length === 0) return "<p>No violation.</p>";
  return `<ul>${ds
    .map(
      (d) =>
        `<li><b class="${d.enforcementLevel === "mandatory" ? "blocked" : "advice"}">${esc(d.enforcementLevel)}</b> <code>${esc(d.policyName)}</code>: ${esc(r(messageBody(d)))}</li>`,
    )
    .join("")}</ul>`;
}

/** One standalone page: no script, no stylesheet or font from elsewhere, every picture inline. */
export async function renderPage(p: PageInput, r: (s: string) => string): Promise<string> {
  const blocked = p.mandatory > 0;
  const rows = p.stories
    .map(
      (h, i) =>
        `<tr><td><a href="#host-${i}">${esc(r(h.host))}</a></td><td>${esc(r(h.state))}</td><td>${esc(r(h.assessment))}</td><td class="${h.verdict === "blocked" ? "blocked" : h.verdict === "advice" ? "advice" : "passed"}">${esc(h.verdict)}</td><td>${h.paths.filter((x) => x.origin === "path" && x.verdict !== "closed").length}</td></tr>`,
    )
    .join("");
  const sections: string[] = [];
  for (const [i, h] of p.stories.entries()) {
    const svg = await toSvg(exposureGraph(h, h.paths, r));
    const paths = h.paths.map((x) => pathLines(x).map(r).join("\n")).join("\n\n");
    sections.push(`<section class="host" id="host-${i}">
<h2>${esc(r(h.host))} <span class="verdict ${h.verdict === "blocked" ? "blocked" : "passed"}">${h.verdict === "blocked" ? "BLOCKED" : esc(h.verdict)}</span></h2>
<div class="urn">${esc(r(h.urn))}</div>
<div class="cols"><div class="picture" role="img" aria-label="${esc(r(`exposure of ${h.host}`))}">${svg}</div>
<div class="facts"><p><b>State:</b> ${esc(r(h.state))}<br><b>Newest assessment:</b> ${esc(r(h.assessment))}</p>
<p><b>Still needs</b></p>${h.needs.length > 0 ? `<ul>${h.needs.map((n) => `<li>${esc(r(n))}</li>`).join("")}</ul>` : "<p>nothing: verified</p>"}
<p><b>Violations</b></p>${diagnosticsList(h.diagnostics, r)}</div></div>
<details><summary>Every path in words</summary><pre>${esc(paths || "no path from outside, and no NIC the pack can see")}</pre></details>
</section>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(r(p.title))}</title><style>${CSS}</style></head>
<body><header><h1>${esc(r(p.title))}</h1>
<div class="verdict ${blocked ? "blocked" : "passed"}">${blocked ? `Blocked: ${p.mandatory} mandatory and ${p.advisory} advisory violation(s)` : `Passed: no mandatory violation${p.advisory > 0 ? `, ${p.advisory} advisory` : ""}`}</div>
${legend()}</header>
<main><table><thead><tr><th>host</th><th>state</th><th>newest assessment</th><th>verdict</th><th>open paths</th></tr></thead><tbody>${rows}</tbody></table>
${p.other.length > 0 ? `<h2>Other findings</h2>${diagnosticsList(p.other, r)}` : ""}
${sections.join("\n")}
</main></body></html>
`;
}
