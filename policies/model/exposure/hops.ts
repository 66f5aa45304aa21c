import { GraphNode } from "../graph";
import { IpConfigView } from "../hosts";

/** What a hop on a path from outside to a host is. */
export type HopKind =
  | "public IP"
  | "load balancer"
  | "backend pool"
  | "application gateway"
  | "firewall"
  | "bastion"
  | "front door"
  | "API Management"
  | "API"
  | "NIC"
  | "unmodeled resource";

/** The resource a hop goes through, as far as the stack shows it. */
export interface HopResource {
  /** The azure-native type token, or a word when the resource is outside the stack ("public IP"). */
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  /** Normalised ARM id when known. */
  readonly id?: string;
}

/**
 * One hop of a path, as a value: its kind, the resource, the part of it the path uses (a rule, a listener, a pool)
 * and the ports it carries. `text` is the hop as the policies' messages show it; every renderer (terminal, SARIF,
 * SVG, Mermaid) starts from these fields, so nothing ever reads a message back.
 */
export interface Hop {
  readonly kind: HopKind;
  readonly resource?: HopResource;
  /** The part of the resource the path goes through: "load-balancing rule lb-https", "listener l1", "pool web". */
  readonly via?: string;
  /** Ports (and protocol) as the resource's configuration states them: "TCP 443→443", "3389". */
  readonly ports?: string;
  /** Why the hop counts, when it is not plain: "may be this host: its address is not known". */
  readonly note?: string;
  readonly text: string;
}

export function resourceOf(node: GraphNode): HopResource {
  return { type: node.type, name: node.display, urn: node.urn, id: node.id };
}

/** A hop that no stack resource stands for (an id outside the stack, an unknown reference). */
export function namedResource(type: string, name: string): HopResource {
  return { type, name };
}

/** The last hop of every path that reaches a NIC: the ipConfiguration itself. */
export function nicHop(ip: IpConfigView): Hop {
  const owner = ip.owner;
  return {
    kind: "NIC",
    resource: { type: owner.type, name: ip.nicLabel, urn: owner.urn, id: owner.id },
    via: ip.label,
    text: `NIC ${ip.label}`,
  };
}

export function hop(kind: HopKind, text: string, parts: Omit<Hop, "kind" | "text"> = {}): Hop {
  return { kind, text, ...parts };
}
