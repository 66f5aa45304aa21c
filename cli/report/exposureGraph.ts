import type { FlowGroup, Hop, PathExplanation, RuleStep, Verdict } from "../../policies/model";
import { ruleShort } from "./pathWords";

/** The picture of one host's exposure as a value: DOT (then SVG) and Mermaid are two renderings of it. */
export type NodeKind = "internet" | "network" | Hop["kind"] | "nsg" | "host";

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Lines of the label, already redacted. */
  readonly lines: readonly string[];
  /** The hop or rule as the messages word it, already redacted. */
  readonly title: string;
  /** A source that stands for any path not built yet (what a new public IP on the NIC would meet). */
  readonly hypothetical?: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly verdict: Verdict;
  /** Rule and ports, already redacted; empty for a hop that carries no rule of its own. */
  readonly label: string;
  /** The edge into the host: where a closed path is stopped (drawn with a bar), or an open one arrives. */
  readonly last: boolean;
}

export interface ExposureGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const KIND_WORD: Record<string, string> = {
  "public IP": "public IP",
  "load balancer": "load balancer",
  "backend pool": "backend pool",
  "application gateway": "application gateway",
  firewall: "firewall",
  bastion: "Azure Bastion",
  "front door": "Front Door / CDN",
  "API Management": "API Management",
  API: "API / backend",
  NIC: "NIC",
  "unmodeled resource": "resource the pack does not model",
};

/** Breaks a label into lines of about `width` characters at spaces, so a long rule or name does not stretch the picture. */
export function wrap(text: string, width = 34): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join("\n");
}

function hopLines(h: Hop): string[] {
  const word = KIND_WORD[h.kind] ?? h.kind;
  const via = h.via && h.via !== h.resource?.name ? [h.via] : [];
  // "backend pool web" says its kind already.
  const head = via[0]?.startsWith(word) && !h.resource ? [] : [word];
  return [...head, ...(h.resource ? [h.resource.name] : []), ...via];
}

/** Builds the graph of some paths of one host; `r` redacts every text that reaches the picture. */
export function exposureGraph(host: { host: string; state: string }, paths: readonly PathExplanation[], r: (s: string) => string): ExposureGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const byKey = new Map<string, string>();
  const seenEdges = new Set<string>();
  const node = (key: string, make: (id: string) => GraphNode): string => {
    let id = byKey.get(key);
    if (!id) {
      id = `n${nodes.length}`;
      byKey.set(key, id);
      nodes.push(make(id));
    }
    return id;
  };
  const edge = (from: string, to: string, verdict: Verdict, label: string) => {
    const key = `${from}>${to}|${verdict}|${label}`;
    if (seenEdges.has(key)) return;
    seenEdges.add(key);
    edges.push({ from, to, verdict, label: r(label), last: to === hostId });
  };
  const hostId = node("host", (id) => ({ id, kind: "host", lines: [r(host.host), r(host.state)], title: r(`host ${host.host}: ${host.state}`) }));
  const hopNode = (h: Hop) =>
    node(
      `hop|${h.kind}|${h.resource?.urn ?? h.resource?.id ?? h.resource?.name ?? h.text}|${h.via ?? ""}|${h.kind === "NIC" ? "" : h.text}`,
      (id) => ({
        id,
        kind: h.kind,
        lines: hopLines(h).map(r),
        title: r(h.text),
      }),
    );
  const nsgNode = (nicId: string, s: RuleStep) =>
    node(`nsg|${nicId}|${s.level}|${s.nsg}`, (id) => ({
      id,
      kind: "nsg",
      lines: s.rule?.origin === "admin" ? ["network manager", "admin rules"] : [`${s.level} NSG`, r(s.nsg || "none")],
      title: r(s.nsg ? `${s.level} NSG ${s.nsg}` : `no ${s.level} NSG`),
    }));
  const service = (g: FlowGroup, withSources: boolean) =>
    g.withheld ? "withheld (secret)" : `${g.service}${withSources ? ` from ${g.sources}` : ""}`;

  /** From the NIC through each NSG level of the group to the host; a deny group ends at its NSG. */
  const throughNsgs = (nicId: string, g: FlowGroup, verdict: Verdict, withSources: boolean) => {
    let prev = nicId;
    g.steps.forEach((s, i) => {
      const id = nsgNode(nicId, s);
      edge(prev, id, verdict, i === 0 ? service(g, withSources) : ruleShort(g.steps[i - 1]));
      prev = id;
    });
    const last = g.steps[g.steps.length - 1];
    const verb = g.access === "allow" ? "allows" : "denies";
    edge(prev, hostId, g.access === "allow" ? verdict : "closed", last ? `${ruleShort(last)} ${verb} ${service(g, false)}` : service(g, false));
  };

  for (const p of paths) {
    const atNic = p.origin !== "path";
    let prev = atNic
      ? p.origin === "internet at the NIC"
        ? node("any-internet", (id) => ({
            id,
            kind: "internet",
            lines: ["Internet", "(any path to this NIC)"],
            title: "what a public IP or public load balancer put on this NIC would meet",
            hypothetical: true,
          }))
        : node("network", (id) => ({
            id,
            kind: "network",
            lines: ["inside the network", "(VNet, peerings, forensics)"],
            title: "sources inside the network",
          }))
      : node("internet", (id) => ({ id, kind: "internet", lines: ["Internet"], title: "the internet" }));
    for (const h of p.path) {
      const id = hopNode(h);
      edge(prev, id, p.verdict, h.ports ?? "");
      prev = id;
    }
    const last = p.path[p.path.length - 1];
    if (last?.kind !== "NIC" || p.verdict === "undecidable") {
      edge(prev, hostId, p.verdict, p.verdict === "undecidable" ? "cannot be decided: counts as open on every port" : (p.closedBy ?? ""));
      continue;
    }
    for (const g of p.allowed) throughNsgs(prev, g, p.verdict === "closed" ? "closed" : "open", atNic);
    if (p.verdict === "closed") {
      for (const g of p.denied) throughNsgs(prev, g, "closed", atNic);
      if (p.denied.length === 0) edge(prev, hostId, "closed", p.closedBy ?? "closed");
    }
  }
  return { nodes, edges: mergeParallel(edges) };
}

/** Edges between the same two nodes with the same verdict become one, its labels one under the other: fewer lines to lay out. */
function mergeParallel(edges: readonly GraphEdge[]): GraphEdge[] {
  const byEnds = new Map<string, GraphEdge>();
  for (const e of edges) {
    const key = `${e.from}>${e.to}|${e.verdict}`;
    const seen = byEnds.get(key);
    byEnds.set(key, seen ? { ...seen, label: [seen.label, e.label].filter((l) => l !== "").join("; ") } : e);
  }
  return [...byEnds.values()];
}
