/**
 * The planned gate (policies/model/plannedGate.ts): the pack's remediation gate asked about hosts that are still a
 * stack config — the VM the stacks will register for each and the records of its generation. The stacks' plan and the
 * `host` commands judge through it, so it must say what the pack says of the same VM and records.
 */
import fc from "fast-check";
import { readAssessmentRecord } from "../../policies/model/assessments";
import { resolveGate } from "../../policies/model/config";
import { HostGate } from "../../policies/model/gate";
import { HostState } from "../../policies/model/hosts";
import { judgePlannedHosts, PlannedGateHost } from "../../policies/model/plannedGate";
import { FORMS } from "../support/assertions";
import { PINNED_BASELINE } from "../support/baseline";
import { ago, clean, Estate, gateOf, host, inputOf, NOW, Res } from "../support/gateFixtures";

const GATE = resolveGate({ securityBaseline: PINNED_BASELINE }).gate;

/** The records a test can give a host, as the additionalData each carries. */
const RECORDS = {
  clean: () => clean(),
  stale: () => clean({ completedAt: ago(90) }),
  unpatched: () => clean({ exchangeBuild: "15.2.1118.7" }),
  incomplete: () => clean({ checks: "CVE-2021-26855,CVE-2021-26857" }),
  compromised: () => clean({ verdict: "compromised", completedAt: ago(20) }),
} as const;
type RecordKind = keyof typeof RECORDS;

const ATTACHED_DISK = {
  createOption: "Attach",
  name: "ex01-osdisk",
  managedDisk: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/old" },
};

/** A planned host: its VM as the stacks would register it (here: an Estate's VM), and records read as files are. */
function planned(vm: Res, state: HostState, records: readonly RecordKind[]): PlannedGateHost {
  return {
    name: vm.name,
    state,
    vm: inputOf(vm),
    assessments: records.map((k, i) => readAssessmentRecord(RECORDS[k](), NOW, `record ${vm.name}-${i}.json`)),
  };
}

/** What a verdict decides, without the labels that say where each record came from. */
function decision(g: HostGate) {
  return {
    verified: g.verified,
    effectiveState: g.effectiveState,
    requiresAssessment: g.requiresAssessment.map((f) => f.kind),
    buildPatched: g.buildPatched.map((f) => f.kind),
    rebuiltFromScratch: g.rebuiltFromScratch.map((f) => f.kind),
  };
}

describe("judgePlannedHosts", () => {
  it("a remediated host with a clean, recent, complete record of a patched build: verified, nothing found", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const g = judgePlannedHosts([planned(vm, "remediated", ["clean"])], GATE, NOW).get("ex01")!;
    expect(decision(g)).toEqual({ verified: true, effectiveState: "remediated", requiresAssessment: [], buildPatched: [], rebuiltFromScratch: [] });
    expect(g.links.map((l) => [l.certain, l.how])).toEqual([[true, "by the stack config"]]);
    expect(g.host.name).toBe("ex01");
  });

  it("a remediated host without a record: the assessment is required, not verified", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const g = judgePlannedHosts([planned(vm, "remediated", [])], GATE, NOW).get("ex01")!;
    expect(g.requiresAssessment).toEqual([{ host: "ex01", kind: "no-assessment" }]);
    expect(g.verified).toBe(false);
  });

  it.each<[RecordKind, string[], string[]]>([
    ["stale", ["too-old"], []],
    ["incomplete", ["missing-checks"], []],
    ["unpatched", [], ["build-unpatched"]],
  ])("a remediated host whose only record is %s: not verified", (kind, requires, build) => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const g = judgePlannedHosts([planned(vm, "remediated", [kind])], GATE, NOW).get("ex01")!;
    expect(decision(g)).toEqual({
      verified: false,
      effectiveState: "remediated",
      requiresAssessment: requires,
      buildPatched: build,
      rebuiltFromScratch: [],
    });
  });

  it("the newest record decides: a clean one after a stale one verifies", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const g = judgePlannedHosts([planned(vm, "remediated", ["stale", "clean"])], GATE, NOW).get("ex01")!;
    expect(g.verified).toBe(true);
    expect(g.newest?.assessment.label).toBe("record ex01-1.json");
  });

  it("a compromised record of the generation makes the host compromised, whatever it is marked", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const g = judgePlannedHosts([planned(vm, "remediated", ["compromised"])], GATE, NOW).get("ex01")!;
    expect(decision(g)).toEqual({
      verified: false,
      effectiveState: "compromised",
      requiresAssessment: ["found-compromised"],
      buildPatched: [],
      rebuiltFromScratch: ["compromised-marked-remediated"],
    });
  });

  it("an unverified host is not judged by requires-assessment or build-patched, and is never verified", () => {
    const e = new Estate();
    const vm = host(e, { state: "unverified" });
    const g = judgePlannedHosts([planned(vm, "unverified", ["unpatched"])], GATE, NOW).get("ex01")!;
    expect(decision(g)).toEqual({ verified: false, effectiveState: "unverified", requiresAssessment: [], buildPatched: [], rebuiltFromScratch: [] });
  });

  it("an OS disk the plan attaches rather than builds from an image fails rebuilt-from-scratch", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated", osDisk: ATTACHED_DISK });
    const g = judgePlannedHosts([planned(vm, "remediated", ["clean"])], GATE, NOW).get("ex01")!;
    expect(g.rebuiltFromScratch).toEqual([{ host: "ex01", kind: "not-from-image", createOption: "Attach" }]);
    expect(g.verified).toBe(false);
  });

  it("several hosts, by name, each judged on its own records only", () => {
    const e = new Estate();
    const ex01 = host(e, { name: "ex01", state: "remediated" });
    const ex02 = host(e, { name: "ex02", state: "remediated", ip: "10.0.1.5" });
    const ex03 = host(e, { name: "ex03", state: "compromised", ip: "10.0.1.6" });
    const verdicts = judgePlannedHosts(
      [planned(ex01, "remediated", ["clean"]), planned(ex02, "remediated", []), planned(ex03, "compromised", ["compromised"])],
      GATE,
      NOW,
    );
    expect([...verdicts.keys()]).toEqual(["ex01", "ex02", "ex03"]);
    expect([...verdicts.values()].map((g) => [g.verified, g.links.length, g.effectiveState])).toEqual([
      [true, 1, "remediated"],
      [false, 0, "remediated"],
      [false, 1, "compromised"],
    ]);
  });

  it("judges as of the clock it is given", () => {
    const e = new Estate();
    const vm = host(e, { state: "remediated" });
    const later = new Date(NOW.getTime() + 60 * 24 * 60 * 60 * 1000);
    const g = judgePlannedHosts([planned(vm, "remediated", ["clean"])], GATE, later).get("ex01")!;
    expect(g.requiresAssessment.map((f) => f.kind)).toEqual(["too-old"]);
  });

  it("no hosts: no verdicts", () => {
    expect(judgePlannedHosts([], GATE, NOW).size).toBe(0);
  });
});

describe.each(FORMS)("the planned gate says what the pack's gate says of the same VM and records (%s form)", (_form, preview) => {
  const recordsArb = fc.subarray(Object.keys(RECORDS) as RecordKind[]);
  const stateArb = fc.constantFrom<HostState>("unverified", "compromised", "remediated");

  it("for any state, records and OS disk", () => {
    fc.assert(
      fc.property(stateArb, recordsArb, fc.boolean(), (state, records, attached) => {
        const e = new Estate({ preview });
        const vm = host(e, { state, osDisk: attached ? ATTACHED_DISK : undefined });
        records.forEach((k, i) => e.assessment(`a-${i}`, vm, RECORDS[k]()));
        const pack = gateOf(e, vm, { securityBaseline: PINNED_BASELINE });
        const plan = judgePlannedHosts([planned(vm, state, records)], GATE, NOW).get("ex01")!;
        expect(decision(plan)).toEqual(decision(pack));
      }),
      { numRuns: 60 },
    );
  });
});
