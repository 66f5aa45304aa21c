import * as ipaddr from "ipaddr.js";
import { IntervalSet } from "./intervalSet";

/**
 * IPv4 and IPv6 share one number line so one interval set can hold both families:
 * IPv4 occupies [0, 2^32) and IPv6 [2^32, 2^32 + 2^128). `::/0` therefore never covers
 * IPv4 and `0.0.0.0/0` never covers IPv6, as in Azure.
 */
const V6_BASE = 1n << 32n;
export type Family = "IPv4" | "IPv6";

export const ALL_V4 = IntervalSet.range(0n, V6_BASE - 1n);
export const ALL_V6 = IntervalSet.range(V6_BASE, V6_BASE + (1n << 128n) - 1n);
export const ALL_ADDRESSES = ALL_V4.union(ALL_V6);

function bytesToBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function isStrictIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or an IPv6 CIDR; anything else is undefined. */
/**
 * Prefixes already parsed, by their text: the same prefixes recur across NSGs, hosts and the analyses of one run
 * (admission judges each host's neighbourhood, then the stack analysis the whole). IntervalSets are immutable.
 */
const parsedPrefixes = new Map<string, IntervalSet | undefined>();
const PARSED_PREFIXES_KEPT = 100_000;

export function parseAddressPrefix(raw: string): IntervalSet | undefined {
  if (parsedPrefixes.has(raw)) return parsedPrefixes.get(raw);
  const set = parsePrefix(raw);
  if (parsedPrefixes.size >= PARSED_PREFIXES_KEPT) parsedPrefixes.clear();
  parsedPrefixes.set(raw, set);
  return set;
}

function parsePrefix(raw: string): IntervalSet | undefined {
  const text = raw.trim();
  if (text === "") return undefined;
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? undefined : text.slice(slash + 1);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (isStrictIPv4(addrText)) {
    addr = ipaddr.IPv4.parse(addrText);
  } else if (addrText.includes(":") && ipaddr.IPv6.isValid(addrText)) {
    addr = ipaddr.IPv6.parse(addrText);
  } else {
    return undefined;
  }
  const width = addr.kind() === "ipv4" ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (bits > width) return undefined;
  const value = bytesToBigInt(addr.toByteArray());
  const hostBits = BigInt(width - bits);
  const lo = (value >> hostBits) << hostBits;
  const hi = lo + (1n << hostBits) - 1n;
  const base = addr.kind() === "ipv4" ? 0n : V6_BASE;
  return IntervalSet.range(base + lo, base + hi);
}

export function familyOf(set: IntervalSet): Family | "both" | "none" {
  const v4 = set.intersects(ALL_V4);
  const v6 = set.intersects(ALL_V6);
  return v4 && v6 ? "both" : v4 ? "IPv4" : v6 ? "IPv6" : "none";
}

export function familySet(family: Family | undefined): IntervalSet {
  return family === "IPv4" ? ALL_V4 : family === "IPv6" ? ALL_V6 : ALL_ADDRESSES;
}

function prefixes(list: string[]): IntervalSet {
  let out = IntervalSet.EMPTY;
  for (const p of list) {
    const s = parseAddressPrefix(p);
    if (!s) throw new Error(`internal: bad built-in prefix ${p}`);
    out = out.union(s);
  }
  return out;
}

/** Azure's platform address behind the AzureLoadBalancer tag (health probes, DHCP, DNS). */
export const AZURE_PLATFORM = prefixes(["168.63.129.16/32"]);

/**
 * Addresses that cannot be an internet client: private, shared, loopback, link-local,
 * multicast and reserved space, plus the Azure platform address. Everything else,
 * including other tenants' Azure public IPs, is internet (the `Internet` service tag).
 */
export const NON_INTERNET = prefixes([
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "::ffff:0:0/96",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
]).union(AZURE_PLATFORM);

export const INTERNET = ALL_ADDRESSES.subtract(NON_INTERNET);

/** RFC 1918 and RFC 6598 space plus IPv6 ULA: where virtual networks and on-premises ranges live. */
export const PRIVATE_SPACE = prefixes(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"]);

/** The range as CIDR blocks, the first `max` of them (a description never shows more than its limit). */
function toCidrs(lo: bigint, hi: bigint, base: bigint, width: number, max = Infinity): string[] {
  const out: string[] = [];
  let cur = lo - base;
  const end = hi - base;
  while (cur <= end && out.length < max) {
    let size = 0;
    while (size < width) {
      const block = 1n << BigInt(size + 1);
      if (cur % block !== 0n || cur + block - 1n > end) break;
      size += 1;
    }
    out.push(`${formatAddress(cur, width)}/${width - size}`);
    cur += 1n << BigInt(size);
  }
  return out;
}

function formatAddress(value: bigint, width: number): string {
  const bytes: number[] = [];
  for (let i = width / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(8 * i)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

/** The set as CIDR blocks, at most `limit` of them (then a count of the rest). */
export function describeAddresses(set: IntervalSet, limit = 4): string {
  if (set.equals(ALL_ADDRESSES)) return "any address";
  if (set.equals(INTERNET)) return "the internet";
  const cidrs: string[] = [];
  for (const [lo, hi] of set.ranges()) {
    // One block past the limit is enough to know there are more.
    const room = () => limit + 1 - cidrs.length;
    if (hi < V6_BASE) cidrs.push(...toCidrs(lo, hi, 0n, 32, room()));
    else if (lo >= V6_BASE) cidrs.push(...toCidrs(lo, hi, V6_BASE, 128, room()));
    else {
      cidrs.push(...toCidrs(lo, V6_BASE - 1n, 0n, 32, room()));
      if (room() > 0) cidrs.push(...toCidrs(V6_BASE, hi, V6_BASE, 128, room()));
    }
    if (cidrs.length > limit) break;
  }
  if (cidrs.length <= limit) return cidrs.join(", ");
  return `${cidrs.slice(0, limit).join(", ")} and more`;
}

/** True when the text is an IPv4 or IPv6 literal (no prefix length). */
export function isIpLiteral(text: string): boolean {
  const t = text.trim();
  return isStrictIPv4(t) || (t.includes(":") && ipaddr.IPv6.isValid(t));
}
