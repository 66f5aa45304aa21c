/**
 * exchange-build-patched (docs/contract.md#policies-and-enforcement; Microsoft's Exchange build-number page and HealthChecker's build table): the build in a remediated
 * host's newest clean assessment includes the security update of securityBaseline for its CU; a CU
 * without such an update fails. Default baseline: the newest wave the pack knows ("2026-09").
 */
import { DEFAULT_BASELINE } from "../../policies/model/exchangeBuilds";
import { ago, clean, Estate, gateOf, host, runGate, UNKNOWN } from "../support/gateFixtures";
import { expectOnHost, expectSome, FORMS, messages } from "../support/assertions";

describe.each(FORMS)("exchange-build-patched (%s form)", (_form, preview) => {
  const withBuild = (exchangeBuild: string, state: string | null = "remediated") => {
    const e = new Estate({ preview });
    const vm = host(e, { state });
    e.assessment("a-ex01", vm, clean({ exchangeBuild }));
    return { e, vm };
  };

  it("[default baseline] is the newest wave the pack knows, 2026-09 today", () => {
    expect(DEFAULT_BASELINE).toBe("2026-09");
  });

  it("Exchange SE RTM with the Sep 2026 update (15.2.2562.53) passes the pinned 2026-09 baseline", () => {
    const { e, vm } = withBuild("15.2.2562.53");
    const r = runGate(e);
    expect(r.build).toEqual([]);
    expect(r.requires).toEqual([]);
    expect(r.rebuild).toEqual([]);
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("Exchange SE RTM with the first Sep 2026 release (15.2.2562.49) fails the pinned 2026-09 baseline, naming the product and minimum build", () => {
    const { e, vm } = withBuild("15.2.2562.49");
    const r = runGate(e);
    expect(r.build).toHaveLength(1);
    expectOnHost(r.build, vm);
    expectSome(r.build, "host ex01", "Exchange SE RTM", "15.2.2562.49", "2026-09", "15.2.2562.53");
    // only this policy of the three objects
    expect(r.requires).toEqual([]);
    expect(r.rebuild).toEqual([]);
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("Exchange 2019 CU8 March 2021 SU (15.2.792.10) fails the pinned 2026-09 baseline: its CU got no later update", () => {
    const { e, vm } = withBuild("15.2.792.10");
    const r = runGate(e);
    expect(r.build).toHaveLength(1);
    expectSome(
      r.build,
      "Exchange 2019 CU8",
      "15.2.792.10",
      "2026-09",
      /upgrade to a supported CU and install that wave.s update\. Then record a new assessment\.$/,
    );
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("15.2.792.10 passes securityBaseline 2021-03", () => {
    const { e, vm } = withBuild("15.2.792.10");
    expect(runGate(e, { securityBaseline: "2021-03" }).build).toEqual([]);
    expect(gateOf(e, vm, { securityBaseline: "2021-03" }).verified).toBe(true);
  });

  it("15.2.792.10 fails securityBaseline 2021-04 (ProxyShell), naming 15.2.792.13", () => {
    const { e } = withBuild("15.2.792.10");
    const v = runGate(e, { securityBaseline: "2021-04" }).build;
    expect(v).toHaveLength(1);
    expectSome(v, "Exchange 2019 CU8", "2021-04", "15.2.792.13");
  });

  it.each([
    ["Exchange 2019 CU8", "15.2.792.3", "15.2.792.10"],
    ["Exchange 2019 CU8", "15.2.792.9", "15.2.792.10"],
    ["Exchange 2016 CU19", "15.1.2176.2", "15.1.2176.9"],
    ["Exchange 2016 CU8", "15.1.1415.8", "15.1.1415.10"], // HealthChecker's lower number: the higher one is used
    ["Exchange 2016 CU9", "15.1.1466.13", "15.1.1466.16"],
    ["Exchange 2013 CU23", "15.0.1497.2", "15.0.1497.12"],
    ["Exchange 2019 RTM", "15.2.221.12", "15.2.221.18"],
  ])("securityBaseline 2021-03: %s at %s is unpatched; the message names the product/CU and minimum build %s", (product, build, min) => {
    const { e, vm } = withBuild(build);
    const v = runGate(e, { securityBaseline: "2021-03" }).build;
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
    expectSome(v, product, build, "2021-03", `build ${min} or later`);
    expect(gateOf(e, vm, { securityBaseline: "2021-03" }).verified).toBe(false);
  });

  it.each([
    ["Exchange 2019 CU8 SU", "15.2.792.10"],
    ["Exchange 2019 CU8 later SU", "15.2.792.15"],
    ["Exchange 2019 CU9 (contains the fix)", "15.2.858.5"],
    ["Exchange 2016 CU20 (contains the fix)", "15.1.2242.4"],
    ["Exchange 2016 CU19 SU", "15.1.2176.9"],
    ["Exchange 2013 CU23 SU", "15.0.1497.12"],
    ["long form", "15.02.0792.010"],
  ])("securityBaseline 2021-03: %s (%s) passes", (_label, build) => {
    const { e, vm } = withBuild(build);
    expect(messages(runGate(e, { securityBaseline: "2021-03" }).build)).toBe("");
    expect(gateOf(e, vm, { securityBaseline: "2021-03" }).verified).toBe(true);
  });

  it.each([
    ["Exchange 2016 CU7", "15.1.1261.35"],
    ["Exchange 2016 CU1", "15.1.396.30"],
    ["Exchange 2013 CU20", "15.0.1367.3"],
  ])("a CU without an update in the wave fails: %s (%s) for 2021-03", (product, build) => {
    const { e, vm } = withBuild(build);
    const v = runGate(e, { securityBaseline: "2021-03" }).build;
    expect(v).toHaveLength(1);
    expectOnHost(v, vm);
    expectSome(
      v,
      product,
      "no security update",
      "2021-03",
      /upgrade to a supported CU and install that wave.s update\. Then record a new assessment\.$/,
    );
    expect(gateOf(e, vm, { securityBaseline: "2021-03" }).verified).toBe(false);
  });

  it.each([
    ["an unknown CU of 2019", "15.2.800.1"],
    ["Exchange 2010 SP3", "14.3.513.0"],
    ["a pre-release build below the CU's own", "15.2.792.1"],
  ])("%s (%s) is not shown patched: fails closed", (_label, build) => {
    const { e, vm } = withBuild(build);
    const v = runGate(e, { securityBaseline: "2021-03" }).build;
    expect(v).toHaveLength(1);
    expectSome(v, build);
    expect(gateOf(e, vm, { securityBaseline: "2021-03" }).verified).toBe(false);
  });

  it("a malformed build: requires-assessment calls the record malformed and build-patched asks for a valid build", () => {
    const { e, vm } = withBuild("15.2.792");
    const r = runGate(e);
    expectSome(r.requires, "exchangeBuild");
    expectSome(r.build, "records no valid Exchange build");
    expect(gateOf(e, vm).verified).toBe(false);
  });

  if (preview) {
    it("the build unknown at preview: fails closed naming exchangeBuild", () => {
      const { e, vm } = withBuild(UNKNOWN);
      const r = runGate(e);
      expectSome(r.build, "host ex01", "unknown at preview", "exchangeBuild");
      expect(gateOf(e, vm).verified).toBe(false);
    });
  }

  it("only hosts marked remediated are judged", () => {
    for (const state of ["unverified", "compromised", null]) {
      const { e } = withBuild("15.1.1261.35", state);
      expect(runGate(e).build).toEqual([]);
    }
  });

  it("the build comes from the NEWEST assessment: an old unpatched build in an older record does not matter", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
    e.assessment("a-old", vm, clean({ completedAt: ago(10), exchangeBuild: "15.2.792.10" }));
    expect(runGate(e).build).toEqual([]);
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("... and an unpatched build in the newest record fails even when an older record was patched", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-old", vm, clean({ completedAt: ago(10) }));
    e.assessment("a-new", vm, clean({ completedAt: ago(1), exchangeBuild: "15.2.792.10" }));
    expectSome(runGate(e).build, "15.2.792.10");
    expect(gateOf(e, vm).verified).toBe(false);
  });

  it("the newest assessment is compromised: build-patched has nothing to judge (the other gate policies object)", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-ex01", vm, clean({ verdict: "compromised", exchangeBuild: "15.1.1261.35" }));
    const r = runGate(e);
    expect(r.build).toEqual([]);
    expect(r.requires.length).toBeGreaterThan(0);
    expect(r.rebuild.length).toBeGreaterThan(0);
  });
});
