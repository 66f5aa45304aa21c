import { Box } from "../flows";
import { Host, IpConfigView } from "../hosts";
import { IntervalSet } from "../intervalSet";
import { Grant } from "../nsgEvaluator";
import { Hop } from "./hops";

export type PathKind =
  | "public IP"
  | "load balancer"
  | "application gateway"
  | "firewall DNAT"
  | "private link"
  | "bastion"
  | "API Management"
  | "unmodeled resource"
  | "unreadable attachment";

/**
 * One way traffic from outside can arrive at one ipConfiguration of a host, with the flows
 * the host's NSGs let through on it. Computed once per analysis; each policy then applies its
 * own idea of "internet" (minus its trusted prefixes) to it.
 */
export interface RouteToHost {
  readonly host: Host;
  readonly ipConfig: IpConfigView | undefined;
  readonly kind: PathKind;
  /** Hops from the outside to the NIC, as values: each renderer (messages, SARIF, pictures) starts from these. */
  readonly path: readonly Hop[];
  /** The hops as messages show them, `path[i].text`: ["public IP pip-ex01 (Standard)", "NIC nic-ex01/ipconfig1"]. */
  readonly hops: readonly string[];
  /**
   * True when the NSGs see the internet client itself as the source (public IP, public LB).
   * False for proxied paths (Application Gateway, Firewall DNAT, Private Link), where they
   * see an address of the proxy inside the virtual network.
   */
  readonly direct: boolean;
  /** Internet sources that may use the front end of a proxied path (a DNAT rule's source list); undefined means any. */
  readonly frontSources?: IntervalSet;
  /** The flows this path can deliver at the host (remote address as the NSG sees it, local port, protocol). */
  readonly query: Box;
  /** What the NSGs (and AVNM always-allow rules) let through of `query`. */
  readonly grants: readonly Grant[];
  /** Set when the pack cannot decide the path: it then counts as open for every port, and this says why. */
  readonly undecidable?: string;
  /** Who the NSGs see as the source, in words. */
  readonly sourceLabel: string;
  /** A Standard SKU front end: it drops traffic when neither the subnet nor the NIC has an NSG. */
  readonly closedWithoutNsg?: boolean;
}
