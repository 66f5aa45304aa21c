/**
 * ARM template deployments through the whole pack. Microsoft's Exchange 2016 quick-start (test fixture, with the host
 * tag added to its VM as a user adopting it would) deployed through `resources:Deployment` with the template inline
 * declares an Exchange VM behind a public IP and an allow-everything NSG: before this, it got no verdict at all. Now it
 * is a host, named by the deployment and the template's VM, whose every verdict fails closed naming the deployment.
 */
import { Estate, HOST_TAGS } from "../support/estate";
import { ISOLATION_CONFIG } from "../support/genericWrites";
import { runStack } from "../support/judge";

import { exchange2016Template, withHostTags } from "../fixtures/templates/exchange2016NonHa";
import { RULES } from "../../policies/rules";
import { FORMS } from "../support/assertions";

const HOST = "exchange-2016/vmrg-exchange{copyIndex()}";

function quickStart(preview: boolean, template: unknown, type = "azure-native:resources:Deployment") {
  const e = new Estate({ preview });
  const dep = e.add(type, "exchange-2016", {
    deploymentName: "exchange-2016",
    resourceGroupName: e.rg,
    properties: { mode: "Incremental", template },
  });
  return { e, dep };
}

const configFor = (name: string) => (name === "exchange-unverified-isolated" ? ISOLATION_CONFIG : {});
const stackRules = RULES.filter((r) => r.kind === "stack" && r.enforcementLevel === "mandatory");

describe.each(FORMS)("ARM template deployments (%s form)", (_form, preview) => {
  it("the quick-start as published (no host tag on its VM): no host, no verdict", () => {
    const { e } = quickStart(preview, exchange2016Template());
    for (const r of stackRules) expect(runStack(r.name, e.resources, configFor(r.name))).toEqual([]);
  });

  const network = ["exchange-unverified-not-internet-exposed", "exchange-unverified-isolated"];
  it.each([
    // build-patched speaks only of a linked assessment's build; with none, requires-assessment is the gate's verdict.
    ["unverified", [...network, "exchange-compromised-rebuilt-from-scratch"]],
    ["remediated", [...network, "exchange-remediated-requires-assessment", "exchange-compromised-rebuilt-from-scratch"]],
  ])("tagged %s: a host of the deployment whose verdicts fail closed, naming it", (state, failing) => {
    const { e, dep } = quickStart(preview, withHostTags(HOST_TAGS(state)));
    const violated: string[] = [];
    for (const r of stackRules) {
      const v = runStack(r.name, e.resources, configFor(r.name));
      if (v.length === 0) continue;
      violated.push(r.name);
      for (const x of v) {
        expect(x.urn).toBe(dep.urn);
        expect(x.message).toContain(HOST);
      }
    }
    expect(violated.sort()).toEqual([...failing].sort());
    const exposed = runStack("exchange-unverified-not-internet-exposed", e.resources);
    if (state === "unverified") expect(exposed[0].message).toContain("declared in the ARM template of Deployment exchange-2016");
  });

  it("the tags written as a template expression of its parameters: still a host (of unknown state)", () => {
    const t = withHostTags("[parameters('vmTags')]");
    (t.parameters as Record<string, unknown>).vmTags = { type: "object", defaultValue: { workload: "exchange" } };
    const { e, dep } = quickStart(preview, t);
    const v = runStack("exchange-unverified-not-internet-exposed", e.resources);
    expect(v.map((x) => x.urn)).toEqual([dep.urn]);
  });

  it("at subscription scope and as a deployment stack, the same", () => {
    const { e, dep } = quickStart(preview, withHostTags(HOST_TAGS("unverified")), "azure-native:resources:DeploymentAtSubscriptionScope");
    expect(runStack("exchange-unverified-isolated", e.resources, ISOLATION_CONFIG).map((x) => x.urn)).toEqual([dep.urn]);
    const s = new Estate({ preview });
    const stack = s.add("azure-native:resources:DeploymentStackAtResourceGroup", "exchange-stack", {
      resourceGroupName: s.rg,
      template: withHostTags(HOST_TAGS("unverified")),
      actionOnUnmanage: { resources: "delete" },
      denySettings: { mode: "none" },
    });
    expect(runStack("exchange-unverified-isolated", s.resources, ISOLATION_CONFIG).map((x) => x.urn)).toEqual([stack.urn]);
  });
});
