/**
 * Assessment model: strict ISO-8601 parsing (docs/contract.md#the-compromise-assessment: completedAt an instant with a zone,
 * logsSince a date), readAssessment listing every problem, and newest-first ordering.
 */
import {
  CLOCK_SKEW_MS,
  isCandidateAssessment,
  AssessmentLink,
  linkAssessments,
  newestFirst,
  parseDateOrInstant,
  parseInstant,
  readAssessment,
  readAssessmentRecord,
} from "../../policies/model/assessments";
import { GraphNode, ResourceGraph } from "../../policies/model/graph";
import { HostInventory } from "../../policies/model/hosts";
import { NetworkModel } from "../../policies/model/network";
import { DEFAULT_HOST_TAGS } from "../../policies/model/hosts";
import { toInputs } from "../support/judge";
import { clean, Estate, host, NOW, rawAssessment, UNKNOWN, withDeps } from "../support/gateFixtures";

describe("parseInstant", () => {
  it.each<[string, string]>([
    ["2026-11-20T10:00:00Z", "2026-11-20T10:00:00.000Z"],
    ["2026-11-20T10:00Z", "2026-11-20T10:00:00.000Z"],
    ["2026-11-20T10:00:00.5Z", "2026-11-20T10:00:00.500Z"],
    ["2026-11-20T10:00:00.123Z", "2026-11-20T10:00:00.123Z"],
    ["2026-11-20T10:00:00+05:00", "2026-11-20T05:00:00.000Z"],
    ["2026-11-20T10:00:00-05:30", "2026-11-20T15:30:00.000Z"],
    ["2026-11-20T01:00:00+05:00", "2026-11-19T20:00:00.000Z"],
    ["2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00.000Z"],
    ["2026-11-20T10:00:00+00:00", "2026-11-20T10:00:00.000Z"],
    ["  2026-11-20T10:00:00Z  ", "2026-11-20T10:00:00.000Z"],
    ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
    ["2000-02-29T12:00:00Z", "2000-02-29T12:00:00.000Z"],
    ["2026-11-20T23:59:59Z", "2026-11-20T23:59:59.000Z"],
  ])("accepts %p as %s", (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ["a date only", "2026-11-20"],
    ["no zone", "2026-11-20T10:00:00"],
    ["a European date", "20/11/2026"],
    ["an American date", "11/20/2026 10:00"],
    ["Feb 30", "2026-02-30T10:00:00Z"],
    ["Feb 29 in a common year", "2023-02-29T10:00:00Z"],
    ["Feb 29 in 1900", "1900-02-29T10:00:00Z"],
    ["Apr 31", "2026-04-31T10:00:00Z"],
    ["month 13", "2026-13-01T10:00:00Z"],
    ["month 0", "2026-00-10T10:00:00Z"],
    ["day 0", "2026-11-00T10:00:00Z"],
    ["hour 24", "2026-11-20T24:00:00Z"],
    ["minute 60", "2026-11-20T10:60:00Z"],
    ["second 60", "2026-11-20T10:00:60Z"],
    ["a space instead of T", "2026-11-20 10:00:00Z"],
    ["a compact offset", "2026-11-20T10:00:00+0500"],
    ["an hour-only offset", "2026-11-20T10:00:00+05"],
    ["a zone name", "2026-11-20T10:00:00 UTC"],
    ["basic format", "20261120T100000Z"],
    ["a two-digit year", "26-11-20T10:00:00Z"],
    ["an RFC 2822 date", "Fri, 20 Nov 2026 10:00:00 GMT"],
    ["epoch milliseconds", "1795600000000"],
    ["empty", ""],
    ["lower-case z", "2026-11-20T10:00:00z"],
  ])("rejects %s (%p)", (_label, text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it("never rolls an impossible date over into the next month", () => {
    // Date.parse would make 2026-02-30 into March 2.
    expect(parseInstant("2026-02-30T00:00:00Z")).toBeUndefined();
  });
});

describe("parseDateOrInstant", () => {
  it.each<[string, string]>([
    ["2021-01-01", "2021-01-01T00:00:00.000Z"],
    ["2020-12-01", "2020-12-01T00:00:00.000Z"],
    [" 2021-03-01 ", "2021-03-01T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2021-01-01T00:00:00Z", "2021-01-01T00:00:00.000Z"],
    ["2021-01-01T02:00:00+02:00", "2021-01-01T00:00:00.000Z"],
  ])("accepts %p as %s", (text, iso) => {
    expect(parseDateOrInstant(text)?.toISOString()).toBe(iso);
  });

  it.each([
    "2021-02-30",
    "2023-02-29",
    "2021-13-01",
    "2021-1-1",
    "01/01/2021",
    "2021/01/01",
    "20210101",
    "Dec 2020",
    "2021-01-01T00:00:00",
    "",
    "1899-12-31",
  ])("rejects %p", (text) => {
    expect(parseDateOrInstant(text)).toBeUndefined();
  });
});

describe("readAssessment", () => {
  const node = (props: Record<string, unknown>) =>
    new GraphNode({
      urn: "urn:pulumi:dev::exchange::azure-native:security:Assessment::a",
      type: "azure-native:security:Assessment",
      name: "a",
      props,
    });
  const vmId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/ex01";
  const props = (data: unknown, code: unknown = "Healthy") => ({
    resourceId: vmId,
    assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
    status: { code },
    additionalData: data,
  });

  it("a clean record: no problems, fields read", () => {
    const a = readAssessment(node(props(clean())), NOW);
    expect(a.problems).toEqual([]);
    expect(a.unknowns).toEqual([]);
    expect(a.ours).toBe(true);
    expect(a.verdict).toBe("clean");
    expect(a.saysCompromised).toBe(false);
    expect(a.checks).toHaveLength(6);
    expect(a.exchangeBuild).toBe("15.2.2562.53");
    expect(a.logsSince?.toISOString()).toBe("2020-12-01T00:00:00.000Z");
  });

  it("lists every problem, not only the first", () => {
    const a = readAssessment(
      node(props(clean({ verdict: "compromised", completedAt: "x", logsSince: "y", exchangeBuild: "z", evidenceSha256: "w", tool: "" }), "Healthy")),
      NOW,
    );
    expect(a.problems).toHaveLength(6);
    expect(a.saysCompromised).toBe(true);
  });

  it("the clock skew: 5 minutes", () => {
    expect(CLOCK_SKEW_MS).toBe(5 * 60 * 1000);
    const edge = new Date(NOW.getTime() + CLOCK_SKEW_MS).toISOString();
    const past = new Date(NOW.getTime() + CLOCK_SKEW_MS + 1000).toISOString();
    expect(readAssessment(node(props(clean({ completedAt: edge }))), NOW).problems).toEqual([]);
    expect(readAssessment(node(props(clean({ completedAt: past }))), NOW).problems.join()).toContain("in the future");
  });

  it("findings are values: field and kind, the words only their rendering", () => {
    const a = readAssessment(node(props(clean({ completedAt: UNKNOWN, logsSince: "yesterday", evidenceSha256: "" }), "Healthy")), NOW);
    expect(a.findings.map((f) => [f.field, f.kind])).toEqual([
      ["additionalData.completedAt", "unknown"],
      ["additionalData.logsSince", "malformed"],
      ["additionalData.evidenceSha256", "missing"],
    ]);
    expect(a.problems).toEqual(a.findings.filter((f) => f.kind !== "unknown").map((f) => f.text));
    expect(a.unknowns).toEqual(["additionalData.completedAt is unknown at preview"]);
  });

  it("an assessment record file is read like the resource made of it, without status or link fields", () => {
    const data = clean({ verdict: "compromised" });
    const r = readAssessmentRecord(data, NOW, "assessment ex01-g1.json");
    expect({ node: r.node, label: r.label, saysCompromised: r.saysCompromised, findings: r.findings }).toEqual({
      node: undefined,
      label: "assessment ex01-g1.json",
      saysCompromised: true,
      findings: [],
    });
    expect(readAssessmentRecord(clean({ completedAt: "soon" }), NOW, "r").findings).toEqual([
      { field: "additionalData.completedAt", kind: "malformed", text: expect.stringContaining("not an ISO-8601 instant") },
    ]);
  });

  it("unknowns are listed separately from problems", () => {
    const a = readAssessment(node(props(clean({ completedAt: UNKNOWN, verdict: UNKNOWN }), UNKNOWN)), NOW);
    expect(a.problems).toEqual([]);
    expect(a.unknowns).toEqual(
      expect.arrayContaining([
        "status.code is unknown at preview",
        "additionalData.verdict is unknown at preview",
        "additionalData.completedAt is unknown at preview",
      ]),
    );
    expect(a.completedAt).toBeUndefined();
  });
});

describe("newestFirst", () => {
  const link = (name: string, completedAt: string | undefined): AssessmentLink => {
    const data = completedAt === undefined ? clean({ completedAt: UNKNOWN }) : clean({ completedAt });
    const n = new GraphNode({
      urn: `urn:${name}`,
      type: "azure-native:security:Assessment",
      name,
      props: { status: { code: "Healthy" }, additionalData: data },
    });
    return { assessment: readAssessment(n, NOW), certain: true, how: "test" };
  };
  const names = (l: AssessmentLink[]) => l.map((x) => x.assessment.node?.input.name);

  it("orders by completedAt, newest first, whatever the input order", () => {
    const a = link("a", "2026-11-01T00:00:00Z");
    const b = link("b", "2026-11-20T00:00:00Z");
    const c = link("c", "2026-11-10T00:00:00Z");
    expect(names(newestFirst([a, b, c]))).toEqual(["b", "c", "a"]);
    expect(names(newestFirst([c, a, b]))).toEqual(["b", "c", "a"]);
    expect(names(newestFirst([b, c, a]))).toEqual(["b", "c", "a"]);
  });

  it("compares instants, not text: an offset is converted", () => {
    const a = link("a", "2026-11-25T01:00:00+05:00"); // 2026-11-24T20:00Z
    const b = link("b", "2026-11-24T22:00:00Z");
    expect(names(newestFirst([a, b]))).toEqual(["b", "a"]);
  });

  it("a record without a usable date sorts first, so it cannot be skipped", () => {
    const a = link("a", "2026-11-01T00:00:00Z");
    const u = link("u", undefined);
    const bad = link("bad", "not a date");
    expect(names(newestFirst([a, u]))[0]).toBe("u");
    expect(names(newestFirst([u, a]))[0]).toBe("u");
    expect(names(newestFirst([a, bad]))[0]).toBe("bad");
    expect(
      names(newestFirst([a, u, bad]))
        .slice(0, 2)
        .sort(),
    ).toEqual(["bad", "u"]);
  });

  it("does not change its input; empty in, empty out", () => {
    const a = link("a", "2026-11-01T00:00:00Z");
    const b = link("b", "2026-11-20T00:00:00Z");
    const input = [a, b];
    newestFirst(input);
    expect(names(input)).toEqual(["a", "b"]);
    expect(newestFirst([])).toEqual([]);
  });
});

describe("linkAssessments", () => {
  const inventory = (e: Estate) => {
    const graph = new ResourceGraph(toInputs(e.resources));
    const inv = new HostInventory(graph, new NetworkModel(graph), DEFAULT_HOST_TAGS);
    return { graph, hosts: inv.hosts };
  };

  it.each([false, true])("by id, or by URN at preview (preview=%p): one certain link", (preview) => {
    const e = new Estate({ preview });
    const vm = host(e);
    e.assessment("a-ex01", vm, clean());
    const { graph, hosts } = inventory(e);
    const links = linkAssessments(graph, hosts, NOW).get(vm.urn) ?? [];
    expect(links).toHaveLength(1);
    expect(links[0].certain).toBe(true);
    expect(links[0].how).toContain(preview ? "URN" : "id");
  });

  it("a URN dependency on two VMs: linked to both, certain for neither", () => {
    const e = new Estate({ preview: true });
    const vm1 = host(e);
    const vm2 = host(e, { name: "ex02", ip: "10.0.1.5" });
    const a = rawAssessment(e, "a-both", { resourceId: UNKNOWN });
    withDeps(e, a, "resourceId", [vm1, vm2]);
    const { graph, hosts } = inventory(e);
    const map = linkAssessments(graph, hosts, NOW);
    expect(map.get(vm1.urn)?.[0].certain).toBe(false);
    expect(map.get(vm2.urn)?.[0].certain).toBe(false);
  });

  it("assessments of other kinds are not linked", () => {
    const e = new Estate();
    const vm = host(e);
    e.assessment("a-other", vm, clean({ assessmentKind: "other" }));
    const { graph, hosts } = inventory(e);
    expect(linkAssessments(graph, hosts, NOW).get(vm.urn)).toBeUndefined();
  });
});

describe("calendar bounds", () => {
  it.each<[string, string | undefined]>([
    ["1900-01-01", "1900-01-01T00:00:00.000Z"],
    ["1899-12-31", undefined],
    ["9999-12-31", "9999-12-31T00:00:00.000Z"],
    ["2026-00-10", undefined],
    ["2026-11-00", undefined],
    ["2026-12-31", "2026-12-31T00:00:00.000Z"],
    ["2026-11-31", undefined],
  ])("date %p", (text, iso) => {
    expect(parseDateOrInstant(text)?.toISOString()).toBe(iso);
  });

  it.each<[string, string | undefined]>([
    ["1900-01-01T00:00:00Z", "1900-01-01T00:00:00.000Z"],
    ["1899-12-31T23:59:59Z", undefined],
    ["2026-11-20T10:59Z", "2026-11-20T10:59:00.000Z"],
    ["2026-11-20T10:00:59.999Z", "2026-11-20T10:00:59.999Z"],
    ["2026-11-20T24:00Z", undefined],
  ])("instant %p", (text, iso) => {
    expect(parseInstant(text)?.toISOString()).toBe(iso);
  });
});

describe("readAssessment: every field read strictly", () => {
  const vmId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/ex01";
  const node = (props: Record<string, unknown>, type = "azure-native:security:Assessment") =>
    new GraphNode({ urn: `urn:pulumi:dev::exchange::${type}::a`, type, name: "a", props });
  const read = (over: Record<string, unknown> = {}) =>
    readAssessment(
      node({
        resourceId: vmId,
        assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
        status: { code: "Healthy" },
        additionalData: clean(),
        ...over,
      }),
      NOW,
    );

  it.each<[string, unknown, string]>([
    ["missing", undefined, "additionalData is missing"],
    ["null", null, "additionalData is missing"],
    ["a string", "verdict=clean", "additionalData is not an object"],
    ["an array", [clean()], "additionalData is not an object"],
  ])("additionalData %s: reported, and every required field with it", (_l, data, problem) => {
    const a = read({ additionalData: data });
    expect(a.problems[0]).toBe(problem);
    expect(a.problems).toEqual(
      expect.arrayContaining(["additionalData.verdict is missing", "additionalData.completedAt is missing", "additionalData.tool is missing"]),
    );
    expect(a.unknowns).toEqual([]);
    expect(a.verdict).toBeUndefined();
    expect(a.ours).toBe(false);
  });

  it("a value that is not a string is a problem, not an unknown", () => {
    const a = read({ additionalData: clean({ verdict: 1, completedAt: { at: "x" } }) });
    expect(a.problems).toEqual(expect.arrayContaining(["additionalData.verdict is not a string", "additionalData.completedAt is not a string"]));
    expect(a.unknowns).toEqual([]);
    expect(a.verdict).toBeUndefined();
  });

  it("surrounding whitespace and case are tolerated in values", () => {
    const a = read({
      status: { code: " UNHEALTHY " },
      additionalData: clean({ verdict: " Compromised ", assessmentKind: " Exchange-Compromise " }),
    });
    expect(a.problems).toEqual([]);
    expect(a.verdict).toBe("compromised");
    expect(a.ours).toBe(true);
    expect(a.saysCompromised).toBe(true);
  });

  it.each<[string, string, string]>([
    ["clean", "Unhealthy", "verdict clean disagrees with status.code Unhealthy (Healthy expected)"],
    ["compromised", "Healthy", "verdict compromised disagrees with status.code Healthy (Unhealthy expected)"],
  ])("verdict %s with status %s names both and the expected status", (verdict, code, problem) => {
    expect(read({ status: { code }, additionalData: clean({ verdict }) }).problems).toEqual([problem]);
  });

  it("status.code: missing, not a string, unknown, NotApplicable, anything else", () => {
    expect(read({ status: {} }).problems).toEqual(["status.code is missing"]);
    const wrong = read({ status: { code: 3 } });
    expect(wrong.problems).toEqual(["status.code is not a string"]);
    expect(wrong.unknowns).toEqual([]);
    expect(read({ status: { code: UNKNOWN } }).problems).toEqual([]);
    expect(read({ status: { code: "NotApplicable" } }).problems[0]).toMatch(/^status\.code NotApplicable is not a result/);
    expect(read({ status: { code: "Fine" } }).problems).toEqual(['status.code "Fine" is not Healthy or Unhealthy']);
  });

  it("an Unhealthy status alone says compromised", () => {
    const a = read({ status: { code: "Unhealthy" }, additionalData: clean({ verdict: "maybe" }) });
    expect(a.saysCompromised).toBe(true);
    expect(a.problems).toEqual(['additionalData.verdict "maybe" is not clean or compromised']);
  });

  it("logsSince may equal completedAt, not follow it", () => {
    expect(read({ additionalData: clean({ completedAt: "2026-11-20T00:00:00Z", logsSince: "2026-11-20" }) }).problems).toEqual([]);
    expect(read({ additionalData: clean({ completedAt: "2026-11-20T00:00:00Z", logsSince: "2026-11-21" }) }).problems).toEqual([
      "additionalData.logsSince 2026-11-21 is after completedAt",
    ]);
  });

  it("checks: missing gives no checks, a list of blanks gives a problem", () => {
    const { checks: _c, ...noChecks } = clean();
    const a = read({ additionalData: noChecks });
    expect(a.checks).toEqual([]);
    expect(a.problems).toEqual(["additionalData.checks is missing"]);
    expect(read({ additionalData: clean({ checks: " , ," }) }).problems).toEqual(["additionalData.checks lists no check"]);
    expect(read({ additionalData: clean({ checks: " a, ,b " }) }).checks).toEqual(["a", "b"]);
  });

  it("assessmentKind: another kind is a problem; a missing, malformed or unknown kind is not ours and not a kind problem", () => {
    expect(read({ additionalData: clean({ assessmentKind: "other" }) }).problems).toEqual([
      'additionalData.assessmentKind "other" is not exchange-compromise',
    ]);
    const { assessmentKind: _k, ...noKind } = clean();
    const missing = read({ additionalData: noKind });
    expect(missing.ours).toBe(false);
    expect(missing.problems).toEqual([]);
    const malformed = read({ additionalData: clean({ assessmentKind: 7 }) });
    expect(malformed.problems).toEqual(["additionalData.assessmentKind is not a string"]);
    expect(malformed.unknowns).toEqual([]);
    expect(read({ additionalData: clean({ assessmentKind: UNKNOWN }) }).unknowns).toEqual(["additionalData.assessmentKind is unknown at preview"]);
  });

  it("resourceId: from resourceDetails.id too; missing, not a string, not a VM", () => {
    expect(read({ resourceId: undefined, resourceDetails: { source: "Azure", id: vmId } }).problems).toEqual([]);
    expect(read({ resourceId: undefined }).problems).toEqual(["resourceId is missing"]);
    expect(read({ resourceId: 5 }).problems).toEqual(["resourceId is not a string"]);
    const disk = vmId.replace("virtualMachines", "disks");
    expect(read({ resourceId: disk }).problems).toEqual([`resourceId ${disk} is not a virtual machine`]);
  });

  it("the assessment name: from name when assessmentName is absent, trimmed, must be a GUID", () => {
    expect(read({ assessmentName: undefined, name: " 6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71 " }).problems).toEqual([]);
    expect(read({ assessmentName: undefined, name: "exchange" }).problems).toEqual([
      'assessmentName "exchange" is not the GUID of the assessment metadata',
    ]);
  });
});

describe("isCandidateAssessment", () => {
  const node = (additionalData: unknown, type = "azure-native:security:Assessment") =>
    new GraphNode({ urn: `urn:pulumi:dev::exchange::${type}::a`, type, name: "a", props: { additionalData } });
  it.each<[string, unknown, string | undefined, boolean]>([
    ["ours", clean(), undefined, true],
    ["ours, in another case", clean({ assessmentKind: "EXCHANGE-COMPROMISE" }), undefined, true],
    ["another kind", clean({ assessmentKind: "other" }), undefined, false],
    ["kind unknown at preview", clean({ assessmentKind: UNKNOWN }), undefined, true],
    ["all data unknown at preview", UNKNOWN, undefined, true],
    ["kind malformed", clean({ assessmentKind: ["exchange-compromise"] }), undefined, false],
    ["ours, but not an Assessment", clean(), "azure-native:security:AssessmentMetadataInSubscription", false],
  ])("%s", (_l, data, type, expected) => {
    expect(isCandidateAssessment(node(data, type))).toBe(expected);
  });
});

describe("linkAssessments: how a link is made", () => {
  const inventory = (e: Estate) => {
    const graph = new ResourceGraph(toInputs(e.resources));
    const inv = new HostInventory(graph, new NetworkModel(graph), DEFAULT_HOST_TAGS);
    return { graph, hosts: inv.hosts };
  };
  const links = (e: Estate, vm: { urn: string }) => {
    const { graph, hosts } = inventory(e);
    return linkAssessments(graph, hosts, NOW).get(vm.urn) ?? [];
  };

  it("by id written in another case and without the leading slash: certain, by VM id", () => {
    const e = new Estate();
    const vm = host(e);
    rawAssessment(e, "a1", { resourceId: vm.armId.slice(1).toUpperCase() });
    expect(links(e, vm).map((l) => [l.certain, l.how])).toEqual([[true, "by VM id"]]);
  });

  it("by resourceDetails.id when resourceId is absent", () => {
    const e = new Estate();
    const vm = host(e);
    rawAssessment(e, "a1", { extra: { resourceDetails: { source: "Azure", id: vm.armId } } });
    expect(links(e, vm).map((l) => l.how)).toEqual(["by VM id"]);
  });

  it("a literal id naming a VM whose own id is unknown at preview: linked by name, never certain", () => {
    const e = new Estate({ preview: true });
    const vm = host(e);
    rawAssessment(e, "a1", { resourceId: vm.armId });
    expect(links(e, vm).map((l) => [l.certain, l.how])).toEqual([[false, "by VM name, without a known matching subscription and resource group"]]);
  });

  it("a blank id falls back to the URN dependency", () => {
    const e = new Estate({ preview: true });
    const vm = host(e);
    rawAssessment(e, "a1", { resourceId: "  ", deps: { resourceId: [vm] } });
    expect(links(e, vm).map((l) => [l.certain, l.how])).toEqual([[true, "by URN (the VM id is unknown at preview)"]]);
  });

  it("resourceDetails dependencies are used only when resourceId has none", () => {
    const e = new Estate({ preview: true });
    const vm1 = host(e);
    const vm2 = host(e, { name: "ex02", ip: "10.0.1.5" });
    rawAssessment(e, "a1", { resourceId: UNKNOWN, deps: { resourceDetails: [vm2] } });
    rawAssessment(e, "a2", { resourceId: UNKNOWN, deps: { resourceId: [vm1], resourceDetails: [vm2] } });
    expect(links(e, vm1).map((l) => l.assessment.node?.input.name)).toEqual(["a2"]);
    expect(links(e, vm2).map((l) => [l.assessment.node?.input.name, l.certain])).toEqual([["a1", true]]);
  });

  it("a dependency on something that is not a host VM links nothing", () => {
    const e = new Estate({ preview: true });
    const vm = host(e);
    const other = e.add("azure-native:compute:Disk", "d1", {});
    rawAssessment(e, "a1", { resourceId: UNKNOWN, deps: { resourceId: [other] } });
    expect(links(e, vm)).toEqual([]);
  });
});
