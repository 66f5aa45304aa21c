/**
 * exchange-unverified-isolated (rule: policies/rules/unverifiedIsolated.ts; contract: docs/contract.md#isolation): a
 * host that is not verified accepts inbound traffic only from forensicsSourcePrefixes (the VNet's default allow must be
 * overridden); a compromised host also sends nothing to the internet except to forensicsDestinationPrefixes.
 */
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import { adminRule, baseNet, exHost, FORENSICS, forensicsOnlyHost, hostNic } from "../support/networks";
import { sample } from "../support/budget";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED, ISOLATED } from "../support/policyNames";
import { unverifiedIsolated } from "../../policies/rules/unverifiedIsolated";

const forensicsIn = () => rule({ name: "allow-forensics-rdp", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" });
const denyAllIn = () => rule({ name: "deny-all-in", priority: 4000, access: "Deny", source: "*" });
const denyInternetOut = (priority = 4000) =>
  rule({ name: "deny-internet-out", priority, direction: "Outbound", access: "Deny", source: "*", destination: "Internet" });

function isolatedHost(
  preview: boolean,
  o: { rules?: Array<Record<string, unknown>> | null; state?: string; subnetRules?: Array<Record<string, unknown>> } = {},
) {
  const e = new Estate({ preview });
  const subnetNsg = o.subnetRules ? e.nsg("nsg-snet", o.subnetRules) : undefined;
  const { vnet, sub } = baseNet(e, { subnetNsg });
  const nsg = o.rules === null ? undefined : e.nsg("nsg-iso-ex01", o.rules ?? [forensicsIn(), denyAllIn()], { flushConnection: true });
  const state = o.state ?? "unverified";
  const nic = hostNic(e, sub, { nsg, tags: HOST_TAGS(state) });
  const vm = exHost(e, { nics: [nic], state });
  return { e, vm, vnet };
}

describe.each(FORMS)("isolation (%s form)", (_form, preview) => {
  it("forensics allow + deny * inbound: isolated", () => {
    const { e } = isolatedHost(preview);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("the same isolation in the subnet NSG instead of the NIC NSG: isolated", () => {
    const { e } = isolatedHost(preview, { rules: null, subnetRules: [forensicsIn(), denyAllIn()] });
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("without the deny: not isolated, the message names the VNet default rule AllowVNetInBound", () => {
    const { e, vm } = isolatedHost(preview, { rules: [forensicsIn()] });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "nic-ex01/ipconfig1", "AllowVNetInBound (65000)");
  });

  it("a deny of Internet only: not isolated (VirtualNetwork is still allowed)", () => {
    const { e, vm } = isolatedHost(preview, {
      rules: [forensicsIn(), rule({ name: "deny-internet-in", priority: 4000, access: "Deny", source: "Internet" })],
    });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "AllowVNetInBound");
  });

  it("no NSG at all: not isolated", () => {
    const { e, vm } = isolatedHost(preview, { rules: null });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "no subnet NSG", "no NIC NSG");
  });

  it("an allow from outside the forensics prefixes above the deny: not isolated, the message names the rule", () => {
    const { e, vm } = isolatedHost(preview, {
      rules: [forensicsIn(), rule({ name: "allow-ops", priority: 200, source: "10.20.0.0/16", port: "3389", protocol: "Tcp" }), denyAllIn()],
    });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "allow-ops (200)", "10.20.0.0/16");
  });

  it("the deny in the subnet NSG and an allow-all in the NIC NSG: isolated (both must allow)", () => {
    const { e } = isolatedHost(preview, {
      rules: [rule({ name: "allow-all", priority: 100, source: "*" })],
      subnetRules: [forensicsIn(), denyAllIn()],
    });
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  describe("compromised host", () => {
    it("without an outbound deny: a violation about sending to the internet", () => {
      const { e, vm } = isolatedHost(preview, { state: "compromised" });
      const v = runStack(ISOLATED, e.resources, FORENSICS);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "(compromised)", "can still send to the internet", "AllowInternetOutBound");
    });

    it("with outbound deny * → Internet above the defaults: isolated", () => {
      const { e } = isolatedHost(preview, { state: "compromised", rules: [forensicsIn(), denyAllIn(), denyInternetOut()] });
      expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
    });

    it("with an outbound allow to forensicsDestinationPrefixes above the deny: isolated when that prefix is configured", () => {
      const rules = [
        forensicsIn(),
        denyAllIn(),
        rule({
          name: "allow-evidence-out",
          priority: 100,
          direction: "Outbound",
          source: "*",
          destination: "198.51.100.0/24",
          port: "443",
          protocol: "Tcp",
        }),
        denyInternetOut(),
      ];
      const { e, vm } = isolatedHost(preview, { state: "compromised", rules });
      expect(runStack(ISOLATED, e.resources, { ...FORENSICS, forensicsDestinationPrefixes: ["198.51.100.0/24"] })).toEqual([]);
      // ... and a violation naming the allow when it is not.
      const v = runStack(ISOLATED, e.resources, FORENSICS);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "can still send to the internet", "allow-evidence-out (100)");
    });

    it("a host made compromised by its assessment (tag unverified) is also held to the outbound rule", () => {
      const { e, vm } = isolatedHost(preview);
      e.assessment("a-ex01", vm, {
        assessmentKind: "exchange-compromise",
        verdict: "compromised",
        completedAt: new Date(Date.now() - 86400000).toISOString(),
      });
      const v = runStack(ISOLATED, e.resources, FORENSICS);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "can still send to the internet");
    });

    it("an unverified host is not held to the outbound rule", () => {
      const { e } = isolatedHost(preview, { state: "unverified" });
      expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
    });
  });

  it("an AVNM AlwaysAllow from VirtualNetwork defeats the isolation NSG", () => {
    const { e, vm } = isolatedHost(preview);
    adminRule(e, "always-vnet", { source: "VirtualNetwork", protocol: "Any" });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "is not isolated", "network manager AlwaysAllow rule always-vnet");
  });

  it("an AVNM admin rule with access Deny does not count against isolation", () => {
    const { e } = isolatedHost(preview);
    adminRule(e, "deny-vnet", { access: "Deny", source: "VirtualNetwork", protocol: "Any" });
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("a verified host is not required to be isolated", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { tags: HOST_TAGS("remediated") });
    exHost(e, { nics: [nic], verified: true });
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("a host marked remediated but without an assessment is held to isolation", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { tags: HOST_TAGS("remediated") });
    const vm = exHost(e, { nics: [nic], state: "remediated" });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "marked remediated but not verified", "is not isolated");
  });

  it("unknown NSG rules: cannot be shown isolated", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-iso-ex01", UNKNOWN as unknown as Array<Record<string, unknown>>);
    const nic = hostNic(e, sub, { nsg });
    const vm = exHost(e, { nics: [nic] });
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm, "unknown at preview");
  });
});

// ------------------------------------------------------------------ unknown-value sweep

function sweep(resources: readonly import("../support/estate").Res[]) {
  const out: Array<{ label: string; res: number; path: Array<string | number> }> = [];
  const walk = (res: number, name: string, v: unknown, p: Array<string | number>) => {
    if (p.length > 0) out.push({ res, path: p, label: `${name}.${p.join(".")}` });
    if (Array.isArray(v)) v.forEach((x, i) => walk(res, name, x, [...p, i]));
    else if (typeof v === "object" && v !== null)
      for (const [k, x] of Object.entries(v)) if (!(p.length === 0 && (k === "id" || k === "osProfile"))) walk(res, name, x, [...p, k]);
  };
  resources.forEach((r, i) => walk(i, r.name, r.properties, []));
  return out;
}

function unknownAt(resources: readonly import("../support/estate").Res[], at: { res: number; path: Array<string | number> }) {
  return resources.map((r, i) => {
    if (i !== at.res) return r;
    const props = structuredClone(r.properties) as Record<string, unknown>;
    let cur: Record<string | number, unknown> = props;
    for (const k of at.path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
    cur[at.path[at.path.length - 1]] = UNKNOWN;
    return { ...r, properties: props };
  });
}

describe.each(FORMS)("isolation: an unknown value never hides a gap (%s form)", (_form, preview) => {
  describe.each([
    ["inbound gap (no deny)", { rules: [forensicsIn()] }],
    ["outbound gap (compromised, no outbound deny)", { state: "compromised" }],
  ] as const)("%s", (_name, o) => {
    const { e, vm } = isolatedHost(preview, o as { rules?: Array<Record<string, unknown>>; state?: string });
    it.each(sample(sweep(e.resources)).map((c) => [c.label, c] as const))("%s unknown", (_label, c) => {
      const v = runStack(ISOLATED, unknownAt(e.resources, c), FORENSICS);
      expect(v.length).toBeGreaterThanOrEqual(1);
      expect(v.every((x) => x.urn === vm.urn)).toBe(true);
    });
  });
});

describe("exchange-unverified-isolated", () => {
  const run = (e: Estate, config: Record<string, unknown> = {}) => unverifiedIsolated.evaluate(analyse(e.resources), config);
  const isolation = (e: Estate, extra: Array<Record<string, unknown>> = []) =>
    e.nsg("nsg-iso", [
      rule({ name: "allow-forensics", priority: 100, source: "10.99.0.0/24", port: "3389", protocol: "Tcp" }),
      rule({ name: "deny-all-in", priority: 200, access: "Deny", source: "*" }),
      ...extra,
    ]);

  function host(state: string | Record<string, string>, nsg?: (e: Estate) => Res): Estate {
    const e = new Estate();
    const { sub } = baseNet(e);
    const tags = typeof state === "string" ? HOST_TAGS(state) : state;
    exHost(e, { nics: [hostNic(e, sub, { tags, ...(nsg ? { nsg: nsg(e) } : {}) })], tags });
    return e;
  }

  it("isolated: nothing", () => {
    expect(
      run(
        host("unverified", (e) => isolation(e)),
        { forensicsSourcePrefixes: ["10.99.0.0/24"] },
      ),
    ).toEqual([]);
  });

  it("the forensics allow counts only when configured", () => {
    const [v] = run(host("unverified", (e) => isolation(e)));
    expect(v.message).toMatch(
      /^host ex01 \(unverified\) is not isolated: nic-ex01\/ipconfig1 accepts inbound traffic from outside forensicsSourcePrefixes: .*allow-forensics.*\. Fix: allow only forensicsSourcePrefixes, then deny inbound from source \* above every other rule, in its NIC or subnet NSG\.$/,
    );
  });

  it("a compromised host that can reach the internet: the outbound message", () => {
    const vs = run(
      host("compromised", (e) => isolation(e)),
      { forensicsSourcePrefixes: ["10.99.0.0/24"] },
    );
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toMatch(
      /^host ex01 \(compromised\) is compromised and can still send to the internet: nic-ex01\/ipconfig1 outbound .*AllowInternetOutBound.*\. Fix: deny outbound to Internet \(and 0\.0\.0\.0\/0\) except forensicsDestinationPrefixes in its NIC or subnet NSG\.$/,
    );
  });

  it("a host whose state tag cannot be read is held to the outbound rule too", () => {
    const vs = run(
      host({ workload: "exchange", "remediation-state": UNKNOWN }, (e) => isolation(e)),
      { forensicsSourcePrefixes: ["10.99.0.0/24"] },
    );
    expect(vs.map((v) => v.message)).toEqual([
      expect.stringContaining(
        "(of unknown state (its remediation-state tag is unknown at preview)) is compromised and can still send to the internet",
      ),
    ]);
  });

  it("an unverified host is not held to the outbound rule", () => {
    expect(
      run(
        host("unverified", (e) => isolation(e)),
        { forensicsSourcePrefixes: ["10.99.0.0/24"] },
      ),
    ).toEqual([]);
  });

  it("a compromised host with an outbound deny except forensics destinations: isolated", () => {
    const nsg = (e: Estate) =>
      isolation(e, [
        rule({ name: "allow-forensics-out", priority: 100, direction: "Outbound", destination: "10.99.1.0/24", source: "*" }),
        rule({ name: "deny-all-out", priority: 200, direction: "Outbound", access: "Deny", destination: "*", source: "*" }),
      ]);
    expect(run(host("compromised", nsg), { forensicsSourcePrefixes: ["10.99.0.0/24"], forensicsDestinationPrefixes: ["10.99.1.0/24"] })).toEqual([]);
  });

  it("verified hosts are not held to isolation", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { tags: HOST_TAGS("remediated") })], verified: true });
    expect(run(e)).toEqual([]);
  });

  it("a host whose network cannot be read: 'cannot be shown to be isolated'", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("unverified"),
      networkProfile: { networkInterfaces: UNKNOWN },
    });
    const vs = run(e);
    expect(vs.length).toBeGreaterThan(0);
    expect(vs[0].message).toMatch(
      /^host ex01 \(unverified\) cannot be shown to be isolated: .+\. Fix: make the host's NICs, subnet and NSGs readable in this stack\.$/,
    );
  });

  it("config errors for both prefix lists", () => {
    expect(unverifiedIsolated.configErrors!({ forensicsSourcePrefixes: ["a"], forensicsDestinationPrefixes: ["b", "10.0.0.0/8"] })).toEqual([
      'forensicsSourcePrefixes: "a" is not an IP address or CIDR prefix',
      'forensicsDestinationPrefixes: "b" is not an IP address or CIDR prefix',
    ]);
    expect(unverifiedIsolated.configErrors!({})).toEqual([]);
  });
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("starts from a compliant isolated host", () => {
    const e = new Estate({ preview });
    forensicsOnlyHost(e);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    expect(runStack(ISOLATED, e.resources, FORENSICS)).toEqual([]);
  });

  it("inline rules and a standalone SecurityRule on the same NSG are evaluated together", () => {
    const e = new Estate({ preview });
    const { nsg } = forensicsOnlyHost(e);
    // An allow slipped in above the deny as a standalone resource.
    e.securityRule("sneaky", nsg, rule({ name: "sneaky", priority: 105, source: "*", port: "443", protocol: "Tcp" }));
    const v = runStack(ISOLATED, e.resources, FORENSICS);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/nsg-ex01 SecurityRule sneaky \(105\) allows \* .*TCP 443/)]);
  });
});
