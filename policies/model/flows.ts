import { IntervalSet } from "./intervalSet";

/** Protocols as bits, so a rule's protocol and a path's protocol intersect with `&`. */
export const Proto = { TCP: 1, UDP: 2, ICMP: 4, ESP: 8, AH: 16 } as const;
export const ALL_PROTOCOLS = 31;
const PROTO_NAMES: Array<[number, string]> = [
  [Proto.TCP, "TCP"],
  [Proto.UDP, "UDP"],
  [Proto.ICMP, "ICMP"],
  [Proto.ESP, "ESP"],
  [Proto.AH, "AH"],
];

/** Parses an NSG / LB / firewall protocol name; undefined when it is not one. */
export function parseProtocol(text: string): number | undefined {
  switch (text.trim().toLowerCase()) {
    case "tcp":
      return Proto.TCP;
    case "udp":
      return Proto.UDP;
    case "icmp":
      return Proto.ICMP;
    case "esp":
      return Proto.ESP;
    case "ah":
      return Proto.AH;
    case "*":
    case "any":
      return ALL_PROTOCOLS;
    case "all":
      // Load balancer "All" means TCP and UDP.
      return Proto.TCP | Proto.UDP;
    default:
      return undefined;
  }
}

export function protocolNames(bits: number): string[] {
  return PROTO_NAMES.filter(([b]) => (bits & b) !== 0).map(([, n]) => n);
}

export const ALL_PORTS = IntervalSet.range(0n, 65535n);

export function portRange(lo: number, hi: number): IntervalSet {
  return IntervalSet.range(BigInt(lo), BigInt(hi));
}

/** Parses `443`, `1000-2000`, `*` (and ` 80 , 443 `); undefined when malformed or out of range. */
export function parsePortSpec(text: string): IntervalSet | undefined {
  let out = IntervalSet.EMPTY;
  for (const part of text.split(",")) {
    const t = part.trim();
    if (t === "*" || t.toLowerCase() === "any") return ALL_PORTS;
    const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || lo > hi) return undefined;
    out = out.union(portRange(lo, hi));
  }
  return out.isEmpty ? undefined : out;
}

/** "TCP 443, 3389; UDP 3389" style summary of ports per protocol. */
export function describePorts(ports: IntervalSet): string {
  if (ports.equals(ALL_PORTS)) return "all ports";
  return ports
    .ranges()
    .map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`))
    .join(", ");
}

/** A product set of flows: remote addresses × local ports × protocols. */
export interface Box {
  readonly addrs: IntervalSet;
  readonly ports: IntervalSet;
  readonly protos: number;
}

export function intersectBox(a: Box, b: Box): Box | undefined {
  const protos = a.protos & b.protos;
  if (protos === 0) return undefined;
  const ports = a.ports.intersect(b.ports);
  if (ports.isEmpty) return undefined;
  const addrs = a.addrs.intersect(b.addrs);
  if (addrs.isEmpty) return undefined;
  return { addrs, ports, protos };
}

/** a − b as at most three disjoint boxes. */
export function subtractBox(a: Box, b: Box): Box[] {
  const inter = intersectBox(a, b);
  if (!inter) return [a];
  const out: Box[] = [];
  const addrsOut = a.addrs.subtract(b.addrs);
  if (!addrsOut.isEmpty) out.push({ addrs: addrsOut, ports: a.ports, protos: a.protos });
  const portsOut = a.ports.subtract(b.ports);
  if (!portsOut.isEmpty) out.push({ addrs: inter.addrs, ports: portsOut, protos: a.protos });
  const protosOut = a.protos & ~b.protos;
  if (protosOut !== 0) out.push({ addrs: inter.addrs, ports: inter.ports, protos: protosOut });
  return out;
}
