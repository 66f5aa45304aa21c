/**
 * Property-based tests of the NSG evaluator (policies/model/nsgEvaluator.ts) against a
 * brute-force reference written from the Azure documentation
 * (Azure docs: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview and .../network-security-group-how-it-works), not from the code under test.
 *
 * The reference evaluates ONE concrete flow at a time (remote address on the shared
 * IPv4+IPv6 number line, destination port, protocol, source port) by sorting the user
 * rules by priority, appending Azure's six default rules, and returning the first match.
 * It parses the small universe of prefixes, ports and tags used by the generators itself.
 *
 * The evaluator computes the whole allowed set at once as disjoint boxes; the properties
 * check that the two agree on every breakpoint of the generated rules (±1).
 */
import fc from "fast-check";
import { Proto } from "../../policies/model/flows";
import { IntervalSet } from "../../policies/model/intervalSet";
import { evaluateNsg, Grant, intersectGrants, noNsg, sortRules } from "../../policies/model/nsgEvaluator";
import type { CompiledNsg } from "../../policies/model/nsgEvaluator";
import { parseSecurityRule } from "../../policies/model/nsgRules";
import type { Direction, LocalEnd, RemoteContext } from "../../policies/model/nsgRules";
import { intersectBox } from "../../policies/model/flows";
import { runs } from "../support/budget";
import { UNKNOWN as SENTINEL } from "../support/estate";

// ---------------------------------------------------------------------------------------
// Reference: addresses on one line, IPv4 at [0, 2^32), IPv6 at [2^32, 2^32 + 2^128)
// ---------------------------------------------------------------------------------------

const V6_BASE = 1n << 32n;
const MAX_ADDR = V6_BASE + (1n << 128n) - 1n;
type Range = readonly [bigint, bigint];

function refIp4(text: string): bigint {
  const parts = text.split(".");
  if (parts.length !== 4) throw new Error(`reference: bad IPv4 ${text}`);
  return parts.reduce((acc, p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n > 255) throw new Error(`reference: bad IPv4 ${text}`);
    return (acc << 8n) | BigInt(n);
  }, 0n);
}

function refIp6(text: string): bigint {
  const halves = text.split("::");
  if (halves.length > 2) throw new Error(`reference: bad IPv6 ${text}`);
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail];
  if (groups.length !== 8) throw new Error(`reference: bad IPv6 ${text}`);
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** A CIDR or single address from the reference universe, as a closed range on the line. */
function refCidr(text: string): Range {
  const [addr, bitsText] = text.trim().split("/");
  const v6 = addr.includes(":");
  const width = v6 ? 128 : 32;
  const bits = bitsText === undefined ? width : Number(bitsText);
  const value = v6 ? refIp6(addr) : refIp4(addr);
  const host = BigInt(width - bits);
  const lo = (value >> host) << host;
  const base = v6 ? V6_BASE : 0n;
  return [base + lo, base + lo + (1n << host) - 1n];
}

const inRange = (r: Range, x: bigint) => r[0] <= x && x <= r[1];

/** The host under analysis, its subnet, the VNet (both the ctx and the reference use it). */
const HOST_TEXT = "10.0.1.4";
const HOST = refIp4(HOST_TEXT);
const VNET: Range = refCidr("10.0.0.0/16");
const AZURE_LB = refIp4("168.63.129.16");

/**
 * Not internet: RFC 1918, RFC 6598 (CGNAT), "this network", loopback, link-local,
 * multicast, reserved, 168.63.129.16; IPv6 unspecified, loopback, v4-mapped, ULA,
 * link-local, multicast. Everything else (including 2001:4860::/32) is internet.
 */
const REF_NON_INTERNET: Range[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "168.63.129.16/32",
  "::/128",
  "::1/128",
  "::ffff:0:0/96",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
].map(refCidr);

const refIsInternet = (x: bigint) => !REF_NON_INTERNET.some((r) => inRange(r, x));

function refTermHas(term: string, x: bigint): boolean {
  const t = term.trim().toLowerCase();
  if (t === "*" || t === "any") return true;
  if (t === "internet") return refIsInternet(x);
  if (t === "virtualnetwork") return inRange(VNET, x);
  if (t === "azureloadbalancer") return x === AZURE_LB;
  return inRange(refCidr(t), x);
}

/** A port spec (`*`, `443`, `1000-2000`, `80, 443`) as closed ranges. */
function refPorts(spec: string): Array<[number, number]> {
  return spec.split(",").map((part) => {
    const p = part.trim();
    if (p === "*") return [0, 65535];
    const [lo, hi] = p.split("-").map((x) => Number(x.trim()));
    return [lo, hi ?? lo];
  });
}

const REF_PROTO: Record<string, number[]> = {
  tcp: [Proto.TCP],
  udp: [Proto.UDP],
  icmp: [Proto.ICMP],
  esp: [Proto.ESP],
  ah: [Proto.AH],
  "*": [Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ESP, Proto.AH],
};
const FLOW_PROTOS = [Proto.TCP, Proto.UDP, Proto.ICMP, Proto.ESP, Proto.AH];

// ---------------------------------------------------------------------------------------
// Reference: first-match evaluation of one flow
// ---------------------------------------------------------------------------------------

type RawRule = Record<string, unknown>;

interface Flow {
  readonly remote: bigint;
  readonly port: number; // destination port (local for inbound, remote for outbound)
  readonly proto: number;
}

/** The values of the singular field, else of the plural field (the generators use one form). */
function listOf(rule: RawRule, single: string, plural: string): string[] | undefined {
  const one = rule[single];
  if (typeof one === "string") return [one];
  const many = rule[plural];
  if (Array.isArray(many)) return many as string[];
  return undefined;
}

interface RefRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: Direction;
  readonly allow: boolean;
  readonly src: (x: bigint) => boolean;
  readonly dst: (x: bigint) => boolean;
  readonly dport: (p: number) => boolean;
  readonly sport: (p: number) => boolean;
  readonly proto: (bit: number) => boolean;
}

/** A side's terms as ranges plus predicates for the tags, parsed once per rule. */
function refTerms(list: readonly string[]): (x: bigint) => boolean {
  const ranges: Range[] = [];
  const tags: Array<(x: bigint) => boolean> = [];
  for (const term of list) {
    const t = term.trim().toLowerCase();
    if (["*", "any", "internet", "virtualnetwork", "azureloadbalancer"].includes(t)) tags.push((x) => refTermHas(t, x));
    else ranges.push(refCidr(t));
  }
  return (x) => ranges.some((r) => inRange(r, x)) || tags.some((has) => has(x));
}

function refRule(rule: RawRule): RefRule {
  const terms = (single: string, plural: string) => refTerms(listOf(rule, single, plural)!);
  const ports = (single: string, plural: string) => {
    const list = listOf(rule, single, plural);
    const ranges = list?.flatMap(refPorts);
    return (p: number) => ranges === undefined || ranges.some(([lo, hi]) => lo <= p && p <= hi);
  };
  const protos = REF_PROTO[String(rule.protocol).toLowerCase()];
  return {
    name: String(rule.name ?? rule.securityRuleName),
    priority: Number(rule.priority),
    direction: String(rule.direction).toLowerCase() as Direction,
    allow: String(rule.access).toLowerCase() === "allow",
    src: terms("sourceAddressPrefix", "sourceAddressPrefixes"),
    dst: terms("destinationAddressPrefix", "destinationAddressPrefixes"),
    dport: ports("destinationPortRange", "destinationPortRanges"),
    sport: ports("sourcePortRange", "sourcePortRanges"),
    proto: (bit) => protos.includes(bit),
  };
}

const anyAddr = () => true;
const anyPort = () => true;
const anyProto = () => true;
/** Azure's default rules (network-security-groups-overview, "Default security rules"); `0.0.0.0/0`/"Any" there means every address and protocol. */
const REF_DEFAULTS: RefRule[] = [
  {
    name: "AllowVNetInBound",
    priority: 65000,
    direction: "inbound",
    allow: true,
    src: (x) => inRange(VNET, x),
    dst: (x) => inRange(VNET, x),
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
  {
    name: "AllowAzureLoadBalancerInBound",
    priority: 65001,
    direction: "inbound",
    allow: true,
    src: (x) => x === AZURE_LB,
    dst: anyAddr,
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
  {
    name: "DenyAllInbound",
    priority: 65500,
    direction: "inbound",
    allow: false,
    src: anyAddr,
    dst: anyAddr,
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
  {
    name: "AllowVnetOutBound",
    priority: 65000,
    direction: "outbound",
    allow: true,
    src: (x) => inRange(VNET, x),
    dst: (x) => inRange(VNET, x),
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
  {
    name: "AllowInternetOutBound",
    priority: 65001,
    direction: "outbound",
    allow: true,
    src: anyAddr,
    dst: refIsInternet,
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
  {
    name: "DenyAllOutBound",
    priority: 65500,
    direction: "outbound",
    allow: false,
    src: anyAddr,
    dst: anyAddr,
    dport: anyPort,
    sport: anyPort,
    proto: anyProto,
  },
];

/** The rules Azure would walk for one direction: user rules by priority, then the defaults. */
function refOrder(rules: readonly RawRule[], direction: Direction): RefRule[] {
  return [
    ...rules
      .map(refRule)
      .filter((r) => r.direction === direction)
      .sort((a, b) => a.priority - b.priority),
    ...REF_DEFAULTS.filter((r) => r.direction === direction),
  ];
}

/** The first rule matching the flow sent from source port `sport`. */
function refFirstMatch(ordered: readonly RefRule[], direction: Direction, flow: Flow, sport: number): RefRule {
  const [srcAddr, dstAddr] = direction === "inbound" ? [flow.remote, HOST] : [HOST, flow.remote];
  for (const r of ordered) {
    if (r.proto(flow.proto) && r.dport(flow.port) && r.sport(sport) && r.src(srcAddr) && r.dst(dstAddr)) return r;
  }
  throw new Error("reference: the default deny rule always matches");
}

/**
 * The client picks its source port. Every source-port spec in the generators is `*`,
 * `0-65535` or inside [0, 3390], so 50000 stands for "a port no restricted rule names"
 * and the others for each restricted class.
 */
const SOURCE_PORT_CANDIDATES = [50000, 443, 1500, 3389, 0];
const FREE_SOURCE_PORT = 50000;

/** Parsed rule lists, so checking thousands of flows against one NSG parses it once. */
const orderCache = new WeakMap<readonly RawRule[], Map<Direction, RefRule[]>>();
function cachedOrder(rules: readonly RawRule[], direction: Direction): RefRule[] {
  let byDir = orderCache.get(rules);
  if (!byDir) orderCache.set(rules, (byDir = new Map()));
  let ordered = byDir.get(direction);
  if (!ordered) byDir.set(direction, (ordered = refOrder(rules, direction)));
  return ordered;
}

/** Is there a source port for which the first matching rule is an allow? */
function referenceAllows(rules: readonly RawRule[], direction: Direction, flow: Flow): boolean {
  const ordered = cachedOrder(rules, direction);
  // Only worth trying other source ports when some rule restricts them.
  const restricted = ordered.some((r) => SOURCE_PORT_CANDIDATES.some((sp) => !r.sport(sp)));
  const candidates = restricted ? SOURCE_PORT_CANDIDATES : [FREE_SOURCE_PORT];
  return candidates.some((sp) => refFirstMatch(ordered, direction, flow, sp).allow);
}

// ---------------------------------------------------------------------------------------
// Code under test: set-up
// ---------------------------------------------------------------------------------------

const CTX: RemoteContext = { vnetAllow: IntervalSet.range(VNET[0], VNET[1]), vnetDeny: IntervalSet.range(VNET[0], VNET[1]) };
const LOCAL: LocalEnd = { addrs: IntervalSet.range(HOST, HOST), asgs: new Set<string>(), asgKey: (ref) => ref };

function compile(rules: readonly unknown[], key = "nsg"): CompiledNsg {
  const specs = rules.map((r, i) => {
    const standalone = typeof r === "object" && r !== null && "securityRuleName" in r;
    return parseSecurityRule(r, standalone ? "standalone" : "inline", `rule #${i + 1}`);
  });
  return { key, name: key, rules: sortRules(specs) };
}

function evaluate(rules: readonly unknown[], direction: Direction): Grant[] {
  return evaluateNsg(compile(rules), "NIC", direction, LOCAL, CTX);
}

const grantsOf = (grants: readonly Grant[], f: Flow) =>
  grants.filter((g) => g.box.addrs.has(f.remote) && g.box.ports.has(BigInt(f.port)) && (g.box.protos & f.proto) !== 0);
const evaluatorAllows = (grants: readonly Grant[], f: Flow) => grantsOf(grants, f).length > 0;

// ---------------------------------------------------------------------------------------
// Generators: a small universe so rules collide
// ---------------------------------------------------------------------------------------

const CIDRS = [
  "10.0.0.0/8",
  "10.0.1.0/24",
  "0.0.0.0/1",
  "128.0.0.0/1",
  "8.8.8.0/24",
  "0.0.0.0/0",
  "::/0",
  "2001:db8::/32",
  "168.63.129.16",
  "10.0.0.0/16",
];
const TAGS = ["*", "Any", "Internet", "internet", "INTERNET", "VirtualNetwork", "virtualnetwork", "AzureLoadBalancer"];
const LOCAL_TERMS = ["*", HOST_TEXT, `${HOST_TEXT}/32`, "10.0.1.0/24", "10.0.2.0/24", "VirtualNetwork", "0.0.0.0/0", "10.0.0.0/8"];

const srcTerm = fc.oneof(fc.constantFrom(...CIDRS), fc.constantFrom(...TAGS), fc.constantFrom(...LOCAL_TERMS));
const dstTerm = fc.oneof(fc.constantFrom(...LOCAL_TERMS), fc.constantFrom(...CIDRS), fc.constantFrom(...TAGS));
const PORTS = ["*", "443", "3389", "1000-4000", "0-65535", "80", "3389-3390", "0", "65535", "80, 443"];
const portSpec = fc.constantFrom(...PORTS);
const PROTOCOLS = ["Tcp", "tcp", "TCP", "Udp", "udp", "*", "Icmp", "icmp", "Esp", "Ah"];
const caseOf = (word: string) => fc.constantFrom(word, word.toLowerCase(), word.toUpperCase());
/** Source ports: a restricted one only on a deny (see `SOURCE_PORT_CANDIDATES`). */
const ANY_SOURCE_PORTS = ["*", "0-65535"];
const RESTRICTED_SOURCE_PORTS = ["443", "1000-2000", "3389"];

/** `{single: v}` or `{plural: [v, ...]}`. */
function side(single: string, plural: string, term: fc.Arbitrary<string>): fc.Arbitrary<RawRule> {
  return fc.oneof(
    term.map((t) => ({ [single]: t })),
    fc.array(term, { minLength: 1, maxLength: 3 }).map((ts) => ({ [plural]: ts })),
  );
}

function sourcePorts(access: string, restrictedAllows: boolean): fc.Arbitrary<RawRule> {
  const restricted = restrictedAllows || access.toLowerCase() === "deny";
  const pool = restricted ? [...ANY_SOURCE_PORTS, ...RESTRICTED_SOURCE_PORTS] : ANY_SOURCE_PORTS;
  return fc.oneof(
    fc.constant({}),
    fc.constantFrom(...pool).map((p) => ({ sourcePortRange: p })),
    fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 2 }).map((ps) => ({ sourcePortRanges: ps })),
  );
}

interface RuleOpts {
  /** Let allow rules have restricted source ports too (the evaluator then over-approximates). */
  readonly restrictedAllows?: boolean;
  /** At most this many rules (default 8). */
  readonly maxRules?: number;
}

function ruleArb(priority: number, index: number, opts: RuleOpts): fc.Arbitrary<RawRule> {
  return fc
    .record({
      access: fc.oneof(caseOf("Allow"), caseOf("Deny")),
      direction: fc.oneof(caseOf("Inbound"), caseOf("Outbound")),
      protocol: fc.constantFrom(...PROTOCOLS),
      src: side("sourceAddressPrefix", "sourceAddressPrefixes", srcTerm),
      dst: side("destinationAddressPrefix", "destinationAddressPrefixes", dstTerm),
      ports: side("destinationPortRange", "destinationPortRanges", portSpec),
      standalone: fc.boolean(),
      priorityAsString: fc.boolean(),
    })
    .chain((r) =>
      sourcePorts(r.access, opts.restrictedAllows ?? false).map((sp) => {
        const rule: RawRule = {
          ...(r.standalone ? { securityRuleName: `r${index}`, networkSecurityGroupName: "nsg", resourceGroupName: "rg" } : { name: `r${index}` }),
          access: r.access,
          direction: r.direction,
          // ARM accepts priorities as numbers or decimal strings.
          priority: r.priorityAsString ? String(priority) : priority,
          protocol: r.protocol,
          ...r.src,
          ...r.dst,
          ...r.ports,
          ...sp,
        };
        return rule;
      }),
    );
}

const PRIORITY_POOL = [100, 101, 150, 200, 300, 1000, 2000, 4095, 4096];
const priorities = (maxLength: number) =>
  fc.uniqueArray(fc.oneof(fc.constantFrom(...PRIORITY_POOL), fc.integer({ min: 100, max: 4096 })), { minLength: 1, maxLength });

function nsgArb(opts: RuleOpts = {}): fc.Arbitrary<RawRule[]> {
  return priorities(opts.maxRules ?? 8).chain((ps) => fc.tuple(...ps.map((p, i) => ruleArb(p, i, opts))));
}

const randomV4 = fc.bigInt({ min: 0n, max: V6_BASE - 1n });
const randomV6 = fc.bigInt({ min: V6_BASE, max: MAX_ADDR });
const extras = fc.record({
  addrs: fc.array(fc.oneof(randomV4, randomV6), { maxLength: 6 }),
  ports: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 3 }),
  /** Internet-tag edges are many; each run checks a random handful of them. */
  internetEdges: fc.shuffledSubarray(REF_NON_INTERNET, { minLength: 2, maxLength: 4 }),
});
type Extras = { addrs: bigint[]; ports: number[]; internetEdges: Range[] };

function addRangeEdges(out: Set<bigint>, r: Range) {
  for (const x of [r[0] - 1n, r[0], r[1], r[1] + 1n]) if (x >= 0n && x <= MAX_ADDR) out.add(x);
}

/** Every flow made of the breakpoints (±1) of the rules' prefixes and ports, plus random extras. */
function sampleFlows(nsgs: ReadonlyArray<readonly RawRule[]>, ex: Extras): Flow[] {
  const addrs = new Set<bigint>([HOST, AZURE_LB, AZURE_LB - 1n, AZURE_LB + 1n, refIp4("8.8.8.8"), refIp6("2001:4860::1") + V6_BASE, ...ex.addrs]);
  addRangeEdges(addrs, VNET);
  for (const r of ex.internetEdges) addRangeEdges(addrs, r);
  const ports = new Set<number>([0, 65535, ...ex.ports]);
  for (const rule of nsgs.flat()) {
    for (const key of ["sourceAddressPrefix", "sourceAddressPrefixes", "destinationAddressPrefix", "destinationAddressPrefixes"]) {
      const v = rule[key];
      for (const t of typeof v === "string" ? [v] : Array.isArray(v) ? v : []) {
        if (typeof t === "string" && /[.:]/.test(t)) addRangeEdges(addrs, refCidr(t));
      }
    }
    for (const key of ["destinationPortRange", "destinationPortRanges"]) {
      const v = rule[key];
      for (const s of typeof v === "string" ? [v] : Array.isArray(v) ? v : []) {
        if (typeof s !== "string") continue;
        for (const n of s.match(/\d+/g) ?? []) {
          for (const p of [Number(n) - 1, Number(n), Number(n) + 1]) if (p >= 0 && p <= 65535) ports.add(p);
        }
      }
    }
  }
  const flows: Flow[] = [];
  for (const remote of addrs) for (const port of ports) for (const proto of FLOW_PROTOS) flows.push({ remote, port, proto });
  return flows;
}

const DIRECTIONS: Direction[] = ["inbound", "outbound"];
const direction = fc.constantFrom(...DIRECTIONS);

const fmtFlow = (f: Flow) => `remote=${f.remote} port=${f.port} proto=${f.proto}`;

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

const RUNS = 300;

describe("evaluateNsg vs brute-force first-match reference (known values only)", () => {
  it("a flow is in some grant iff the reference allows it", () => {
    fc.assert(
      fc.property(nsgArb(), direction, extras, (rules, dir, ex) => {
        const grants = evaluate(rules, dir);
        for (const f of sampleFlows([rules], ex)) {
          const expected = referenceAllows(rules, dir, f);
          if (evaluatorAllows(grants, f) !== expected) {
            throw new Error(`${dir} ${fmtFlow(f)}: reference ${expected ? "allows" : "denies"}, evaluator ${expected ? "denies" : "allows"}`);
          }
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("grants are pairwise disjoint, each comes from an allow rule, and it is the rule the reference matches first", () => {
    fc.assert(
      fc.property(nsgArb(), direction, extras, (rules, dir, ex) => {
        const grants = evaluate(rules, dir);
        for (const g of grants) {
          expect(g.via).toHaveLength(1);
          expect(g.via[0].rule?.access).toBe("allow");
          expect(g.box.addrs.isEmpty || g.box.ports.isEmpty || g.box.protos === 0).toBe(false);
        }
        for (let i = 0; i < grants.length; i++) {
          for (let j = i + 1; j < grants.length; j++) {
            if (intersectBox(grants[i].box, grants[j].box)) throw new Error(`grants ${i} and ${j} overlap`);
          }
        }
        for (const f of sampleFlows([rules], ex)) {
          const hits = grantsOf(grants, f);
          if (hits.length === 0) continue;
          const first = refFirstMatch(cachedOrder(rules, dir), dir, f, FREE_SOURCE_PORT);
          if (hits[0].via[0].rule?.name !== first.name) {
            throw new Error(`${dir} ${fmtFlow(f)}: grant attributed to ${hits[0].via[0].rule?.name}, reference matches ${first.name}`);
          }
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("with restricted source ports on allow rules too, the evaluator never misses a flow the reference allows", () => {
    // The evaluator ignores source ports on allows and drops denies with restricted source
    // ports, so here it may only over-approximate (the client chooses its source port).
    fc.assert(
      fc.property(nsgArb({ restrictedAllows: true }), direction, extras, (rules, dir, ex) => {
        const grants = evaluate(rules, dir);
        for (const f of sampleFlows([rules], ex)) {
          if (referenceAllows(rules, dir, f) && !evaluatorAllows(grants, f))
            throw new Error(`${dir} ${fmtFlow(f)}: reference allows, evaluator denies`);
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });

  it("intersectGrants of the subnet and NIC evaluations equals the reference applied to both NSGs", () => {
    // Inbound: subnet NSG then NIC NSG; outbound: NIC then subnet. Either order, a flow
    // passes only when both allow it; a missing NSG at one level allows everything.
    const maybeNsg = fc.option(nsgArb(), { nil: undefined, freq: 5 });
    fc.assert(
      fc.property(maybeNsg, maybeNsg, direction, extras, (subnet, nic, dir, ex) => {
        const sub = subnet ? evaluateNsg(compile(subnet, "subnet"), "subnet", dir, LOCAL, CTX) : noNsg("subnet");
        const nicG = nic ? evaluateNsg(compile(nic, "nic"), "NIC", dir, LOCAL, CTX) : noNsg("NIC");
        const [first, second] = dir === "inbound" ? [sub, nicG] : [nicG, sub];
        const both = intersectGrants(first, second);
        for (let i = 0; i < both.length; i++) {
          expect(both[i].via).toHaveLength(2);
          for (let j = i + 1; j < both.length; j++) {
            if (intersectBox(both[i].box, both[j].box)) throw new Error(`combined grants ${i} and ${j} overlap`);
          }
        }
        for (const f of sampleFlows([subnet ?? [], nic ?? []], ex)) {
          const expected = (subnet ? referenceAllows(subnet, dir, f) : true) && (nic ? referenceAllows(nic, dir, f) : true);
          if (evaluatorAllows(both, f) !== expected) {
            throw new Error(`${dir} ${fmtFlow(f)}: reference ${expected ? "allows" : "denies"}, intersectGrants ${expected ? "denies" : "allows"}`);
          }
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Fail-closed monotonicity: unreadable values never remove an allowed flow
// ---------------------------------------------------------------------------------------

type Mutation = { field: string; value: unknown };

/** Unreadable values per field. Numbers are legal for ports/priorities in ARM, so 42 is only "bad" where it is. */
const UNREADABLE: Record<string, unknown[]> = {
  access: [SENTINEL, 42, "bogus", true, {}],
  direction: [SENTINEL, 42, "bogus", true, {}],
  priority: [SENTINEL, "bogus", 42, 5000, -1, 99, 4097, {}],
  protocol: [SENTINEL, 42, "bogus", true, {}],
  sourceAddressPrefix: [SENTINEL, 42, true, {}],
  destinationAddressPrefix: [SENTINEL, 42, true, {}],
  sourceAddressPrefixes: [SENTINEL, 42, "bogus", {}, [SENTINEL], [42]],
  destinationAddressPrefixes: [SENTINEL, 42, "bogus", {}, [SENTINEL], [42]],
  destinationPortRange: [SENTINEL, "bogus", true, {}, "70000", "2000-1000", ""],
  destinationPortRanges: [SENTINEL, 42, "bogus", {}, [SENTINEL], ["bogus"], [true]],
  sourcePortRange: [SENTINEL, "bogus", true, {}],
  sourcePortRanges: [SENTINEL, 42, "bogus", {}, [SENTINEL], ["bogus"]],
  sourceApplicationSecurityGroups: [SENTINEL, 42, [{ id: SENTINEL }], [{}]],
  destinationApplicationSecurityGroups: [SENTINEL, 42, [{ id: SENTINEL }], [{}]],
  name: [SENTINEL, 42],
  "(whole rule)": [SENTINEL, 42, "bogus", null, true, []],
  /**
   * One entry of whichever list-valued field the rule has, the others kept. `null` entries
   * are left to the dedicated property below, which fails on them (see its comment).
   */
  "(list entry)": [SENTINEL, 42, {}, "bogus-port"],
};

const mutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(...Object.keys(UNREADABLE))
  .chain((field) => fc.constantFrom(...UNREADABLE[field]).map((value) => ({ field, value })));

function mutate(rules: readonly RawRule[], at: ReadonlyArray<{ index: number; m: Mutation }>): unknown[] {
  const out: unknown[] = rules.map((r) => ({ ...r }));
  for (const { index, m } of at) {
    const i = index % out.length;
    if (m.field === "(whole rule)") {
      out[i] = m.value;
      continue;
    }
    const rule = out[i];
    if (typeof rule !== "object" || rule === null || Array.isArray(rule)) continue;
    const copy = { ...(rule as RawRule) };
    if (m.field === "(list entry)") {
      const lists = Object.keys(copy).filter((k) => Array.isArray(copy[k]) && (copy[k] as unknown[]).length > 0);
      if (lists.length === 0) continue;
      const key = lists[index % lists.length];
      const list = [...(copy[key] as unknown[])];
      // "bogus-port" is a malformed port, but as an address it would be a (legal) service tag.
      // A number is a legal port, so in a port list it is replaced by a malformed string.
      const isPort = key.includes("Port");
      const value = m.value === "bogus-port" || (isPort && typeof m.value === "number") ? (isPort ? "bogus" : SENTINEL) : m.value;
      list[Math.floor(index / lists.length) % list.length] = value;
      copy[key] = list;
    } else copy[m.field] = m.value;
    out[i] = copy;
  }
  return out;
}

const mutations = fc.array(fc.record({ index: fc.nat(), m: mutation }), { minLength: 1, maxLength: 3 });

describe("fail-closed monotonicity", () => {
  it("replacing fields with the unknown sentinel or malformed values never removes an allowed flow", () => {
    fc.assert(
      fc.property(nsgArb({ restrictedAllows: true }), direction, mutations, extras, (rules, dir, at, ex) => {
        const before = evaluate(rules, dir);
        const mutated = mutate(rules, at);
        const after = evaluate(mutated, dir);
        for (const f of sampleFlows([rules], ex)) {
          if (evaluatorAllows(before, f) && !evaluatorAllows(after, f)) {
            throw new Error(`${dir} ${fmtFlow(f)} allowed before the mutation, denied after: ${JSON.stringify(mutated)}`);
          }
        }
      }),
      { numRuns: runs(500) },
    );
  });

  it("an unreadable entry (sentinel, null, wrong type) in any list field never removes an allowed flow", () => {
    // KNOWN FAILURE (bug in policies/model/nsgRules.ts portSide): a null entry in
    // destinationPortRanges of an ALLOW is silently skipped (`if (s === undefined) return;`
    // inside `consider`), so ["443", null] allows only 443 and the flows of the entry that
    // became unreadable disappear, with no note. Address lists treat the same null entry as
    // unknown (allow widened to every address) and note it.
    const entry = fc.oneof(fc.constant(null), fc.constantFrom<unknown>(SENTINEL, {}, true, "bogus-port", 42));
    fc.assert(
      fc.property(nsgArb({ maxRules: 3 }), direction, fc.nat(), entry, extras, (rules, dir, index, value, ex) => {
        const before = evaluate(rules, dir);
        const mutated = mutate(rules, [{ index, m: { field: "(list entry)", value } }]);
        const after = evaluate(mutated, dir);
        for (const f of sampleFlows([rules], ex)) {
          if (evaluatorAllows(before, f) && !evaluatorAllows(after, f)) {
            throw new Error(`${dir} ${fmtFlow(f)} allowed before, denied after: ${JSON.stringify(mutated)}`);
          }
        }
      }),
      { numRuns: runs(1000) },
    );
  });

  it("an unrecognised address word (an unknown service tag) never removes an allowed flow from the internet", () => {
    // By design (nsgRules.remoteSet) an unrecognised tag stands for INTERNET in an allow and
    // for nothing in a deny: for internet-facing flows it may only widen.
    const field = fc.constantFrom("sourceAddressPrefix", "destinationAddressPrefix");
    const word = fc.constantFrom("bogus", "Storage", "AzureCloud", "10.0.0.0/33", "1.2.3");
    fc.assert(
      fc.property(nsgArb(), direction, fc.nat(), field, word, extras, (rules, dir, index, f0, w, ex) => {
        const before = evaluate(rules, dir);
        const mutated = mutate(rules, [{ index, m: { field: f0, value: w } }]);
        const after = evaluate(mutated, dir);
        for (const f of sampleFlows([rules], ex)) {
          if (!refIsInternet(f.remote)) continue;
          if (evaluatorAllows(before, f) && !evaluatorAllows(after, f)) {
            throw new Error(`${dir} ${fmtFlow(f)} allowed before, denied after: ${JSON.stringify(mutated)}`);
          }
        }
      }),
      { numRuns: runs(RUNS) },
    );
  });
});

// ---------------------------------------------------------------------------------------
// Hand-written anchors for the reference itself (so a broken reference cannot hide a bug)
// ---------------------------------------------------------------------------------------

describe("reference sanity", () => {
  const rule = (over: RawRule): RawRule => ({
    name: "r",
    access: "Allow",
    direction: "Inbound",
    priority: 100,
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
    sourcePortRange: "*",
    ...over,
  });
  const inet = refIp4("8.8.8.8");

  it("parses the universe the way Azure documents it", () => {
    expect(refCidr("10.0.0.0/8")).toEqual([0x0a000000n, 0x0affffffn]);
    expect(refCidr("0.0.0.0/0")).toEqual([0n, V6_BASE - 1n]);
    expect(refCidr("::/0")).toEqual([V6_BASE, MAX_ADDR]);
    expect(refCidr("2001:db8::/32")[0]).toBe(V6_BASE + (0x20010db8n << 96n));
    expect(refCidr("168.63.129.16")).toEqual([AZURE_LB, AZURE_LB]);
    expect(refIsInternet(inet)).toBe(true);
    expect(refIsInternet(HOST)).toBe(false);
    expect(refIsInternet(AZURE_LB)).toBe(false);
  });

  it("applies first match, defaults, and ignores deny rules with a restricted source port", () => {
    const f: Flow = { remote: inet, port: 443, proto: Proto.TCP };
    expect(referenceAllows([rule({})], "inbound", f)).toBe(true);
    expect(referenceAllows([], "inbound", f)).toBe(false); // DenyAllInbound
    expect(referenceAllows([], "outbound", f)).toBe(true); // AllowInternetOutBound
    expect(referenceAllows([], "inbound", { ...f, remote: refIp4("10.0.5.5") })).toBe(true); // AllowVNetInBound
    expect(referenceAllows([], "inbound", { ...f, remote: refIp4("10.1.5.5") })).toBe(false); // outside the VNet
    expect(referenceAllows([], "inbound", { ...f, remote: AZURE_LB })).toBe(true);
    const deny = rule({ name: "d", access: "Deny", priority: 100 });
    expect(referenceAllows([deny, rule({ priority: 200 })], "inbound", f)).toBe(false);
    expect(referenceAllows([deny, rule({ priority: 99 })], "inbound", f)).toBe(true);
    expect(referenceAllows([{ ...deny, sourcePortRange: "443" }, rule({ priority: 200 })], "inbound", f)).toBe(true);
    expect(referenceAllows([rule({ sourceAddressPrefix: "::/0" })], "inbound", f)).toBe(false);
    expect(referenceAllows([rule({ destinationAddressPrefix: "10.0.2.0/24" })], "inbound", f)).toBe(false);
  });

  it("agrees with the evaluator on the worked examples", () => {
    const cases: Array<[RawRule[], Direction, Flow]> = [
      [
        [rule({ sourceAddressPrefixes: ["0.0.0.0/1", "128.0.0.0/1"], sourceAddressPrefix: undefined })],
        "inbound",
        { remote: inet, port: 443, proto: Proto.TCP },
      ],
      [[rule({ sourceAddressPrefix: "Internet", access: "Deny" })], "outbound", { remote: inet, port: 443, proto: Proto.TCP }],
      [[rule({ protocol: "Udp" })], "inbound", { remote: inet, port: 443, proto: Proto.TCP }],
    ];
    for (const [rules, dir, f] of cases) {
      const clean = rules.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
      expect(evaluatorAllows(evaluate(clean, dir), f)).toBe(referenceAllows(clean, dir, f));
    }
  });
});
