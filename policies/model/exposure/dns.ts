import { isIpLiteral, parseAddressPrefix } from "../addresses";
import { ResourceGraph } from "../graph";
import { Host } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { T } from "../resourceTypes";
import { arr, field, path, str } from "../values";

export type FqdnAnswer =
  | { readonly kind: "addresses"; readonly addrs: IntervalSet; readonly via: string }
  | { readonly kind: "hosts"; readonly hosts: readonly Host[]; readonly via: string }
  | { readonly kind: "unresolvable"; readonly why: string };

function clean(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/**
 * Resolves names the way the stack itself defines them: Private DNS A/AAAA/CNAME records
 * declared in the stack, and a host's own computer or VM name. Public DNS is not consulted
 * (the pack runs offline and a public answer can change after the check).
 */
export class StackDns {
  private readonly records = new Map<string, { addrs: IntervalSet; cnames: string[] }>();
  private readonly hostNames = new Map<string, Host[]>();

  constructor(graph: ResourceGraph, hosts: readonly Host[]) {
    for (const rs of graph.ofType(T.PrivateRecordSet, T.PrivateRecordSetLegacy)) {
      const zone = str(field(rs.props, "privateZoneName"));
      const rel = str(field(rs.props, "relativeRecordSetName")) ?? str(field(rs.props, "name"));
      if (typeof zone !== "string" || typeof rel !== "string") continue;
      const fqdn = clean(rel === "@" ? zone : `${rel}.${zone}`);
      let entry = this.records.get(fqdn);
      if (!entry) this.records.set(fqdn, (entry = { addrs: IntervalSet.EMPTY, cnames: [] }));
      for (const a of arr(field(rs.props, "aRecords")) instanceof Array ? (arr(field(rs.props, "aRecords")) as unknown[]) : []) {
        const ip = str(field(a, "ipv4Address"));
        const set = typeof ip === "string" ? parseAddressPrefix(ip) : undefined;
        if (set) entry.addrs = entry.addrs.union(set);
      }
      for (const a of arr(field(rs.props, "aaaaRecords")) instanceof Array ? (arr(field(rs.props, "aaaaRecords")) as unknown[]) : []) {
        const ip = str(field(a, "ipv6Address"));
        const set = typeof ip === "string" ? parseAddressPrefix(ip) : undefined;
        if (set) entry.addrs = entry.addrs.union(set);
      }
      const cname = str(path(rs.props, "cnameRecord", "cname"));
      if (typeof cname === "string") entry.cnames.push(clean(cname));
    }
    for (const h of hosts) {
      const names = [h.name, str(path(h.vm.props, "osProfile", "computerName"))];
      for (const n of names) {
        if (typeof n !== "string" || n === "") continue;
        const key = clean(n);
        let list = this.hostNames.get(key);
        if (!list) this.hostNames.set(key, (list = []));
        if (!list.includes(h)) list.push(h);
      }
    }
  }

  /** Every name the stack's Private DNS records define, with the addresses it resolves to (through CNAMEs). */
  *recordNames(): Generator<{ name: string; addrs: IntervalSet; via: string }> {
    for (const name of this.records.keys()) {
      const ans = this.resolve(name);
      if (ans.kind === "addresses") yield { name, addrs: ans.addrs, via: ans.via };
    }
  }

  resolve(name: string, depth = 0): FqdnAnswer {
    const fqdn = clean(name);
    if (isIpLiteral(fqdn)) return { kind: "addresses", addrs: parseAddressPrefix(fqdn)!, via: "an IP literal" };
    const rec = this.records.get(fqdn);
    if (rec) {
      let addrs = rec.addrs;
      for (const c of rec.cnames) {
        if (depth > 8) return { kind: "unresolvable", why: `the CNAME chain of ${name} is too long` };
        const next = this.resolve(c, depth + 1);
        if (next.kind !== "addresses") return next;
        addrs = addrs.union(next.addrs);
      }
      if (!addrs.isEmpty) return { kind: "addresses", addrs, via: `the Private DNS record ${fqdn}` };
    }
    const first = fqdn.split(".")[0];
    const hosts = this.hostNames.get(fqdn) ?? this.hostNames.get(first);
    if (hosts && hosts.length > 0) return { kind: "hosts", hosts, via: `the host name in ${name}` };
    return {
      kind: "unresolvable",
      why: `the pack cannot resolve ${name} (no Private DNS record or host name in this stack matches it), so it may point at any host`,
    };
  }
}
