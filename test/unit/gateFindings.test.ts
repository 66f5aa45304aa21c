/**
 * The gate's findings are values; their text is made in one place. Every kind names its host and says what to do, and
 * a finding asked only because the state tag cannot be read says so first.
 */
import { GateProblem, GateProblemKind, renderGateFinding } from "../../policies/model/gateFindings";
import type { CompromiseWitness, ExchangeOrigin, UnknownOrigin } from "../../policies/model/provenance";

const at = new Date("2026-11-20T08:00:00Z");
const unknownField = { field: "additionalData.verdict", kind: "unknown", text: "additionalData.verdict is unknown at preview" } as const;
const malformed = { field: "status.code", kind: "invalid", text: 'status.code "Meh" is not Healthy or Unhealthy' } as const;

/** One problem of every kind (the Record type fails to compile when a kind is added without a row) and its text. */
const EXAMPLES: Record<GateProblemKind, [GateProblem, string]> = {
  "no-assessment": [
    { kind: "no-assessment" },
    "host ex01 is marked remediated but no compromise assessment (security.Assessment with assessmentKind exchange-compromise) is linked to its VM: re-run Test-ProxyLogon.ps1 and a full MSERT scan, ingest the output (exchange-guard ingest) and record a new assessment for this VM",
  ],
  "newest-undated": [
    { kind: "newest-undated", label: "assessment a1", why: "additionalData.completedAt is missing" },
    "the newest assessment of host ex01 cannot be determined: assessment a1: additionalData.completedAt is missing",
  ],
  "uncertain-link": [
    { kind: "uncertain-link", label: "assessment a1", how: "through dependsOn" },
    "assessment a1 is linked to host ex01 only through dependsOn: link it by the VM's id (resourceId: vm.id)",
  ],
  "unknown-at-preview": [
    { kind: "unknown-at-preview", label: "assessment a1", unknowns: [unknownField, { ...unknownField, field: "x", text: "x is unknown" }] },
    "assessment a1 of host ex01 cannot be judged at preview: additionalData.verdict is unknown at preview; x is unknown",
  ],
  "found-compromised": [
    { kind: "found-compromised", label: "assessment a1", completedAt: at },
    "the newest assessment of host ex01 (assessment a1, 2026-11-20T08:00:00.000Z) found it compromised: a compromised host is rebuilt as a new generation, never marked remediated",
  ],
  "not-clean": [{ kind: "not-clean", label: "assessment a1" }, "assessment a1 of host ex01 does not record a clean verdict"],
  malformed: [
    { kind: "malformed", label: "assessment a1", problem: malformed },
    'assessment a1 of host ex01 is malformed: status.code "Meh" is not Healthy or Unhealthy',
  ],
  "too-old": [
    { kind: "too-old", ageDays: 41, limitDays: 30 },
    "assessment of ex01 completed 41 days ago (limit 30): re-run Test-ProxyLogon.ps1 and a full MSERT scan, ingest the output (exchange-guard ingest) and record a new assessment",
  ],
  "missing-checks": [
    { kind: "missing-checks", missing: ["CVE-2021-26857", "msert-full-scan"] },
    "assessment of ex01 does not cover CVE-2021-26857, msert-full-scan: run the missing checks and record a new assessment",
  ],
  "logs-too-recent": [
    { kind: "logs-too-recent", logsSince: at, windowStart: new Date("2021-01-01T00:00:00Z") },
    "assessment of ex01 only covers logs since 2026-11-20, after the investigation window start 2021-01-01: a clean scan over too few logs proves nothing; restore older logs (or a backup) and re-scan, or rebuild the host",
  ],
  "verdict-unknown": [
    { kind: "verdict-unknown", label: "assessment a1", why: "additionalData.verdict is unknown at preview" },
    "the build of host ex01 cannot be judged: assessment a1: additionalData.verdict is unknown at preview",
  ],
  "build-unknown": [
    { kind: "build-unknown", label: "assessment a1" },
    "the Exchange build of host ex01 is unknown at preview (assessment a1 additionalData.exchangeBuild)",
  ],
  "build-missing": [
    { kind: "build-missing", label: "assessment a1" },
    "assessment a1 of host ex01 records no valid Exchange build: read it with HealthChecker or Get-Command ExSetup.exe and record it in additionalData.exchangeBuild",
  ],
  "build-unpatched": [
    {
      kind: "build-unpatched",
      product: "Exchange 2019 CU8",
      build: "15.2.792.3",
      baseline: "2021-03",
      reason: "CU8 needs build 15.2.792.10",
      minimumBuild: "15.2.792.10",
    },
    "host ex01 runs Exchange 2019 CU8 (15.2.792.3), which does not include the 2021-03 security update: CU8 needs build 15.2.792.10. Install the security update (build 15.2.792.10 or later), then record a new assessment.",
  ],
  "compromised-marked-remediated": [
    { kind: "compromised-marked-remediated", label: "assessment a1", completedAt: at },
    "host ex01 was found compromised (assessment a1, 2026-11-20T08:00:00.000Z) and is marked remediated: a compromised host is never cleaned in place; raise its generation to build a new VM from a trusted image, keep the old disk's snapshot as evidence and rotate its credentials",
  ],
  "os-disk-unreadable": [
    { kind: "os-disk-unreadable", resourceType: "azure-native:compute:Foo" },
    "host ex01 is a azure-native:compute:Foo, whose OS disk the pack cannot read (it reads VirtualMachine and VirtualMachineScaleSet): build it with azure-native from a trusted image",
  ],
  "create-option-unknown": [
    { kind: "create-option-unknown", described: "unknown at preview" },
    "the OS disk create option of host ex01 is unknown at preview, so the pack cannot tell that it is built from an image",
  ],
  "create-option-missing": [
    { kind: "create-option-missing" },
    "the OS disk of host ex01 declares no createOption: create it FromImage from a trusted image",
  ],
  "not-from-image": [
    { kind: "not-from-image", createOption: "Attach" },
    'the OS disk of host ex01 is created with "Attach", not from an image: an attached or copied disk carries whatever was on it; build the VM from a trusted image (createOption FromImage)',
  ],
  "no-image-reference": [{ kind: "no-image-reference" }, "host ex01 has createOption FromImage but no imageReference"],
  "image-unknown": [
    { kind: "image-unknown", why: "imageReference.id is unknown at preview" },
    "the image of host ex01 cannot be checked against approvedImages: imageReference.id is unknown at preview",
  ],
  "image-not-approved": [
    { kind: "image-not-approved", image: "a:b:c:1", approved: ["d:e:f", "g:h:i"] },
    "host ex01 is built from a:b:c:1, which is not in approvedImages: build it from one of d:e:f, g:h:i",
  ],
  "descends-from-exchange-host": [
    {
      kind: "descends-from-exchange-host",
      chain: [
        { type: "VM", name: "ex01-g2", field: "imageReference.id" },
        { type: "image", name: "img-golden", field: "sourceVirtualMachine", byDependency: true },
        { type: "VM", name: "ex01-g1" },
      ],
      origin: { kind: "host", host: "ex01-g1", tagsUnreadable: false },
    },
    "host ex01's OS disk descends from Exchange host ex01-g1: VM ex01-g2 imageReference.id → image img-golden (sourceVirtualMachine, by dependency) → VM ex01-g1 (an Exchange host). Fix: build the image from a trusted, non-Exchange source (a marketplace image, or an image captured from a builder VM that never was an Exchange host), never from an Exchange host's VM, disks, snapshots or restore points or an image made from them; evidence snapshots stay evidence",
  ],
  "ancestry-untraceable": [
    {
      kind: "ancestry-untraceable",
      chain: [
        { type: "VM", name: "ex01", field: "imageReference.id" },
        { type: "image", name: "img-vhd", field: "storageProfile.osDisk.blobUri" },
      ],
      unknown: { kind: "blob" },
      witness: { host: "ex02", by: "assessment", label: "assessment a1" },
    },
    "the origin of host ex01's OS disk cannot be traced while this stack holds a compromised host (ex02, found compromised by assessment a1): VM ex01 imageReference.id → image img-vhd (storageProfile.osDisk.blobUri) → a VHD blob, whose origin cannot be traced. Fix: build it from a marketplace image or from an image this stack builds from a non-Exchange source, or verify the source of an image made outside this stack and list it in approvedImages",
  ],
};

describe("renderGateFinding", () => {
  it.each(Object.entries(EXAMPLES))("%s", (_kind, [problem, text]) => {
    expect(renderGateFinding({ ...problem, host: "ex01" })).toBe(text);
  });

  it("the build-unpatched text without a minimum build leaves the next step to the reason", () => {
    const [problem] = EXAMPLES["build-unpatched"];
    expect(renderGateFinding({ ...problem, host: "ex01", minimumBuild: undefined } as never)).toBe(
      "host ex01 runs Exchange 2019 CU8 (15.2.792.3), which does not include the 2021-03 security update: CU8 needs build 15.2.792.10. Then record a new assessment.",
    );
  });

  it("the compromise without a usable instant leaves the instant out", () => {
    expect(renderGateFinding({ host: "ex01", kind: "compromised-marked-remediated", label: "assessment a1", completedAt: undefined })).toMatch(
      /^host ex01 was found compromised \(assessment a1\) and is marked remediated: /,
    );
  });

  it.each(Object.entries(EXAMPLES))("%s asked because the state tag cannot be read says so first", (_kind, [problem, text]) => {
    expect(renderGateFinding({ ...problem, host: "ex01", unreadableStateTag: "remediation-state" })).toBe(
      `the remediation-state tag of host ex01 cannot be read, so it may say remediated: ${text}`,
    );
  });
});

describe("the ancestry findings name the chain's end in words of its own kind", () => {
  const chain = [
    { type: "VM", name: "ex01", field: "imageReference.id" },
    { type: "disk", name: "ex02-g1-osdisk" },
  ];
  const descent = (origin: ExchangeOrigin) => renderGateFinding({ host: "ex01", kind: "descends-from-exchange-host", chain, origin });

  it.each<[ExchangeOrigin, string, string]>([
    [{ kind: "host", host: "ex02-g1", tagsUnreadable: false }, "Exchange host ex02-g1", "an Exchange host"],
    [{ kind: "host", host: "b1", tagsUnreadable: true }, "Exchange host b1", "treated as an Exchange host: its tags cannot be read"],
    [{ kind: "host-disk", host: "ex02-g1", disk: "OS" }, "Exchange host ex02-g1", "the OS disk of Exchange host ex02-g1"],
    [{ kind: "host-disk", host: "ex02-g1", disk: "data" }, "Exchange host ex02-g1", "a data disk of Exchange host ex02-g1"],
    [{ kind: "host-disk", host: "ex02-g1" }, "Exchange host ex02-g1", "a disk of Exchange host ex02-g1"],
    [{ kind: "generation", host: "ex02-g2" }, "a generation of Exchange host ex02-g2", "named as a generation of Exchange host ex02-g2"],
    [{ kind: "evidence" }, "the evidence of a compromised Exchange host", "evidence of a compromised Exchange host, by its purpose tag"],
    [{ kind: "evidence-source", snapshot: "s1" }, "the evidence of a compromised Exchange host", "the disk evidence snapshot s1 copies"],
    [{ kind: "assessed", label: "assessment a7" }, "assessed Exchange host ex02-g1-osdisk", "the VM assessment a7 assesses for compromise"],
  ])("%j", (origin, headline, end) => {
    expect(descent(origin)).toMatch(
      new RegExp(
        `^host ex01's OS disk descends from ${headline}: VM ex01 imageReference\\.id → disk ex02-g1-osdisk \\(${end.replace(/[()]/g, "\\$&")}\\)\\. Fix: `,
      ),
    );
  });

  const untraceable = (unknown: UnknownOrigin, witness: CompromiseWitness = { host: "ex09", by: "tag" }) =>
    renderGateFinding({ host: "ex01", kind: "ancestry-untraceable", chain: chain.slice(0, 1), unknown, witness });

  it.each<[UnknownOrigin, string]>([
    [{ kind: "unknown-id", described: "unknown at preview" }, "an id that is unknown at preview, and no dependency names the resource"],
    [{ kind: "guessed" }, "a resource only plain dependencies hint at, as the property has no dependency of its own"],
    [{ kind: "outside-stack", id: "/subscriptions/s/x" }, "/subscriptions/s/x, outside this stack and not a resource it knows as an Exchange host's"],
    [{ kind: "blob" }, "a VHD blob, whose origin cannot be traced"],
    [{ kind: "uploaded", createOption: "Upload" }, "content uploaded after creation (createOption Upload), whose origin cannot be traced"],
    [
      { kind: "unmodelled", resourceType: "azure-native:storage:Blob", name: "b" },
      "azure-native:storage:Blob b, whose origin the pack does not follow",
    ],
    [{ kind: "no-versions" }, "no version of it in this stack (its versions are published elsewhere)"],
    [{ kind: "unreadable", described: "malformed (expected a string)" }, "a value that is malformed (expected a string)"],
  ])("%j", (unknown, text) => {
    expect(untraceable(unknown)).toContain(`(ex09, tagged compromised): VM ex01 imageReference.id → ${text}. Fix: `);
  });

  it.each<[CompromiseWitness, string]>([
    [{ host: "ex09", by: "tag" }, "ex09, tagged compromised"],
    [{ host: "ex09", by: "assessment", label: "assessment a2" }, "ex09, found compromised by assessment a2"],
    [{ host: "ex09", by: "unreadable-tag" }, "ex09, whose state tag cannot be read"],
  ])("the compromised host %j", (witness, text) => {
    expect(untraceable({ kind: "blob" }, witness)).toContain(`while this stack holds a compromised host (${text}): `);
  });

  it("a long chain shows where resources were left out, and how many", () => {
    const text = renderGateFinding({
      host: "ex01",
      kind: "descends-from-exchange-host",
      chain: [
        { type: "VM", name: "ex01", field: "imageReference.id" },
        { type: "image", name: "img", field: "storageProfile.osDisk.snapshot" },
        { type: "snapshot", name: "s0", field: "creationData.sourceResourceId" },
        { type: "VM", name: "ex02" },
      ],
      origin: { kind: "host", host: "ex02", tagsUnreadable: false },
      elided: { after: 1, count: 17 },
    });
    expect(text).toContain(
      ": VM ex01 imageReference.id → image img (storageProfile.osDisk.snapshot) → … 17 more … → snapshot s0 (creationData.sourceResourceId) → VM ex02 (an Exchange host). Fix: ",
    );
  });

  it("a first hop read by dependency says so in parentheses", () => {
    const text = renderGateFinding({
      host: "ex01",
      kind: "descends-from-exchange-host",
      chain: [
        { type: "VM", name: "ex01", field: "imageReference.id", byDependency: true },
        { type: "VM", name: "ex02" },
      ],
      origin: { kind: "host", host: "ex02", tagsUnreadable: false },
    });
    expect(text).toContain(": VM ex01 (imageReference.id, by dependency) → VM ex02 (an Exchange host). Fix: ");
  });
});
