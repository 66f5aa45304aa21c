/**
 * One record contract: what `ingest` writes from the real tool-output samples is what the stacks read, the pack reads
 * the `security.Assessment` the stacks make of it the same way, and the stacks' plan and the pack call a host verified
 * (or not, for the same reasons) alike.
 */
import * as path from "path";
import { ingestAssessment, IngestResult } from "../../cli/ingest";
import {
  assessmentStatus,
  AssessmentView,
  CHECK_IDS,
  makeRecord,
  readRecordText,
  recordFileName,
  recordGeneration,
  recordText,
} from "../../policies/model";
import { DEFAULT_REQUIRED_CHECKS } from "../../policies/model/gate";
import { CVE_IDS } from "../../cli/ingest/testProxyLogon";
import { parseFleetConfig, planHosts } from "../../stacks/config/fleetConfig";
import { Estate, gateOf, host, rawAssessment, UNKNOWN, withDeps } from "../support/gateFixtures";
import { fleetConfig } from "../support/stackConfigs";
import { FORMS } from "../support/assertions";

const FIXTURES = path.join(__dirname, "..", "fixtures", "ingest");
const NOW = new Date("2021-05-01T00:00:00Z");
/** The gate as of the samples' time: the March 2021 wave, the clock pinned. */
const GATE = { asOf: NOW.toISOString(), securityBaseline: "2021-03" };
const BUILD = "15.2.792.10";

/** Every sample the tools' real output gives a record for, with the server it is of. */
const SAMPLES: ReadonlyArray<[sample: string, host: string, completedAt: string]> = [
  ["clean-ps51", "exch01", "2021-04-09T15:20:00Z"],
  ["clean-ps7", "ex-mbx-02", "2021-04-12T08:00:00Z"],
  ["cve-26855-hit", "exch01", "2021-04-09T15:20:00Z"],
  ["cve-26857-hit", "exch01", "2021-04-09T15:20:00Z"],
  ["cve-26858-hit", "exch01", "2021-04-09T15:20:00Z"],
  ["cve-27065-hit", "exch01", "2021-04-09T15:20:00Z"],
  ["webshell-msert", "exch01", "2021-04-09T15:20:00Z"],
  ["logs-too-short", "exch01", "2021-04-09T15:20:00Z"],
  ["utf16-german-locale", "exchde01", "2021-04-09T15:20:00Z"],
  ["quick-scan-only", "exch01", "2021-04-09T15:20:00Z"],
  ["msert-old-detection", "exch01", "2021-04-09T15:20:00Z"],
  ["eomt-detected", "exch01", "2021-04-09T15:20:00Z"],
];

const ingested = new Map<string, IngestResult>();
beforeAll(async () => {
  for (const [sample, name, completedAt] of SAMPLES) {
    ingested.set(
      sample,
      await ingestAssessment({ host: name, from: path.join(FIXTURES, sample), exchangeBuild: BUILD, generation: 1, completedAt, now: NOW }),
    );
  }
});

/** What a reading of an assessment decides with: everything but the resource it came from and its label. */
function decided(v: AssessmentView) {
  return {
    ours: v.ours,
    verdict: v.verdict,
    saysCompromised: v.saysCompromised,
    completedAt: v.completedAt?.toISOString(),
    logsSince: v.logsSince?.toISOString(),
    checks: v.checks,
    exchangeBuild: v.exchangeBuild,
    data: Object.fromEntries(v.data),
    findings: v.findings.map((f) => `${f.field} ${f.kind}`),
  };
}

describe("one list of check ids, one instant format", () => {
  it("ingest's CVE checks and the gate's default requiredChecks are the contract's ids", () => {
    expect([...CVE_IDS]).toEqual(CHECK_IDS.slice(0, 4));
    expect([...DEFAULT_REQUIRED_CHECKS]).toEqual([...CHECK_IDS]);
  });

  it("makeRecord writes every key in the contract's order, whatever order it is given", () => {
    const data = {
      tool: "t",
      evidenceSha256: "a".repeat(64),
      logsSince: "2020-12-01",
      checks: "webshell-scan",
      exchangeBuild: BUILD,
      completedAt: "2021-04-09T15:20:00Z",
      verdict: "clean",
      assessmentKind: "exchange-compromise",
    } as const;
    expect(Object.keys(makeRecord("ex01", 2, data).additionalData)).toEqual([
      "assessmentKind",
      "verdict",
      "completedAt",
      "exchangeBuild",
      "checks",
      "logsSince",
      "evidenceSha256",
      "tool",
    ]);
    expect(makeRecord("ex01", undefined, data)).not.toHaveProperty("generation");
  });
});

describe.each(SAMPLES)("%s: the record ingest writes", (sample, name, completedAt) => {
  const result = () => ingested.get(sample)!;

  it("is read back by the stacks' reader unchanged and without a problem, named as the stacks name records", () => {
    const { record } = result();
    const reading = readRecordText(recordText(record), NOW, "assessment r.json");
    expect(reading.problems).toEqual([]);
    expect(reading.record).toEqual(record);
    expect(recordGeneration(reading.record!)).toBe(1);
    expect(recordFileName(record)).toBe(`${name}-g1-${completedAt.slice(0, 10)}.json`);
  });

  it.each(FORMS)("is read by the pack, as the Assessment the stacks make of it (%s form), exactly as the stacks read the file", (_form, preview) => {
    const { record } = result();
    const fromFile = readRecordText(recordText(record), NOW, "r").view!;
    const e = new Estate({ preview });
    const vm = host(e, { name });
    const a = rawAssessment(e, `${name}-g1-assessment`, {
      resourceId: preview ? UNKNOWN : vm.armId,
      status: assessmentStatus(record.additionalData),
      data: record.additionalData,
    });
    if (preview) withDeps(e, a, "resourceId", [vm]);
    const g = gateOf(e, vm, GATE, NOW);
    expect(g.links).toHaveLength(1);
    expect(decided(g.links[0].assessment)).toEqual(decided(fromFile));
  });

  it("makes the host verified for the stacks' plan exactly when the pack says so, for the same reasons", () => {
    const { record } = result();
    const fleet = fleetConfig([{ name, state: "remediated", records: [{ file: "r.json", text: recordText(record) }] }], { gate: GATE });
    const [planned] = planHosts(parseFleetConfig(fleet.raw), fleet.readFile, NOW);
    const e = new Estate();
    const vm = host(e, { name });
    rawAssessment(e, `${name}-g1-assessment`, { resourceId: vm.armId, status: assessmentStatus(record.additionalData), data: record.additionalData });
    const g = gateOf(e, vm, GATE, NOW);
    const pack = [...g.requiresAssessment, ...g.buildPatched, ...g.rebuiltFromScratch].map((f) => f.kind);
    expect({ verified: planned.verified, kinds: planned.gateFindings.map((f) => f.kind) }).toEqual({ verified: g.verified, kinds: pack });
  });
});

describe("the samples span the verdicts", () => {
  // Without both outcomes the identities above could hold for a gate that never passes or never blocks.
  it("a clean full scan verifies, a compromise never does, a quick scan or short logs leave a finding", () => {
    const verdict = (sample: string) => {
      const { record } = ingested.get(sample)!;
      const fleet = fleetConfig([{ name: record.host, state: "remediated", records: [{ file: "r.json", text: recordText(record) }] }], {
        gate: GATE,
      });
      const [p] = planHosts(parseFleetConfig(fleet.raw), fleet.readFile, NOW);
      return [p.verified, p.gateFindings.map((f) => f.kind).sort()];
    };
    expect(verdict("clean-ps51")).toEqual([true, []]);
    expect(verdict("cve-26855-hit")).toEqual([false, ["compromised-marked-remediated", "found-compromised"]]);
    expect(verdict("quick-scan-only")).toEqual([false, ["missing-checks"]]);
    expect(verdict("logs-too-short")).toEqual([false, ["logs-too-recent"]]);
  });
});
