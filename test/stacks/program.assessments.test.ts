/**
 * docs/contract.md#the-stacks: assessment records become `security.Assessment` resources on their VM, exactly one
 * per VM (from the NEWEST record of the current generation, by completedAt), under one
 * `AssessmentMetadataInSubscription` the program creates.
 */
import type { Registration } from "../../cli/preview/captureStack";
import { Deployed, deployRaw, fleetConfig, get, GUID, ofType, one, rulesOf, T, UNKNOWN } from "../support/stackConfigs";

const FLEET = fleetConfig([
  // Two clean records, the NEWER listed first: the newest by completedAt wins, not the list order.
  {
    name: "ex01",
    state: "unverified",
    records: [
      { file: "ex01-new.json", daysAgo: 2, data: { tool: "newest" } },
      { file: "ex01-old.json", daysAgo: 9, data: { tool: "older" } },
    ],
  },
  // Rebuilt: generation 1 compromised, generation 2 not yet assessed -> no assessment.
  { name: "ex02", generation: 2, state: "unverified", records: [{ generation: 1, verdict: "compromised", daysAgo: 8 }] },
  { name: "ex03", state: "remediated", records: [{ file: "ex03.json", daysAgo: 1 }] },
  { name: "ex04", state: "compromised", records: [{ file: "ex04.json", verdict: "compromised", daysAgo: 4 }] },
  { name: "ex05", state: "unverified" },
  // Clean first, then found compromised (allowed order): the newest, compromised, is the assessment.
  {
    name: "ex06",
    state: "unverified",
    records: [
      { file: "ex06-clean.json", verdict: "clean", daysAgo: 10 },
      { file: "ex06-compromised.json", verdict: "compromised", daysAgo: 3 },
    ],
  },
]);

const record = (file: string) => JSON.parse(FLEET.files[file]) as { additionalData: Record<string, string> };

const runs: Record<string, Deployed> = {};
beforeAll(async () => {
  for (const preview of [true, false]) runs[String(preview)] = await deployRaw(FLEET, { preview });
});

describe.each([true, false])("preview=%s", (preview) => {
  let regs: Registration[];
  beforeAll(() => {
    regs = runs[String(preview)].regs;
  });

  it("exactly one assessment per VM that has a record for its current generation", () => {
    expect(
      ofType(regs, T.assessment)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ex01-g1-assessment", "ex03-g1-assessment", "ex04-g1-assessment", "ex06-g1-assessment"]);
    // Each is linked to a distinct VM.
    const vms = ofType(regs, T.assessment).map((a) => (a.propertyDependencies.resourceId ?? []).join());
    expect(new Set(vms).size).toBe(4);
  });

  it.each([
    ["ex01-g1", "ex01-new.json", "Healthy"],
    ["ex03-g1", "ex03.json", "Healthy"],
    ["ex04-g1", "ex04.json", "Unhealthy"],
    ["ex06-g1", "ex06-compromised.json", "Unhealthy"],
  ])("%s: from the newest record %s, status %s, additionalData as recorded, linked to the VM", (vmName, file, code) => {
    const a = one(regs, T.assessment, `${vmName}-assessment`);
    const vm = one(regs, T.vm, vmName);
    expect(get(a.inputs, "status", "code")).toBe(code);
    expect(a.inputs.additionalData).toEqual(record(file).additionalData);
    expect(a.propertyDependencies.resourceId).toEqual([vm.urn]);
    expect(a.dependencies).toContain(vm.urn);
    expect(a.parent).toMatch(new RegExp(`exchange-guard:exchange:Host::${vmName}$`));
    if (preview) {
      expect(a.inputs.resourceId).toBe(UNKNOWN);
    } else {
      expect(a.inputs.resourceId).toBe(vm.id);
      expect(a.id).toBe(`${vm.id}/providers/Microsoft.Security/assessments/${GUID}`);
    }
  });

  it("assessmentName is the metadata GUID (or, at preview, the metadata resource's name by URN)", () => {
    const meta = one(regs, T.metadata, "exchange-compromise-assessment");
    for (const a of ofType(regs, T.assessment)) {
      expect(a.dependencies).toContain(meta.urn);
      if (preview && a.inputs.assessmentName === UNKNOWN) expect(a.propertyDependencies.assessmentName).toEqual([meta.urn]);
      else expect(a.inputs.assessmentName).toBe(GUID);
    }
  });

  it("exactly one AssessmentMetadataInSubscription, CustomerManaged, with the configured GUID", () => {
    const metas = ofType(regs, T.metadata);
    expect(metas).toHaveLength(1);
    expect(metas[0].inputs.assessmentMetadataName).toBe(GUID);
    expect(metas[0].inputs.assessmentType).toBe("CustomerManaged");
    expect(typeof metas[0].inputs.displayName).toBe("string");
    if (!preview) expect(metas[0].id).toMatch(new RegExp(`/assessmentMetadata/${GUID}$`));
  });

  it("no assessment for a generation without records (ex02-g2, ex05-g1)", () => {
    for (const vm of ["ex02-g2", "ex05-g1"]) {
      const vmUrn = one(regs, T.vm, vm).urn;
      expect(ofType(regs, T.assessment).filter((a) => (a.propertyDependencies.resourceId ?? []).includes(vmUrn))).toEqual([]);
    }
    // Generation 1's record does not become an assessment on generation 2's VM, nor on a ghost VM.
    expect(ofType(regs, T.assessment).filter((a) => a.name.startsWith("ex02"))).toEqual([]);
  });

  it("a current generation found compromised by its newest record is treated as compromised whatever its tag", () => {
    const nsg = one(regs, T.nsg, "ex06-g1-isolation");
    expect(rulesOf(nsg).map((r) => r.name)).toEqual(["allow-forensics-in", "deny-all-in", "allow-forensics-out", "deny-internet-out"]);
    expect(get(one(regs, T.snapshot, "ex06-g1-osdisk-evidence").inputs, "creationData", "createOption")).toBe("Copy");
  });
});

it("uses the default metadata GUID when none is configured", async () => {
  const raw = { ...FLEET.raw };
  delete raw.assessmentMetadataGuid;
  const { regs } = await deployRaw({ ...FLEET, raw }, { preview: false });
  const guid = one(regs, T.metadata, "exchange-compromise-assessment").inputs.assessmentMetadataName;
  expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  for (const a of ofType(regs, T.assessment)) expect(a.inputs.assessmentName).toBe(guid);
});
