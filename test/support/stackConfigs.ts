/**
 * Small fleet configs for the stack-program tests (docs/contract.md#the-stacks): a raw config object as
 * `new pulumi.Config("exchange-guard")` would hand it to `parseFleetConfig`, with its assessment
 * records kept in memory and dated relative to a FIXED clock (NOW), never to the wall clock.
 *
 * `deployRaw` runs parse → plan → capture under Pulumi's mock runtime, the way `runOfflineStack`
 * does for a bundled stack, but with the records map and the invoke mock of the test's choosing.
 */
import type { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { captureStack, Registration } from "../../cli/preview/captureStack";
import { armIdFor, offlineCall, OFFLINE_SUBSCRIPTION, outputsFor } from "../../cli/preview/mockCloud";
import { FleetConfig, parseFleetConfig, PlannedHost, planFleet } from "../../stacks/config/fleetConfig";
import { deployFleet, FleetOutputs } from "../../stacks/fleet";
import { PINNED_BASELINE } from "./baseline";
import { SECRET_KEY as SIG_KEY, SECRET_SIG } from "./estate";

export const NOW = new Date("2026-11-26T12:00:00Z");
export const DAY = 24 * 60 * 60 * 1000;
export const PROJECT = "exchange-compromise-guard";
export const STACK = "unit";
export const SUBSCRIPTION = OFFLINE_SUBSCRIPTION;
export const RG = "rg-exchange-unit";
export const GUID = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9";

/** The engine's unknown sentinel and secret envelope (what a policy pack receives). */
export { SECRET_KEY as SIG_KEY, SECRET_SIG, UNKNOWN } from "./estate";

export const CHECKS = "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065,webshell-scan,msert-full-scan";
export const PATCHED_BUILD = "15.2.2562.53";

export const NETWORK = {
  addressSpace: "10.40.0.0/16",
  publishedSubnet: "10.40.1.0/24",
  quarantineSubnet: "10.40.2.0/24",
  forensicsSubnet: "10.40.3.0/24",
  bastionSubnet: "10.40.4.0/26",
};
export const GATEWAY_SUBNET = "10.40.5.0/24";
export const FORENSICS_SOURCES = ["10.40.3.0/24", "10.40.4.0/26"];
export const FORENSICS_DESTINATIONS = ["10.40.3.0/24"];
export const MANAGEMENT_PORTS = [3389, 5985, 5986];

/** ISO instant `days` days before NOW. */
export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

/** The additionalData of a well-formed record, clean by default, completed `days` days before NOW. */
export function recordData(verdict: "clean" | "compromised" = "clean", days = 2, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    assessmentKind: "exchange-compromise",
    verdict,
    completedAt: daysAgo(days),
    exchangeBuild: PATCHED_BUILD,
    checks: CHECKS,
    logsSince: "2020-12-10",
    evidenceSha256: (verdict === "clean" ? "c" : "d").repeat(63) + String(Math.abs(Math.trunc(days)) % 10),
    tool: "Test-ProxyLogon.ps1 (CSS-Exchange 26.11.1); MSERT 1.441.19.0 (full scan)",
    ...overrides,
  };
}

export interface RecordDef {
  /** File name in the records map; defaults to `<host>-g<generation>-<n>.json`. */
  readonly file?: string;
  /** The record's own host (defaults to the host it is listed under). */
  readonly host?: string;
  /** The record's generation (defaults to the host's); `null` leaves the key out. */
  readonly generation?: number | null;
  readonly verdict?: "clean" | "compromised";
  /** completedAt, in days before NOW. */
  readonly daysAgo?: number;
  readonly data?: Record<string, unknown>;
  /** Drop the additionalData key. */
  readonly noAdditionalData?: boolean;
  /** The file's exact text (bad JSON and the like). */
  readonly text?: string;
}

export interface HostDef {
  readonly name: string;
  readonly generation?: number;
  readonly state: string;
  readonly records?: readonly RecordDef[];
  readonly image?: Record<string, unknown>;
  readonly size?: string;
}

export interface Fleet {
  readonly raw: Record<string, unknown>;
  readonly files: Record<string, string>;
  readonly readFile: (name: string) => string;
}

/** An in-memory records directory: unknown names throw ENOENT like fs.readFileSync. */
export function memoryReader(files: Record<string, string>): (name: string) => string {
  return (name) => {
    if (!Object.prototype.hasOwnProperty.call(files, name)) throw new Error(`ENOENT: no such file or directory, open '${name}'`);
    return files[name];
  };
}

/**
 * A raw fleet config with the given hosts and their records (records generated relative to NOW,
 * gate clock pinned with gate.asOf). `extra` overrides top-level keys (network, publishing, ...).
 */
export function fleetConfig(hosts: readonly HostDef[], extra: Record<string, unknown> = {}): Fleet {
  const files: Record<string, string> = {};
  const rawHosts = hosts.map((h) => {
    const generation = h.generation ?? 1;
    const names = (h.records ?? []).map((r, i) => {
      const gen = r.generation === null ? undefined : (r.generation ?? generation);
      const file = r.file ?? `${h.name}-g${gen ?? 1}-${i + 1}.json`;
      if (r.text !== undefined) {
        files[file] = r.text;
      } else {
        const rec: Record<string, unknown> = { host: r.host ?? h.name };
        if (gen !== undefined) rec.generation = gen;
        if (!r.noAdditionalData) rec.additionalData = recordData(r.verdict ?? "clean", r.daysAgo ?? 2, r.data ?? {});
        files[file] = JSON.stringify(rec, null, 2);
      }
      return file;
    });
    const o: Record<string, unknown> = { name: h.name, generation, state: h.state, assessments: names };
    if (h.image !== undefined) o.image = h.image;
    if (h.size !== undefined) o.size = h.size;
    return o;
  });
  const raw: Record<string, unknown> = {
    resourceGroupName: RG,
    location: "westeurope",
    network: { ...NETWORK },
    forensicsSourcePrefixes: [...FORENSICS_SOURCES],
    forensicsDestinationPrefixes: [...FORENSICS_DESTINATIONS],
    managementPorts: [...MANAGEMENT_PORTS],
    assessmentMetadataGuid: GUID,
    gate: { asOf: NOW.toISOString(), securityBaseline: PINNED_BASELINE },
    hosts: rawHosts,
    ...extra,
  };
  return { raw, files, readFile: memoryReader(files) };
}

/** A clean record of the current generation, two days old: makes a `remediated` host verified. */
export const CLEAN: RecordDef = { verdict: "clean", daysAgo: 2 };

/**
 * The error an invoke of a missing resource fails with, as the engine hands it over gRPC: the SDK
 * builds its Error from `details` (runtime/invoke.js: `new Error(err.details)`), so a plain Error
 * thrown from a mock `call` reaches the program with an EMPTY message.
 */
export function notFound(message: string): Error {
  return Object.assign(new Error(message), { details: message, code: 5 /* grpc NOT_FOUND */ });
}

/** getSnapshot / getDisk answer "not found" (the evidence of an old generation is gone from Azure). */
export function evidenceGoneCall(args: MockCallArgs): Record<string, unknown> {
  if (args.token === "azure-native:compute:getSnapshot" || args.token === "azure-native:compute:getDisk") {
    throw notFound(
      `ResourceNotFound: The Resource '${String(args.inputs.snapshotName ?? args.inputs.diskName)}' under resource group '${RG}' was not found.`,
    );
  }
  return offlineCall(args);
}

/** A recognisable admin password the mock cloud "generates" (update form), to look for in plain text. */
export const MOCK_PASSWORD = "Mock-Pa55word-never-in-plaintext-7f3e";

export interface Deployed {
  readonly config: FleetConfig;
  readonly plan: PlannedHost[];
  readonly regs: Registration[];
  readonly outputs: FleetOutputs;
}

export interface DeployOptions {
  readonly preview: boolean;
  readonly call?: (args: MockCallArgs) => Record<string, unknown>;
  readonly stack?: string;
  /**
   * How the mock cloud returns a RandomPassword's `result` (update form): "secret" as the engine does
   * (it honours the provider's additionalSecretOutputs), "plain" as Pulumi's MockMonitor does (it
   * ignores them). Default "secret".
   */
  readonly passwordResult?: "secret" | "plain";
}

/** Runs a parsed and planned fleet under the mock runtime and returns what it registered. */
export async function captureFleet(
  config: FleetConfig,
  plan: PlannedHost[],
  opts: DeployOptions,
): Promise<{ regs: Registration[]; outputs: FleetOutputs }> {
  let outputs: FleetOutputs | undefined;
  const stack = opts.stack ?? STACK;
  const regs = await captureStack(
    async () => {
      outputs = await deployFleet(config, plan, stack);
    },
    {
      project: PROJECT,
      stack,
      preview: opts.preview,
      call: opts.call ?? offlineCall,
      idFor: (a) => armIdFor(a),
      outputsFor: (a, id) => ({
        ...outputsFor(a, id),
        ...(a.type === "random:index/randomPassword:RandomPassword"
          ? { result: opts.passwordResult === "plain" ? MOCK_PASSWORD : { [SIG_KEY]: SECRET_SIG, value: MOCK_PASSWORD } }
          : {}),
      }),
    },
  );
  return { regs, outputs: outputs! };
}

/** parse → plan (at NOW) → capture. Throws FleetConfigError from parse or plan before anything is registered. */
export async function deployRaw(fleet: Fleet, opts: DeployOptions): Promise<Deployed> {
  const config = parseFleetConfig(fleet.raw);
  const plan = planFleet(config, fleet.readFile, NOW);
  const { regs, outputs } = await captureFleet(config, plan, opts);
  return { config, plan, regs, outputs };
}

// ---- looking at registrations ----

export function ofType(regs: readonly Registration[], type: string): Registration[] {
  return regs.filter((r) => r.type === type);
}

/** The one registration of a type and name (fails loudly otherwise). */
export function one(regs: readonly Registration[], type: string, name: string): Registration {
  const hits = regs.filter((r) => r.type === type && r.name === name);
  if (hits.length !== 1) {
    throw new Error(
      `expected exactly one ${type} named ${name}, found ${hits.length}; registered: ${regs.map((r) => `${r.type}::${r.name}`).join(", ")}`,
    );
  }
  return hits[0];
}

export function maybe(regs: readonly Registration[], type: string, name: string): Registration | undefined {
  return regs.find((r) => r.type === type && r.name === name);
}

/** Every URN any property of `reg` depends on, plus its plain dependencies. */
export function allDeps(reg: Registration): Set<string> {
  return new Set([...reg.dependencies, ...Object.values(reg.propertyDependencies).flat()]);
}

/** Reads a path inside a registration's inputs: get(reg.inputs, "ipConfigurations", 0, "subnet", "id"). */
export function get(v: unknown, ...keys: (string | number)[]): unknown {
  let cur: unknown = v;
  for (const k of keys) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** The ARM ids armIdFor gives the network pieces (update form). */
export const ids = {
  subnet: (vnet: string, subnet: string) =>
    `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`,
  disk: (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/disks/${name}`,
  vm: (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${name}`,
  nsg: (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/networkSecurityGroups/${name}`,
};

/** The name prefix deployFleet gives network resources for a stack. */
export function namePrefix(stack = STACK): string {
  return `exg-${stack}`.slice(0, 20);
}

export const T = {
  rg: "azure-native:resources:ResourceGroup",
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nic: "azure-native:network:NetworkInterface",
  pip: "azure-native:network:PublicIPAddress",
  lb: "azure-native:network:LoadBalancer",
  agw: "azure-native:network:ApplicationGateway",
  vm: "azure-native:compute:VirtualMachine",
  snapshot: "azure-native:compute:Snapshot",
  assessment: "azure-native:security:Assessment",
  metadata: "azure-native:security:AssessmentMetadataInSubscription",
  password: "random:index/randomPassword:RandomPassword",
  host: "exchange-guard:exchange:Host",
  isolation: "exchange-guard:network:IsolationNsg",
  published: "exchange-guard:network:PublishedNsg",
} as const;

export interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: string[];
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
  readonly [k: string]: unknown;
}

/** The inline security rules of a NetworkSecurityGroup registration. */
export function rulesOf(nsg: Registration): Rule[] {
  return (nsg.inputs.securityRules ?? []) as Rule[];
}

export function sourcesOf(r: Rule): string[] {
  return [...(r.sourceAddressPrefix !== undefined ? [r.sourceAddressPrefix] : []), ...(r.sourceAddressPrefixes ?? [])];
}

export function portsOf(r: Rule): string[] {
  return [...(r.destinationPortRange !== undefined ? [r.destinationPortRange] : []), ...(r.destinationPortRanges ?? [])];
}

/** A source the internet can use: any, Internet, a service tag other than VirtualNetwork / AzureLoadBalancer, or a non-private prefix. */
export function isInternetSource(s: string): boolean {
  const t = s.trim().toLowerCase();
  if (t === "*" || t === "any" || t === "internet" || t === "0.0.0.0/0" || t === "::/0") return true;
  if (t === "virtualnetwork" || t === "azureloadbalancer") return false;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+(\/\d+)?$/.exec(t);
  if (!m) return true; // another service tag or something unparsed: count it as internet
  const [a, b] = [Number(m[1]), Number(m[2])];
  const priv = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  return !priv;
}

/** Paths inside `v` where `needle` occurs in a string that is NOT inside a secret envelope. */
export function plaintextPaths(v: unknown, needle: string, at = "$"): string[] {
  if (typeof v === "string") return v.includes(needle) ? [at] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => plaintextPaths(x, needle, `${at}[${i}]`));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return [];
    return Object.entries(o).flatMap(([k, x]) => plaintextPaths(x, needle, `${at}.${k}`));
  }
  return [];
}

export function isSecretEnvelope(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}
