import { familySet } from "../addresses";
import { AddressIndex } from "../addressIndex";
import { Box } from "../flows";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { Grant, restrictGrants } from "../nsgEvaluator";
import { FlowCalculator } from "./flowCalculator";
import { ProxyVnets, VnetReach } from "../vnetReach";
import { Hop, nicHop } from "./hops";
import { PathKind, RouteToHost } from "./types";

export interface RouteSpec {
  readonly kind: PathKind;
  /** The hops before the NIC. */
  readonly path: readonly Hop[];
  readonly direct: boolean;
  readonly query: Box;
  readonly sourceLabel: string;
  readonly frontSources?: IntervalSet;
  /** Standard SKU public front ends drop traffic when neither the subnet nor the NIC has an NSG. */
  readonly closedWithoutNsg?: boolean;
  /** An extra reason the path cannot be decided (it then counts as open). */
  readonly undecidable?: string;
}

/** The flows of one path that the host's NSGs let through, over every candidate subnet. */
export function routeTo(calc: FlowCalculator, host: Host, ip: IpConfigView, spec: RouteSpec): RouteToHost {
  const grants: Grant[] = [];
  for (const level of calc.flows(host, ip, "inbound")) {
    if (spec.direct && level.noNsgAtAll && spec.closedWithoutNsg) continue;
    grants.push(...restrictGrants(level.grants, spec.query));
  }
  const path = [...spec.path, nicHop(ip)];
  return {
    host,
    ipConfig: ip,
    kind: spec.kind,
    path,
    hops: path.map((h) => h.text),
    direct: spec.direct,
    frontSources: spec.frontSources,
    query: spec.query,
    grants,
    undecidable: spec.undecidable,
    sourceLabel: spec.sourceLabel,
    closedWithoutNsg: spec.closedWithoutNsg,
  };
}

/** A path the pack cannot follow: it counts as open on every port. */
export function undecidableRoute(
  host: Host,
  ip: IpConfigView | undefined,
  kind: PathKind,
  before: readonly Hop[],
  why: string,
  query: Box,
): RouteToHost {
  const path = ip ? [...before, nicHop(ip)] : before;
  return {
    host,
    ipConfig: ip,
    kind,
    path,
    hops: path.map((h) => h.text),
    direct: true,
    query,
    grants: [],
    undecidable: why,
    sourceLabel: "the internet",
  };
}

/**
 * Items of an address index that denote this ipConfiguration (a proxy target, an IP-based
 * pool member). Certain when the host's address is known; otherwise anything in its subnet
 * may be it, and an unreadable target may be anything.
 */
export function addressTargets<T>(
  ip: IpConfigView,
  index: AddressIndex<T>,
  routable?: { reach: VnetReach; vnetsOf: (item: T) => ProxyVnets },
): Array<{ item: T; certain: boolean }> {
  if (index.size === 0) return [];
  // An address names a host only in a VNet the proxy can reach: the same space in an unpeered VNet is another network.
  const hostVnets = ip.subnets.map((s) => s.vnet);
  const reaches = (item: T) => !routable || routable.reach.proxyMayReach(routable.vnetsOf(item), hostVnets);
  if (ip.privateAddr)
    return index
      .query(ip.privateAddr)
      .filter(({ item }) => reaches(item))
      .map(({ item, unreadable }) => ({ item, certain: !unreadable }));
  let space: IntervalSet | undefined = IntervalSet.EMPTY;
  for (const s of ip.subnets) space = s.prefixes && space ? space.union(s.prefixes) : undefined;
  if (!space || space.isEmpty) space = familySet(ip.family);
  return index
    .query(space)
    .filter(({ item }) => reaches(item))
    .map(({ item }) => ({ item, certain: false }));
}
