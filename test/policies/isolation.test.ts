/**
 * exchange-unverified-isolated: a host that is not verified accepts inbound traffic only from
 * forensicsSourcePrefixes (the VNet default allow must be overridden); a compromised host also
 * sends nothing to the internet except to forensicsDestinationPrefixes.
 */
import { Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { adminRule, baseNet, exHost, FORENSICS, hostNic } from "../support/networks";
import { sample } from "../support/budget";
import { expectAboutHost, FORMS } from "../support/assertions";
import { ISOLATED } from "../support/policyNames";

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
