import { readTemplateDeployments } from "../../policies/model/templateDeployments";
import { Estate, HOST_TAGS, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import { exchange2016Template, withHostTags } from "../fixtures/templates/exchange2016NonHa";
import { FORMS } from "../support/assertions";
import { ISOLATION_CONFIG } from "../support/genericWrites";
import { RULES } from "../../policies/rules";

const vmResource = (name: string, tags?: unknown) => ({
  type: "Microsoft.Compute/virtualMachines",
  apiVersion: "2024-07-01",
  name,
  ...(tags !== undefined ? { tags } : {}),
  properties: {},
});

function deployment(e: Estate, name: string, properties: unknown, type = "azure-native:resources:Deployment") {
  return e.add(type, name, { deploymentName: name, resourceGroupName: e.rg, properties });
}

function template(resources: unknown, extra: Record<string, unknown> = {}) {
  return {
    $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    contentVersion: "1.0.0.0",
    resources,
    ...extra,
  };
}

const hostsOf = (e: Estate) => analyse(e.resources).hosts.map((h) => [h.name, h.state, h.stateUnknown, h.hostNote !== undefined]);

describe.each(FORMS)("template deployments (%s form)", (_form, preview) => {
  it("Microsoft's Exchange 2016 quick-start as published (its VM untagged) declares no Exchange host", () => {
    const e = new Estate({ preview });
    deployment(e, "exchange-2016", { mode: "Incremental", template: exchange2016Template() });
    expect(hostsOf(e)).toEqual([]);
  });

  it("the quick-start with the host tag on its VM: a host named by the deployment and the VM, that nothing can judge", () => {
    const e = new Estate({ preview });
    deployment(e, "exchange-2016", { mode: "Incremental", template: withHostTags(HOST_TAGS("unverified")) });
    const [h] = analyse(e.resources).hosts;
    expect([h.name, h.state, h.stateUnknown, h.hostNote]).toEqual(["exchange-2016/vmrg-exchange{copyIndex()}", "unverified", false, undefined]);
    expect(h.problems).toEqual([
      "VM vmrg-exchange{copyIndex()} is declared in the ARM template of Deployment exchange-2016; the pack does not read what a template deploys (the VM's NICs, NSGs and public IPs), so it cannot judge this host; declare the host with azure-native resources (compute:VirtualMachine and its network) so every policy can judge it",
    ]);
    expect(h.ipConfigs).toEqual([]);
  });

  it("tags given through parameters and variables are evaluated; the deployment's parameters win over defaults", () => {
    const e = new Estate({ preview });
    const t = template(
      [vmResource("[parameters('vmName')]", { workload: "[parameters('workload')]", "remediation-state": "[variables('state')]" })],
      {
        parameters: { vmName: { type: "string", defaultValue: "ex-default" }, workload: { type: "string", defaultValue: "sharepoint" } },
        variables: { state: "compromised" },
      },
    );
    deployment(e, "d1", { mode: "Incremental", template: t, parameters: { workload: { value: "Exchange" }, vmName: { value: "ex07" } } });
    deployment(e, "d2", { mode: "Incremental", template: t });
    expect(hostsOf(e)).toEqual([["d1/ex07", "compromised", false, false]]);
  });

  it("tags the pack cannot evaluate: a host of unknown state", () => {
    const e = new Estate({ preview });
    deployment(e, "d", { mode: "Incremental", template: template([vmResource("ex01", "[parameters('tags')]")]) });
    expect(hostsOf(e)).toEqual([["d/ex01", "unverified", true, true]]);
  });

  it("a linked template, or one unknown at preview: a possible host, saying why", () => {
    const e = new Estate({ preview });
    deployment(e, "linked", { mode: "Incremental", templateLink: { uri: "https://example.org/azuredeploy.json" } });
    deployment(e, "unknown", { mode: "Incremental", template: UNKNOWN });
    const hosts = analyse(e.resources).hosts;
    expect(hosts.map((h) => [h.name, h.stateUnknown, h.problems])).toEqual([
      [
        "linked/(a VM its template may declare)",
        true,
        [
          "Deployment linked: its template is linked (templateLink), which the pack cannot read, so it may declare an Exchange VM the pack cannot see; inline the template, or declare the host with azure-native resources",
        ],
      ],
      [
        "unknown/(a VM its template may declare)",
        true,
        [
          "Deployment unknown: its template is unknown at preview, so it may declare an Exchange VM the pack cannot see; inline the template, or declare the host with azure-native resources",
        ],
      ],
    ]);
  });

  it("a nested inline deployment is read; a nested linked one makes the outer deployment a possible host", () => {
    const e = new Estate({ preview });
    const nested = (inner: unknown) => ({ type: "Microsoft.Resources/deployments", apiVersion: "2022-09-01", name: "inner", properties: inner });
    deployment(e, "outer", {
      mode: "Incremental",
      template: template([nested({ mode: "Incremental", template: template([vmResource("ex09", HOST_TAGS())]) })]),
    });
    deployment(e, "outer2", {
      mode: "Incremental",
      template: template([nested({ mode: "Incremental", templateLink: { id: "/subscriptions/s/templateSpecs/x" } })]),
    });
    expect(hostsOf(e).map(([n]) => n)).toEqual(["outer/ex09", "outer2/(a VM its template may declare)"]);
  });

  it("language version 2.0 (resources by symbolic name), a scale set, and every deployment scope and stack type", () => {
    const e = new Estate({ preview });
    const ss = { type: "Microsoft.Compute/virtualMachineScaleSets", name: "ex-ss", tags: HOST_TAGS("unverified") };
    deployment(e, "sym", { mode: "Incremental", template: template({ vm: vmResource("ex10", HOST_TAGS()), ss }, { languageVersion: "2.0" }) });
    deployment(
      e,
      "scope",
      { mode: "Incremental", template: template([vmResource("ex11", HOST_TAGS())]) },
      "azure-native:resources:DeploymentAtScope",
    );
    e.add("azure-native:resources:DeploymentStackAtResourceGroup", "stack", {
      deploymentStackName: "stack",
      resourceGroupName: e.rg,
      template: template([vmResource("ex12", HOST_TAGS())]),
      actionOnUnmanage: { resources: "delete" },
      denySettings: { mode: "none" },
    });
    expect(hostsOf(e).map(([n]) => n)).toEqual(["sym/ex10 and 1 more", "scope/ex11", "stack/ex12"]);
  });

  it("a resource type the pack cannot evaluate may be a VM", () => {
    const e = new Estate({ preview });
    deployment(e, "d", { mode: "Incremental", template: template([{ type: "[parameters('t')]", name: "x" }]) });
    expect(analyse(e.resources).hosts[0]?.problems[0]).toMatch(/declares a resource whose type \{parameters\('t'\)\} the pack cannot evaluate/);
  });
});

describe("a deployed deployment's outputs (no template, the resources it made by id)", () => {
  it("a VM among its output resources is a possible host (its tags are not in the outputs); none, no host", () => {
    const e = new Estate();
    const id = (t: string, n: string) => `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/${t}/${n}`;
    deployment(e, "made-vm", {
      provisioningState: "Succeeded",
      outputResources: [{ id: id("Microsoft.Network/networkInterfaces", "nic0") }, { id: id("Microsoft.Compute/virtualMachines", "vm0") }],
    });
    deployment(e, "made-storage", { provisioningState: "Succeeded", outputResources: [{ id: id("Microsoft.Storage/storageAccounts", "sa0") }] });
    const reading = readTemplateDeployments(analyse(e.resources).graph);
    expect(reading.machines.map((m) => [m.deployment.display, m.name, m.armType])).toEqual([["made-vm", "vm0", "Microsoft.Compute/virtualMachines"]]);
    expect(reading.opaque).toEqual([]);
    expect(hostsOf(e)).toEqual([["made-vm/vm0", "unverified", true, true]]);
  });
});

/**
 * ARM template deployments through the whole pack. Microsoft's Exchange 2016 quick-start (test fixture, with the host
 * tag added to its VM as a user adopting it would) deployed through `resources:Deployment` with the template inline
 * declares an Exchange VM behind a public IP and an allow-everything NSG: before this, it got no verdict at all. Now it
 * is a host, named by the deployment and the template's VM, whose every verdict fails closed naming the deployment.
 */
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
