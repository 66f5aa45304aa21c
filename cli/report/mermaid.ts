import { EDGE_STYLE } from "./graphRender";
import { ExposureGraph } from "./exposureGraph";

/**
 * Text for a quoted Mermaid label: letters, digits, spaces and a few safe punctuation marks stay; every other
 * character becomes Mermaid's numeric entity (`#35;`), so no name from a user's program can close the quote, start
 * markup, end a Markdown fence or inject a directive.
 */
export function mermaidText(s: string): string {
  let out = "";
  for (const ch of s) {
    if (/[A-Za-z0-9 .,:/()_-]/.test(ch)) out += ch;
    else out += `#${ch.codePointAt(0)};`;
  }
  return out;
}

const SHAPE: Record<string, [string, string]> = {
  internet: ["([", "])"],
  network: ["([", "])"],
  nsg: ["{{", "}}"],
  host: ["[[", "]]"],
};

/** A `flowchart LR` of the graph: open edges thick, closed ones dotted ending in a cross, undecidable ones dotted ending in a circle, and coloured. */
export function toMermaid(g: ExposureGraph): string {
  const out = ["flowchart LR"];
  for (const n of g.nodes) {
    const [open, close] = SHAPE[n.kind] ?? ["[", "]"];
    out.push(`  ${n.id}${open}"${n.lines.map(mermaidText).join("<br/>")}"${close}`);
  }
  g.edges.forEach((e) => {
    const arrow = e.verdict === "open" ? "==>" : e.verdict === "closed" ? (e.last ? "-.-x" : "-.->") : "-.-o";
    out.push(e.label ? `  ${e.from} ${arrow}|"${mermaidText(e.label)}"| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
  });
  g.edges.forEach((e, i) => {
    const st = EDGE_STYLE[e.verdict];
    out.push(`  linkStyle ${i} stroke:${st.color}${e.verdict === "open" ? ",stroke-width:3px" : ""}`);
  });
  return out.join("\n");
}
