import type { Viz } from "@viz-js/viz" with { "resolution-mode": "import" };
import { ExposureGraph, GraphEdge, GraphNode, wrap } from "./exposureGraph";

/** How each verdict is drawn: apart by line style and arrowhead as well as by colour, so it reads in black and white. */
export const EDGE_STYLE = {
  open: { color: "#b3261e", style: "solid", arrowhead: "normal", penwidth: 2.2, word: "open: traffic reaches the host" },
  closed: { color: "#2e7d32", style: "dashed", arrowhead: "tee", penwidth: 1.4, word: "closed: a rule or setting drops it" },
  undecidable: { color: "#e65100", style: "dotted", arrowhead: "odot", penwidth: 2.2, word: "undecidable: counts as open" },
} as const;

const NODE_STYLE: Record<string, { shape: string; fill: string }> = {
  internet: { shape: "ellipse", fill: "#fde7e9" },
  network: { shape: "ellipse", fill: "#e8f0fe" },
  host: { shape: "box3d", fill: "#fff8e1" },
  nsg: { shape: "octagon", fill: "#eef7ee" },
  NIC: { shape: "box", fill: "#f1f3f4" },
};

/** A DOT string: backslashes and quotes escaped, line breaks as DOT's own, no control characters. */
export function dotString(s: string): string {
  return `"${s
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")}"`;
}

function dotNode(n: GraphNode): string {
  const st = NODE_STYLE[n.kind] ?? { shape: "box", fill: "#ffffff" };
  const attrs = [
    `label=${dotString(n.lines.map((l) => wrap(l)).join("\n"))}`,
    `tooltip=${dotString(n.title)}`,
    `shape=${st.shape}`,
    `fillcolor=${dotString(st.fill)}`,
    `class=${dotString(`node-${n.kind.replace(/[^A-Za-z]/g, "")}${n.hypothetical ? " hypothetical" : ""}`)}`,
    ...(n.hypothetical ? ['style="filled,dashed"'] : []),
  ];
  return `  ${n.id} [${attrs.join(", ")}];`;
}

function dotEdge(e: GraphEdge): string {
  const st = EDGE_STYLE[e.verdict];
  const attrs = [
    `label=${dotString(wrap(e.label))}`,
    `tooltip=${dotString(`${e.verdict}: ${e.label}`)}`,
    `color=${dotString(st.color)}`,
    `fontcolor=${dotString(st.color)}`,
    `style=${st.style}`,
    `arrowhead=${e.last || e.verdict !== "closed" ? st.arrowhead : "normal"}`,
    `penwidth=${st.penwidth}`,
    `class=${dotString(`edge-${e.verdict}`)}`,
  ];
  return `  ${e.from} -> ${e.to} [${attrs.join(", ")}];`;
}

export function toDot(g: ExposureGraph): string {
  return [
    "digraph exposure {",
    '  graph [rankdir=LR, bgcolor="transparent", nodesep=0.3, ranksep=0.5, fontname="Helvetica,Arial,sans-serif"];',
    '  node [style=filled, fontname="Helvetica,Arial,sans-serif", fontsize=11, color="#5f6368"];',
    '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=10];',
    ...g.nodes.map(dotNode),
    ...g.edges.map(dotEdge),
    "}",
  ].join("\n");
}

// The package is an ES module with a CommonJS build beside it (its "require" export), which this CommonJS CLI loads.
const { instance } = require("@viz-js/viz") as { instance(): Promise<Viz> };
let viz: Promise<Viz> | undefined;

/** Graphviz (compiled to WebAssembly, shipped in the npm package) lays the graph out; nothing is fetched. */
export async function toSvg(g: ExposureGraph): Promise<string> {
  viz ??= instance();
  const svg = (await viz).renderString(toDot(g), { format: "svg", engine: "dot" });
  // Inline in a page: no XML prolog, no DOCTYPE (it names a DTD on the web), no comments.
  return svg
    .replace(/<\?xml[^>]*\?>\s*/, "")
    .replace(/<!DOCTYPE[^>]*>\s*/, "")
    .replace(/<!--[\s\S]*?-->\s*/g, "")
    .trim();
}
