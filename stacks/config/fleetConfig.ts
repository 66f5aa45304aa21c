import * as path from "path";
import {
  AssessmentRecord,
  AssessmentView,
  GateConfig,
  GateFinding,
  generationName,
  GENERATION_RULE,
  HostGate,
  HostState,
  isGeneration,
  judgePlannedHosts,
  parseAddressPrefix,
  readRecordText,
  recordGeneration,
  resolveClientPorts,
  resolveGate,
  ResourceInput,
} from "../../policies/model";
import { hostStorageProfile, hostTags } from "../components/hostShape";

export type { AssessmentRecord } from "../../policies/model";

/** The image Exchange hosts are built from: a marketplace image or an image resource id (gallery version or managed image). */
export type ImageSpec =
  { readonly publisher: string; readonly offer: string; readonly sku: string; readonly version: string } | { readonly id: string };

export interface HostSpec {
  readonly name: string;
  /** Raised to rebuild the host from scratch: a new VM, OS disk and credential. */
  readonly generation: number;
  readonly state: HostState;
  readonly size: string;
  readonly image?: ImageSpec;
  /** Assessment record files (relative to the records directory), the host's history. */
  readonly assessments: readonly string[];
}

export interface FleetConfig {
  readonly resourceGroupName: string;
  readonly location?: string;
  readonly network: {
    readonly addressSpace: string;
    readonly publishedSubnet: string;
    readonly quarantineSubnet: string;
    readonly forensicsSubnet: string;
    readonly bastionSubnet: string;
    /** The Application Gateway's subnet, required when publishing.kind is applicationGateway. */
    readonly gatewaySubnet?: string;
  };
  readonly bastion: boolean;
  readonly forensicsSourcePrefixes: readonly string[];
  readonly forensicsDestinationPrefixes: readonly string[];
  readonly managementPorts: readonly number[];
  readonly publishing: { readonly kind: "loadBalancer" | "applicationGateway"; readonly clientPorts: readonly string[] };
  readonly image: ImageSpec;
  readonly adminUsername: string;
  readonly assessmentMetadataGuid: string;
  readonly gate: GateConfig;
  /** The gate's clock when pinned (gate.asOf); only the bundled examples pin it. */
  readonly asOf?: Date;
  readonly hosts: readonly HostSpec[];
}

export interface RecordFile {
  readonly file: string;
  readonly record: AssessmentRecord;
  readonly view: AssessmentView;
}

/** A host with its history read and the gate judged, ready to deploy. */
export interface PlannedHost {
  readonly spec: HostSpec;
  readonly vmName: string;
  readonly records: readonly RecordFile[];
  /** The newest record of the current generation: it becomes the VM's one security.Assessment. */
  readonly current: RecordFile | undefined;
  /** Earlier generations found compromised: their OS disk snapshots are kept as evidence. */
  readonly compromisedGenerations: readonly number[];
  /** The current generation has a compromised record or tag: its OS disk is snapshotted now. */
  readonly compromisedNow: boolean;
  /** Marked remediated and the whole gate holds: placed in the published subnet and pool. */
  readonly verified: boolean;
  /** Why a remediated host is not verified (it then stays isolated; the pack reports the same). */
  readonly gateFindings: readonly GateFinding[];
  /** What is wrong with the host's config or records: the program refuses to run with any. */
  readonly problems: readonly string[];
}

export class FleetConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid exchange-guard stack config:\n  - ${problems.join("\n  - ")}`);
  }
}

export const DEFAULT_METADATA_GUID = "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71";
const HOST_NAME = /^[a-z][a-z0-9-]{0,9}$/;
const STATES = new Set(["unverified", "compromised", "remediated"]);

type Raw = Record<string, unknown>;

function obj(v: unknown): Raw | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Raw) : undefined;
}

function cidr(key: string, v: unknown, problems: string[]): string {
  if (typeof v !== "string" || !parseAddressPrefix(v) || !v.includes("/")) {
    problems.push(`${key}: ${JSON.stringify(v)} is not a CIDR prefix`);
    return "0.0.0.0/32";
  }
  return v.trim();
}

function image(key: string, v: unknown, problems: string[]): ImageSpec {
  const o = obj(v);
  if (o && typeof o.id === "string" && o.id.includes("/")) return { id: o.id };
  if (o && ["publisher", "offer", "sku"].every((k) => typeof o[k] === "string" && (o[k] as string) !== "")) {
    return {
      publisher: o.publisher as string,
      offer: o.offer as string,
      sku: o.sku as string,
      version: typeof o.version === "string" ? o.version : "latest",
    };
  }
  problems.push(`${key}: give either { id: <gallery image version or managed image id> } or { publisher, offer, sku, version }`);
  return { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" };
}

/** Parses and checks the stack config before anything is registered; every problem is reported at once. */
export function parseFleetConfig(raw: Raw): FleetConfig {
  const problems: string[] = [];
  const net = obj(raw.network) ?? {};
  if (!obj(raw.network)) problems.push("network: missing (addressSpace, publishedSubnet, quarantineSubnet, forensicsSubnet, bastionSubnet)");
  const network = {
    addressSpace: cidr("network.addressSpace", net.addressSpace, problems),
    publishedSubnet: cidr("network.publishedSubnet", net.publishedSubnet, problems),
    quarantineSubnet: cidr("network.quarantineSubnet", net.quarantineSubnet, problems),
    forensicsSubnet: cidr("network.forensicsSubnet", net.forensicsSubnet, problems),
    bastionSubnet: cidr("network.bastionSubnet", net.bastionSubnet, problems),
    gatewaySubnet: net.gatewaySubnet === undefined ? undefined : cidr("network.gatewaySubnet", net.gatewaySubnet, problems),
  };
  const space = parseAddressPrefix(network.addressSpace);
  for (const k of ["publishedSubnet", "quarantineSubnet", "forensicsSubnet", "bastionSubnet", "gatewaySubnet"] as const) {
    if (network[k] === undefined) continue;
    const s = parseAddressPrefix(network[k]!);
    if (space && s && !space.covers(s)) problems.push(`network.${k} ${network[k]} is outside addressSpace ${network.addressSpace}`);
  }
  const prefixes = (key: string, v: unknown, fallback: string[]): string[] => {
    if (v === undefined) return fallback;
    if (!Array.isArray(v)) {
      problems.push(`${key}: must be a list of CIDR prefixes`);
      return fallback;
    }
    return v.map((p, i) => cidr(`${key}[${i}]`, p, problems));
  };
  const pub = obj(raw.publishing) ?? {};
  const kind = pub.kind ?? "loadBalancer";
  if (kind !== "loadBalancer" && kind !== "applicationGateway")
    problems.push(`publishing.kind: ${JSON.stringify(kind)} is not loadBalancer or applicationGateway`);
  if (kind === "applicationGateway" && network.gatewaySubnet === undefined)
    problems.push("network.gatewaySubnet: required when publishing.kind is applicationGateway");
  const clientPorts = Array.isArray(pub.clientPorts) ? pub.clientPorts.filter((p): p is string => typeof p === "string") : ["443/tcp", "25/tcp"];
  problems.push(
    ...resolveClientPorts({ allowedPublicPorts: clientPorts }).errors.map((e) => `publishing.clientPorts: ${e.replace(/^allowedPublicPorts: /, "")}`),
  );
  const gateResolved = resolveGate(obj(raw.gate) ?? {});
  problems.push(...gateResolved.errors.map((e) => `gate.${e}`));
  const mgmt = Array.isArray(raw.managementPorts) ? raw.managementPorts : [3389, 5985, 5986];
  const managementPorts = mgmt.filter((p): p is number => typeof p === "number" && Number.isInteger(p) && p > 0 && p < 65536);
  if (managementPorts.length !== mgmt.length) problems.push("managementPorts: must be port numbers");
  const guid = typeof raw.assessmentMetadataGuid === "string" ? raw.assessmentMetadataGuid : DEFAULT_METADATA_GUID;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) problems.push(`assessmentMetadataGuid: ${guid} is not a GUID`);

  const hosts: HostSpec[] = [];
  const seen = new Set<string>();
  const list = Array.isArray(raw.hosts) ? raw.hosts : [];
  if (!Array.isArray(raw.hosts)) problems.push("hosts: must be a list");
  list.forEach((h: unknown, i: number) => {
    const o = obj(h);
    const where = `hosts[${i}]`;
    if (!o) {
      problems.push(`${where}: must be an object`);
      return;
    }
    const name = typeof o.name === "string" ? o.name : "";
    if (!HOST_NAME.test(name))
      problems.push(
        `${where}.name: ${JSON.stringify(o.name)} must be 1-10 lower-case letters, digits or dashes (it names the VM and its computer name)`,
      );
    if (seen.has(name)) problems.push(`${where}.name: duplicate host ${name}`);
    seen.add(name);
    const generation = o.generation ?? 1;
    if (!isGeneration(generation)) problems.push(`${where} (${name}).generation: must be ${GENERATION_RULE}`);
    if (typeof o.state !== "string" || !STATES.has(o.state))
      problems.push(`${where} (${name}).state: ${JSON.stringify(o.state)} is not unverified, compromised or remediated`);
    const assessments = Array.isArray(o.assessments) ? o.assessments.filter((a): a is string => typeof a === "string") : [];
    if (o.assessments !== undefined && (!Array.isArray(o.assessments) || assessments.length !== o.assessments.length))
      problems.push(`${where} (${name}).assessments: must be a list of record file names`);
    hosts.push({
      name,
      generation: typeof generation === "number" ? generation : 1,
      state: (STATES.has(o.state as string) ? o.state : "unverified") as HostState,
      size: typeof o.size === "string" ? o.size : "Standard_E8s_v5",
      image: o.image === undefined ? undefined : image(`${where}.image`, o.image, problems),
      assessments,
    });
  });
  if (typeof raw.resourceGroupName !== "string" || raw.resourceGroupName === "") problems.push("resourceGroupName: missing");
  const config: FleetConfig = {
    resourceGroupName: typeof raw.resourceGroupName === "string" ? raw.resourceGroupName : "",
    location: typeof raw.location === "string" ? raw.location : undefined,
    network,
    bastion: raw.bastion !== false,
    forensicsSourcePrefixes: prefixes("forensicsSourcePrefixes", raw.forensicsSourcePrefixes, [network.forensicsSubnet, network.bastionSubnet]),
    forensicsDestinationPrefixes: prefixes("forensicsDestinationPrefixes", raw.forensicsDestinationPrefixes, []),
    managementPorts,
    publishing: { kind: kind === "applicationGateway" ? "applicationGateway" : "loadBalancer", clientPorts },
    image: image(
      "image",
      raw.image ?? { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
      problems,
    ),
    adminUsername: typeof raw.adminUsername === "string" ? raw.adminUsername : "exadmin",
    assessmentMetadataGuid: guid.toLowerCase(),
    gate: gateResolved.gate,
    asOf: gateResolved.asOf,
    hosts,
  };
  if (problems.length > 0) throw new FleetConfigError(problems);
  return config;
}

/** Reads one record file through the record contract, checked the way the pack will read it. */
function readRecord(file: string, text: string, now: Date, problems: string[]): RecordFile | undefined {
  const reading = readRecordText(text, now, `assessment ${path.basename(file)}`);
  for (const p of reading.problems) problems.push(`${file}: ${p}`);
  return reading.record && reading.view ? { file, record: reading.record, view: reading.view } : undefined;
}

/** The VM the stacks register for a host generation, as the gate reads it: its tags and its OS disk. */
export function plannedVm(config: FleetConfig, spec: HostSpec, state: HostState = spec.state): ResourceInput {
  const name = generationName(spec.name, spec.generation);
  const tagNames = { hostTag: config.gate.hostTag, hostTagValue: config.gate.hostTagValues[0], stateTag: config.gate.stateTag };
  return {
    urn: `urn:pulumi:plan::exchange-compromise-guard::azure-native:compute:VirtualMachine::${name}`,
    type: "azure-native:compute:VirtualMachine",
    name,
    props: {
      vmName: name,
      resourceGroupName: config.resourceGroupName,
      tags: hostTags(state, spec.generation, {}, tagNames),
      storageProfile: hostStorageProfile(name, spec.image ?? config.image),
    },
  };
}

/**
 * The gate's verdict on planned hosts, by name: the pack's own gate asked about the VM each will be and the records of
 * its generation. `as` judges every host as if marked so (`remediated`: what each still needs to be verified).
 */
export function judgePlan(config: FleetConfig, planned: readonly PlannedHost[], now: Date, as?: HostState): Map<string, HostGate> {
  return judgePlannedHosts(
    planned.map((p) => ({
      name: p.spec.name,
      state: as ?? p.spec.state,
      vm: plannedVm(config, p.spec, as ?? p.spec.state),
      assessments: p.records.filter((r) => recordGeneration(r.record) === p.spec.generation).map((r) => r.view),
    })),
    config.gate,
    now,
  );
}

/** The gate's findings about one host, in the order its three policies report them. */
export function findingsOf(g: HostGate): GateFinding[] {
  return [...g.requiresAssessment, ...g.buildPatched, ...g.rebuiltFromScratch];
}

/**
 * Reads every host's records and plans it: which generation's record becomes its assessment, which old generations
 * keep an evidence snapshot, whether the gate holds (verified), and every problem of its config and history. Never
 * throws: `planFleet` refuses the problems, `exchange-guard host status` shows them.
 */
export function planHosts(config: FleetConfig, readFile: (name: string) => string, clock: Date): PlannedHost[] {
  const now = config.asOf ?? clock;
  const planned: PlannedHost[] = [];
  for (const spec of config.hosts) {
    const problems: string[] = [];
    const records: RecordFile[] = [];
    for (const f of spec.assessments) {
      let text: string;
      try {
        text = readFile(f);
      } catch (e) {
        problems.push(`${spec.name}: cannot read assessment record ${f} (${(e as Error).message})`);
        continue;
      }
      const r = readRecord(f, text, now, problems);
      if (!r) continue;
      if (r.record.host !== spec.name) problems.push(`${f}: record of host ${r.record.host} listed under host ${spec.name}`);
      records.push(r);
    }
    const genOf = (r: RecordFile) => recordGeneration(r.record);
    const newer = records.filter((r) => genOf(r) > spec.generation);
    if (newer.length > 0)
      problems.push(
        `${spec.name}: generation ${spec.generation} is lower than the generation ${genOf(newer[0])} of ${newer[0].file}; a generation never goes down`,
      );
    const byTime = (rs: RecordFile[]) => [...rs].sort((a, b) => (a.view.completedAt?.getTime() ?? 0) - (b.view.completedAt?.getTime() ?? 0));
    const compromisedGenerations = new Set<number>();
    for (const gen of new Set(records.map(genOf))) {
      let seenCompromised: RecordFile | undefined;
      for (const r of byTime(records.filter((x) => genOf(x) === gen))) {
        if (r.view.saysCompromised) {
          seenCompromised = r;
          compromisedGenerations.add(gen);
        } else if (seenCompromised) {
          problems.push(
            `${spec.name}: ${r.file} records generation ${gen} clean after ${seenCompromised.file} found it compromised; a compromised host is rebuilt as a new generation (raise generation), never cleaned in place`,
          );
        }
      }
    }
    const currentRecords = records.filter((r) => genOf(r) === spec.generation);
    const current = byTime(currentRecords).pop();
    if (spec.state === "remediated" && currentRecords.length === 0) {
      problems.push(
        `${spec.name}: marked remediated but has no assessment record for generation ${spec.generation}; run the assessment and ingest it first`,
      );
    }
    if (spec.state === "remediated" && compromisedGenerations.has(spec.generation)) {
      problems.push(
        `${spec.name}: generation ${spec.generation} was found compromised and cannot be marked remediated; raise its generation to rebuild it`,
      );
    }
    planned.push({
      spec,
      vmName: generationName(spec.name, spec.generation),
      records,
      current,
      compromisedGenerations: [...compromisedGenerations].filter((g) => g < spec.generation).sort((a, b) => a - b),
      compromisedNow: spec.state === "compromised" || compromisedGenerations.has(spec.generation),
      verified: false,
      gateFindings: [],
      problems,
    });
  }
  const gates = judgePlan(config, planned, now);
  return planned.map((p) => {
    const g = gates.get(p.spec.name)!;
    // Only a host marked remediated is asked; the gate says nothing about the others.
    return { ...p, verified: g.verified, gateFindings: findingsOf(g) };
  });
}

/** `planHosts`, refusing before anything is registered a config or history that the guard would never accept. */
export function planFleet(config: FleetConfig, readFile: (name: string) => string, clock: Date): PlannedHost[] {
  const planned = planHosts(config, readFile, clock);
  const problems = planned.flatMap((p) => p.problems);
  if (problems.length > 0) throw new FleetConfigError(problems);
  return planned;
}
