/**
 * The gate's findings are values; their text is made in one place. Every kind names its host and says what to do, and
 * a finding asked only because the state tag cannot be read says so first.
 */
import { GateProblem, GateProblemKind, renderGateFinding } from "../../policies/model/gateFindings";

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
