/**
 * exchange-assessment-record-valid (resource policy on inputs, docs/contract.md#the-compromise-assessment): every
 * security.Assessment with assessmentKind exchange-compromise is well-formed; every problem is
 * reported, not only the first; values unknown at preview fail closed naming the field; other
 * assessments are ignored.
 */
import { resolveGate } from "../../policies/model/config";
import { ResourceInput } from "../../policies/model/graph";
import { assessmentRecordValid } from "../../policies/rules";
import { ago, ASSESSMENT_GUID, at, clean, Estate, host, inputOf, MINUTE, NOW, rawAssessment, Res, UNKNOWN } from "../support/gateFixtures";
import { FORMS } from "../support/assertions";

const gate = resolveGate({}).gate;
const evaluate = (r: Res | ResourceInput, now = NOW) => assessmentRecordValid.evaluate("props" in r ? r : inputOf(r), gate, now);
const texts = (r: Res | ResourceInput) => evaluate(r).map((v) => v.message);

describe.each(FORMS)("exchange-assessment-record-valid (%s form)", (_form, preview) => {
  const fixture = () => {
    const e = new Estate({ preview });
    const vm = host(e);
    return { e, vm };
  };
  const withData = (overrides: Record<string, unknown>, status?: string) => {
    const { e, vm } = fixture();
    return e.assessment("a-ex01", vm, clean(overrides), status);
  };

  it("is a mandatory resource policy", () => {
    expect(assessmentRecordValid.kind).toBe("resource");
    expect(assessmentRecordValid.enforcementLevel).toBe("mandatory");
  });

  it("a valid record: no violation", () => {
    expect(evaluate(withData({}))).toEqual([]);
  });

  it("a valid compromised record (Unhealthy): no violation", () => {
    expect(evaluate(withData({ verdict: "compromised" }))).toEqual([]);
  });

  it("a versioned type token is checked the same", () => {
    const a = withData({ evidenceSha256: "x" });
    const v = evaluate({ ...inputOf(a), type: "azure-native:security/v20210601:Assessment" });
    expect(v).toHaveLength(1);
  });

  it("violations are reported on the resource itself and name it and its host", () => {
    const a = withData({ tool: "" });
    const v = evaluate(a);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBeUndefined();
    expect(v[0].message).toContain("a-ex01");
    if (!preview) expect(v[0].message).toContain("host ex01");
  });

  it.each<[string, Record<string, unknown>, string | undefined, string]>([
    ["status NotApplicable", {}, "NotApplicable", "NotApplicable is not a result"],
    ["status not a known code", {}, "Broken", 'status.code "Broken"'],
    ["status Healthy, verdict compromised", { verdict: "compromised" }, "Healthy", "verdict compromised disagrees with status.code Healthy"],
    ["status Unhealthy, verdict clean", { verdict: "clean" }, "Unhealthy", "verdict clean disagrees with status.code Unhealthy"],
    ["verdict unknown word", { verdict: "fine" }, "Healthy", 'verdict "fine"'],
    ["completedAt date only", { completedAt: "2026-11-20" }, undefined, "completedAt"],
    ["completedAt European", { completedAt: "20/11/2026" }, undefined, "completedAt"],
    ["completedAt impossible", { completedAt: "2026-02-30T10:00:00Z" }, undefined, "completedAt"],
    ["completedAt no zone", { completedAt: "2026-11-20T10:00:00" }, undefined, "completedAt"],
    ["completedAt in the future", { completedAt: at(10 * MINUTE) }, undefined, "in the future"],
    ["logsSince unparsable", { logsSince: "Dec 2020" }, undefined, "logsSince"],
    ["logsSince after completedAt", { logsSince: "2026-11-25", completedAt: ago(2) }, undefined, "after completedAt"],
    ["exchangeBuild not a build", { exchangeBuild: "Exchange 2019 CU8" }, undefined, "exchangeBuild"],
    ["checks lists nothing", { checks: " , ," }, undefined, "checks lists no check"],
    ["hash 63 characters", { evidenceSha256: "a".repeat(63) }, undefined, "evidenceSha256"],
    ["hash not hex", { evidenceSha256: "z".repeat(64) }, undefined, "evidenceSha256"],
    ["tool empty", { tool: "  " }, undefined, "tool is missing"],
  ])("%s: one violation naming it", (_label, overrides, status, fragment) => {
    const v = texts(withData(overrides, status));
    expect(v).toHaveLength(1);
    expect(v[0]).toContain(fragment);
    expect(v[0]).toContain("malformed");
  });

  it.each(["verdict", "completedAt", "exchangeBuild", "checks", "logsSince", "evidenceSha256", "tool"])(
    "%s missing: a violation naming it",
    (key) => {
      const data = clean();
      delete data[key];
      const { e, vm } = fixture();
      const v = texts(e.assessment("a-ex01", vm, data));
      expect(v).toHaveLength(1);
      expect(v[0]).toContain(`additionalData.${key} is missing`);
    },
  );

  it("within the 5-minute clock skew: valid", () => {
    expect(evaluate(withData({ completedAt: at(4 * MINUTE) }))).toEqual([]);
  });

  it("an offset instant is valid", () => {
    expect(evaluate(withData({ completedAt: "2026-11-20T10:00:00+05:00" }))).toEqual([]);
  });

  it("a stale record is well-formed (age is the gate's business, not the record's)", () => {
    expect(evaluate(withData({ completedAt: ago(400) }))).toEqual([]);
  });

  it("several problems at once: every one reported", () => {
    const a = withData(
      {
        verdict: "compromised",
        completedAt: "2026-11-20",
        logsSince: "yesterday",
        exchangeBuild: "15.2",
        checks: ",",
        evidenceSha256: "a".repeat(63),
        tool: "",
      },
      "Healthy",
    );
    const v = texts(a);
    const expected = [
      "verdict compromised disagrees with status.code Healthy",
      'completedAt "2026-11-20"',
      'logsSince "yesterday"',
      'exchangeBuild "15.2"',
      "checks lists no check",
      "evidenceSha256 is not 64 hexadecimal characters",
      "tool is missing",
    ];
    for (const x of expected) expect(v.some((m) => m.includes(x))).toBe(true);
    expect(v).toHaveLength(expected.length);
  });

  it("status.code missing, assessmentName not a GUID, resourceId missing: each reported", () => {
    const { e } = fixture();
    const a = rawAssessment(e, "a-raw", { status: {}, extra: { assessmentName: "my-assessment" } });
    const v = texts(a);
    expect(v.some((m) => m.includes("status.code is missing"))).toBe(true);
    expect(v.some((m) => m.includes('assessmentName "my-assessment"'))).toBe(true);
    expect(v.some((m) => m.includes("resourceId is missing"))).toBe(true);
    expect(v).toHaveLength(3);
  });

  it("resourceId pointing to a NIC: not a virtual machine", () => {
    const { e } = fixture();
    const nicId = `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Network/networkInterfaces/nic-ex01`;
    const v = texts(rawAssessment(e, "a-nic", { resourceId: nicId }));
    expect(v).toHaveLength(1);
    expect(v[0]).toContain("is not a virtual machine");
    expect(v[0]).toContain("nic-ex01");
  });

  it("resourceId pointing to a VM extension: not a virtual machine", () => {
    const { e } = fixture();
    const id = `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/Microsoft.Compute/virtualMachines/ex01/extensions/mde`;
    expect(texts(rawAssessment(e, "a-ext", { resourceId: id }))).toHaveLength(1);
  });

  // docs/contract.md#the-compromise-assessment: resourceId is the VM's id (a string); a non-string one cannot link and must not pass as well-formed.
  it("resourceId that is not a string: malformed", () => {
    const { e } = fixture();
    const v = texts(rawAssessment(e, "a-num", { resourceId: 42 }));
    expect(v.some((m) => m.includes("resourceId"))).toBe(true);
  });

  it("resourceDetails.id is accepted instead of resourceId", () => {
    const { e, vm } = fixture();
    const a = rawAssessment(e, "a-details", { extra: { resourceDetails: { source: "Azure", id: vm.armId } } });
    expect(evaluate(a)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ["a number", 42, "checks"],
    ["a boolean", true, "checks"],
    ["an object", { list: ["a"] }, "checks"],
    ["an array", ["CVE-2021-26855"], "checks"],
  ])("a non-string additionalData value (%s): named as not a string", (_label, value, key) => {
    const v = texts(withData({ [key]: value }));
    expect(v.some((m) => m.includes(`additionalData.${key} is not a string`))).toBe(true);
  });

  it("several non-string values are all named", () => {
    const v = texts(withData({ completedAt: 1732622400000, evidenceSha256: 0, tool: ["a"] }));
    for (const k of ["completedAt", "evidenceSha256", "tool"]) expect(v.some((m) => m.includes(`additionalData.${k} is not a string`))).toBe(true);
  });

  it("additionalData missing: no assessmentKind, so not ours: ignored", () => {
    const { e } = fixture();
    expect(texts(rawAssessment(e, "a-none", { data: null, resourceId: "x" }))).toEqual([]);
  });

  it("not ours: another assessmentKind, or none, is ignored whatever else is wrong", () => {
    expect(evaluate(withData({ assessmentKind: "other", completedAt: "garbage", evidenceSha256: "" }))).toEqual([]);
    const data = clean({ completedAt: "garbage" });
    delete data.assessmentKind;
    const { e, vm } = fixture();
    expect(evaluate(e.assessment("a-nokind", vm, data))).toEqual([]);
  });

  it("not an assessment at all: ignored", () => {
    const { vm } = fixture();
    expect(evaluate(vm)).toEqual([]);
  });

  it("assessmentKind compared case-insensitively: Exchange-Compromise is ours", () => {
    expect(evaluate(withData({ assessmentKind: " Exchange-Compromise ", tool: "" }))).toHaveLength(1);
  });

  it.each(["verdict", "completedAt", "exchangeBuild", "checks", "logsSince", "evidenceSha256", "tool", "assessmentKind"])(
    "additionalData.%s unknown (preview): a violation naming the field",
    (key) => {
      const v = texts(withData({ [key]: UNKNOWN }));
      expect(v).toHaveLength(1);
      expect(v[0]).toContain(`additionalData.${key} is unknown at preview`);
      expect(v[0]).toContain("cannot be validated at preview");
    },
  );

  it("status.code unknown (preview): a violation naming it", () => {
    const { e, vm } = fixture();
    const a = rawAssessment(e, "a-status", { resourceId: vm.armId, status: { code: UNKNOWN } });
    const v = texts(a);
    expect(v).toHaveLength(1);
    expect(v[0]).toContain("status.code is unknown at preview");
  });

  it("the whole additionalData unknown (preview): a violation, not silence", () => {
    const { e, vm } = fixture();
    const v = texts(rawAssessment(e, "a-data", { resourceId: vm.armId, data: UNKNOWN }));
    expect(v).toHaveLength(1);
    expect(v[0]).toContain("additionalData is unknown at preview");
  });

  it("the whole status unknown (preview): a violation naming status", () => {
    const { e, vm } = fixture();
    const v = texts(rawAssessment(e, "a-status", { resourceId: vm.armId, status: UNKNOWN }));
    expect(v).toHaveLength(1);
    expect(v[0]).toContain("status.code is unknown at preview");
  });

  it("resourceId unknown at preview (the VM is new): valid, the stack policies link it by URN", () => {
    const { e, vm } = fixture();
    const a = rawAssessment(e, "a-new-vm", { resourceId: UNKNOWN, deps: { resourceId: [vm] } });
    expect(evaluate(a)).toEqual([]);
  });

  it("the GUID of the metadata is accepted in upper case", () => {
    const { e, vm } = fixture();
    expect(evaluate(rawAssessment(e, "a-upper", { resourceId: vm.armId, extra: { assessmentName: ASSESSMENT_GUID.toUpperCase() } }))).toEqual([]);
  });
});
