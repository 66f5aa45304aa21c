import { describeAddresses, parseAddressPrefix } from "../addresses";
import { Host } from "../hosts";
import { StackDns } from "./dns";

/** An IPv4 address as a whole token (not part of a longer number or dotted sequence), with an optional prefix length. */
const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d]|\.\d)(?:\/(\d{1,3}))?/g;
/** A candidate IPv6 address: hex groups and at least two colons, not part of a longer such run. */
const IPV6 = /(?<![0-9A-Fa-f:])((?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4})(?![0-9A-Fa-f:])(?:\/(\d{1,3}))?/g;
/** A dotted DNS name as a whole token: "ex01.corp.example" in "https://ex01.corp.example/owa", never inside a longer name. */
const FQDN = /(?<![A-Za-z0-9.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62})\.?(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;

export interface AddressMention {
  readonly host: Host;
  /** How the string names the host, for messages. */
  readonly how: string;
}

/**
 * The private addresses of every host's ipConfigurations (static ones from the NIC's inputs, any from its outputs) and
 * the names the stack's own DNS maps to them (Private DNS records, through CNAMEs), indexed once, so each string of a
 * resource the pack does not model is scanned once for a reference by address. An address matches only as a whole
 * token (10.1.2.4 is not 10.1.2.40 nor 110.1.2.4), alone or as a /32 (/128); a wider prefix is a range, not the host.
 */
export class HostAddressBook {
  private readonly byAddress = new Map<bigint, Host[]>();
  private readonly byName = new Map<string, AddressMention[]>();

  constructor(hosts: readonly Host[], dns: StackDns) {
    for (const h of hosts) {
      for (const ip of h.ipConfigs) {
        const addr = ip.privateAddr?.ranges()[0]?.[0];
        if (addr === undefined) continue;
        const list = this.byAddress.get(addr);
        if (!list) this.byAddress.set(addr, [h]);
        else if (!list.includes(h)) list.push(h);
      }
    }
    if (this.byAddress.size === 0) return;
    for (const { name, addrs, via } of dns.recordNames()) {
      const found: AddressMention[] = [];
      for (const [lo, hi] of addrs.ranges()) {
        // A record set names a handful of addresses; a range this wide is not one host's name.
        if (hi - lo > 255n) continue;
        for (let a = lo; a <= hi; a++) {
          for (const host of this.byAddress.get(a) ?? []) {
            if (!found.some((f) => f.host === host)) {
              found.push({ host, how: `names ${name}, which ${via} maps to its address ${describeAddresses(addrs, 2)}` });
            }
          }
        }
      }
      if (found.length > 0) this.byName.set(name, found);
    }
  }

  get empty(): boolean {
    return this.byAddress.size === 0;
  }

  /** The hosts a string names by private address or DNS name. */
  find(s: string): AddressMention[] {
    const out: AddressMention[] = [];
    const add = (hosts: readonly Host[] | undefined, how: string) => {
      for (const host of hosts ?? []) if (!out.some((o) => o.host === host)) out.push({ host, how });
    };
    if (s.includes(".")) {
      for (const m of s.matchAll(IPV4)) {
        if (m[2] !== undefined && m[2] !== "32") continue;
        const set = parseAddressPrefix(m[1]);
        if (set) add(this.byAddress.get(set.ranges()[0][0]), `names its address ${m[1]}`);
      }
      if (this.byName.size > 0) {
        for (const m of s.matchAll(FQDN)) {
          for (const hit of this.byName.get(m[1].toLowerCase()) ?? []) add([hit.host], hit.how);
        }
      }
    }
    if (s.includes(":")) {
      for (const m of s.matchAll(IPV6)) {
        if (m[2] !== undefined && m[2] !== "128") continue;
        const set = m[1].includes("::") || m[1].split(":").length === 8 ? parseAddressPrefix(m[1]) : undefined;
        if (set) add(this.byAddress.get(set.ranges()[0][0]), `names its address ${m[1]}`);
      }
    }
    return out;
  }
}
