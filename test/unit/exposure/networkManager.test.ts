import { ALL_PORTS, ALL_PROTOCOLS, parsePortSpec, Proto } from "../../../policies/model/flows";
import { AlwaysAllowRule, alwaysAllowRules } from "../../../policies/model/exposure/networkManager";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { adminRule, armIdOf, baseNet, exHost, hostNic } from "../../support/networks";
import { analysisOf, openRoutes, routesOfKind } from "./fixture";
import { describeGrants } from "../../../policies/model/describe";
import { runStack } from "../../support/judge";
import { FORMS } from "../../support/assertions";
import { EXPOSED } from "../../support/policyNames";

const ADMIN = "azure-native:network:AdminRule";

function rulesOf(e: Estate): AlwaysAllowRule[] {
  return alwaysAllowRules(analysisOf(e).graph);
}

function raw(e: Estate, name: string, props: Record<string, unknown>, deps: Record<string, Res[]> = {}): Res {
  return e.add(
    ADMIN,
    name,
    {
      networkManagerName: "avnm",
      configurationName: "secadmin",
      ruleCollectionName: "rc",
      ruleName: name,
      kind: "Custom",
      access: "AlwaysAllow",
      ...props,
    },
    deps,
    armIdOf(e, "Microsoft.Network/networkManagers", "avnm", `securityAdminConfigurations/secadmin/ruleCollections/rc/rules/${name}`),
  );
}

describe("alwaysAllowRules: reading admin rules", () => {
  it("keeps AlwaysAllow (any case, spaces) and an unreadable access; drops Allow and Deny", () => {
    const e = new Estate();
    raw(e, "a", { access: " alwaysallow " });
    raw(e, "b", { access: "Allow" });
    raw(e, "c", { access: "Deny" });
    raw(e, "d", { access: UNKNOWN });
    raw(e, "f", { access: undefined });
    expect(rulesOf(e).map((r) => r.name)).toEqual(["a", "d", "f"]);
  });

  it.each([
    ["Inbound", ["inbound"]],
    ["OUTBOUND", ["outbound"]],
    [UNKNOWN, ["inbound", "outbound"]],
    [undefined, ["inbound", "outbound"]],
    ["Sideways", ["inbound", "outbound"]],
  ])("direction %j → %j", (direction, expected) => {
    const e = new Estate();
    raw(e, "a", { direction });
    expect([...rulesOf(e)[0].directions].sort()).toEqual([...expected].sort());
  });

  it.each([
    ["Tcp", Proto.TCP],
    ["udp", Proto.UDP],
    ["Any", ALL_PROTOCOLS],
    ["bogus", ALL_PROTOCOLS],
    [UNKNOWN, ALL_PROTOCOLS],
    [undefined, ALL_PROTOCOLS],
  ])("protocol %j", (protocol, bits) => {
    const e = new Estate();
    raw(e, "a", { protocol });
    expect(rulesOf(e)[0].protos).toBe(bits);
  });

  it.each([
    [["443", "3389"], parsePortSpec("443,3389")!],
    [[443, "5985-5986"], parsePortSpec("443,5985-5986")!],
    [[], ALL_PORTS],
    [undefined, ALL_PORTS],
    [UNKNOWN, ALL_PORTS],
    [["443", UNKNOWN], ALL_PORTS],
    [["443", "nope"], ALL_PORTS],
  ])("destination ports %j", (destinationPortRanges, expected) => {
    const e = new Estate();
    raw(e, "a", { destinationPortRanges });
    expect(rulesOf(e)[0].ports.equals(expected)).toBe(true);
  });

  it("priority as given, 1 when unreadable", () => {
    const e = new Estate();
    raw(e, "a", { priority: 42 });
    raw(e, "b", { priority: UNKNOWN });
    expect(rulesOf(e).map((r) => r.priority)).toEqual([42, 1]);
  });

  it("address items: parsed; none = any; unknown list or entry = unknown term", () => {
    const e = new Estate();
    raw(e, "a", { sources: [{ addressPrefix: "Internet" }, { addressPrefix: "10.0.0.0/8" }], destinations: [] });
    raw(e, "b", { sources: UNKNOWN, destinations: [{ addressPrefixType: "IPPrefix" }] });
    const [a, b] = rulesOf(e);
    expect(a.sources.map((t) => [t.kind, t.text])).toEqual([
      ["internet", "Internet"],
      ["set", "10.0.0.0/8"],
    ]);
    expect(a.destinations).toEqual([{ kind: "any", text: "*" }]);
    expect(b.sources).toEqual([{ kind: "unknown", text: "sources (unknown at preview)" }]);
    expect(b.destinations).toEqual([{ kind: "unknown", text: "an entry of destinations" }]);
  });
});

const collection = (e: Estate, groups: unknown, deps: Record<string, Res[]> = {}) =>
  e.add(
    "azure-native:network:AdminRuleCollection",
    "rc",
    { networkManagerName: "avnm", configurationName: "secadmin", ruleCollectionName: "rc", appliesToGroups: groups },
    deps,
    armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "securityAdminConfigurations/secadmin/ruleCollections/rc"),
  );
const group = (e: Estate, name = "ng") =>
  e.add(
    "azure-native:network:NetworkGroup",
    name,
    { networkManagerName: "avnm", networkGroupName: name },
    {},
    armIdOf(e, "Microsoft.Network/networkManagers", "avnm", `networkGroups/${name}`),
  );
const member = (e: Estate, g: Res, resourceId: unknown, deps: Record<string, Res[]> = {}) =>
  e.add(
    "azure-native:network:StaticMember",
    `m-${g.name}`,
    { networkManagerName: "avnm", networkGroupName: g.name, staticMemberName: `m-${g.name}`, resourceId },
    deps,
    armIdOf(e, "Microsoft.Network/networkManagers", "avnm", `networkGroups/${g.name}/staticMembers/m-${g.name}`),
  );

describe("scope", () => {
  it("no rule collection in the stack: any virtual network", () => {
    const e = new Estate();
    raw(e, "a", {});
    expect(rulesOf(e)[0].vnets).toBeUndefined();
    expect(rulesOf(e)[0].scopeNote).toBe("its rule collection is not in this stack, so it may apply to any virtual network");
  });

  it("static members of the groups narrow it to their virtual networks", () => {
    const e = new Estate();
    const { vnet } = baseNet(e);
    const g = group(e);
    member(e, g, vnet.armId);
    collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
    raw(e, "a", {});
    const [r] = rulesOf(e);
    expect(r.scopeNote).toBeUndefined();
    expect([...r.vnets!]).toEqual([vnet.urn]);
  });

  it("another manager's group of the same name does not narrow the scope; an unreadable member manager leaves it open", () => {
    const e = new Estate();
    const { vnet } = baseNet(e);
    group(e);
    const other = e.add(
      "azure-native:network:StaticMember",
      "m-other",
      { networkManagerName: "avnm-spoke", networkGroupName: "NG", staticMemberName: "m-other", resourceId: vnet.armId },
      {},
      armIdOf(e, "Microsoft.Network/networkManagers", "avnm-spoke", "networkGroups/ng/staticMembers/m-other"),
    );
    collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
    raw(e, "a", {});
    expect(rulesOf(e)[0].vnets).toBeUndefined();
    expect(rulesOf(e)[0].scopeNote).toBe("network group ng has no static members here, so its members may be dynamic");
    other.properties.networkManagerName = UNKNOWN;
    expect(rulesOf(e)[0].scopeNote).toBe("network group ng has no static members here, so its members may be dynamic"); // the id still names avnm-spoke
    other.properties.id = UNKNOWN;
    expect(rulesOf(e)[0].vnets).toBeUndefined();
    expect(rulesOf(e)[0].scopeNote).toBe("the static members of network group ng cannot be told apart from another manager's");
  });

  it("the rule collection found through the rule's dependency, whatever ruleCollectionName says", () => {
    const e = new Estate();
    const { vnet } = baseNet(e);
    member(e, group(e), vnet.armId);
    const rc = collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
    raw(e, "a", { ruleCollectionName: UNKNOWN }, { ruleCollectionName: [rc] });
    raw(e, "b", { ruleCollectionName: UNKNOWN });
    const [a, b] = rulesOf(e);
    expect([...a.vnets!]).toEqual([vnet.urn]);
    expect(b.vnets).toBeUndefined();
  });

  it("groups unknown / group not followable / no static members / member not followable: any virtual network", () => {
    const cases: Array<[(e: Estate) => void, string]> = [
      [(e) => collection(e, UNKNOWN), "the groups of rule collection rc are unknown"],
      [
        (e) =>
          collection(e, [{ networkGroupId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkManagers/x/networkGroups/far" }]),
        "a network group of rule collection rc cannot be followed",
      ],
      [
        (e) => {
          group(e);
          collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
        },
        "network group ng has no static members here, so its members may be dynamic",
      ],
      [
        (e) => {
          member(e, group(e), UNKNOWN);
          collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
        },
        "a member of network group ng cannot be followed",
      ],
    ];
    for (const [build, note] of cases) {
      const e = new Estate();
      baseNet(e);
      build(e);
      raw(e, "a", {});
      const [r] = rulesOf(e);
      expect(r.vnets).toBeUndefined();
      expect(r.scopeNote).toBe(note);
    }
  });
});

describe("AlwaysAllow in the flows: on top of every NSG verdict", () => {
  const denyAll = (e: Estate) => e.nsg("nsg-iso", [rule({ name: "deny-all", priority: 100, access: "Deny", source: "*" })]);

  function host(e: Estate): void {
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { nsg: denyAll(e), publicIp: e.publicIp("pip-ex01") })] });
  }

  it("an inbound AlwaysAllow from Internet on 3389 opens the public IP path despite a deny-all NSG", () => {
    const e = new Estate();
    host(e);
    adminRule(e, "allow-rdp", { source: "Internet", ports: ["3389"] });
    const [o] = openRoutes(routesOfKind(e, "public IP"));
    expect(describeGrants(o.grants, true)).toEqual([
      "network manager AlwaysAllow rule allow-rdp (bypasses NSGs) → from the IPv4 internet → TCP 3389",
    ]);
  });

  it("an outbound-only AlwaysAllow or a plain Allow admin rule opens nothing inbound", () => {
    for (const o of [{ direction: "Outbound" }, { access: "Allow" }]) {
      const e = new Estate();
      host(e);
      adminRule(e, "r", { source: "Internet", ports: ["3389"], ...o });
      expect(openRoutes(routesOfKind(e, "public IP"))).toEqual([]);
    }
  });

  it("an AlwaysAllow whose destination excludes the host opens nothing", () => {
    const e = new Estate();
    host(e);
    adminRule(e, "r", { source: "Internet", destination: "10.9.0.0/16", ports: ["3389"] });
    expect(openRoutes(routesOfKind(e, "public IP"))).toEqual([]);
  });

  it("an AlwaysAllow only from VirtualNetwork does not reach the internet side", () => {
    const e = new Estate();
    host(e);
    adminRule(e, "r", { source: "VirtualNetwork", ports: ["3389"] });
    expect(openRoutes(routesOfKind(e, "public IP"))).toEqual([]);
  });

  it("scoped by static members: applies in its virtual network only", () => {
    for (const [scoped, open] of [
      ["vnet", 1],
      ["vnet-other", 0],
    ] as const) {
      const e = new Estate();
      host(e);
      const other = e.vnet("vnet-other", ["10.8.0.0/16"]);
      const target = scoped === "vnet" ? e.resources.find((r) => r.name === "vnet")! : other;
      const g = group(e);
      member(e, g, target.armId);
      collection(e, [{ networkGroupId: armIdOf(e, "Microsoft.Network/networkManagers", "avnm", "networkGroups/ng") }]);
      e.add(ADMIN, "allow-rdp", {
        networkManagerName: "avnm",
        configurationName: "secadmin",
        ruleCollectionName: "rc",
        access: "AlwaysAllow",
        direction: "Inbound",
        protocol: "Tcp",
        sources: [{ addressPrefix: "Internet" }],
        destinationPortRanges: ["3389"],
      });
      expect(openRoutes(routesOfKind(e, "public IP"))).toHaveLength(open);
    }
  });
});

/**
 * The admin Deny false alarm (docs/threat-model.md row 34): Virtual Network Manager security admin Deny rules are evaluated before NSGs and end evaluation.
 * When the stack commits the security admin configuration to the host's region, a Deny from the internet closes the
 * path; without a visible commit (or with an unknown region, scope or configuration) it is ignored, as before.
 */
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
