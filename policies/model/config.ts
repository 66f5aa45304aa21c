import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { parseAddressPrefix } from "./addresses";
import { parseArmId } from "./armIds";
import { parseDateOrInstant, parseInstant } from "./assessments";
import { DEFAULT_BASELINE, isKnownWave, WAVES } from "./exchangeBuilds";
import { portRange, Proto } from "./flows";
import { DEFAULT_REQUIRED_CHECKS, GateConfig } from "./gate";
import { DEFAULT_HOST_TAGS } from "./hosts";
import { IntervalSet } from "./intervalSet";

/** JSON-schema fragment as @pulumi/policy and the engine (gojsonschema) accept it. */
export type JsonSchema = Record<string, unknown>;
export interface PolicySchema {
  readonly properties: Record<string, JsonSchema>;
}

/** The policy whose config holds the gate settings for every policy (docs/contract.md#configuration: set the gate once). */
export const GATE_HOME = "exchange-remediated-requires-assessment";
export const GATE_KEYS = [
  "hostTag",
  "hostTagValues",
  "stateTag",
  "maxAssessmentAgeDays",
  "requiredChecks",
  "investigationWindowStart",
  "securityBaseline",
  "approvedImages",
  "asOf",
] as const;

export const MANAGEMENT_PORTS: ReadonlyArray<{ port: number; name: string }> = [
  { port: 22, name: "SSH" },
  { port: 445, name: "SMB" },
  { port: 3389, name: "RDP" },
  { port: 5985, name: "WinRM/PowerShell remoting (HTTP)" },
  { port: 5986, name: "WinRM/PowerShell remoting (HTTPS)" },
];

const prefixList = (description: string): JsonSchema => ({
  type: "array",
  items: { type: "string", minLength: 1 },
  default: [],
  description,
});

export const GATE_SCHEMA: PolicySchema = {
  properties: {
    hostTag: {
      type: "string",
      minLength: 1,
      default: DEFAULT_HOST_TAGS.hostTag,
      description: "Tag that marks a VM as an Exchange host (name matched case-insensitively).",
    },
    hostTagValues: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      default: [...DEFAULT_HOST_TAGS.hostTagValues],
      description: "Values of hostTag that mark an Exchange host (case-insensitive).",
    },
    stateTag: {
      type: "string",
      minLength: 1,
      default: DEFAULT_HOST_TAGS.stateTag,
      description: "Tag holding the remediation state: unverified, compromised or remediated.",
    },
    maxAssessmentAgeDays: { type: "integer", minimum: 1, maximum: 3650, default: 30, description: "Oldest a clean assessment may be, in days." },
    requiredChecks: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      default: [...DEFAULT_REQUIRED_CHECKS],
      description: "Check ids a clean assessment must list in additionalData.checks.",
    },
    investigationWindowStart: {
      type: "string",
      pattern: "^\\d{4}-\\d{2}-\\d{2}$",
      default: "2021-01-01",
      description: "The oldest log a clean assessment must cover (CISA: at least 2021-01-01).",
    },
    securityBaseline: { type: "string", enum: [...WAVES], default: DEFAULT_BASELINE, description: "Security-update wave the build must include." },
    asOf: {
      type: "string",
      description:
        "Judge assessment ages and dates as of this ISO-8601 instant instead of now: for reproducing a past run or auditing an old export. Leave unset in live pipelines.",
    },
    approvedImages: {
      type: "array",
      items: { type: "string", minLength: 1 },
      default: [],
      description:
        "Images an Exchange host may be built from: image resource ids (a gallery image id also matches its versions) or publisher:offer:sku[:version]. Empty allows any image.",
    },
  },
};

export const TRUSTED_SCHEMA: PolicySchema = {
  properties: { trustedSourcePrefixes: prefixList("Public CIDRs not counted as internet, e.g. a corporate egress.") },
};

export const ISOLATION_SCHEMA: PolicySchema = {
  properties: {
    forensicsSourcePrefixes: prefixList("CIDRs investigators connect from; the only inbound sources an isolated host accepts."),
    forensicsDestinationPrefixes: prefixList("CIDRs a compromised host may still send to (evidence upload, forensic tooling)."),
  },
};

export const CLIENT_PORTS_SCHEMA: PolicySchema = {
  properties: {
    ...TRUSTED_SCHEMA.properties,
    allowedPublicPorts: {
      type: "array",
      items: { type: "string", pattern: "^\\s*\\d{1,5}(-\\d{1,5})?/(tcp|udp|TCP|UDP|Tcp|Udp)\\s*$" },
      default: ["443/tcp", "25/tcp"],
      description: "Ports a verified host may be reached on from the internet, as port/protocol (443/tcp) or range/protocol.",
    },
  },
};

export const CONTROL_PLANE_SCHEMA: PolicySchema = {
  properties: {
    controlPlaneAssignedAt: {
      type: "string",
      minLength: 1,
      description:
        'Where the built-in Azure Policy "Network interfaces should not have public IPs" is assigned when not in the stack: a management group id (/providers/Microsoft.Management/managementGroups/<name>) or a subscription id (/subscriptions/<guid>).',
    },
  },
};

const ajv = new Ajv({ allErrors: true, useDefaults: false, strict: false });
const validators = new Map<PolicySchema, ValidateFunction>();

function validator(schema: PolicySchema): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = ajv.compile({ type: "object", properties: schema.properties, additionalProperties: true });
    validators.set(schema, v);
  }
  return v;
}

function ajvMessage(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.replace(/^\//, "").replace(/\//g, ".") : "(config)";
  return `${where} ${e.message ?? "is invalid"}`;
}

/** Schema errors, then keys that belong to no schema of this policy (with a hint when they are gate keys). */
export function schemaErrors(policyName: string, raw: Record<string, unknown>, schemas: readonly PolicySchema[]): string[] {
  const errors: string[] = [];
  const known = new Set<string>();
  for (const s of schemas) {
    Object.keys(s.properties).forEach((k) => known.add(k));
    const v = validator(s);
    const own: Record<string, unknown> = {};
    for (const k of Object.keys(s.properties)) if (k in raw) own[k] = raw[k];
    if (!v(own)) errors.push(...(v.errors ?? []).map(ajvMessage));
  }
  for (const k of Object.keys(raw)) {
    if (known.has(k)) continue;
    if ((GATE_KEYS as readonly string[]).includes(k)) {
      errors.push(`${k} is a gate setting: set it once on ${GATE_HOME}, which every policy reads the gate from`);
    } else {
      errors.push(`${k} is not a setting of ${policyName}`);
    }
  }
  return errors;
}

function strings(v: unknown, fallback: readonly string[]): string[] {
  return Array.isArray(v) && v.every((x) => typeof x === "string") ? (v as string[]) : [...fallback];
}

/** CIDR list to an address set; every entry must be an IP or CIDR (service tags are not allowed here). */
export function prefixSet(key: string, v: unknown, errors: string[]): IntervalSet {
  let out = IntervalSet.EMPTY;
  for (const p of strings(v, [])) {
    const set = parseAddressPrefix(p);
    if (!set) errors.push(`${key}: "${p}" is not an IP address or CIDR prefix`);
    else out = out.union(set);
  }
  return out;
}

/** Resource ids approvedImages may hold: a gallery image (and so its versions), an image version, a managed image. */
const IMAGE_TYPES = new Set(["microsoft.compute/galleries/images", "microsoft.compute/galleries/images/versions", "microsoft.compute/images"]);

export function resolveGate(raw: Record<string, unknown>): { gate: GateConfig; asOf: Date | undefined; errors: string[] } {
  const errors: string[] = [];
  let asOf: Date | undefined;
  if (raw.asOf !== undefined) {
    asOf = typeof raw.asOf === "string" ? parseInstant(raw.asOf) : undefined;
    if (!asOf) errors.push(`asOf: ${JSON.stringify(raw.asOf)} is not an ISO-8601 instant with a zone`);
  }
  const str = (k: string, d: string) => (typeof raw[k] === "string" && (raw[k] as string).trim() !== "" ? (raw[k] as string).trim() : d);
  const windowText = str("investigationWindowStart", "2021-01-01");
  let windowStart = parseDateOrInstant(windowText);
  if (!windowStart) {
    errors.push(`investigationWindowStart: "${windowText}" is not a date (YYYY-MM-DD)`);
    windowStart = new Date(Date.UTC(2021, 0, 1));
  }
  let baseline = str("securityBaseline", DEFAULT_BASELINE);
  if (!isKnownWave(baseline)) {
    errors.push(`securityBaseline: "${baseline}" is not a security-update wave this pack knows (${WAVES.join(", ")})`);
    baseline = DEFAULT_BASELINE;
  }
  const age = raw.maxAssessmentAgeDays;
  let maxAge = 30;
  if (age !== undefined) {
    if (typeof age === "number" && Number.isInteger(age) && age >= 1 && age <= 3650) maxAge = age;
    else errors.push(`maxAssessmentAgeDays: ${JSON.stringify(age)} is not a whole number of days between 1 and 3650`);
  }
  const approvedImages = strings(raw.approvedImages, []);
  for (const img of approvedImages) {
    const t = img.trim();
    const ok = t.includes("/") ? IMAGE_TYPES.has(parseArmId(t).type ?? "") : /^[^:\s]+:[^:\s]+:[^:\s]+(:[^:\s]+)?$/.test(t);
    if (!ok) errors.push(`approvedImages: "${img}" is neither a gallery image, image version or managed image id nor publisher:offer:sku[:version]`);
  }
  const requiredChecks = strings(raw.requiredChecks, DEFAULT_REQUIRED_CHECKS)
    .map((c) => c.trim())
    .filter((c) => c !== "");
  if (requiredChecks.length === 0) errors.push("requiredChecks: lists no check");
  const hostTagValues = strings(raw.hostTagValues, DEFAULT_HOST_TAGS.hostTagValues).filter((v) => v.trim() !== "");
  if (hostTagValues.length === 0) errors.push("hostTagValues: lists no value");
  return {
    gate: {
      hostTag: str("hostTag", DEFAULT_HOST_TAGS.hostTag),
      hostTagValues: hostTagValues.length > 0 ? hostTagValues : [...DEFAULT_HOST_TAGS.hostTagValues],
      stateTag: str("stateTag", DEFAULT_HOST_TAGS.stateTag),
      maxAssessmentAgeDays: maxAge,
      requiredChecks: requiredChecks.length > 0 ? requiredChecks : [...DEFAULT_REQUIRED_CHECKS],
      investigationWindowStart: windowStart,
      securityBaseline: baseline,
      approvedImages: approvedImages.map((i) => i.trim()),
    },
    asOf,
    errors,
  };
}

export interface ClientPort {
  readonly protos: number;
  readonly ports: IntervalSet;
  readonly text: string;
}

export function resolveClientPorts(raw: Record<string, unknown>): { ports: ClientPort[]; errors: string[] } {
  const errors: string[] = [];
  const out: ClientPort[] = [];
  for (const entry of strings(raw.allowedPublicPorts, ["443/tcp", "25/tcp"])) {
    const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\/(tcp|udp)\s*$/i.exec(entry);
    if (!m) {
      errors.push(`allowedPublicPorts: "${entry}" is not port/protocol like 443/tcp`);
      continue;
    }
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 65535 || lo > hi) {
      errors.push(`allowedPublicPorts: "${entry}" is not a port or range between 1 and 65535`);
      continue;
    }
    const mgmt = MANAGEMENT_PORTS.filter((p) => p.port >= lo && p.port <= hi);
    if (mgmt.length > 0) {
      errors.push(
        `allowedPublicPorts: "${entry}" includes management port ${mgmt.map((p) => `${p.port} (${p.name})`).join(", ")}, which is never published`,
      );
      continue;
    }
    out.push({
      protos: m[3].toLowerCase() === "tcp" ? Proto.TCP : Proto.UDP,
      ports: portRange(lo, hi),
      text: `${lo}${hi !== lo ? `-${hi}` : ""}/${m[3].toLowerCase()}`,
    });
  }
  return { ports: out, errors };
}

export const MANAGEMENT_PORT_SET = MANAGEMENT_PORTS.reduce((s, p) => s.union(portRange(p.port, p.port)), IntervalSet.EMPTY);
