/**
 * Policy config (docs/contract.md#configuration): the gate is set once on exchange-remediated-requires-assessment;
 * bad config is rejected with a message that names the key.
 */
import {
  CLIENT_PORTS_SCHEMA,
  GATE_HOME,
  GATE_KEYS,
  GATE_SCHEMA,
  ISOLATION_SCHEMA,
  prefixSet,
  resolveClientPorts,
  resolveGate,
  schemaErrors,
  TRUSTED_SCHEMA,
} from "../../policies/model/config";
import { DEFAULT_REQUIRED_CHECKS } from "../../policies/model/gate";
import { DEFAULT_BASELINE, WAVES } from "../../policies/model/exchangeBuilds";
import { Proto } from "../../policies/model/flows";
import { RULES } from "../../policies/rules";

const ruleSchemas = (name: string) => RULES.find((r) => r.name === name)!.schemas;

describe("resolveGate", () => {
  it("[default baseline] defaults: 30 days, the six checks, 2021-01-01, the newest wave, any image", () => {
    const { gate, errors, asOf } = resolveGate({});
    expect(errors).toEqual([]);
    expect(asOf).toBeUndefined();
    expect(gate.maxAssessmentAgeDays).toBe(30);
    expect(gate.requiredChecks).toEqual([...DEFAULT_REQUIRED_CHECKS]);
    expect(gate.requiredChecks).toEqual(["CVE-2021-26855", "CVE-2021-26857", "CVE-2021-26858", "CVE-2021-27065", "webshell-scan", "msert-full-scan"]);
    expect(gate.investigationWindowStart.toISOString()).toBe("2021-01-01T00:00:00.000Z");
    expect(gate.securityBaseline).toBe(DEFAULT_BASELINE);
    expect(gate.securityBaseline).toBe("2026-09");
    expect(gate.approvedImages).toEqual([]);
    expect(gate.hostTag).toBe("workload");
    expect(gate.stateTag).toBe("remediation-state");
  });

  it("valid settings are taken", () => {
    const { gate, errors } = resolveGate({
      maxAssessmentAgeDays: 14,
      requiredChecks: [" webshell-scan ", "msert-full-scan"],
      investigationWindowStart: "2020-10-01",
      securityBaseline: "2021-03",
      approvedImages: [
        " MicrosoftWindowsServer:WindowsServer:2022-datacenter ",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i",
      ],
    });
    expect(errors).toEqual([]);
    expect(gate.maxAssessmentAgeDays).toBe(14);
    expect(gate.requiredChecks).toEqual(["webshell-scan", "msert-full-scan"]);
    expect(gate.investigationWindowStart.toISOString()).toBe("2020-10-01T00:00:00.000Z");
    expect(gate.securityBaseline).toBe("2021-03");
    expect(gate.approvedImages[0]).toBe("MicrosoftWindowsServer:WindowsServer:2022-datacenter");
  });

  it.each(WAVES)("every known wave is accepted as securityBaseline: %s", (w) => {
    expect(resolveGate({ securityBaseline: w }).errors).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["a bad date", { investigationWindowStart: "2021-13-01" }, "investigationWindowStart"],
    ["an impossible date", { investigationWindowStart: "2021-02-30" }, "investigationWindowStart"],
    ["a European date", { investigationWindowStart: "01/01/2021" }, "investigationWindowStart"],
    ["an unknown baseline", { securityBaseline: "2021-02" }, "securityBaseline"],
    ["a baseline in another form", { securityBaseline: "March 2021" }, "securityBaseline"],
    ["maxAssessmentAgeDays 0", { maxAssessmentAgeDays: 0 }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays 1.5", { maxAssessmentAgeDays: 1.5 }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays as a string", { maxAssessmentAgeDays: "30" }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays negative", { maxAssessmentAgeDays: -5 }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays above 3650", { maxAssessmentAgeDays: 3651 }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays NaN", { maxAssessmentAgeDays: NaN }, "maxAssessmentAgeDays"],
    ["approvedImages: a bare word", { approvedImages: ["windows"] }, "approvedImages"],
    ["approvedImages: two parts", { approvedImages: ["MicrosoftWindowsServer:WindowsServer"] }, "approvedImages"],
    ["approvedImages: five parts", { approvedImages: ["a:b:c:d:e"] }, "approvedImages"],
    ["approvedImages: an empty part", { approvedImages: ["a::c"] }, "approvedImages"],
    ["approvedImages: a path that is no resource id", { approvedImages: ["/images/windows"] }, "approvedImages"],
    [
      "approvedImages: a resource id that is not an image (a VM)",
      { approvedImages: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/ex01"] },
      "approvedImages",
    ],
    [
      "approvedImages: a resource id that is not an image (a disk)",
      { approvedImages: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks/ex01-osdisk"] },
      "approvedImages",
    ],
    ["requiredChecks empty", { requiredChecks: [] }, "requiredChecks"],
    ["requiredChecks of blanks", { requiredChecks: [" ", ""] }, "requiredChecks"],
    ["asOf without a zone", { asOf: "2026-11-26T12:00:00" }, "asOf"],
    ["hostTagValues empty", { hostTagValues: [] }, "hostTagValues"],
  ])("%s: an error naming the key", (_label, raw, key) => {
    const { errors } = resolveGate(raw);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toContain(key);
  });

  it("the bad value is quoted in the message", () => {
    expect(resolveGate({ securityBaseline: "2021-02" }).errors[0]).toContain('"2021-02"');
    expect(resolveGate({ maxAssessmentAgeDays: "30" }).errors[0]).toContain('"30"');
    expect(resolveGate({ approvedImages: ["windows"] }).errors[0]).toContain('"windows"');
  });

  it("every bad key at once: one error each", () => {
    const { errors } = resolveGate({
      investigationWindowStart: "x",
      securityBaseline: "y",
      maxAssessmentAgeDays: 0,
      approvedImages: ["z"],
      requiredChecks: [],
    });
    for (const k of ["investigationWindowStart", "securityBaseline", "maxAssessmentAgeDays", "approvedImages", "requiredChecks"]) {
      expect(errors.filter((x) => x.startsWith(k))).toHaveLength(1);
    }
  });

  it("a bad value never loosens the gate: it falls back to the default", () => {
    const { gate } = resolveGate({ maxAssessmentAgeDays: 0, securityBaseline: "nope", requiredChecks: [], investigationWindowStart: "x" });
    expect(gate.maxAssessmentAgeDays).toBe(30);
    expect(gate.securityBaseline).toBe(DEFAULT_BASELINE);
    expect(gate.requiredChecks).toEqual([...DEFAULT_REQUIRED_CHECKS]);
    expect(gate.investigationWindowStart.toISOString()).toBe("2021-01-01T00:00:00.000Z");
  });

  it("asOf: a zoned instant is taken", () => {
    const { asOf, errors } = resolveGate({ asOf: "2026-11-26T12:00:00Z" });
    expect(errors).toEqual([]);
    expect(asOf?.toISOString()).toBe("2026-11-26T12:00:00.000Z");
  });
});

describe("resolveClientPorts", () => {
  it("defaults: 443/tcp and 25/tcp", () => {
    const { ports, errors } = resolveClientPorts({});
    expect(errors).toEqual([]);
    expect(ports.map((p) => p.text)).toEqual(["443/tcp", "25/tcp"]);
    expect(ports[0].protos).toBe(Proto.TCP);
    expect(ports[0].ports.has(443n)).toBe(true);
    expect(ports[0].ports.size()).toBe(1n);
  });

  it("ranges and protocols in any case", () => {
    const { ports, errors } = resolveClientPorts({ allowedPublicPorts: ["8443-8444/TCP", " 587/tcp ", "4500/udp"] });
    expect(errors).toEqual([]);
    expect(ports.map((p) => p.text)).toEqual(["8443-8444/tcp", "587/tcp", "4500/udp"]);
    expect(ports[0].ports.size()).toBe(2n);
    expect(ports[2].protos).toBe(Proto.UDP);
  });

  it.each<[string, string[]]>([
    ["3389/tcp", ["3389 (RDP)"]],
    ["22/tcp", ["22 (SSH)"]],
    ["445/tcp", ["445 (SMB)"]],
    ["5985/tcp", ["5985"]],
    ["5986/tcp", ["5986"]],
    ["5980-5990/tcp", ["5985", "5986"]],
    ["1-1024/tcp", ["22 (SSH)", "445 (SMB)"]],
    ["3389/udp", ["3389"]],
  ])("management ports are refused: %s", (entry, named) => {
    const { ports, errors } = resolveClientPorts({ allowedPublicPorts: ["443/tcp", entry] });
    expect(ports.map((p) => p.text)).toEqual(["443/tcp"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("allowedPublicPorts");
    expect(errors[0]).toContain("management port");
    for (const n of named) expect(errors[0]).toContain(n);
  });

  it.each(["443", "tcp/443", "443/icmp", "https", "443 /tcp", "*/tcp", "443-/tcp"])("a bad format is refused: %p", (entry) => {
    const { ports, errors } = resolveClientPorts({ allowedPublicPorts: [entry] });
    expect(ports).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("allowedPublicPorts");
    expect(errors[0]).toContain(entry);
  });

  it.each(["0/tcp", "65536/tcp", "444-443/tcp", "99999/udp"])("an out-of-range port or range is refused: %p", (entry) => {
    const { ports, errors } = resolveClientPorts({ allowedPublicPorts: [entry] });
    expect(ports).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("between 1 and 65535");
  });

  it("an empty list allows no port", () => {
    expect(resolveClientPorts({ allowedPublicPorts: [] })).toEqual({ ports: [], errors: [] });
  });
});

describe("schemaErrors", () => {
  it("every gate key is in the gate home's schema, and only there", () => {
    for (const k of GATE_KEYS) expect(Object.keys(GATE_SCHEMA.properties)).toContain(k);
    for (const r of RULES) {
      if (r.name === GATE_HOME) {
        expect(r.schemas).toContain(GATE_SCHEMA);
        continue;
      }
      for (const s of r.schemas) for (const k of GATE_KEYS) expect(Object.keys(s.properties)).not.toContain(k);
    }
  });

  it("valid config: no error", () => {
    expect(
      schemaErrors(GATE_HOME, { maxAssessmentAgeDays: 14, securityBaseline: "2021-03", approvedImages: ["a:b:c"] }, ruleSchemas(GATE_HOME)),
    ).toEqual([]);
    expect(
      schemaErrors("exchange-unverified-isolated", { forensicsSourcePrefixes: ["10.9.0.0/24"] }, ruleSchemas("exchange-unverified-isolated")),
    ).toEqual([]);
    expect(
      schemaErrors("exchange-verified-exposes-only-client-ports", { allowedPublicPorts: ["443/tcp"], trustedSourcePrefixes: [] }, [
        CLIENT_PORTS_SCHEMA,
      ]),
    ).toEqual([]);
  });

  it.each([
    "exchange-build-patched",
    "exchange-unverified-isolated",
    "exchange-unverified-not-internet-exposed",
    "exchange-assessment-record-valid",
    "exchange-evidence-preserved",
  ])("a gate key on %s points to the gate home", (policy) => {
    const errs = schemaErrors(policy, { maxAssessmentAgeDays: 10, securityBaseline: "2021-03" }, ruleSchemas(policy));
    expect(errs).toHaveLength(2);
    for (const e of errs) {
      expect(e).toContain("is a gate setting");
      expect(e).toContain(GATE_HOME);
    }
    expect(errs.join("\n")).toContain("maxAssessmentAgeDays");
    expect(errs.join("\n")).toContain("securityBaseline");
  });

  it("an unknown key is named with the policy", () => {
    const errs = schemaErrors("exchange-unverified-isolated", { forensicsPrefixes: ["10.9.0.0/24"] }, [ISOLATION_SCHEMA]);
    expect(errs).toEqual(["forensicsPrefixes is not a setting of exchange-unverified-isolated"]);
    expect(schemaErrors(GATE_HOME, { maxAgeDays: 3 }, [GATE_SCHEMA])).toEqual([`maxAgeDays is not a setting of ${GATE_HOME}`]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["maxAssessmentAgeDays a string", { maxAssessmentAgeDays: "30" }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays fractional", { maxAssessmentAgeDays: 1.5 }, "maxAssessmentAgeDays"],
    ["maxAssessmentAgeDays 0", { maxAssessmentAgeDays: 0 }, "maxAssessmentAgeDays"],
    ["approvedImages a string", { approvedImages: "a:b:c" }, "approvedImages"],
    ["approvedImages with a number", { approvedImages: [1] }, "approvedImages"],
    ["requiredChecks a string", { requiredChecks: "webshell-scan" }, "requiredChecks"],
    ["requiredChecks empty", { requiredChecks: [] }, "requiredChecks"],
    ["investigationWindowStart not a date", { investigationWindowStart: "January 2021" }, "investigationWindowStart"],
    ["investigationWindowStart a number", { investigationWindowStart: 20210101 }, "investigationWindowStart"],
    ["securityBaseline unknown", { securityBaseline: "2020-01" }, "securityBaseline"],
    ["hostTagValues empty", { hostTagValues: [] }, "hostTagValues"],
  ])("wrong type or value on the gate home (%s): an error naming the key", (_label, raw, key) => {
    const errs = schemaErrors(GATE_HOME, raw, [GATE_SCHEMA]);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join("\n")).toContain(key);
  });

  it.each<[Record<string, unknown>, string]>([
    [{ allowedPublicPorts: ["https"] }, "allowedPublicPorts"],
    [{ allowedPublicPorts: "443/tcp" }, "allowedPublicPorts"],
    [{ trustedSourcePrefixes: "203.0.113.0/24" }, "trustedSourcePrefixes"],
  ])("wrong type on the client-ports policy: %p", (raw, key) => {
    const errs = schemaErrors("exchange-verified-exposes-only-client-ports", raw, [CLIENT_PORTS_SCHEMA]);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join("\n")).toContain(key);
  });

  it("wrong type on the isolation policy", () => {
    const errs = schemaErrors("exchange-unverified-isolated", { forensicsSourcePrefixes: [""] }, [ISOLATION_SCHEMA]);
    expect(errs.join("\n")).toContain("forensicsSourcePrefixes");
  });

  it("a trusted-prefix key on a policy that has it is fine, on one that has not it is unknown", () => {
    expect(schemaErrors("exchange-unverified-not-internet-exposed", { trustedSourcePrefixes: ["203.0.113.0/24"] }, [TRUSTED_SCHEMA])).toEqual([]);
    expect(schemaErrors("exchange-build-patched", { trustedSourcePrefixes: ["203.0.113.0/24"] }, [])).toEqual([
      "trustedSourcePrefixes is not a setting of exchange-build-patched",
    ]);
  });
});

describe("prefixSet", () => {
  it("unions every valid prefix and names each bad one", () => {
    const errors: string[] = [];
    const set = prefixSet("forensicsSourcePrefixes", ["10.9.0.0/24", "10.9.1.0/26", "nope", " "], errors);
    expect(set.size()).toBe(256n + 64n);
    expect(errors).toEqual([
      'forensicsSourcePrefixes: "nope" is not an IP address or CIDR prefix',
      'forensicsSourcePrefixes: " " is not an IP address or CIDR prefix',
    ]);
  });

  it("anything but a list of strings is the empty set", () => {
    const errors: string[] = [];
    expect(prefixSet("k", "10.0.0.0/8", errors).size()).toBe(0n);
    expect(prefixSet("k", ["10.0.0.0/8", 5], errors).size()).toBe(0n);
    expect(errors).toEqual([]);
  });
});

describe("resolveGate: bounds and tag settings", () => {
  it.each([1, 3650])("maxAssessmentAgeDays %p is accepted", (n) => {
    const { gate, errors } = resolveGate({ maxAssessmentAgeDays: n });
    expect(errors).toEqual([]);
    expect(gate.maxAssessmentAgeDays).toBe(n);
  });

  it("asOf that is not a string is refused", () => {
    expect(resolveGate({ asOf: 1764158400000 }).errors).toEqual(["asOf: 1764158400000 is not an ISO-8601 instant with a zone"]);
  });

  it("the unknown baseline's message lists the waves the pack knows", () => {
    expect(resolveGate({ securityBaseline: "2020-01" }).errors).toEqual([
      `securityBaseline: "2020-01" is not a security-update wave this pack knows (${WAVES.join(", ")})`,
    ]);
  });

  it("tag settings: trimmed, blanks fall back to the defaults", () => {
    const custom = resolveGate({ hostTag: " Role ", stateTag: " ir-state ", hostTagValues: [" ", "mail"] });
    expect(custom.errors).toEqual([]);
    expect(custom.gate.hostTag).toBe("Role");
    expect(custom.gate.stateTag).toBe("ir-state");
    expect(custom.gate.hostTagValues).toEqual(["mail"]);
    const blank = resolveGate({ hostTag: "  ", stateTag: "", hostTagValues: [" "] });
    expect(blank.gate.hostTag).toBe("workload");
    expect(blank.gate.stateTag).toBe("remediation-state");
    expect(blank.gate.hostTagValues).toEqual(["exchange"]);
    expect(blank.errors).toEqual(["hostTagValues: lists no value"]);
  });

  it("an approved marketplace entry with a space inside a part is refused", () => {
    expect(resolveGate({ approvedImages: ["MicrosoftWindowsServer:Windows Server:2022-datacenter"] }).errors).toHaveLength(1);
  });
});

describe("resolveClientPorts: exact forms", () => {
  it.each(["443/tcp extra", "x443/tcp", "443/tcpx"])("trailing or leading text is refused: %p", (entry) => {
    expect(resolveClientPorts({ allowedPublicPorts: [entry] }).errors).toEqual([`allowedPublicPorts: "${entry}" is not port/protocol like 443/tcp`]);
  });

  it("65535 is a port, 1 is a port", () => {
    const { ports, errors } = resolveClientPorts({ allowedPublicPorts: ["65535/udp", "1/tcp"] });
    expect(errors).toEqual([]);
    expect(ports.map((p) => p.text)).toEqual(["65535/udp", "1/tcp"]);
  });

  it("a range over management ports names each of them", () => {
    expect(resolveClientPorts({ allowedPublicPorts: ["3000-6000/tcp"] }).errors).toEqual([
      'allowedPublicPorts: "3000-6000/tcp" includes management port 3389 (RDP), 5985 (WinRM/PowerShell remoting (HTTP)), 5986 (WinRM/PowerShell remoting (HTTPS)), which is never published',
    ]);
  });
});

describe("schemaErrors: where", () => {
  it("a nested error is located with a dotted path", () => {
    expect(schemaErrors(GATE_HOME, { approvedImages: ["a:b:c", 1] }, [GATE_SCHEMA])).toEqual(["approvedImages.1 must be string"]);
  });
});
