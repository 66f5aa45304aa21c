/**
 * exchange-remediated-requires-assessment (rule: policies/rules/remediatedRequiresAssessment.ts; contract:
 * docs/contract.md#the-compromise-assessment): a host marked remediated has a linked assessment whose newest result (by completedAt) is
 * clean, well-formed, no older than maxAssessmentAgeDays, covers every requiredChecks id and reaches back to
 * investigationWindowStart. Each case also checks what the other two gate policies say, so each rule is seen on its own.
 */
import {
  ago,
  at,
  clean,
  DAY,
  Estate,
  gateOf,
  host,
  isolatedNet,
  MINUTE,
  NOW,
  rawAssessment,
  type Res,
  runGate,
  UNKNOWN,
  withDeps,
  withProps,
} from "../support/gateFixtures";
import { expectOnHost, expectSome, FORMS, messages } from "../support/assertions";
import { cleanData } from "../support/estate";
import { analyse } from "../support/judge";
import { forensicsOnlyHost } from "../support/networks";

describe.each(FORMS)("exchange-remediated-requires-assessment (%s form)", (_form, preview) => {
  const setup = () => {
    const e = new Estate({ preview });
    const vm = host(e);
    return { e, vm };
  };

  describe("linking", () => {
    it("a valid clean assessment on the VM: verified, no violation from any of the three gate policies", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.requires).toEqual([]);
      expect(r.build).toEqual([]);
      expect(r.rebuild).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.verified).toBe(true);
      expect(g.effectiveState).toBe("remediated");
      expect(g.newest?.certain).toBe(true);
    });

    it("no assessment: a violation on the host's VM; the other two policies say nothing", () => {
      const { e, vm } = setup();
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "is marked remediated but no compromise assessment", "exchange-compromise");
      expect(r.build).toEqual([]);
      expect(r.rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a clean assessment linked to ANOTHER VM does not count for this host", () => {
      const { e, vm } = setup();
      const other = host(e, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
      e.assessment("a-ex02", other, clean());
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "host ex01 is marked remediated but no compromise assessment");
      expect(gateOf(e, vm).links).toHaveLength(0);
      expect(gateOf(e, other).links).toHaveLength(1);
    });

    it("a clean assessment of a VM with the same name in ANOTHER resource group is not linked", () => {
      const { e, vm } = setup();
      rawAssessment(e, "a-other-rg", {
        resourceId: `/subscriptions/${e.sub}/resourceGroups/rg-other/providers/Microsoft.Compute/virtualMachines/ex01`,
      });
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectSome(r.requires, "no compromise assessment");
      expect(gateOf(e, vm).links).toHaveLength(0);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a literal VM id in another case and without the leading slash links (ARM ids are case-insensitive)", () => {
      const { e, vm } = setup();
      rawAssessment(e, "a-literal", {
        resourceId: `subscriptions/${e.sub}/resourceGroups/RG-EXCHANGE/providers/microsoft.compute/VirtualMachines/EX01`,
      });
      if (e.opts.preview) {
        // The new VM's id (and so its subscription) is unknown at preview: a literal id cannot prove the link.
        expect(runGate(e).requires.map((v) => v.message)).toEqual([
          expect.stringMatching(/a-literal is linked to host ex01 only by VM name.*link it by the VM's id/),
        ]);
        expect(gateOf(e, vm).verified).toBe(false);
      } else {
        expect(runGate(e).requires).toEqual([]);
        expect(gateOf(e, vm).verified).toBe(true);
      }
    });

    it("an assessment of a child of the VM (an extension) is not an assessment of the VM", () => {
      const { e, vm } = setup();
      rawAssessment(e, "a-extension", {
        resourceId: `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Compute/virtualMachines/ex01/extensions/x`,
      });
      expect(gateOf(e, vm).links).toHaveLength(0);
      expectSome(runGate(e).requires, "no compromise assessment");
    });

    if (!preview) {
      it("a VM id in ANOTHER subscription (same group and name) is another VM once this VM's id is known: not verified", () => {
        const { e, vm } = setup();
        rawAssessment(e, "a-other-sub", {
          resourceId: `/subscriptions/99999999-0000-0000-0000-000000000009/resourceGroups/${e.rg}/providers/Microsoft.Compute/virtualMachines/ex01`,
        });
        expect(gateOf(e, vm).verified).toBe(false);
      });
    }

    if (preview) {
      it("linked only by URN (resourceId unknown, propertyDependencies.resourceId = the VM's URN): passes", () => {
        const { e, vm } = setup();
        const a = e.assessment("a-ex01", vm, clean());
        expect(a.properties.resourceId).toBe(UNKNOWN);
        expect(a.propertyDependencies?.resourceId).toEqual([vm.urn]);
        const r = runGate(e);
        expect(r.requires).toEqual([]);
        expect(r.build).toEqual([]);
        expect(r.rebuild).toEqual([]);
        const g = gateOf(e, vm);
        expect(g.verified).toBe(true);
        expect(g.newest?.how).toContain("URN");
      });

      it("linked only through plain dependencies (no propertyDependencies): passes", () => {
        const { e, vm } = setup();
        const a = rawAssessment(e, "a-ex01", { resourceId: UNKNOWN });
        const i = e.resources.indexOf(a);
        e.resources[i] = { ...a, dependencies: [vm.urn], propertyDependencies: {} };
        expect(runGate(e).requires).toEqual([]);
        expect(gateOf(e, vm).verified).toBe(true);
      });

      it("a URN dependency naming two VMs is only a guess: it does not verify the host", () => {
        const { e, vm } = setup();
        const other = host(e, { name: "ex02", state: "unverified", ip: "10.0.1.5" });
        const a = rawAssessment(e, "a-ambiguous", { resourceId: UNKNOWN });
        withDeps(e, a, "resourceId", [vm, other]);
        const r = runGate(e);
        expect(r.requires).toHaveLength(1);
        expectSome(r.requires, "host ex01", "only by URN");
        expect(gateOf(e, vm).verified).toBe(false);
      });

      it("resourceId unknown and no dependency names a VM: no assessment", () => {
        const { e, vm } = setup();
        rawAssessment(e, "a-orphan", { resourceId: UNKNOWN });
        const r = runGate(e);
        expectSome(r.requires, "no compromise assessment");
        expect(gateOf(e, vm).verified).toBe(false);
      });

      it("a literal id naming the VM whose resource group is unknown at preview is only a guess", () => {
        const e = new Estate({ preview });
        const vm0 = host(e);
        const vm = withProps(e, vm0, { resourceGroupName: UNKNOWN });
        rawAssessment(e, "a-literal", {
          resourceId: `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Compute/virtualMachines/ex01`,
        });
        const r = runGate(e);
        expectSome(r.requires, "host ex01", "without a known matching subscription and resource group");
        expect(gateOf(e, vm).verified).toBe(false);
      });
    }
  });

  describe("status and verdict", () => {
    it("status Healthy but verdict compromised: not verified, compromised, and rebuilt-from-scratch objects too", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ verdict: "compromised" }), "Healthy");
      const r = runGate(e);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "found it compromised");
      expect(r.build).toEqual([]);
      expectSome(r.rebuild, "host ex01 was found compromised", "marked remediated");
      const g = gateOf(e, vm);
      expect(g.verified).toBe(false);
      expect(g.effectiveState).toBe("compromised");
    });

    it("status Unhealthy but verdict clean: treated as compromised", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ verdict: "clean" }), "Unhealthy");
      const r = runGate(e);
      expectSome(r.requires, "found it compromised");
      expectSome(r.rebuild, "was found compromised");
      expect(gateOf(e, vm).effectiveState).toBe("compromised");
    });

    it("status NotApplicable is not a result: not verified", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean(), "NotApplicable");
      const r = runGate(e);
      expect(r.requires.length).toBeGreaterThan(0);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "NotApplicable");
      expect(r.build).toEqual([]);
      expect(r.rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a verdict that is neither clean nor compromised: not verified", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ verdict: "probably-fine" }), "Healthy");
      const r = runGate(e);
      expectSome(r.requires, "does not record a clean verdict");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("status and verdict compared case-insensitively: healthy + CLEAN passes", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ verdict: "CLEAN", assessmentKind: "Exchange-Compromise" }), "healthy");
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });
  });

  describe("age", () => {
    it("41 days old with the default limit of 30: the message says so", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: ago(41) }));
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "41 days ago (limit 30)");
      expect(r.build).toEqual([]);
      expect(r.rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("exactly 30 days old passes; 31 days fails", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: ago(30) }));
      expect(runGate(e).requires).toEqual([]);
      const e2 = new Estate({ preview });
      const vm2 = host(e2);
      e2.assessment("a-ex01", vm2, clean({ completedAt: ago(31) }));
      expectSome(runGate(e2).requires, "31 days ago (limit 30)");
      expect(gateOf(e, vm).verified).toBe(true);
    });

    it("a custom maxAssessmentAgeDays of 45 accepts 41 days and names the limit it applies", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: ago(41) }));
      expect(runGate(e, { maxAssessmentAgeDays: 45 }).requires).toEqual([]);
      expect(gateOf(e, vm, { maxAssessmentAgeDays: 45 }).verified).toBe(true);
      expectSome(runGate(e, { maxAssessmentAgeDays: 7 }).requires, "41 days ago (limit 7)");
    });
  });

  describe("completedAt", () => {
    it("in the future beyond the 5-minute clock skew: malformed, not verified", () => {
      const { e, vm } = setup();
      const future = at(10 * MINUTE);
      e.assessment("a-ex01", vm, clean({ completedAt: future }));
      const r = runGate(e);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "completedAt", "in the future");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a day in the future: not verified", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: at(DAY) }));
      expectSome(runGate(e).requires, "in the future");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("within the 5-minute clock skew: accepted", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: at(4 * MINUTE) }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    it.each([
      ["a date without a time", "2026-11-20"],
      ["a European date", "20/11/2026"],
      ["an impossible date", "2026-02-30T10:00:00Z"],
      ["no zone", "2026-11-20T10:00:00"],
      ["free text", "last Tuesday"],
      ["a month that does not exist", "2026-13-01T10:00:00Z"],
      ["hour 24", "2026-11-20T24:00:00Z"],
      ["an empty string", ""],
    ])("unparsable (%s: %p): not verified, the message names completedAt", (_label, value) => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: value }));
      const r = runGate(e);
      expect(r.requires.length).toBeGreaterThan(0);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "completedAt");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("an offset (+05:00) is accepted and converted to UTC", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ completedAt: "2026-11-20T10:00:00+05:00" }));
      expect(runGate(e).requires).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.verified).toBe(true);
      expect(g.newest?.assessment.completedAt?.toISOString()).toBe("2026-11-20T05:00:00.000Z");
    });

    it("an offset that puts the local time ahead of NOW is still in the past once converted", () => {
      const { e, vm } = setup();
      // 16:00+05:00 = 11:00Z, an hour before NOW (12:00Z); read without the offset it would be 4 hours in the future.
      e.assessment("a-ex01", vm, clean({ completedAt: "2026-11-26T16:00:00+05:00" }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).newest?.assessment.completedAt?.toISOString()).toBe("2026-11-26T11:00:00.000Z");
    });

    it("a negative offset that puts the instant in the future is rejected", () => {
      const { e, vm } = setup();
      // 10:00-05:00 = 15:00Z, three hours after NOW.
      e.assessment("a-ex01", vm, clean({ completedAt: "2026-11-26T10:00:00-05:00" }));
      expectSome(runGate(e).requires, "in the future");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("the newest is decided on the converted instant, not the text", () => {
      const { e, vm } = setup();
      // A reads "25th" but is 2026-11-24T20:00Z; B is 2026-11-24T22:00Z and so the newest: B (complete) decides.
      e.assessment("a-A", vm, clean({ completedAt: "2026-11-25T01:00:00+05:00", checks: "webshell-scan" }));
      e.assessment("a-B", vm, clean({ completedAt: "2026-11-24T22:00:00Z" }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).newest?.assessment.node?.input.name).toBe("a-B");
    });

    if (preview) {
      it("completedAt unknown at preview: fails closed, the message names completedAt", () => {
        const { e, vm } = setup();
        e.assessment("a-ex01", vm, clean({ completedAt: UNKNOWN }));
        const r = runGate(e);
        expect(r.requires.length).toBeGreaterThan(0);
        expectOnHost(r.requires, vm);
        expectSome(r.requires, "completedAt", "unknown at preview");
        expect(gateOf(e, vm).verified).toBe(false);
      });

      it("completedAt unknown on one of two assessments: it may be the newest, so the host is not verified", () => {
        const { e, vm } = setup();
        e.assessment("a-known", vm, clean());
        e.assessment("a-unknown", vm, clean({ completedAt: UNKNOWN }));
        expectSome(runGate(e).requires, "completedAt");
        expect(gateOf(e, vm).verified).toBe(false);
      });

      it.each(["verdict", "checks", "logsSince", "evidenceSha256", "exchangeBuild", "assessmentKind"])(
        "additionalData.%s unknown at preview: fails closed naming it",
        (key) => {
          const { e, vm } = setup();
          e.assessment("a-ex01", vm, clean({ [key]: UNKNOWN }));
          const all = runGate(e);
          const v = [...all.requires, ...all.build];
          expectSome(v, `additionalData.${key}`, "unknown at preview");
          expect(gateOf(e, vm).verified).toBe(false);
        },
      );

      it("the whole additionalData unknown at preview: fails closed", () => {
        const { e, vm } = setup();
        rawAssessment(e, "a-ex01", { resourceId: UNKNOWN, data: UNKNOWN, deps: { resourceId: [vm] } });
        const r = runGate(e);
        expect(r.requires.length).toBeGreaterThan(0);
        expect(gateOf(e, vm).verified).toBe(false);
      });

      it("status.code unknown at preview: fails closed naming it", () => {
        const { e, vm } = setup();
        rawAssessment(e, "a-ex01", { resourceId: UNKNOWN, status: { code: UNKNOWN }, deps: { resourceId: [vm] } });
        expectSome(runGate(e).requires, "status.code is unknown at preview");
        expect(gateOf(e, vm).verified).toBe(false);
      });
    }
  });

  describe("checks and log coverage", () => {
    it("a missing required check is named", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ checks: "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065,webshell-scan" }));
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "does not cover msert-full-scan");
      expect(r.build).toEqual([]);
      expect(r.rebuild).toEqual([]);
    });

    it("several missing checks are all named", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ checks: "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858" }));
      expectSome(runGate(e).requires, "does not cover CVE-2021-27065, webshell-scan, msert-full-scan");
    });

    it("checks compared case-insensitively, with spaces and extra ids tolerated", () => {
      const { e, vm } = setup();
      e.assessment(
        "a-ex01",
        vm,
        clean({ checks: " cve-2021-26855 , CVE-2021-26857,CVE-2021-26858 ,cve-2021-27065, WEBSHELL-SCAN,msert-full-scan,extra-check" }),
      );
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    it("custom requiredChecks are applied instead of the defaults", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ checks: "webshell-scan" }));
      expect(runGate(e, { requiredChecks: ["webshell-scan"] }).requires).toEqual([]);
      expectSome(runGate(e, { requiredChecks: ["webshell-scan", "custom-ioc-sweep"] }).requires, "does not cover custom-ioc-sweep");
      expect(gateOf(e, vm, { requiredChecks: ["webshell-scan"] }).verified).toBe(true);
    });

    it("logsSince after 2021-01-01: logs too short, the message says so", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ logsSince: "2021-03-01" }));
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "only covers logs since 2021-03-01", "2021-01-01");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("logsSince exactly 2021-01-01 (or an instant before it) passes", () => {
      for (const logsSince of ["2021-01-01", "2020-12-31T23:00:00Z", "2021-01-01T00:00:00Z"]) {
        const e = new Estate({ preview });
        const vm = host(e);
        e.assessment("a-ex01", vm, clean({ logsSince }));
        expect(messages(runGate(e).requires)).toBe("");
        expect(gateOf(e, vm).verified).toBe(true);
      }
    });

    it("logsSince one second after the window start fails", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ logsSince: "2021-01-01T00:00:01Z" }));
      expectSome(runGate(e).requires, "only covers logs since");
    });

    it("a custom investigationWindowStart moves the line", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ logsSince: "2021-02-15" }));
      expect(runGate(e, { investigationWindowStart: "2021-03-01" }).requires).toEqual([]);
      expect(gateOf(e, vm, { investigationWindowStart: "2021-03-01" }).verified).toBe(true);
      expectSome(runGate(e, { investigationWindowStart: "2021-02-01" }).requires, "only covers logs since 2021-02-15", "2021-02-01");
    });

    it("an unparsable logsSince is malformed", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ logsSince: "01/12/2020" }));
      expectSome(runGate(e).requires, "logsSince");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("logsSince after completedAt is malformed", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ logsSince: "2026-11-25", completedAt: ago(2) }));
      expectSome(runGate(e).requires, "logsSince", "after completedAt");
      expect(gateOf(e, vm).verified).toBe(false);
    });
  });

  describe("well-formedness", () => {
    it.each([
      ["63 hex characters", "a".repeat(63)],
      ["65 hex characters", "a".repeat(65)],
      ["64 non-hex characters", "g".repeat(64)],
      ["a hash with a prefix", `sha256:${"a".repeat(64)}`],
    ])("a bad evidence hash (%s): not verified", (_label, hash) => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ evidenceSha256: hash }));
      const r = runGate(e);
      expectOnHost(r.requires, vm);
      expectSome(r.requires, "evidenceSha256");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("an upper-case hex hash passes", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ evidenceSha256: "ABCDEF0123456789".repeat(4) }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });

    it.each(["tool", "evidenceSha256", "exchangeBuild", "checks", "logsSince", "verdict"])("a missing %s: not verified, named", (key) => {
      const { e, vm } = setup();
      const data = clean();
      delete data[key];
      e.assessment("a-ex01", vm, data);
      const all = runGate(e);
      expectSome([...all.requires, ...all.build], key);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a non-string additionalData value is malformed", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ evidenceSha256: 12345 }));
      expectSome(runGate(e).requires, "evidenceSha256 is not a string");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("assessmentKind other than exchange-compromise: not ours, treated as no assessment", () => {
      const { e, vm } = setup();
      e.assessment("a-ex01", vm, clean({ assessmentKind: "other" }));
      const r = runGate(e);
      expect(r.requires).toHaveLength(1);
      expectSome(r.requires, "no compromise assessment");
      expect(gateOf(e, vm).links).toHaveLength(0);
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("an assessment without assessmentKind is not ours either", () => {
      const { e, vm } = setup();
      const data = clean();
      delete data.assessmentKind;
      e.assessment("a-ex01", vm, data);
      expectSome(runGate(e).requires, "no compromise assessment");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a not-ours compromised assessment does not block, an ours clean one verifies", () => {
      const { e, vm } = setup();
      e.assessment("a-other", vm, clean({ assessmentKind: "vulnerability-scan", verdict: "compromised", completedAt: ago(1) }));
      e.assessment("a-ex01", vm, clean());
      const r = runGate(e);
      expect(r.requires).toEqual([]);
      expect(r.rebuild).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });
  });

  describe("several assessments: the newest by completedAt decides", () => {
    it.each([
      ["stale first", false],
      ["stale last", true],
    ])("an old stale one and a fresh one (%s in the array): passes", (_label, reverse) => {
      const { e, vm } = setup();
      const add = [() => e.assessment("a-old", vm, clean({ completedAt: ago(90) })), () => e.assessment("a-new", vm, clean({ completedAt: ago(1) }))];
      (reverse ? add.reverse() : add).forEach((f) => f());
      expect(runGate(e).requires).toEqual([]);
      const g = gateOf(e, vm);
      expect(g.verified).toBe(true);
      expect(g.newest?.assessment.node?.input.name).toBe("a-new");
    });

    it.each([
      ["newest first", false],
      ["newest last", true],
    ])("a complete older one does not hide an incomplete newest one (%s in the array)", (_label, reverse) => {
      const { e, vm } = setup();
      const add = [
        () => e.assessment("a-new", vm, clean({ completedAt: ago(1), checks: "webshell-scan" })),
        () => e.assessment("a-old", vm, clean({ completedAt: ago(5) })),
      ];
      (reverse ? add.reverse() : add).forEach((f) => f());
      expectSome(runGate(e).requires, "does not cover");
      expect(gateOf(e, vm).verified).toBe(false);
    });

    it("a malformed older one does not matter when the newest is valid (only the newest is judged for form)", () => {
      const { e, vm } = setup();
      e.assessment("a-old", vm, clean({ completedAt: ago(20), evidenceSha256: "bad" }));
      e.assessment("a-new", vm, clean({ completedAt: ago(1) }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(true);
    });
  });

  it("a host not marked remediated: this policy says nothing, whatever its assessments", () => {
    for (const state of ["unverified", "compromised", null]) {
      const e = new Estate({ preview });
      const vm = host(e, { state });
      e.assessment("a-ex01", vm, clean({ completedAt: ago(90) }));
      expect(runGate(e).requires).toEqual([]);
      expect(gateOf(e, vm).verified).toBe(false);
    }
  });

  it("the tag is compared case-insensitively: REMEDIATED on Remediation-State is remediated", () => {
    const e = new Estate({ preview });
    const vm = host(e, { tags: { Workload: "Exchange", "Remediation-State": "REMEDIATED" } });
    e.assessment("a-ex01", vm, clean());
    expect(gateOf(e, vm).verified).toBe(true);
  });

  it("violations carry the host VM's URN and only that host's", () => {
    const e = new Estate({ preview });
    const net = isolatedNet(e);
    const vm1 = host(e, { net });
    const vm2 = host(e, { name: "ex02", ip: "10.0.1.5", net });
    e.assessment("a-ex01", vm1, clean());
    const r = runGate(e);
    expect(r.requires).toHaveLength(1);
    expect(r.requires[0].urn).toBe(vm2.urn);
    expect(r.requires[0].message).toContain("host ex02");
    expect(gateOf(e, vm1).verified).toBe(true);
    expect(gateOf(e, vm2).verified).toBe(false);
  });

  it("NOW is the clock: the same record is stale a month later", () => {
    const { e, vm } = setup();
    e.assessment("a-ex01", vm, clean());
    expect(runGate(e).requires).toEqual([]);
    const later = new Date(NOW.getTime() + 40 * DAY);
    expectSome(runGate(e, {}, later).requires, "42 days ago (limit 30)");
  });
});

describe("the preview of an update: the VM's own id unknown, the assessment's resourceId (computed from it) known", () => {
  // azure-native's Update in preview returns the inputs and only `name` and `location` from the state, so a VM whose
  // tags change (unverified → remediated) has an unknown `id` output while `vm.id`, the engine's resource id, is known.
  const RG_TYPE = "azure-native:resources:ResourceGroup";
  function updatePreview(
    o: { idSubscription?: string; idGroup?: string; rgIdKnown?: boolean; rgFromResource?: boolean; depsOn?: "vm" | "nic" | "none" } = {},
  ) {
    const e = new Estate();
    const rg = e.add(RG_TYPE, e.rg, { resourceGroupName: e.rg, location: "westeurope" }, {}, `/subscriptions/${e.sub}/resourceGroups/${e.rg}`);
    if (o.rgIdKnown === false) withProps(e, rg, { id: UNKNOWN });
    let vm = host(e);
    vm = withProps(e, vm, { id: UNKNOWN });
    if (o.rgFromResource !== false) vm = withDeps(e, vm, "resourceGroupName", [rg]);
    const resourceId = `/subscriptions/${o.idSubscription ?? e.sub}/resourceGroups/${o.idGroup ?? e.rg}/providers/Microsoft.Compute/virtualMachines/${vm.name}`;
    const nic = e.resources.find((r) => r.type === "azure-native:network:NetworkInterface")!;
    const deps: Record<string, Res[]> = o.depsOn === "none" ? {} : { resourceId: [o.depsOn === "nic" ? nic : vm] };
    rawAssessment(e, "a-ex01", { resourceId, deps });
    return { e, vm };
  }

  it("is linked for certain when the id's own dependency is that VM and its subscription and group are the VM's resource group's", () => {
    const { e, vm } = updatePreview();
    const g = gateOf(e, vm);
    expect(g.links.map((l) => [l.certain, l.how])).toEqual([[true, "by VM id, computed from that VM (its id is not known at preview)"]]);
    expect(g.verified).toBe(true);
    expect(runGate(e).requires).toEqual([]);
  });

  it.each<[string, Parameters<typeof updatePreview>[0]]>([
    ["the id names a VM of that name in another subscription", { idSubscription: "99999999-0000-0000-0000-000000000009" }],
    ["the VM's resource group is created in this run (its id unknown)", { rgIdKnown: false }],
    ["the VM's resource group is a plain name, not a ResourceGroup of the stack", { rgFromResource: false }],
    ["the id's own dependency names the NIC, not the VM", { depsOn: "nic" }],
    ["the engine sent no dependency for the id", { depsOn: "none" }],
  ])("stays a guess, so the host is not verified: %s", (_label, o) => {
    const { e, vm } = updatePreview(o);
    const g = gateOf(e, vm);
    expect(g.links.map((l) => l.certain)).toEqual([false]);
    expect(g.verified).toBe(false);
    expectSome(runGate(e).requires, "only by VM name, without a known matching subscription and resource group");
  });

  it("an id naming another resource group matches no VM at all", () => {
    const { e, vm } = updatePreview({ idGroup: "rg-elsewhere" });
    expect(gateOf(e, vm).links).toEqual([]);
    expectSome(runGate(e).requires, "no compromise assessment");
  });
});

/**
 * The assessment-link bypass (docs/threat-model.md row 29): only an assessment's resourceId (its value, or its own property dependencies) links it to a host.
 * Plain dependencies (dependsOn) never override the property's own dependencies; they stand in only when the engine sent
 * no property dependencies at all, and a link they make where the engine sent some is a guess that never verifies.
 */
describe.each(FORMS)("assessment links: the resourceId's own dependencies are authoritative (%s form)", (_form, preview) => {
  const nicOf = (e: Estate, vmName = "ex01") => e.resources.find((r) => r.name === `nic-${vmName}`)!;

  it("resourceId names the NIC (by id, or by its property dependencies at preview) while dependsOn names the VM: not linked, not verified", () => {
    const e = new Estate({ preview });
    const vm = host(e);
    const nic = nicOf(e);
    const a = rawAssessment(e, "a-on-nic", { resourceId: preview ? UNKNOWN : nic.armId, data: clean() });
    withDeps(e, a, "resourceId", [nic]);
    // dependsOn: the VM, as a plain dependency only.
    const i = e.resources.findIndex((r) => r.urn === a.urn);
    e.resources[i] = { ...e.resources[i], dependencies: [...(e.resources[i].dependencies ?? []), vm.urn] };
    const g = gateOf(e, vm);
    expect(g.links).toHaveLength(0);
    expect(g.verified).toBe(false);
    expectSome(runGate(e).requires, "host ex01 is marked remediated but no compromise assessment");
  });

  if (preview) {
    it("property dependencies sent for other inputs but none for resourceId: a dependsOn VM is a guess that never verifies", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      const a = rawAssessment(e, "a-guess", { resourceId: UNKNOWN, data: clean() });
      const i = e.resources.findIndex((r) => r.urn === a.urn);
      e.resources[i] = { ...a, dependencies: [vm.urn], propertyDependencies: { additionalData: [vm.urn] } };
      const g = gateOf(e, vm);
      expect(g.links).toHaveLength(1);
      expect(g.links[0].certain).toBe(false);
      expect(g.verified).toBe(false);
      expect(runGate(e).requires.length).toBeGreaterThan(0);
    });

    it("the same guess still counts against the host: a compromised record linked only by dependsOn blocks remediated", () => {
      const e = new Estate({ preview });
      const vm = host(e);
      e.assessment("a-ok", vm, clean());
      const bad = rawAssessment(e, "a-bad", {
        resourceId: UNKNOWN,
        data: clean({ verdict: "compromised" }),
        status: { code: "Unhealthy" },
      });
      const i = e.resources.findIndex((r) => r.urn === bad.urn);
      e.resources[i] = { ...bad, dependencies: [vm.urn], propertyDependencies: { additionalData: [vm.urn] } };
      expect(gateOf(e, vm).verified).toBe(false);
      expectSome(runGate(e).rebuild, "ex01");
    });
  }
});

describe.each(FORMS)("bypass attempts (%s form)", (_form, preview) => {
  it("a clean assessment of a VM with the same name in another resource group does not verify the host", () => {
    const e = new Estate({ preview });
    const { vm } = forensicsOnlyHost(e, "remediated");
    const other = new Estate({ preview: false, rg: "rg-other" });
    const otherId = other.armId("azure-native:compute:VirtualMachine", "ex01");
    e.add("azure-native:security:Assessment", "a-other", {
      resourceId: otherId,
      assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
      resourceDetails: { source: "Azure" },
      status: { code: "Healthy" },
      additionalData: cleanData(),
    });
    const a = analyse(e.resources);
    expect(a.gateOf(a.hosts[0]).verified).toBe(false);
    void vm;
  });
});
