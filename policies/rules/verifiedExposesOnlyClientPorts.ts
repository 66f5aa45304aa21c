import { INTERNET, ALL_ADDRESSES } from "../model/addresses";
import { CLIENT_PORTS_SCHEMA, MANAGEMENT_PORTS, MANAGEMENT_PORT_SET, prefixSet, resolveClientPorts } from "../model/config";
import { openToInternet } from "../model/exposure";
import { describeGrants } from "../model/describe";
import { subtractBox } from "../model/flows";
import { Grant } from "../model/nsgEvaluator";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";

export const verifiedExposesOnlyClientPorts: StackRule = {
  kind: "stack",
  name: "exchange-verified-exposes-only-client-ports",
  description: "A verified Exchange host is reachable from the internet only on the allowed client ports; management ports never.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Publish only the client ports (allowedPublicPorts, default 443/tcp and 25/tcp) through the load balancer or Application Gateway and let the NSG allow only those; reach RDP (3389), WinRM (5985-5986), SMB (445) and SSH (22) through Bastion or a VPN, never from the internet.",
  url: `${DOCS}#exchange-verified-exposes-only-client-ports`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:SC-7", "nist-800-53:CM-7", "exposure"],
  schemas: [CLIENT_PORTS_SCHEMA],
  configErrors(config) {
    const errors: string[] = [];
    prefixSet("trustedSourcePrefixes", config.trustedSourcePrefixes, errors);
    return [...errors, ...resolveClientPorts(config).errors];
  },
  evaluate(a, config) {
    // Entries that do not parse are reported by configErrors: they trust nothing and allow no port.
    const internet = INTERNET.subtract(prefixSet("trustedSourcePrefixes", config.trustedSourcePrefixes, []));
    const allowed = resolveClientPorts(config).ports;
    const out: Violation[] = [];
    for (const host of a.hosts) {
      if (!a.verified(host)) continue;
      for (const route of a.exposure.routes(host)) {
        const open = openToInternet(route, internet);
        if (!open) continue;
        const hops = route.hops.length > 0 ? route.hops.join(" → ") : route.kind;
        if (open.undecidable) {
          out.push({
            urn: host.urn,
            message: `verified host ${host.name}: the ports reachable via ${hops} cannot be decided (${open.undecidable}), so they count as all ports. Fix: make the path readable or remove it.`,
          });
          continue;
        }
        const extra: Grant[] = [];
        for (const g of open.grants) {
          let pieces = [g.box];
          for (const p of allowed) pieces = pieces.flatMap((b) => subtractBox(b, { addrs: ALL_ADDRESSES, ports: p.ports, protos: p.protos }));
          extra.push(...pieces.map((box) => ({ box, via: g.via })));
        }
        if (extra.length === 0) continue;
        const mgmt = MANAGEMENT_PORTS.filter((m) =>
          extra.some((g) => g.box.ports.intersects(MANAGEMENT_PORT_SET) && g.box.ports.has(BigInt(m.port))),
        );
        out.push({
          urn: host.urn,
          message: `verified host ${host.name} is reachable from the internet beyond the client ports (${allowed.map((p) => p.text).join(", ")})${mgmt.length > 0 ? `, including management port ${mgmt.map((m) => `${m.port} (${m.name})`).join(", ")}` : ""}: ${hops} → ${describeGrants(extra, route.direct, a.secrets).join("; ")}. Fix: publish only the client ports and narrow the NSG allow to them.`,
        });
      }
    }
    return out;
  },
};
