/**
 * docs/contract.md#the-stacks and #assessment-records: the stack config and its records are checked up front, every problem reported at
 * once with a clear message, and nothing is registered when they fail.
 */
import * as pulumi from "@pulumi/pulumi";
import { renderGateFinding } from "../../policies/model";
import { FleetConfigError, parseFleetConfig, planFleet } from "../../stacks/config/fleetConfig";
import { deployFleet } from "../../stacks/fleet";
import { PINNED_BASELINE } from "../support/baseline";
import { CLEAN, deployRaw, Fleet, fleetConfig, GATEWAY_SUBNET, HostDef, NETWORK, NOW, ofType, PROJECT, STACK, T } from "../support/stackConfigs";

/** The problems parse + plan report (the error is always a FleetConfigError), or [] when it is valid. */
function problems(fleet: Fleet): string[] {
  try {
    planFleet(parseFleetConfig(fleet.raw), fleet.readFile, NOW);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(FleetConfigError);
    const err = e as FleetConfigError;
    for (const p of err.problems) expect(err.message).toContain(p);
    return [...err.problems];
  }
}

/** A fleet whose hosts are given raw (assessment file names that the records map does not have, ...). */
function withRawHosts(hosts: unknown[]): Fleet {
  const f = fleetConfig([]);
  return { ...f, raw: { ...f.raw, hosts } };
}

const ok: HostDef = { name: "ok1", state: "remediated", records: [CLEAN] };

describe("a valid config", () => {
  it("parses and plans without a problem", () => {
    expect(problems(fleetConfig([ok, { name: "ex02", state: "unverified" }, { name: "ex03", state: "compromised" }]))).toEqual([]);
  });
});

describe("each problem alone is reported clearly", () => {
  const cases: [string, Fleet, RegExp][] = [
    [
      "unknown state",
      fleetConfig([{ name: "ex01", state: "quarantined" }]),
      /hosts\[0\] \(ex01\)\.state: "quarantined" is not unverified, compromised or remediated/,
    ],
    [
      "duplicate host",
      fleetConfig([
        { name: "ex01", state: "unverified" },
        { name: "ex01", state: "unverified" },
      ]),
      /duplicate host ex01/,
    ],
    [
      "generation going down",
      fleetConfig([{ name: "ex01", generation: 1, state: "unverified", records: [{ generation: 2 }] }]),
      /ex01: generation 1 is lower than the generation 2 of ex01-g2-1\.json; a generation never goes down/,
    ],
    [
      "remediated without a record for the current generation",
      fleetConfig([{ name: "ex01", generation: 2, state: "remediated", records: [{ generation: 1 }] }]),
      /ex01: marked remediated but has no assessment record for generation 2/,
    ],
    [
      "remediated with no record at all",
      fleetConfig([{ name: "ex01", state: "remediated" }]),
      /ex01: marked remediated but has no assessment record for generation 1/,
    ],
    [
      "record not JSON",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "bad.json", text: "{ not json" }] }]),
      /bad\.json: not JSON/,
    ],
    [
      "record without additionalData",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "noad.json", noAdditionalData: true }] }]),
      /noad\.json: an assessment record is \{ "host", "generation"\?, "additionalData": \{\.\.\.\} \}/,
    ],
    [
      "record with a bad completedAt",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "when.json", data: { completedAt: "26/11/2026" } }] }]),
      /when\.json: additionalData\.completedAt "26\/11\/2026" is not an ISO-8601 instant/,
    ],
    [
      "record completed in the future",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "future.json", daysAgo: -2 }] }]),
      /future\.json: additionalData\.completedAt .* is in the future/,
    ],
    [
      "record with a hash that is not 64 hex",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "hash.json", data: { evidenceSha256: "z".repeat(64) } }] }]),
      /hash\.json: additionalData\.evidenceSha256 is not 64 hexadecimal characters/,
    ],
    [
      "record with a missing key",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "nokey.json", data: { exchangeBuild: undefined } }] }]),
      /nokey\.json: additionalData\.exchangeBuild is missing/,
    ],
    [
      "a clean record after a compromised one, same generation",
      fleetConfig([
        {
          name: "ex01",
          state: "unverified",
          records: [
            { file: "c.json", verdict: "compromised", daysAgo: 6 },
            { file: "k.json", verdict: "clean", daysAgo: 2 },
          ],
        },
      ]),
      /ex01: k\.json records generation 1 clean after c\.json found it compromised/,
    ],
    [
      "a compromised current generation marked remediated",
      fleetConfig([{ name: "ex01", state: "remediated", records: [{ file: "c.json", verdict: "compromised", daysAgo: 6 }] }]),
      /ex01: generation 1 was found compromised and cannot be marked remediated; raise its generation/,
    ],
    [
      "record of another host",
      fleetConfig([{ name: "ex01", state: "unverified", records: [{ file: "other.json", host: "ex09" }] }]),
      /other\.json: record of host ex09 listed under host ex01/,
    ],
    [
      "record file missing",
      withRawHosts([{ name: "ex01", state: "unverified", assessments: ["gone.json"] }]),
      /ex01: cannot read assessment record gone\.json/,
    ],
    [
      "subnet outside the address space",
      fleetConfig([ok], { network: { ...NETWORK, quarantineSubnet: "10.99.2.0/24" } }),
      /network\.quarantineSubnet 10\.99\.2\.0\/24 is outside addressSpace 10\.40\.0\.0\/16/,
    ],
    [
      "client port 3389/tcp",
      fleetConfig([ok], { publishing: { kind: "loadBalancer", clientPorts: ["443/tcp", "3389/tcp"] } }),
      /publishing\.clientPorts: "3389\/tcp" includes management port 3389/,
    ],
    [
      "client port range over WinRM",
      fleetConfig([ok], { publishing: { kind: "loadBalancer", clientPorts: ["5000-6000/tcp"] } }),
      /publishing\.clientPorts: "5000-6000\/tcp" includes management port 5985/,
    ],
    [
      "applicationGateway without gatewaySubnet",
      fleetConfig([ok], { publishing: { kind: "applicationGateway" } }),
      /network\.gatewaySubnet: required when publishing\.kind is applicationGateway/,
    ],
    [
      "unknown publishing kind",
      fleetConfig([ok], { publishing: { kind: "frontDoor" } }),
      /publishing\.kind: "frontDoor" is not loadBalancer or applicationGateway/,
    ],
    ["bad host name", fleetConfig([{ name: "EX_01", state: "unverified" }]), /hosts\[0\]\.name: "EX_01" must be 1-10 lower-case/],
  ];

  it.each(cases)("%s", (_label, fleet, message) => {
    const found = problems(fleet);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});

describe("every problem at once", () => {
  it("parse: lists ALL config problems in one error", () => {
    const fleet = fleetConfig(
      [
        { name: "ex01", state: "bogus" },
        { name: "ex01", state: "unverified" },
      ],
      {
        network: { ...NETWORK, forensicsSubnet: "192.168.3.0/24" },
        publishing: { kind: "applicationGateway", clientPorts: ["443/tcp", "3389/tcp"] },
      },
    );
    const found = problems(fleet);
    expect(found).toEqual([
      expect.stringMatching(/network\.forensicsSubnet 192\.168\.3\.0\/24 is outside addressSpace/),
      expect.stringMatching(/network\.gatewaySubnet: required when publishing\.kind is applicationGateway/),
      expect.stringMatching(/publishing\.clientPorts: "3389\/tcp" includes management port 3389/),
      expect.stringMatching(/hosts\[0\] \(ex01\)\.state: "bogus"/),
      expect.stringMatching(/hosts\[1\]\.name: duplicate host ex01/),
    ]);
  });

  it("plan: lists ALL record and history problems in one error", () => {
    const fleet = fleetConfig([
      { name: "ex01", generation: 1, state: "unverified", records: [{ generation: 3 }] },
      { name: "ex02", generation: 2, state: "remediated", records: [{ generation: 1 }] },
      {
        name: "ex03",
        state: "unverified",
        records: [
          { file: "ex03-a.json", text: "{oops" },
          { file: "ex03-b.json", noAdditionalData: true },
          { file: "ex03-c.json", data: { completedAt: "yesterday" } },
          { file: "ex03-d.json", data: { evidenceSha256: "abc123" } },
        ],
      },
      {
        name: "ex04",
        state: "unverified",
        records: [
          { file: "ex04-c.json", verdict: "compromised", daysAgo: 5 },
          { file: "ex04-k.json", verdict: "clean", daysAgo: 1 },
        ],
      },
      { name: "ex05", state: "remediated", records: [{ file: "ex05-c.json", verdict: "compromised", daysAgo: 5 }] },
      { name: "ex06", state: "unverified", records: [{ file: "ex06-x.json", host: "ex99" }] },
    ]);
    const found = problems(fleet);
    const expected = [
      /ex01: generation 1 is lower than the generation 3/,
      /ex02: marked remediated but has no assessment record for generation 2/,
      /ex03-a\.json: not JSON/,
      /ex03-b\.json: an assessment record is/,
      /ex03-c\.json: additionalData\.completedAt "yesterday"/,
      /ex03-d\.json: additionalData\.evidenceSha256 is not 64 hexadecimal/,
      /ex04: ex04-k\.json records generation 1 clean after ex04-c\.json found it compromised/,
      /ex05: generation 1 was found compromised and cannot be marked remediated/,
      /ex06-x\.json: record of host ex99 listed under host ex06/,
    ];
    for (const re of expected) expect(found.filter((p) => re.test(p))).toHaveLength(1);
    expect(found).toHaveLength(expected.length);
  });
});

describe("nothing is registered when the config fails", () => {
  const BAD = fleetConfig([
    { name: "ex01", state: "remediated" },
    { name: "ex02", state: "unverified", records: [{ host: "ex09" }] },
  ]);

  it.each([true, false])("a program that parses and plans first registers no resource and makes no invoke (preview=%s)", async (preview) => {
    const seen: string[] = [];
    pulumi.runtime.setMocks(
      {
        newResource: (a) => {
          seen.push(`${a.type}::${a.name}`);
          return { id: preview ? undefined : `${a.name}-id`, state: a.inputs };
        },
        call: (a) => {
          seen.push(`invoke ${a.token}`);
          return {};
        },
      },
      PROJECT,
      STACK,
      preview,
    );
    // The stacks' entry point does this (stacks/index.ts main): parse, plan, then deploy.
    const program = async () => {
      const config = parseFleetConfig(BAD.raw);
      const plan = planFleet(config, BAD.readFile, NOW);
      return deployFleet(config, plan, STACK);
    };
    await expect(program()).rejects.toThrow(FleetConfigError);
    await expect(program()).rejects.toThrow(/ex01: marked remediated but has no assessment record[\s\S]*record of host ex09 listed under host ex02/);
    expect(seen).toEqual([]);
  });

  it("deployRaw (parse → plan → capture) throws before capturing", async () => {
    await expect(deployRaw(BAD, { preview: true })).rejects.toThrow(FleetConfigError);
  });

  it("the same fleet, fixed, deploys", async () => {
    const fixed = fleetConfig([
      { name: "ex01", state: "remediated", records: [CLEAN] },
      { name: "ex02", state: "unverified" },
    ]);
    const { regs } = await deployRaw(fixed, { preview: true });
    expect(
      ofType(regs, T.vm)
        .map((r) => r.name)
        .sort(),
    ).toEqual(["ex01-g1", "ex02-g1"]);
  });
});

describe("defaults", () => {
  it("fills in client ports, management ports, forensics sources and the image", () => {
    const raw = { resourceGroupName: "rg", network: { ...NETWORK, gatewaySubnet: GATEWAY_SUBNET }, hosts: [{ name: "ex01", state: "unverified" }] };
    const c = parseFleetConfig(raw);
    expect(c.publishing).toEqual({ kind: "loadBalancer", clientPorts: ["443/tcp", "25/tcp"] });
    expect(c.managementPorts).toEqual([3389, 5985, 5986]);
    expect(c.forensicsSourcePrefixes).toEqual([NETWORK.forensicsSubnet, NETWORK.bastionSubnet]);
    expect(c.hosts[0]).toMatchObject({ name: "ex01", generation: 1, state: "unverified", assessments: [] });
    expect("publisher" in c.image || "id" in c.image).toBe(true);
  });
});

describe("planFleet: the gate decides verified, and says why not", () => {
  function plan1(host: HostDef, extra: Record<string, unknown> = {}) {
    const f = fleetConfig([host], extra);
    return planFleet(parseFleetConfig(f.raw), f.readFile, NOW)[0];
  }

  it("a remediated host with a clean, recent, complete record of a patched build is verified", () => {
    const p = plan1({ name: "ex01", state: "remediated", records: [CLEAN] });
    expect(p).toMatchObject({ verified: true, gateFindings: [], vmName: "ex01-g1", compromisedNow: false, compromisedGenerations: [] });
  });

  it.each<[string, HostDef, Record<string, unknown>, string, RegExp]>([
    ["stale record", { name: "ex01", state: "remediated", records: [{ daysAgo: 31 }] }, {}, "too-old", /ex01.*31 days ago \(limit 30\)/],
    [
      "unpatched build",
      { name: "ex01", state: "remediated", records: [{ data: { exchangeBuild: "15.2.792.3" } }] },
      {},
      "build-unpatched",
      /ex01 runs Exchange 2019 CU8 \(15\.2\.792\.3\), which does not include/,
    ],
    [
      "missing required check",
      { name: "ex01", state: "remediated", records: [{ data: { checks: "CVE-2021-26855,webshell-scan" } }] },
      {},
      "missing-checks",
      /ex01 does not cover CVE-2021-26857, CVE-2021-26858, CVE-2021-27065, msert-full-scan/,
    ],
    [
      "logs do not reach the investigation window",
      { name: "ex01", state: "remediated", records: [{ data: { logsSince: "2026-11-01" } }] },
      {},
      "logs-too-recent",
      /ex01 only covers logs since 2026-11-01, after the investigation window start 2021-01-01/,
    ],
    [
      "image not approved",
      { name: "ex01", state: "remediated", records: [CLEAN] },
      { gate: { asOf: NOW.toISOString(), securityBaseline: PINNED_BASELINE, approvedImages: ["Contoso:Hardened:2022"] } },
      "image-not-approved",
      // The pack's own OS-disk check judges the VM the plan will register, so the image reads as the pack writes it.
      /^host ex01 is built from microsoftwindowsserver:windowsserver:2022-datacenter-azure-edition:latest, which is not in approvedImages: build it from one of Contoso:Hardened:2022$/,
    ],
    [
      "stricter maxAssessmentAgeDays",
      { name: "ex01", state: "remediated", records: [{ daysAgo: 8 }] },
      { gate: { asOf: NOW.toISOString(), securityBaseline: PINNED_BASELINE, maxAssessmentAgeDays: 7 } },
      "too-old",
      /limit 7/,
    ],
  ])("%s: not verified, finding says why", (_label, host, extra, kind, why) => {
    const p = plan1(host, extra);
    expect(p.verified).toBe(false);
    expect(p.gateFindings.map((f) => f.kind)).toEqual([kind]);
    expect(renderGateFinding(p.gateFindings[0])).toMatch(why);
  });

  it("a gate clock left unpinned uses the given clock", () => {
    const f = fleetConfig([{ name: "ex01", state: "remediated", records: [CLEAN] }], { gate: { securityBaseline: PINNED_BASELINE } });
    const c = parseFleetConfig(f.raw);
    expect(planFleet(c, f.readFile, NOW)[0].verified).toBe(true);
    expect(planFleet(c, f.readFile, new Date(NOW.getTime() + 60 * 24 * 3600 * 1000))[0].verified).toBe(false);
  });

  it("a record without generation belongs to generation 1", () => {
    const p = plan1({ name: "ex01", generation: 2, state: "unverified", records: [{ generation: null, verdict: "compromised", daysAgo: 9 }] });
    expect(p.current).toBeUndefined();
    expect(p.compromisedGenerations).toEqual([1]);
    expect(p.compromisedNow).toBe(false);
  });

  it("unverified and compromised hosts are never verified, whatever their records say", () => {
    for (const state of ["unverified", "compromised"]) expect(plan1({ name: "ex01", state, records: [CLEAN] }).verified).toBe(false);
  });
});
