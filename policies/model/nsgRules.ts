import { ALL_ADDRESSES, AZURE_PLATFORM, INTERNET, parseAddressPrefix } from "./addresses";
import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, parseProtocol } from "./flows";
import { IntervalSet } from "./intervalSet";
import { arr, field, isIndeterminate, isPlainObject, num, path, str } from "./values";

/**
 * One address term of a rule side, before it is resolved against a virtual network:
 * service tags and ASGs only become address sets in context.
 */
export type AddrTerm =
  | { kind: "set"; set: IntervalSet; text: string }
  | { kind: "any"; text: string }
  | { kind: "vnet"; text: string }
  | { kind: "internet"; text: string }
  | { kind: "lb"; text: string }
  | { kind: "tag"; text: string }
  | { kind: "asg"; ref: string | undefined; text: string }
  | { kind: "unknown"; text: string };

export type Access = "allow" | "deny";
export type Direction = "inbound" | "outbound";

export interface RuleSpec {
  /** Display name of the rule. */
  readonly name: string;
  /** Where the rule came from, for messages: the NSG's own rules, a standalone SecurityRule, a default rule. */
  readonly origin: "inline" | "standalone" | "default" | "assumed" | "admin";
  readonly priority: number;
  /** Directions the rule may apply to (both when the direction is unknown). */
  readonly directions: ReadonlySet<Direction>;
  readonly access: Access;
  readonly source: readonly AddrTerm[];
  readonly destination: readonly AddrTerm[];
  /** Ports the rule may match (allow: as wide as it could be; deny: as narrow). */
  readonly portsAllow: IntervalSet;
  readonly portsDeny: IntervalSet;
  readonly protosAllow: number;
  readonly protosDeny: number;
  /** A deny rule restricted to some source ports never protects: the client picks its source port. */
  readonly sourcePortsAny: boolean;
  /** What could not be read, in words; non-empty means the rule was widened (allow) or narrowed (deny). */
  readonly notes: readonly string[];
  /** The rule's address and port texts as written, so a message can withhold what it computes from a secret one. */
  readonly texts: readonly string[];
}

/** Unknown priorities: an allow is placed before every real rule, a deny after them, so the guess can only over-report exposure. */
const UNKNOWN_ALLOW_PRIORITY = 99;
const UNKNOWN_DENY_PRIORITY = 4097;

export function parseAddrTerm(text: string): AddrTerm {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === "*" || lower === "any") return { kind: "any", text: t };
  if (lower === "internet") return { kind: "internet", text: t };
  if (lower === "virtualnetwork" || lower === "virtual_network") return { kind: "vnet", text: t };
  if (lower === "azureloadbalancer" || lower === "azure_loadbalancer") return { kind: "lb", text: t };
  const set = parseAddressPrefix(t);
  if (set) return set.equals(ALL_ADDRESSES) ? { kind: "any", text: t } : { kind: "set", set, text: t };
  // Service tags look like Storage or AzureFrontDoor.Backend; anything else (a broken CIDR) could be any address.
  return /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/.test(t) ? { kind: "tag", text: t } : { kind: "unknown", text: t };
}

function addrSide(rule: unknown, single: string, plural: string, asgKey: string, label: string, notes: string[], texts: string[]): AddrTerm[] {
  const terms: AddrTerm[] = [];
  const one = str(field(rule, single));
  if (isIndeterminate(one)) {
    terms.push({ kind: "unknown", text: `${single} ${one.describe()}` });
    notes.push(`${label} ${single} is ${one.describe()}`);
  } else if (one !== undefined && one.trim() !== "") {
    terms.push(parseAddrTerm(one));
    texts.push(one);
  }
  const many = arr(field(rule, plural));
  if (isIndeterminate(many)) {
    terms.push({ kind: "unknown", text: `${plural} ${many.describe()}` });
    notes.push(`${label} ${plural} is ${many.describe()}`);
  } else if (many) {
    for (const m of many) {
      const s = str(m);
      if (isIndeterminate(s) || s === undefined) {
        terms.push({ kind: "unknown", text: `an entry of ${plural}` });
        notes.push(`an entry of ${label} ${plural} is ${isIndeterminate(s) ? s.describe() : "missing"}`);
      } else if (s.trim() !== "") {
        terms.push(parseAddrTerm(s));
        texts.push(s);
      }
    }
  }
  const asgs = arr(field(rule, asgKey));
  if (isIndeterminate(asgs)) {
    terms.push({ kind: "asg", ref: undefined, text: `${asgKey} (${asgs.describe()})` });
    notes.push(`${label} ${asgKey} is ${asgs.describe()}`);
  } else if (asgs) {
    for (const a of asgs) {
      const id = str(path(a, "id"));
      terms.push({
        kind: "asg",
        ref: typeof id === "string" ? id : undefined,
        text: typeof id === "string" ? `ASG ${lastSegment(id)}` : "an ASG",
      });
    }
  }
  if (terms.length === 0) {
    // ARM requires one of the forms; a rule without any is malformed, treat its side as unknown.
    terms.push({ kind: "unknown", text: `no ${label} address` });
    notes.push(`${label} address is missing`);
  }
  return terms;
}

function portSide(rule: unknown, notes: string[], texts: string[]): { allow: IntervalSet; deny: IntervalSet } {
  let allow = IntervalSet.EMPTY;
  let deny = IntervalSet.EMPTY;
  let any = false;
  const consider = (v: unknown, what: string) => {
    const s = typeof v === "number" ? String(v) : str(v);
    if (s === undefined) return;
    any = true;
    if (typeof s === "string") texts.push(s);
    if (isIndeterminate(s)) {
      notes.push(`${what} is ${s.describe()}`);
      allow = ALL_PORTS;
      return;
    }
    const set = parsePortSpec(s);
    if (!set) {
      notes.push(`${what} "${s}" is not a port or range`);
      allow = ALL_PORTS;
      return;
    }
    allow = allow.union(set);
    deny = deny.union(set);
  };
  consider(field(rule, "destinationPortRange"), "destinationPortRange");
  const many = arr(field(rule, "destinationPortRanges"));
  if (isIndeterminate(many)) {
    notes.push(`destinationPortRanges is ${many.describe()}`);
    allow = ALL_PORTS;
    any = true;
  } else if (many) {
    for (const m of many) {
      if (m === undefined || m === null) {
        notes.push("an entry of destinationPortRanges is missing");
        allow = ALL_PORTS;
        any = true;
      } else consider(m, "an entry of destinationPortRanges");
    }
  }
  if (!any) {
    notes.push("destination port is missing");
    return { allow: ALL_PORTS, deny: IntervalSet.EMPTY };
  }
  return { allow, deny };
}

function sourcePortsAreAny(rule: unknown): boolean {
  const one = str(field(rule, "sourcePortRange"));
  const many = arr(field(rule, "sourcePortRanges"));
  const specs: unknown[] = [];
  if (one !== undefined) specs.push(one);
  if (many !== undefined) {
    if (isIndeterminate(many)) return false;
    specs.push(...many);
  }
  if (specs.length === 0) return true;
  return specs.some((s) => {
    const t = typeof s === "number" ? String(s) : str(s);
    if (typeof t !== "string") return false;
    const set = parsePortSpec(t);
    return set !== undefined && set.equals(ALL_PORTS);
  });
}

export function lastSegment(id: string): string {
  const parts = id.split("/").filter((p) => p !== "");
  return parts.length > 0 ? parts[parts.length - 1] : id;
}

/**
 * Reads one security rule in either shape (inline element of `securityRules`, or a
 * standalone `SecurityRule` resource's properties). Never throws: what cannot be read
 * widens an allow and narrows a deny.
 */
/** Every field of a security rule that `parseRule` reads (a test holds the list to what it reads). */
export const RULE_FIELDS = [
  "name",
  "securityRuleName",
  "access",
  "direction",
  "priority",
  "protocol",
  "sourceAddressPrefix",
  "sourceAddressPrefixes",
  "sourceApplicationSecurityGroups",
  "destinationAddressPrefix",
  "destinationAddressPrefixes",
  "destinationApplicationSecurityGroups",
  "destinationPortRange",
  "destinationPortRanges",
  "sourcePortRange",
  "sourcePortRanges",
] as const;

/**
 * Parsed rules by what the parse reads: the same rule recurs across NSGs (one isolation NSG per host, all alike) and
 * across the analyses of one run (the guard at admission judges each host's neighbourhood, the stack analysis the
 * whole, the second with the outputs of what the first saw as inputs). Bounded; RuleSpecs are immutable.
 */
const parsedRules = new Map<string, RuleSpec>();
const PARSED_RULES_KEPT = 50_000;

export function parseSecurityRule(rule: unknown, origin: "inline" | "standalone", fallbackName: string): RuleSpec {
  if (!isPlainObject(rule)) return parseRule(rule, origin, fallbackName);
  let key: string;
  try {
    // `field` as the parse reads it; an absent field apart from a null one.
    key = JSON.stringify([
      origin,
      fallbackName,
      ...RULE_FIELDS.map((f) => (Object.prototype.hasOwnProperty.call(rule, f) ? field(rule, f) : "\u0000absent")),
    ]);
  } catch {
    return parseRule(rule, origin, fallbackName);
  }
  let spec = parsedRules.get(key);
  if (!spec) {
    spec = parseRule(rule, origin, fallbackName);
    if (parsedRules.size >= PARSED_RULES_KEPT) parsedRules.clear();
    parsedRules.set(key, spec);
  }
  return spec;
}

function parseRule(rule: unknown, origin: "inline" | "standalone", fallbackName: string): RuleSpec {
  const notes: string[] = [];
  const texts: string[] = [];
  if (typeof rule === "string" || typeof rule !== "object" || rule === null) {
    return assumedAllowAll(fallbackName, `rule ${fallbackName} is ${typeof rule === "string" ? "unknown at preview" : "malformed"}`);
  }
  const nameRead = str(field(rule, "name")) ?? str(field(rule, "securityRuleName"));
  const name = typeof nameRead === "string" && nameRead.trim() !== "" ? nameRead : fallbackName;

  const accessRead = str(field(rule, "access"));
  let access: Access;
  if (typeof accessRead === "string" && accessRead.trim().toLowerCase() === "deny") access = "deny";
  else {
    access = "allow";
    if (!(typeof accessRead === "string" && accessRead.trim().toLowerCase() === "allow")) {
      notes.push(`access is ${isIndeterminate(accessRead) ? accessRead.describe() : "not Allow or Deny"}; read as Allow`);
    }
  }

  const dirRead = str(field(rule, "direction"));
  const directions = new Set<Direction>();
  const dirText = typeof dirRead === "string" ? dirRead.trim().toLowerCase() : undefined;
  if (dirText === "inbound") directions.add("inbound");
  else if (dirText === "outbound") directions.add("outbound");
  else {
    // An unreadable direction could be either; only an allow is kept in both.
    if (access === "allow") {
      directions.add("inbound");
      directions.add("outbound");
    }
    notes.push(`direction is ${isIndeterminate(dirRead) ? dirRead.describe() : "not Inbound or Outbound"}`);
  }

  const prioRead = num(field(rule, "priority"));
  let priority: number;
  if (typeof prioRead === "number" && prioRead >= 100 && prioRead <= 4096) priority = prioRead;
  else {
    priority = access === "allow" ? UNKNOWN_ALLOW_PRIORITY : UNKNOWN_DENY_PRIORITY;
    notes.push(`priority is ${isIndeterminate(prioRead) ? prioRead.describe() : prioRead === undefined ? "missing" : "out of range"}`);
  }

  const protoRead = str(field(rule, "protocol"));
  let protosAllow = ALL_PROTOCOLS;
  let protosDeny = 0;
  if (typeof protoRead === "string" && parseProtocol(protoRead) !== undefined) {
    protosAllow = protosDeny = parseProtocol(protoRead)!;
  } else {
    notes.push(`protocol is ${isIndeterminate(protoRead) ? protoRead.describe() : "not a protocol"}`);
  }

  const source = addrSide(rule, "sourceAddressPrefix", "sourceAddressPrefixes", "sourceApplicationSecurityGroups", "source", notes, texts);
  const destination = addrSide(
    rule,
    "destinationAddressPrefix",
    "destinationAddressPrefixes",
    "destinationApplicationSecurityGroups",
    "destination",
    notes,
    texts,
  );
  const ports = portSide(rule, notes, texts);
  return {
    name,
    origin,
    priority,
    directions,
    access,
    source,
    destination,
    portsAllow: ports.allow,
    portsDeny: ports.deny,
    protosAllow,
    protosDeny,
    sourcePortsAny: sourcePortsAreAny(rule),
    notes,
    texts,
  };
}

/** A stand-in rule for what could not be read at all: it allows everything, so nothing unreadable passes. */
export function assumedAllowAll(name: string, note: string): RuleSpec {
  return {
    name,
    origin: "assumed",
    priority: UNKNOWN_ALLOW_PRIORITY,
    directions: new Set<Direction>(["inbound", "outbound"]),
    access: "allow",
    source: [{ kind: "any", text: "*" }],
    destination: [{ kind: "any", text: "*" }],
    portsAllow: ALL_PORTS,
    portsDeny: IntervalSet.EMPTY,
    protosAllow: ALL_PROTOCOLS,
    protosDeny: 0,
    sourcePortsAny: true,
    notes: [note],
    texts: [],
  };
}

function defaultRule(name: string, priority: number, dir: Direction, access: Access, source: AddrTerm, destination: AddrTerm): RuleSpec {
  return {
    name,
    origin: "default",
    priority,
    directions: new Set([dir]),
    access,
    source: [source],
    destination: [destination],
    portsAllow: ALL_PORTS,
    portsDeny: ALL_PORTS,
    protosAllow: ALL_PROTOCOLS,
    protosDeny: ALL_PROTOCOLS,
    sourcePortsAny: true,
    notes: [],
    texts: [],
  };
}

const VNET: AddrTerm = { kind: "vnet", text: "VirtualNetwork" };
const ANY: AddrTerm = { kind: "any", text: "*" };

/** Azure's default rules, present in every NSG and overridable only by lower priority numbers. */
export const DEFAULT_RULES: readonly RuleSpec[] = [
  defaultRule("AllowVNetInBound", 65000, "inbound", "allow", VNET, VNET),
  defaultRule("AllowAzureLoadBalancerInBound", 65001, "inbound", "allow", { kind: "lb", text: "AzureLoadBalancer" }, ANY),
  defaultRule("DenyAllInbound", 65500, "inbound", "deny", ANY, ANY),
  defaultRule("AllowVnetOutBound", 65000, "outbound", "allow", VNET, VNET),
  defaultRule("AllowInternetOutBound", 65001, "outbound", "allow", ANY, { kind: "internet", text: "Internet" }),
  defaultRule("DenyAllOutBound", 65500, "outbound", "deny", ANY, ANY),
];

/** Addresses a remote-side term stands for; allows are widened and denies narrowed where a term is not exact. */
export interface RemoteContext {
  readonly vnetAllow: IntervalSet;
  readonly vnetDeny: IntervalSet;
}

export function remoteSet(terms: readonly AddrTerm[], access: Access, ctx: RemoteContext): IntervalSet {
  let out = IntervalSet.EMPTY;
  for (const t of terms) {
    switch (t.kind) {
      case "set":
        out = out.union(t.set);
        break;
      case "any":
        return ALL_ADDRESSES;
      case "internet":
        out = out.union(INTERNET);
        break;
      case "lb":
        out = out.union(AZURE_PLATFORM);
        break;
      case "vnet":
        out = out.union(access === "allow" ? ctx.vnetAllow : ctx.vnetDeny);
        break;
      case "tag":
        // Other service tags hold public addresses we cannot enumerate here.
        if (access === "allow") out = out.union(INTERNET);
        break;
      case "asg":
        if (access === "allow") out = out.union(ctx.vnetAllow);
        break;
      case "unknown":
        if (access === "allow") return ALL_ADDRESSES;
        break;
    }
  }
  return out;
}

export type Match = "yes" | "no" | "maybe";

/** The local end of a flow: one ipConfiguration of a host. */
export interface LocalEnd {
  /** The private address if known exactly, else the range it must lie in (subnet or whole family). */
  readonly addrs: IntervalSet;
  /** Normalised ids/URNs of the ASGs the ipConfiguration belongs to; undefined when unknown. */
  readonly asgs: ReadonlySet<string> | undefined;
  /** Resolves an ASG reference (id or URN) to the same normalised key used in `asgs`. */
  readonly asgKey: (ref: string) => string | undefined;
}

export function matchLocal(terms: readonly AddrTerm[], local: LocalEnd): Match {
  let result: Match = "no";
  for (const t of terms) {
    let m: Match;
    switch (t.kind) {
      case "any":
      case "vnet":
        m = "yes";
        break;
      case "internet":
      case "lb":
        m = "no";
        break;
      case "set":
        m = t.set.covers(local.addrs) ? "yes" : t.set.intersects(local.addrs) ? "maybe" : "no";
        break;
      case "asg": {
        const key = t.ref === undefined ? undefined : local.asgKey(t.ref);
        m = key === undefined || local.asgs === undefined ? "maybe" : local.asgs.has(key) ? "yes" : "no";
        break;
      }
      case "tag":
      case "unknown":
        m = "maybe";
        break;
    }
    if (m === "yes") return "yes";
    if (m === "maybe") result = "maybe";
  }
  return result;
}

export function describeTerms(terms: readonly AddrTerm[]): string {
  return terms.map((t) => t.text).join(", ");
}
