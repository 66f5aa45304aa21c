/**
 * Issue #15, class 6: Virtual Network Manager security admin Deny rules are evaluated before NSGs and end evaluation.
 * When the stack commits the security admin configuration to the host's region, a Deny from the internet closes the
 * path; without a visible commit (or with an unknown region, scope or configuration) it is ignored, as before.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { adminRule, armIdOf, baseNet, hostNic } from "../support/networks";
import { FORMS } from "../support/assertions";
import { EXPOSED } from "../support/policyNames";

const AVNM = "Microsoft.Network/networkManagers";

interface Opts {
  commit?: "none" | "same region" | "other region" | "unknown configuration" | "connectivity only";
  vmLocation?: string;
  scoped?: boolean;
  alwaysAllowFirst?: boolean;
}

/** ex01 published (Standard public IP, NSG allowing 443 from Internet) in vnet, and an AVNM Deny of Internet inbound. */
function setup(preview: boolean, o: Opts = {}) {
  const e = new Estate({ preview });
  const { vnet, sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("unverified") });
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified"), extra: { location: o.vmLocation ?? "West Europe" } });
  const group = e.add(
    "azure-native:network:NetworkGroup",
    "ng",
    { networkManagerName: "avnm", networkGroupName: "ng", resourceGroupName: e.rg },
    {},
    armIdOf(e, AVNM, "avnm", "networkGroups/ng"),
  );
  if (o.scoped !== false) {
    e.add(
      "azure-native:network:StaticMember",
      "m-vnet",
      { networkManagerName: "avnm", networkGroupName: "ng", staticMemberName: "m-vnet", resourceGroupName: e.rg, resourceId: e.ref(vnet).id },
      { resourceId: [vnet] },
      armIdOf(e, AVNM, "avnm", "networkGroups/ng/staticMembers/m-vnet"),
    );
  }
  e.add(
    "azure-native:network:AdminRuleCollection",
    "rc-exchange",
    {
      networkManagerName: "avnm",
      configurationName: "secadmin",
      ruleCollectionName: "rc-exchange",
      resourceGroupName: e.rg,
      appliesToGroups: [{ networkGroupId: armIdOf(e, AVNM, "avnm", "networkGroups/ng") }],
    },
    {},
    armIdOf(e, AVNM, "avnm", "securityAdminConfigurations/secadmin/ruleCollections/rc-exchange"),
  );
  void group;
  if (o.alwaysAllowFirst) adminRule(e, "always-https", { access: "AlwaysAllow", source: "Internet", ports: ["443"], priority: 5 });
  adminRule(e, "deny-internet", { access: "Deny", source: "Internet", priority: 10 });
  const commit = o.commit ?? "same region";
  if (commit !== "none") {
    e.add("azure-native:network:Commit", "commit-secadmin", {
      networkManagerName: "avnm",
      resourceGroupName: e.rg,
      properties: {
        commitType: commit === "connectivity only" ? "Connectivity" : "SecurityAdmin",
        targetLocations: [commit === "other region" ? "eastus" : "westeurope"],
        configurationIds: [commit === "unknown configuration" ? UNKNOWN : armIdOf(e, AVNM, "avnm", "securityAdminConfigurations/secadmin")],
      },
    });
  }
  return { e, vm };
}

const exposed = (e: Estate) => runStack(EXPOSED, e.resources);
const expectExposed = (e: Estate, vm: Res) => {
  const v = exposed(e);
  expect(v).toHaveLength(1);
  expect(v[0].urn).toBe(vm.urn);
};

describe.each(FORMS)("AVNM admin Deny rules (%s form)", (_form, preview) => {
  it("committed to the host's region, scoped to its VNet: the Deny from the internet closes the path", () => {
    const { e } = setup(preview);
    expect(exposed(e)).toEqual([]);
  });

  it.each([
    ["no commit in the stack", { commit: "none" }],
    ["committed to another region", { commit: "other region" }],
    ["a commit whose configuration ids are unknown", { commit: "unknown configuration" }],
    ["only a connectivity commit", { commit: "connectivity only" }],
    ["the VM's region unknown", { vmLocation: UNKNOWN }],
    ["no static member: the scope cannot be proved", { scoped: false }],
  ] as Array<[string, Opts]>)("%s: the Deny is ignored and the path stays", (_n, o) => {
    const { e, vm } = setup(preview, o);
    expectExposed(e, vm);
  });

  it("an AlwaysAllow of a higher priority (lower number) still lets 443 through", () => {
    const { e, vm } = setup(preview, { alwaysAllowFirst: true });
    expectExposed(e, vm);
    expect(exposed(e)[0].message).toMatch(/network manager AlwaysAllow rule always-https/);
  });
});
