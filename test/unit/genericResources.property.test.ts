/**
 * Property: a generic ARM write and its typed twin give the same verdicts. For random NSG rule sets (the stacks' isolation
 * and publication rules, alone or followed by random ones, or random ones only), a host whose
 * NSG rules are written (a) inline in a typed NSG, (b) as typed standalone SecurityRules, (c) inline in an NSG written
 * through `azure-native:resources:Resource` with ARM's rule envelopes, and (d) as generic security-rule writes, gets
 * the same exposure and isolation messages, in update and preview form. The typed forms are the reference: the
 * generic ones must be read exactly as azure-native presents the typed resource.
 */
import fc from "fast-check";
import { Estate, HOST_TAGS, Res, rule } from "../support/estate";
import { rulesArb, RuleSpec } from "../support/arbitraries";
import { runs } from "../support/budget";
import { envelope, genericSecurityRule, genericWrite, ISOLATION_CONFIG } from "../support/genericWrites";
import { runStack } from "../support/judge";
import { baseNet, exHost, hostNic } from "../support/networks";

type Form = "typed inline" | "typed standalone" | "generic inline" | "generic standalone";

const flat = (r: RuleSpec) =>
  rule({ name: r.name, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol, source: r.source, port: r.port });

/** ex01 with a public IP, its NIC NSG `nsg-ex01` holding `rules` written in `form`. */
function estate(rules: readonly RuleSpec[], form: Form, preview: boolean): Estate {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  let nsg: Res;
  if (form === "typed inline") nsg = e.nsg("nsg-ex01", rules.map(flat));
  else if (form === "generic inline") {
    nsg = genericWrite(e, "nsg-generic", {
      namespace: "Microsoft.Network",
      type: "networkSecurityGroups",
      resourceName: "nsg-ex01",
      properties: { securityRules: rules.map((r) => envelope(flat(r))) },
    });
  } else {
    nsg = e.nsg("nsg-ex01", []);
    rules.forEach((r, i) => {
      if (form === "typed standalone") e.securityRule(r.name, nsg, flat(r));
      else genericSecurityRule(e, `rule-${i}`, "nsg-ex01", flat(r));
    });
  }
  exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("unverified") })] });
  return e;
}

function verdicts(e: Estate): string[] {
  return [
    ...runStack("exchange-unverified-not-internet-exposed", e.resources).map((v) => v.message),
    ...runStack("exchange-unverified-isolated", e.resources, ISOLATION_CONFIG).map((v) => v.message),
  ];
}

// Rule names must be unique within one NSG (Azure refuses duplicates); the arbitrary may repeat them.
const uniqueRulesArb = rulesArb.map((rs) => rs.filter((r, i) => rs.findIndex((x) => x.name === r.name) === i));

describe("generic writes and their typed twins (property)", () => {
  it.each([
    ["update", false],
    ["preview", true],
  ])("the same verdicts for random NSG rules in every form (%s form)", (_f, preview) => {
    const seen = { violating: 0, clean: 0 };
    fc.assert(
      fc.property(uniqueRulesArb, (rules) => {
        // Inline and standalone rules are labelled differently in messages ("rule x" / "SecurityRule x"), so each
        // generic form is compared with its own typed twin.
        const inline = verdicts(estate(rules, "typed inline", preview));
        expect(verdicts(estate(rules, "generic inline", preview))).toEqual(inline);
        expect(verdicts(estate(rules, "generic standalone", preview))).toEqual(verdicts(estate(rules, "typed standalone", preview)));
        seen[inline.length > 0 ? "violating" : "clean"]++;
      }),
      { numRuns: runs(300), seed: 20261207 },
    );
    // Not a property of empty lists: the cases include hosts the rules expose and hosts they keep isolated.
    expect(seen.violating).toBeGreaterThan(0);
    expect(seen.clean).toBeGreaterThan(0);
  });
});
