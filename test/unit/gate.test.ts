/**
 * The remediation gate (policies/model/gate.ts; contract: docs/contract.md#verified-hosts-the-gate): its findings as values and their
 * one rendering, the text of the newest assessment, a state tag that cannot be read, the compromise history, the build
 * of a record whose verdict is unknown, and the OS-disk findings.
 */
import { assessmentFindings, buildFindings, describeNewest, osDiskFindings } from "../../policies/model/gate";
import { GateFinding, renderGateFinding } from "../../policies/model/gateFindings";
import { resolveGate } from "../../policies/model/config";
import { ResourceGraph } from "../../policies/model/graph";
import { toInputs } from "../support/judge";
import { ago, clean, Estate, gateOf, host, HOST_TAGS, NOW, rawAssessment, UNKNOWN } from "../support/gateFixtures";

const GATE = resolveGate({}).gate;
/** The findings as users read them. */
const texts = (fs: readonly GateFinding[]) => fs.map(renderGateFinding);
const kinds = (fs: readonly GateFinding[]) => fs.map((f) => f.kind);

describe("describeNewest", () => {
  it.each<[string, (e: Estate, vm: ReturnType<typeof host>) => void, string]>([
    ["no assessment", () => undefined, "none"],
    ["a clean record", (e, vm) => e.assessment("a", vm, clean({ completedAt: "2026-11-24T08:00:00Z" })), "clean (2026-11-24)"],
    [
      "a compromised record",
      (e, vm) => e.assessment("a", vm, clean({ verdict: "compromised", completedAt: "2026-11-20T23:30:00-02:00" })),
      "compromised (2026-11-21)",
    ],
    [
      "an Unhealthy status with an unreadable verdict",
      (e, vm) => e.assessment("a", vm, clean({ verdict: "maybe" }), "Unhealthy"),
      `compromised (${ago(2).slice(0, 10)})`,
    ],
    [
      "an unreadable verdict",
      (e, vm) => e.assessment("a", vm, clean({ verdict: "maybe", completedAt: "2026-11-24T08:00:00Z" })),
      "no verdict (2026-11-24)",
    ],
    ["no usable date", (e, vm) => e.assessment("a", vm, clean({ completedAt: "yesterday" })), "clean (date unknown)"],
  ])("%s", (_l, add, text) => {
    const e = new Estate();
    const vm = host(e);
    add(e, vm);
    expect(describeNewest(gateOf(e, vm))).toBe(text);
  });
});

describe("a state tag that cannot be read is judged as if it said remediated", () => {
  const unreadable = () => {
    const e = new Estate({ preview: true });
    const vm = host(e, { tags: { ...HOST_TAGS(), "remediation-state": UNKNOWN as unknown as string } });
    return { e, vm };
  };

  it("every gate finding says why it is asked, and the host is not verified", () => {
    const { e, vm } = unreadable();
    const g = gateOf(e, vm);
    expect(g.host.stateUnknown).toBe(true);
    expect(g.verified).toBe(false);
    expect(g.requiresAssessment).toEqual([{ host: "ex01", kind: "no-assessment", unreadableStateTag: "remediation-state" }]);
    expect(texts(g.requiresAssessment)[0]).toMatch(
      /^the remediation-state tag of host ex01 cannot be read, so it may say remediated: host ex01 is marked remediated but no compromise assessment/,
    );
  });

  it("with a valid clean assessment the gate finds nothing, yet the host is still not verified", () => {
    const { e, vm } = unreadable();
    e.assessment("a", vm, clean());
    const g = gateOf(e, vm);
    expect([...g.requiresAssessment, ...g.buildPatched, ...g.rebuiltFromScratch]).toEqual([]);
    expect(g.verified).toBe(false);
  });

  it("a compromise history counts against it as against a remediated host", () => {
    const { e, vm } = unreadable();
    e.assessment("a", vm, clean({ verdict: "compromised", completedAt: "2026-10-01T00:00:00Z" }));
    const g = gateOf(e, vm);
    expect(kinds(g.rebuiltFromScratch)).toEqual(["compromised-marked-remediated"]);
    expect(texts(g.rebuiltFromScratch).join("\n")).toContain("was found compromised");
  });
});

describe("compromise history", () => {
  it("names the compromised record and its instant", () => {
    const e = new Estate();
    const vm = host(e);
    e.assessment("a1", vm, clean({ verdict: "compromised", completedAt: "2026-10-01T00:00:00Z" }));
    e.assessment("a2", vm, clean());
    const g = gateOf(e, vm);
    expect(g.rebuiltFromScratch[0]).toMatchObject({ kind: "compromised-marked-remediated", completedAt: new Date("2026-10-01T00:00:00Z") });
    expect(texts(g.rebuiltFromScratch)[0]).toMatch(
      /^host ex01 was found compromised \(assessment [^,]+, 2026-10-01T00:00:00\.000Z\) and is marked remediated: /,
    );
    expect(g.effectiveState).toBe("compromised");
  });

  it("without a usable date the instant is left out, not invented", () => {
    const e = new Estate();
    const vm = host(e);
    e.assessment("a1", vm, clean({ verdict: "compromised", completedAt: "last week" }));
    const [f] = gateOf(e, vm).rebuiltFromScratch;
    expect(f).toMatchObject({ kind: "compromised-marked-remediated", completedAt: undefined });
    expect(renderGateFinding(f)).toMatch(/^host ex01 was found compromised \(assessment [^,)]+\) and is marked remediated/);
  });

  it("a host tagged unverified whose record says compromised is compromised", () => {
    const e = new Estate();
    const vm = host(e, { state: "unverified" });
    e.assessment("a1", vm, clean({ verdict: "compromised" }));
    const g = gateOf(e, vm);
    expect(g.effectiveState).toBe("compromised");
    expect(g.rebuiltFromScratch).toEqual([]);
    expect(g.verified).toBe(false);
  });

  it("a host tagged unverified with a clean record stays unverified", () => {
    const e = new Estate();
    const vm = host(e, { state: "unverified" });
    e.assessment("a1", vm, clean());
    expect(gateOf(e, vm).effectiveState).toBe("unverified");
  });
});

describe("buildFindings and assessmentFindings on a record that cannot be read", () => {
  const newest = (data: unknown, status: unknown = { code: "Healthy" }) => {
    const e = new Estate({ preview: true });
    const vm = host(e);
    rawAssessment(e, "a1", { resourceId: UNKNOWN, data, status, deps: { resourceId: [vm] } });
    const g = gateOf(e, vm);
    return g.links[0];
  };

  it("a verdict unknown at preview: the build cannot be judged, naming the unknown", () => {
    expect(texts(buildFindings("ex01", newest(clean({ verdict: UNKNOWN })), GATE))).toEqual([
      "the build of host ex01 cannot be judged: assessment a1: additionalData.verdict is unknown at preview",
    ]);
    expect(texts(buildFindings("ex01", newest(UNKNOWN), GATE))).toEqual([
      "the build of host ex01 cannot be judged: assessment a1: additionalData is unknown at preview",
    ]);
  });

  it("a verdict that is wrong rather than unknown is left to the record check", () => {
    expect(buildFindings("ex01", newest(clean({ verdict: "maybe" })), GATE)).toEqual([]);
    expect(buildFindings("ex01", undefined, GATE)).toEqual([]);
  });

  it("a build unknown at preview, or missing", () => {
    expect(kinds(buildFindings("ex01", newest(UNKNOWN), GATE))).toEqual(["verdict-unknown"]);
    expect(texts(buildFindings("ex01", newest(clean({ exchangeBuild: UNKNOWN })), GATE))).toEqual([
      "the Exchange build of host ex01 is unknown at preview (assessment a1 additionalData.exchangeBuild)",
    ]);
    expect(kinds(buildFindings("ex01", newest(clean({ exchangeBuild: UNKNOWN })), GATE))).toEqual(["build-unknown"]);
    expect(kinds(buildFindings("ex01", newest(clean({ exchangeBuild: "15.2" })), GATE))).toEqual(["build-missing"]);
    expect(texts(buildFindings("ex01", newest(clean({ exchangeBuild: "15.2" })), GATE))[0]).toMatch(
      /^assessment a1 of host ex01 records no valid Exchange build/,
    );
  });

  it("an undated newest record: the reason comes from the unknown, else the problem, else a plain statement", () => {
    const at = (data: unknown) => texts(assessmentFindings("ex01", [newest(data)], GATE, NOW));
    expect(kinds(assessmentFindings("ex01", [newest(clean({ completedAt: UNKNOWN }))], GATE, NOW))).toEqual(["newest-undated"]);
    expect(at(clean({ completedAt: UNKNOWN }))).toEqual([
      "the newest assessment of host ex01 cannot be determined: assessment a1: additionalData.completedAt is unknown at preview",
    ]);
    expect(at(clean({ completedAt: "soon" }))[0]).toBe(
      'the newest assessment of host ex01 cannot be determined: assessment a1: additionalData.completedAt "soon" is not an ISO-8601 instant with a zone (e.g. 2021-04-02T10:30:00Z)',
    );
    const { completedAt: _c, ...undated } = clean();
    expect(at(undated)).toEqual(["the newest assessment of host ex01 cannot be determined: assessment a1: additionalData.completedAt is missing"]);
  });
});

describe("each gate finding comes from the finding it is about, not from the first one", () => {
  const linkOf = (data: unknown, status: unknown = { code: "Healthy" }) => {
    const e = new Estate({ preview: true });
    const vm = host(e);
    rawAssessment(e, "a1", { resourceId: UNKNOWN, data, status, deps: { resourceId: [vm] } });
    return gateOf(e, vm).links[0];
  };

  it("an undated record names its completedAt problem even when another field's problem comes first", () => {
    const { completedAt: _c, ...undated } = clean();
    const fs = assessmentFindings("ex01", [linkOf(undated, { code: "Meh" })], GATE, NOW);
    expect(fs).toMatchObject([{ kind: "newest-undated", why: "additionalData.completedAt is missing" }]);
    const unknownFirst = assessmentFindings("ex01", [linkOf({ ...undated, checks: UNKNOWN })], GATE, NOW);
    expect(unknownFirst).toMatchObject([{ kind: "newest-undated", why: "additionalData.completedAt is missing" }]);
  });

  it("a malformed record is not also unknown at preview, and an unknown field is not also malformed", () => {
    expect(kinds(assessmentFindings("ex01", [linkOf(clean(), { code: "Meh" })], GATE, NOW))).toEqual(["malformed"]);
    expect(kinds(assessmentFindings("ex01", [linkOf(clean({ checks: UNKNOWN }))], GATE, NOW))).toEqual(["unknown-at-preview", "missing-checks"]);
  });

  it("an invalid verdict beside another unknown field leaves the build to the record check", () => {
    expect(buildFindings("ex01", linkOf(clean({ verdict: "maybe", exchangeBuild: UNKNOWN })), GATE)).toEqual([]);
  });

  it("a build of the wrong type is missing, not unknown at preview", () => {
    expect(kinds(buildFindings("ex01", linkOf(clean({ exchangeBuild: 15 })), GATE))).toEqual(["build-missing"]);
  });
});

describe("osDiskFindings", () => {
  const findings = (storageProfile: unknown, approved: string[] = []) => {
    const e = new Estate();
    const vm = host(e);
    const graph = new ResourceGraph(toInputs(e.resources));
    const node = graph.node(vm.urn)!;
    const patched = { ...node, props: { storageProfile } } as unknown as typeof node;
    return texts(osDiskFindings(graph, patched, "ex01", approved));
  };
  const market = { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter" };

  it("FromImage in any case and spacing is built from an image", () => {
    expect(findings({ osDisk: { createOption: " fromIMAGE " }, imageReference: market })).toEqual([]);
  });

  it("FromImage without an image reference", () => {
    expect(findings({ osDisk: { createOption: "FromImage" }, imageReference: null })).toEqual([
      "host ex01 has createOption FromImage but no imageReference",
    ]);
  });

  it("an image not approved names it and every approved image", () => {
    expect(findings({ osDisk: { createOption: "FromImage" }, imageReference: market }, ["a:b:c", "d:e:f"])).toEqual([
      "host ex01 is built from microsoftwindowsserver:windowsserver:2022-datacenter, which is not in approvedImages: build it from one of a:b:c, d:e:f",
    ]);
  });

  it("a machine of a type whose disks the pack cannot read is named with its type; a scale set's profile is read", () => {
    const e = new Estate();
    const vm = host(e);
    const graph = new ResourceGraph(toInputs(e.resources));
    const node = graph.node(vm.urn)!;
    const other = { ...node, type: "azure-native:compute:VirtualMachineScaleSetVM" } as typeof node;
    expect(osDiskFindings(graph, other, "ex01", [])).toEqual([
      { host: "ex01", kind: "os-disk-unreadable", resourceType: "azure-native:compute:VirtualMachineScaleSetVM" },
    ]);
    const profile = { osDisk: { createOption: "Attach" } };
    const scaleSet = { ...node, type: "azure-native:compute:VirtualMachineScaleSet", props: { virtualMachineProfile: { storageProfile: profile } } };
    expect(kinds(osDiskFindings(graph, scaleSet as typeof node, "ex01", []))).toEqual(["not-from-image"]);
    expect(
      kinds(osDiskFindings(graph, { ...node, props: { virtualMachineProfile: { storageProfile: profile } } } as typeof node, "ex01", [])),
    ).toEqual(["create-option-missing"]);
  });

  it("Attach and Copy are not built from an image; a missing option is named", () => {
    expect(findings({ osDisk: { createOption: "Attach" } })[0]).toMatch(/^the OS disk of host ex01 is created with "Attach", not from an image/);
    expect(findings({ osDisk: {} })).toEqual(["the OS disk of host ex01 declares no createOption: create it FromImage from a trusted image"]);
  });
});
