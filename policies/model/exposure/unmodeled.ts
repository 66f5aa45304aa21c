import { normalizeId, parseArmId, topLevelId } from "../armIds";
import { GraphNode, ResourceGraph } from "../graph";
import { Host } from "../hosts";
import { HostAddressBook } from "./addressReferrers";
import { StackDns } from "./dns";
import { inertReason } from "./inertReferrers";
import { eachString } from "../values";

/** Providers whose resources can change Azure networking; anything else (random, tls, components) is not scanned. */
const SCANNED_PACKAGES = new Set(["azure-native", "azure", "azapi", "command"]);

function scanned(node: GraphNode): boolean {
  if (inertReason(node.type) !== undefined) return false;
  return SCANNED_PACKAGES.has(node.type.split(":")[0].split("_")[0]);
}

/**
 * Finds resources of types the pack does not model that reference an Exchange host: its VM or NICs by id in any
 * property or by URN in their dependencies, or the host by its private address or a DNS name the stack maps to it, in
 * any string (a URL, a script, a backend setting). Such a resource could be a way in (a JIT policy, a classic-provider
 * pool association, a script, a proxy the pack does not know), so it makes the host's exposure undecidable instead of
 * passing silently. Each resource's strings are scanned once against host addresses indexed once.
 */
export function unmodeledReferences(
  graph: ResourceGraph,
  hosts: readonly Host[],
  dns: StackDns = new StackDns(graph, hosts),
): Map<string, Array<{ node: GraphNode; how: string }>> {
  const byIdentity = new Map<string, Host>();
  for (const h of hosts) for (const id of h.identities) byIdentity.set(id, h);
  const out = new Map<string, Array<{ node: GraphNode; how: string }>>();
  if (byIdentity.size === 0) return out;
  const book = new HostAddressBook(hosts, dns);
  const record = (h: Host, node: GraphNode, how: string) => {
    let l = out.get(h.urn);
    if (!l) out.set(h.urn, (l = []));
    if (!l.some((x) => x.node === node)) l.push({ node, how });
  };
  for (const node of graph.nodes) {
    // A host's own resource naming itself is not a way in.
    if (!scanned(node) || byIdentity.has(node.urn)) continue;
    for (const [key, urns] of Object.entries(node.propertyDependencies)) {
      for (const u of urns) {
        const h = byIdentity.get(u);
        if (h) record(h, node, `its ${key} depends on ${graph.node(u)?.display ?? u}`);
      }
    }
    for (const u of node.dependencies) {
      const h = byIdentity.get(u);
      if (h) record(h, node, `it depends on ${graph.node(u)?.display ?? u}`);
    }
    eachString(node.props, (s) => {
      if (s.includes("/")) {
        const h = hostNamedBy(s, byIdentity);
        if (h) record(h.host, node, `a property names ${h.id.split("/").slice(-2).join("/")}`);
      }
      if (!book.empty) for (const m of book.find(s)) record(m.host, node, `a property ${m.how}`);
    });
  }
  return out;
}

/** ARM ids written inside a longer string: a script's `--ids /subscriptions/…` argument, a URL path. */
const EMBEDDED_ID = /\/?subscriptions\/[^\s"'`,;|&<>(){}[\]?#]+/gi;

/** The host a string names: the whole string as an id (or a child of one), else an id embedded in it. */
function hostNamedBy(s: string, byIdentity: ReadonlyMap<string, Host>): { host: Host; id: string } | undefined {
  for (const candidate of [s, ...(s.match(EMBEDDED_ID) ?? [])]) {
    const host = byIdentity.get(normalizeId(candidate)) ?? byIdentity.get(topLevelId(parseArmId(candidate)) ?? "");
    if (host) return { host, id: candidate };
  }
  return undefined;
}
