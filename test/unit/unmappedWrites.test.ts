import { Estate, Res, UNKNOWN } from "../support/estate";
import { genericWrite, ISOLATION_CONFIG, publishedHost, quarantinedHost } from "../support/genericWrites";
import { analyse, runStack } from "../support/judge";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS, EXPOSED, ISOLATED } from "../support/policyNames";

function problems(e: Estate): string[] {
  const a = analyse(e.resources);
  return a.hosts.find((h) => h.name === "ex01")!.problems as string[];
}

describe.each(FORMS)("unmappedWriteProblems (%s form)", (_form, preview) => {
  it("control: a host with no generic writes has no problems", () => {
    expect(problems(quarantinedHost(preview).e)).toEqual([]);
  });

  it("a write into the host's NSG whose type the pack does not model names the NSG and why", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "odd", {
      namespace: "Microsoft.Network",
      parentPath: "networkSecurityGroups/nsg-iso-ex01",
      type: "newThings",
      resourceName: "x",
    });
    expect(problems(e)).toEqual([
      "generic ARM write odd (azure-native:resources:Resource) writes into NSG nsg-iso-ex01 of this host, and the pack cannot read it as the resource it writes (it writes microsoft.network/networksecuritygroups/newthings, a type the pack does not model); write the resource with its own azure-native type, or make its namespace, parent path and type known at preview",
    ]);
  });

  it("a security rule whose parent path is unknown at preview: it may be the host's NSG (its resource group is the host's)", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "rule", {
      namespace: "Microsoft.Network",
      parentPath: UNKNOWN,
      type: "securityRules",
      resourceName: "allow-all",
      properties: { access: "Allow" },
    });
    expect(problems(e)).toEqual([
      expect.stringMatching(
        /^generic ARM write rule .* may write anything in this host's resource group rg-exchange, .*its parentResourcePath is unknown at preview/,
      ),
    ]);
  });

  it("in the host's VNet (a child of it), on its NIC, or on its VM (an extension resource): each names what it lands in", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "a", { namespace: "Microsoft.Network", parentPath: "virtualNetworks/vnet", type: "newChildren", resourceName: "c" });
    genericWrite(e, "b", {
      namespace: "Microsoft.Network",
      parentPath: "networkInterfaces/nic-ex01",
      type: "tapConfigurations",
      resourceName: "tap",
    });
    genericWrite(e, "c", {
      namespace: "Microsoft.Compute",
      parentPath: "virtualMachines/ex01/providers/Microsoft.Security",
      type: "assessments",
      resourceName: "a1",
    });
    expect(problems(e).map((p) => p.split(", and")[0])).toEqual([
      "generic ARM write a (azure-native:resources:Resource) writes into VirtualNetwork vnet of this host",
      "generic ARM write b (azure-native:resources:Resource) writes into NIC nic-ex01 of this host",
      "generic ARM write c (azure-native:resources:Resource) writes into VirtualMachine ex01 of this host",
    ]);
  });

  it("by id in its body, or by a dependency on the host's NSG, from another resource group", () => {
    const { e, nsg } = quarantinedHost(preview);
    genericWrite(e, "byid", {
      namespace: "Microsoft.Network",
      type: "newThings",
      resourceName: "x",
      resourceGroupName: "rg-other",
      properties: { guards: { id: nsg.armId } },
    });
    genericWrite(e, "bydep", {
      namespace: "Microsoft.Network",
      type: "newThings",
      resourceName: "y",
      resourceGroupName: "rg-other",
      deps: { properties: [nsg] },
    });
    expect(problems(e).map((p) => p.split(", and")[0])).toEqual([
      "generic ARM write byid (azure-native:resources:Resource) names NSG nsg-iso-ex01 of this host by id",
      "generic ARM write bydep (azure-native:resources:Resource) names NSG nsg-iso-ex01 of this host (its properties depends on it)",
    ]);
  });

  it("an unmodelled type elsewhere in the host's resource group fails closed; in another resource group it does not", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "here", { namespace: "Microsoft.Network", type: "natGateways", resourceName: "nat1" });
    genericWrite(e, "there", { namespace: "Microsoft.Network", type: "natGateways", resourceName: "nat2", resourceGroupName: "rg-other" });
    expect(problems(e).map((p) => p.split(", and")[0])).toEqual([
      "generic ARM write here (azure-native:resources:Resource) writes microsoft.network/natgateways into this host's resource group rg-exchange",
    ]);
  });

  it("a write of an inert type (a lock, a diagnostic setting, a VM extension, tags of the group) is no problem, even on the host's VM", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "lock", {
      namespace: "Microsoft.Compute",
      parentPath: "virtualMachines/ex01/providers/Microsoft.Authorization",
      type: "locks",
      resourceName: "no-delete",
    });
    genericWrite(e, "diag", { namespace: "Microsoft.Insights", type: "diagnosticSettings", resourceName: "d" });
    genericWrite(e, "ext", {
      namespace: "Microsoft.Compute",
      parentPath: "virtualMachines/ex01",
      type: "extensions",
      resourceName: "AzureMonitorWindowsAgent",
    });
    genericWrite(e, "rg-tags", { namespace: "Microsoft.Resources", type: "tags", resourceName: "default" });
    expect(problems(e)).toEqual([]);
  });
});

// A resource group name is unknown only at preview (once deployed, every id carries its group).
describe("unmappedWriteProblems (preview form): resource groups unknown", () => {
  it("a write whose resource group is unknown may land in any resource group", () => {
    const { e } = quarantinedHost(true);
    genericWrite(e, "rg?", { namespace: UNKNOWN, type: "x", resourceGroupName: UNKNOWN });
    expect(problems(e)).toEqual([expect.stringMatching(/may write anything in any resource group \(its resource group is unknown\)/)]);
  });

  it("resource groups compared through a shared ResourceGroup resource when both names are unknown", () => {
    const e = new Estate({ preview: true });
    const { vm } = ((): { vm: Res } => {
      const q = quarantinedHost(true);
      e.resources.push(...q.e.resources);
      return { vm: q.vm };
    })();
    const rg = e.add("azure-native:resources:ResourceGroup", "rg", { resourceGroupName: "rg-new" });
    (vm.properties as Record<string, unknown>).resourceGroupName = UNKNOWN;
    (vm.propertyDependencies as Record<string, string[]>).resourceGroupName = [rg.urn];
    genericWrite(e, "same", {
      namespace: "Microsoft.Network",
      type: "natGateways",
      resourceName: "n",
      resourceGroupName: UNKNOWN,
      deps: { resourceGroupName: [rg] },
    });
    const other = e.add("azure-native:resources:ResourceGroup", "rg2", { resourceGroupName: "rg-2" });
    genericWrite(e, "other", {
      namespace: "Microsoft.Network",
      type: "natGateways",
      resourceName: "m",
      resourceGroupName: UNKNOWN,
      deps: { resourceGroupName: [other] },
    });
    expect(problems(e).map((p) => p.split(" (")[0])).toEqual(["generic ARM write same"]);
  });
});

describe.each(FORMS)("generic ARM writes the pack cannot map, through the whole pack (%s form)", (_form, preview) => {
  it("a write the pack cannot map into the host's NSG fails every network verdict of the host closed, naming the write", () => {
    const { e, vm } = quarantinedHost(preview);
    genericWrite(e, "odd", { namespace: "Microsoft.Network", parentPath: "networkSecurityGroups/nsg-iso-ex01", type: "newRules", resourceName: "x" });
    for (const [policy, config] of [
      [EXPOSED, {}],
      [ISOLATED, ISOLATION_CONFIG],
    ] as const) {
      const v = runStack(policy, e.resources, config);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "generic ARM write odd (azure-native:resources:Resource) writes into NSG nsg-iso-ex01 of this host");
    }
  });

  it("…and that of a verified host: its ports cannot be decided", () => {
    const { e, vm } = publishedHost(preview);
    genericWrite(e, "odd", { namespace: "Microsoft.Network", parentPath: "networkSecurityGroups/nsg-pub-ex01", type: "newRules", resourceName: "x" });
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "cannot be decided", "generic ARM write odd");
  });

  it("a write the pack cannot map in another resource group, away from the host's network, changes nothing", () => {
    const { e } = quarantinedHost(preview);
    genericWrite(e, "elsewhere", { namespace: "Microsoft.Network", type: "natGateways", resourceName: "nat1", resourceGroupName: "rg-other" });
    expect(runStack(ISOLATED, e.resources, ISOLATION_CONFIG)).toEqual([]);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});
