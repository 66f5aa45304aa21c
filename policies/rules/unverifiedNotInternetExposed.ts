import { INTERNET } from "../model/addresses";
import { prefixSet, TRUSTED_SCHEMA } from "../model/config";
import { openToInternet } from "../model/exposure";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";
import { routeText, stateText } from "./wording";

export const unverifiedNotInternetExposed: StackRule = {
  kind: "stack",
  name: "exchange-unverified-not-internet-exposed",
  description: "An Exchange host that is not verified clean is not reachable from the internet by any path Azure offers.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove every public path to the host (public IP, public load balancer pool or NAT rule, Application Gateway backend, Firewall DNAT, Front Door Private Link origin, API Management API or backend), or move it to the quarantine subnet behind the isolation NSG. Only a host marked remediated with a clean, recent assessment of a patched build may be published.",
  url: `${DOCS}#exchange-unverified-not-internet-exposed`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:SC-7", "nist-800-53:IR-4", "exposure"],
  schemas: [TRUSTED_SCHEMA],
  configErrors(config) {
    const errors: string[] = [];
    prefixSet("trustedSourcePrefixes", config.trustedSourcePrefixes, errors);
    return errors;
  },
  evaluate(a, config) {
    // An entry that does not parse is reported by configErrors and trusts nothing.
    const internet = INTERNET.subtract(prefixSet("trustedSourcePrefixes", config.trustedSourcePrefixes, []));
    const out: Violation[] = [];
    for (const host of a.hosts) {
      if (a.verified(host)) continue;
      for (const route of a.exposure.routes(host)) {
        const open = openToInternet(route, internet);
        if (!open) continue;
        out.push({
          urn: host.urn,
          message: `host ${host.name} (${stateText(a, host)}) is reachable from the internet via ${route.kind}: ${routeText(open, a.secrets)}. Fix: remove this path or isolate the host; it may be published only once verified.`,
        });
      }
    }
    return out;
  },
};
