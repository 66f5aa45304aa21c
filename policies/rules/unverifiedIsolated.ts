import { prefixSet, ISOLATION_SCHEMA } from "../model/config";
import { describeGrants } from "../model/describe";
import { isolationOf } from "../model/isolation";
import { CISA_ED_21_02, DOCS, StackRule, Violation } from "./types";
import { stateText } from "./wording";

export const unverifiedIsolated: StackRule = {
  kind: "stack",
  name: "exchange-unverified-isolated",
  description:
    "An Exchange host that is not verified accepts inbound traffic only from the forensics prefixes, and a compromised host sends nothing to the internet except to the forensics destinations.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Attach an isolation NSG to the host's NIC (or subnet): allow forensicsSourcePrefixes on the management ports, then deny inbound from source * above every other rule so the VNet and load balancer defaults are overridden; for a compromised host also deny outbound to Internet except forensicsDestinationPrefixes. Set flushConnection so established attacker sessions are cut.",
  url: `${DOCS}#exchange-unverified-isolated`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:SC-7", "nist-800-53:IR-4", "isolation"],
  schemas: [ISOLATION_SCHEMA],
  configErrors(config) {
    const errors: string[] = [];
    prefixSet("forensicsSourcePrefixes", config.forensicsSourcePrefixes, errors);
    prefixSet("forensicsDestinationPrefixes", config.forensicsDestinationPrefixes, errors);
    return errors;
  },
  evaluate(a, config) {
    // Entries that do not parse are reported by configErrors and allow nothing.
    const sources = prefixSet("forensicsSourcePrefixes", config.forensicsSourcePrefixes, []);
    const destinations = prefixSet("forensicsDestinationPrefixes", config.forensicsDestinationPrefixes, []);
    const out: Violation[] = [];
    for (const host of a.hosts) {
      if (a.verified(host)) continue;
      // A state tag that cannot be read may say compromised: hold the host to the outbound rule as well.
      const compromised = a.gateOf(host).effectiveState === "compromised" || host.stateUnknown;
      const verdict = isolationOf(a.flows, host, compromised, sources, destinations);
      for (const p of verdict.problems) {
        out.push({
          urn: host.urn,
          message: `host ${host.name} (${stateText(a, host)}) cannot be shown to be isolated: ${p}. Fix: make the host's NICs, subnet and NSGs readable in this stack.`,
        });
      }
      for (const gap of verdict.gaps) {
        const lines = describeGrants(gap.grants, false, a.secrets).join("; ");
        out.push({
          urn: host.urn,
          message:
            gap.direction === "inbound"
              ? `host ${host.name} (${stateText(a, host)}) is not isolated: ${gap.ipConfig} accepts inbound traffic from outside forensicsSourcePrefixes: ${lines}. Fix: allow only forensicsSourcePrefixes, then deny inbound from source * above every other rule, in its NIC or subnet NSG.`
              : `host ${host.name} (${stateText(a, host)}) is compromised and can still send to the internet: ${gap.ipConfig} outbound ${lines}. Fix: deny outbound to Internet (and 0.0.0.0/0) except forensicsDestinationPrefixes in its NIC or subnet NSG.`,
        });
      }
    }
    return out;
  },
};
