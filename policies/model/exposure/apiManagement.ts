import { familySet, parseAddressPrefix, PRIVATE_SPACE } from "../addresses";
import { AddressIndex } from "../addressIndex";
import { ALL_PORTS, portRange, Proto } from "../flows";
import { GraphNode, ResourceGraph, sameResourceGroup } from "../graph";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { NetworkModel } from "../network";
import { T } from "../resourceTypes";
import { ProxyVnets } from "../vnetReach";
import { arr, field, isIndeterminate, path, present, str } from "../values";
import { AgwCatalog, reachOf } from "./applicationGateways";
import { StackDns } from "./dns";
import { DnatCatalog } from "./firewalls";
import { FlowCalculator } from "./flowCalculator";
import { hop, Hop, namedResource, resourceOf } from "./hops";
import { addressTargets, routeTo } from "./route";
import { RouteToHost } from "./types";

/**
 * API Management as a proxy (https://learn.microsoft.com/azure/api-management/virtual-network-concepts): in External
 * VNet mode the gateway is reachable from the internet and sends to backends in its VNet (and peered ones); in Internal
 * mode it is reachable only from inside the network; with no VNet (None) it reaches only public backends. Standard v2 /
 * Premium v2 outbound VNet integration is External too (a public gateway that sends into the VNet). With public network
 * access disabled only private endpoints reach the gateway. An internet client reaches a host through it on the port
 * of an API's `serviceUrl`, a backend's `url`, or a URL a policy sets (`set-backend-service base-url`, `send-request`),
 * and the host's NSGs see the API Management subnet as the source.
 */
export type ApimMode = "External" | "Internal" | "None";

export interface ApimIndex {
  readonly node: GraphNode;
  readonly name: string;
  /** "External VNet", "Internal VNet", "VNet mode unknown at preview", "a service outside this stack". */
  readonly modeText: string;
  /** How an internet client reaches the gateway: directly, or through public front ends (an Application Gateway, Firewall DNAT). */
  readonly entries: readonly ApimEntry[];
  /** The gateway's subnet(s): the source the host's NSGs see. */
  readonly sources: IntervalSet;
  readonly sourceText: string;
  readonly vnets: ProxyVnets;
}

interface ApimEntry {
  /** Hops before API Management ([] when its own gateway is public). */
  readonly path: readonly Hop[];
  /** Internet sources that may use this entry; undefined means any. */
  readonly frontSources?: IntervalSet;
}

/** One URL the gateway forwards to. */
interface ApimTarget {
  readonly apim: ApimIndex;
  /** "API wsman serviceUrl http://10.1.2.4:5985". */
  readonly what: string;
  readonly ports: IntervalSet;
  /** Set when the target cannot be tied to an address: it may be any host the gateway can reach. */
  readonly why?: string;
}

export interface ApimCatalog {
  readonly ipTargets: AddressIndex<ApimTarget>;
  readonly hostTargets: ReadonlyMap<string, ApimTarget[]>;
  /** Targets the pack cannot resolve (unknown URL, a name no DNS of the stack answers): any host the gateway reaches. */
  readonly anywhere: readonly ApimTarget[];
}

const API_TYPES = [T.ApimApi, T.ApimWorkspaceApi];
const BACKEND_TYPES = [T.ApimBackend, T.ApimWorkspaceBackend];
const POLICY_TYPES = [
  T.ApimPolicy,
  T.ApimApiPolicy,
  T.ApimApiOperationPolicy,
  T.ApimProductPolicy,
  T.ApimWorkspacePolicy,
  T.ApimWorkspaceApiPolicy,
  T.ApimWorkspaceApiOperationPolicy,
];

function text(v: unknown): string | undefined {
  const s = str(v);
  return typeof s === "string" && s.trim() !== "" ? s : undefined;
}

function serviceName(node: GraphNode): string {
  return text(field(node.props, "serviceName")) ?? node.display;
}

function modeOf(node: GraphNode): { mode: ApimMode | undefined; text: string } {
  const raw = str(field(node.props, "virtualNetworkType"));
  if (isIndeterminate(raw)) return { mode: undefined, text: `VNet mode ${raw.describe()}` };
  const m = (raw ?? "None").trim().toLowerCase();
  if (m === "external") return { mode: "External", text: "External VNet" };
  if (m === "internal") return { mode: "Internal", text: "Internal VNet" };
  if (m === "none") return { mode: "None", text: "no VNet" };
  return { mode: undefined, text: `VNet mode "${raw}"` };
}

/** The gateway's subnets (primary and additional locations): where it sends from, and which VNets it reaches. */
function gatewaySubnets(network: NetworkModel, node: GraphNode): { sources: IntervalSet; text: string; vnets: ProxyVnets } {
  const refs: unknown[] = [path(node.props, "virtualNetworkConfiguration", "subnetResourceId")];
  const extra = arr(field(node.props, "additionalLocations"));
  for (const l of Array.isArray(extra) ? extra : []) refs.push(path(l, "virtualNetworkConfiguration", "subnetResourceId"));
  let sources = IntervalSet.EMPTY;
  let sourceText = "";
  let vnets: GraphNode[] | undefined = isIndeterminate(extra) ? undefined : [];
  for (const ref of refs) {
    const views = present(ref) ? network.subnetViews(node, ref, "virtualNetworkConfiguration") : [];
    if (views.length === 0) vnets = undefined;
    for (const v of views) {
      if (!v.vnet) vnets = undefined;
      else if (vnets && !vnets.includes(v.vnet)) vnets.push(v.vnet);
      if (v.prefixes) {
        sources = sources.union(v.prefixes);
        sourceText = `subnet ${v.name}`;
      }
    }
  }
  if (sources.isEmpty) return { sources: PRIVATE_SPACE, text: "its subnet (address unknown)", vnets };
  return { sources, text: sourceText, vnets };
}

/** The gateway's own private addresses (Internal mode, after deployment), else anything in its subnet. */
function gatewayAddresses(node: GraphNode, subnetSources: IntervalSet): IntervalSet {
  const list = arr(field(node.props, "privateIPAddresses"));
  let out = IntervalSet.EMPTY;
  for (const a of Array.isArray(list) ? list : []) {
    const s = text(a);
    const set = s ? parseAddressPrefix(s) : undefined;
    if (set) out = out.union(set);
  }
  return out.isEmpty ? subnetSources : out;
}

/** Public front ends whose backend is this gateway's private address: the way in to an Internal (or private-only) gateway. */
function frontsOf(address: IntervalSet, agws: AgwCatalog, dnat: DnatCatalog): ApimEntry[] {
  const out: ApimEntry[] = [];
  for (const { item } of agws.ipTargets.query(address)) {
    for (const r of reachOf(item.agw, item.pool)) {
      out.push({
        path: [
          hop("application gateway", `public application gateway ${item.agw.node.display} ${r.layer} listener ${r.listener} → ${item.text}`, {
            resource: resourceOf(item.agw.node),
            via: `${r.layer} listener ${r.listener}`,
            note: item.text,
          }),
        ],
      });
    }
  }
  for (const { item } of dnat.byAddress.query(address))
    out.push({
      path: [hop("firewall", `${item.label} → its translated address`, { resource: item.resource, via: item.label, note: "its translated address" })],
      frontSources: item.sources,
    });
  return out;
}

/** A URL for messages: without user information or query string, which may carry credentials or keys. */
function shown(raw: string): string {
  return raw
    .trim()
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i, "$1")
    .replace(/[?#].*$/, "");
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { "http:": 80, "https:": 443, "ws:": 80, "wss:": 443 };

/** Where a URL leads: its host (an address, a name) and port (explicit, else by scheme). */
function parseUrl(raw: string): { host: string; ports: IntervalSet; portText: string } | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") return undefined;
  const port = url.port !== "" ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  return port === undefined ? { host, ports: ALL_PORTS, portText: "any port" } : { host, ports: portRange(port, port), portText: String(port) };
}

/**
 * The URLs a policy document names. `set-backend-service base-url` and `send-request`'s `set-url` send requests there
 * (computed ones, a policy expression or a named value, may send anywhere); any other URL in it counts only where it
 * names a host (an `openid-config` or a logging endpoint is no way to a host the stack does not name).
 */
function policyUrls(xml: string): Array<{ url: string | undefined; what: string; sends: boolean }> {
  const out: Array<{ url: string | undefined; what: string; sends: boolean }> = [];
  const computed = (v: string) => v.startsWith("@") || v.includes("{{");
  const sent = (v: string, what: string) =>
    out.push(computed(v) ? { url: undefined, what: `${what} ${v}`, sends: true } : { url: v, what, sends: true });
  for (const m of xml.matchAll(/base-url\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) sent((m[1] ?? m[2] ?? "").trim(), "set-backend-service base-url");
  for (const m of xml.matchAll(/<set-url>([\s\S]*?)<\/set-url>/gi)) sent(m[1].trim(), "send-request set-url");
  for (const m of xml.matchAll(/\b(?:https?|wss?):\/\/[^\s"'<>]+/gi)) {
    if (!out.some((o) => o.url === m[0])) out.push({ url: m[0], what: "URL", sends: false });
  }
  return out;
}

/** "policy of API wsman", "policy of operation wsman/get", "global policy": where a policy document applies. */
function policyScope(p: GraphNode): string {
  const api = text(field(p.props, "apiId"));
  const op = text(field(p.props, "operationId"));
  const product = text(field(p.props, "productId"));
  const workspace = text(field(p.props, "workspaceId"));
  const where =
    api && op
      ? `policy of operation ${api}/${op}`
      : api
        ? `policy of API ${api}`
        : product
          ? `policy of product ${product}`
          : workspace
            ? "workspace policy"
            : "global policy";
  return workspace && where !== "workspace policy" ? `${where} in workspace ${workspace}` : where;
}

/** Indexes every API Management service and the URLs it forwards to. */
export function indexApiManagement(graph: ResourceGraph, network: NetworkModel, dns: StackDns, agws: AgwCatalog, dnat: DnatCatalog): ApimCatalog {
  const ipTargets = new AddressIndex<ApimTarget>();
  const hostTargets = new Map<string, ApimTarget[]>();
  const anywhere: ApimTarget[] = [];
  const services = graph.ofType(T.Apim);
  const children = [...graph.ofType(...API_TYPES), ...graph.ofType(...BACKEND_TYPES), ...graph.ofType(...POLICY_TYPES)];
  if (services.length === 0 && children.length === 0) return { ipTargets, hostTargets, anywhere };

  const indexed = new Map<string, ApimIndex>();
  for (const node of services) {
    const mode = modeOf(node);
    const access = str(field(node.props, "publicNetworkAccess"));
    const publicGateway = mode.mode !== "Internal" && !(typeof access === "string" && access.trim().toLowerCase() === "disabled");
    // With no VNet the gateway reaches public backends only, never a host's private address.
    if (mode.mode === "None") continue;
    const subnets = gatewaySubnets(network, node);
    const entries: ApimEntry[] = publicGateway ? [{ path: [] }] : frontsOf(gatewayAddresses(node, subnets.sources), agws, dnat);
    if (entries.length === 0) continue;
    const name = serviceName(node);
    const modeText = publicGateway || mode.mode === undefined ? mode.text : `${mode.text}, private gateway`;
    indexed.set(node.urn, { node, name, modeText, entries, sources: subnets.sources, sourceText: subnets.text, vnets: subnets.vnets });
  }

  // Children name their service by `serviceName` (by URN at preview); a service outside the stack is of unknown mode.
  const outside = new Map<string, ApimIndex>();
  const servicesOf = (child: GraphNode): ApimIndex[] => {
    const viaDeps = graph.dependencyCandidates(child, "serviceName", [T.Apim]);
    const name = text(field(child.props, "serviceName"));
    const owners =
      viaDeps.length > 0
        ? viaDeps
        : name !== undefined
          ? services.filter((s) => serviceName(s).toLowerCase() === name.toLowerCase() && sameResourceGroup(graph, s, child) !== "no")
          : services;
    if (owners.length > 0) return owners.map((o) => indexed.get(o.urn)).filter((x): x is ApimIndex => x !== undefined);
    const key = (name ?? "?").toLowerCase();
    let ext = outside.get(key);
    if (!ext) {
      ext = {
        node: child,
        name: name ?? "(unknown service)",
        modeText: "a service outside this stack, VNet mode unknown",
        entries: [{ path: [] }],
        sources: PRIVATE_SPACE,
        sourceText: "its subnet (unknown)",
        vnets: undefined,
      };
      outside.set(key, ext);
    }
    return [ext];
  };

  /** `namesOnly`: the URL counts only where it names a host; one the pack cannot resolve is not a way anywhere. */
  const addUrl = (apim: ApimIndex, raw: unknown, what: string, namesOnly = false) => {
    const s = str(raw);
    if (isIndeterminate(s)) {
      anywhere.push({ apim, what, ports: ALL_PORTS, why: `${what} is ${s.describe()}, so it may name any host` });
      return;
    }
    if (s === undefined || s.trim() === "") return;
    const u = parseUrl(s);
    if (!u && namesOnly) return;
    if (!u) {
      anywhere.push({ apim, what: `${what} ${shown(s)}`, ports: ALL_PORTS, why: `it is not a URL the pack can read, so it may name any host` });
      return;
    }
    const target = (why?: string): ApimTarget => ({ apim, what: `${what} ${shown(s)}`, ports: u.ports, why });
    const literal = parseAddressPrefix(u.host);
    if (literal) {
      ipTargets.add(literal, target());
      return;
    }
    const ans = dns.resolve(u.host);
    if (ans.kind === "addresses") ipTargets.add(ans.addrs, { ...target(), what: `${what} ${shown(s)} (${ans.via})` });
    else if (ans.kind === "hosts") {
      for (const h of ans.hosts) {
        let l = hostTargets.get(h.urn);
        if (!l) hostTargets.set(h.urn, (l = []));
        l.push({ ...target(), what: `${what} ${shown(s)} (${ans.via})` });
      }
    } else if (!namesOnly) anywhere.push(target(ans.why));
  };

  for (const api of graph.ofType(...API_TYPES)) {
    const id = text(field(api.props, "apiId")) ?? api.display;
    for (const apim of servicesOf(api)) addUrl(apim, field(api.props, "serviceUrl"), `API ${id} serviceUrl`);
  }
  for (const b of graph.ofType(...BACKEND_TYPES)) {
    const id = text(field(b.props, "backendId")) ?? b.display;
    for (const apim of servicesOf(b)) addUrl(apim, field(b.props, "url"), `backend ${id} url`);
  }
  for (const p of graph.ofType(...POLICY_TYPES)) {
    const owners = servicesOf(p);
    if (owners.length === 0) continue;
    const scope = policyScope(p);
    const value = str(field(p.props, "value"));
    const format = str(field(p.props, "format"));
    const linked = typeof format === "string" && format.toLowerCase().endsWith("-link");
    for (const apim of owners) {
      if (isIndeterminate(value) || linked) {
        const why = linked
          ? `the policy document is fetched from a link (${format})`
          : `the policy document is ${(value as { describe(): string }).describe()}`;
        anywhere.push({ apim, what: scope, ports: ALL_PORTS, why: `${why}, so it may name any host` });
        continue;
      }
      for (const u of policyUrls(value ?? "")) {
        if (u.url === undefined)
          anywhere.push({
            apim,
            what: `${scope} ${u.what}`,
            ports: ALL_PORTS,
            why: `${scope} ${u.what} is computed at run time, so it may name any host`,
          });
        else addUrl(apim, u.url, `${scope} ${u.what}`, !u.sends);
      }
    }
  }
  return { ipTargets, hostTargets, anywhere };
}

/** Path: an internet client → API Management (its public gateway, or a public front end of a private one) → a URL naming the host. */
export function apiManagementRoutes(calc: FlowCalculator, catalog: ApimCatalog, host: Host, ip: IpConfigView): RouteToHost[] {
  if (catalog.ipTargets.size === 0 && catalog.hostTargets.size === 0 && catalog.anywhere.length === 0) return [];
  const reach = calc.network.reach;
  const hits: Array<{ t: ApimTarget; how?: string }> = [];
  for (const { item, certain } of addressTargets(ip, catalog.ipTargets, { reach, vnetsOf: (t) => t.apim.vnets })) {
    hits.push({ t: item, how: certain ? undefined : "may be this host: its address is not known" });
  }
  for (const t of catalog.hostTargets.get(host.urn) ?? []) hits.push({ t });
  const hostVnets = ip.subnets.map((s) => s.vnet);
  for (const t of catalog.anywhere) if (reach.proxyMayReach(t.apim.vnets, hostVnets)) hits.push({ t, how: t.why });
  const routes: RouteToHost[] = [];
  for (const { t, how } of hits) {
    for (const entry of t.apim.entries) {
      routes.push(
        routeTo(calc, host, ip, {
          kind: "API Management",
          path: [
            ...entry.path,
            hop("API Management", `API Management ${t.apim.name} (${t.apim.modeText})`, {
              resource: t.apim.node.type === T.Apim ? resourceOf(t.apim.node) : namedResource(T.Apim, t.apim.name),
              note: t.apim.modeText,
            }),
            hop("API", `${t.what}${how ? ` (${how})` : ""}`, { via: t.what, note: how }),
          ],
          direct: false,
          frontSources: entry.frontSources,
          query: { addrs: t.apim.sources.isEmpty ? familySet(ip.family) : t.apim.sources, ports: t.ports, protos: Proto.TCP },
          sourceLabel: `API Management ${t.apim.name} (${t.apim.sourceText})`,
        }),
      );
    }
  }
  return routes;
}
