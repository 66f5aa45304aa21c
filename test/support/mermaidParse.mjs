// Parses Mermaid text with Mermaid's own parser (the mermaid package, in Node with a jsdom window for its sanitizer) and
// prints what it read: the diagram type, every vertex with its label, every edge with its label and stroke.
// Input: a JSON array of diagram texts on stdin. Output: a JSON array of results, one per text.
import { JSDOM } from "jsdom";

const dom = new JSDOM("");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const text of JSON.parse(input)) {
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text, type: v.type }));
    const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text, stroke: e.stroke, type: e.type }));
    out.push({ ok: true, type: diagram.type, vertices, edges });
  } catch (e) {
    out.push({ ok: false, error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(out));
