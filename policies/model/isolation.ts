import { ALL_ADDRESSES, INTERNET } from "./addresses";
import { ALL_PORTS, ALL_PROTOCOLS } from "./flows";
import { FlowCalculator } from "./exposure/flowCalculator";
import { Host } from "./hosts";
import { IntervalSet } from "./intervalSet";
import { Grant, restrictGrants } from "./nsgEvaluator";

export interface IsolationGap {
  readonly direction: "inbound" | "outbound";
  readonly ipConfig: string;
  readonly grants: readonly Grant[];
}

export interface IsolationVerdict {
  readonly gaps: readonly IsolationGap[];
  /** Attachments that could not be read: isolation cannot be shown. */
  readonly problems: readonly string[];
}

/**
 * exchange-unverified-isolated for one host: inbound only from the forensics prefixes (the
 * VNet's default allow and the load balancer probe included), and for a compromised host no
 * outbound flow to the internet except to the forensics destinations.
 */
export function isolationOf(
  calc: FlowCalculator,
  host: Host,
  compromised: boolean,
  forensicsSources: IntervalSet,
  forensicsDestinations: IntervalSet,
): IsolationVerdict {
  const gaps: IsolationGap[] = [];
  const notForensicsIn = ALL_ADDRESSES.subtract(forensicsSources);
  const internetOut = INTERNET.subtract(forensicsDestinations);
  for (const ip of host.ipConfigs) {
    const inbound: Grant[] = [];
    for (const level of calc.flows(host, ip, "inbound")) {
      inbound.push(...restrictGrants(level.grants, { addrs: notForensicsIn, ports: ALL_PORTS, protos: ALL_PROTOCOLS }));
    }
    if (inbound.length > 0) gaps.push({ direction: "inbound", ipConfig: ip.label, grants: inbound });
    if (!compromised) continue;
    const outbound: Grant[] = [];
    for (const level of calc.flows(host, ip, "outbound")) {
      outbound.push(...restrictGrants(level.grants, { addrs: internetOut, ports: ALL_PORTS, protos: ALL_PROTOCOLS }));
    }
    if (outbound.length > 0) gaps.push({ direction: "outbound", ipConfig: ip.label, grants: outbound });
  }
  return { gaps, problems: host.problems };
}
