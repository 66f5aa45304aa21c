/**
 * Fixtures for the remediation-gate tests (docs/contract.md#verified-hosts-the-gate): one Exchange host VM with a NIC
 * in an isolated subnet, its compromise assessments, and helpers that run each gate policy on its
 * own with a FIXED clock.
 *
 * Dates are built relative to NOW, never to the wall clock, so the tests do not age.
 */
import { cleanData, daysAgo, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "./estate";
import { analyse, runStack, toInputs } from "./judge";
import { baseNet } from "./networks";
import { BUILD, EVIDENCE, REBUILD, REQUIRES } from "./policyNames";
import type { HostGate } from "../../policies/model/gate";
import type { ResourceInput } from "../../policies/model/graph";
import type { Violation } from "../../policies/rules/types";

export { cleanData, daysAgo, Estate, HOST_TAGS, UNKNOWN };
export type { Res };

export const NOW = new Date("2026-11-26T12:00:00Z");
export const MINUTE = 60 * 1000;
export const DAY = 24 * 60 * MINUTE;

export { BUILD, EVIDENCE, REBUILD, REQUIRES };
export const GATE_POLICIES = [REQUIRES, BUILD, REBUILD] as const;

/** The metadata GUID Estate.assessment uses. */
export const ASSESSMENT_GUID = "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71";

/** Clean data dated relative to NOW (cleanData's default clock is the wall clock). */
export function clean(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return cleanData(overrides, NOW);
}

/** An ISO instant `ms` milliseconds after NOW (negative: before). */
export function at(ms: number): string {
  return new Date(NOW.getTime() + ms).toISOString();
}

export function ago(days: number): string {
  return daysAgo(days, NOW);
}

/** An isolated network: VNet, subnet, and a NIC NSG that only lets the forensics subnet in. */
export function isolatedNet(e: Estate): { sub: Res; nsg: Res } {
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-iso", [
    rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
    rule({ name: "deny-all-in", priority: 4000, access: "Deny", source: "*" }),
  ]);
  return { sub, nsg };
}

/** The ARM id of a managed disk in the estate's resource group. */
export function diskId(e: Estate, name: string, rg = e.rg): string {
  return `/subscriptions/${e.sub}/resourceGroups/${rg}/providers/Microsoft.Compute/disks/${name}`;
}

export interface HostOpts {
  name?: string;
  /** Tag value of remediation-state; `null` for no state tag; default remediated. */
  state?: string | null;
  /** Tags on the VM; default HOST_TAGS(state). */
  tags?: Record<string, string>;
  osDisk?: Record<string, unknown>;
  image?: Record<string, unknown>;
  ip?: string;
  net?: { sub: Res; nsg: Res };
}

/** An Exchange host VM (tags on VM and NIC) in an isolated subnet. */
export function host(e: Estate, o: HostOpts = {}): Res {
  const name = o.name ?? "ex01";
  const net = o.net ?? isolatedNet(e);
  const tags = o.tags ?? (o.state === null ? HOST_TAGS() : HOST_TAGS(o.state ?? "remediated"));
  const nic = e.nic(`nic-${name}`, { subnet: net.sub, nsg: net.nsg, privateIp: o.ip ?? "10.0.1.4", tags });
  return e.vm(name, { nics: [nic], tags, osDisk: o.osDisk, image: o.image });
}

/**
 * Replaces a resource's dependency record for one top-level property (and adds the URNs to its
 * plain dependencies), as the engine reports a property built from other resources' outputs.
 */
export function withDeps(e: Estate, res: Res, key: string, targets: Res[]): Res {
  const i = e.resources.indexOf(res);
  if (i < 0) throw new Error(`${res.urn} is not in this estate`);
  const dependencies = [...(res.dependencies ?? [])];
  for (const t of targets) if (!dependencies.includes(t.urn)) dependencies.push(t.urn);
  const next: Res = { ...res, dependencies, propertyDependencies: { ...(res.propertyDependencies ?? {}), [key]: targets.map((t) => t.urn) } };
  e.resources[i] = next;
  return next;
}

/** Replaces a resource's properties (a shallow merge), keeping its identity in the estate. */
export function withProps(e: Estate, res: Res, props: Record<string, unknown>): Res {
  const i = e.resources.indexOf(res);
  if (i < 0) throw new Error(`${res.urn} is not in this estate`);
  const next: Res = { ...res, properties: { ...res.properties, ...props } };
  e.resources[i] = next;
  return next;
}

/** A security.Assessment written by hand: explicit resourceId (or none) and dependencies. */
export function rawAssessment(
  e: Estate,
  name: string,
  o: { resourceId?: unknown; data?: unknown; status?: unknown; deps?: Record<string, Res[]>; extra?: Record<string, unknown> },
): Res {
  const props: Record<string, unknown> = {
    assessmentName: ASSESSMENT_GUID,
    resourceDetails: { source: "Azure" },
    status: o.status === undefined ? { code: "Healthy" } : o.status,
    additionalData: o.data === undefined ? clean() : o.data,
    ...(o.extra ?? {}),
  };
  if (o.resourceId !== undefined) props.resourceId = o.resourceId;
  return e.add("azure-native:security:Assessment", name, props, o.deps ?? {});
}

export interface GateRun {
  readonly requires: Violation[];
  readonly build: Violation[];
  readonly rebuild: Violation[];
}

/** Runs each of the three gate policies on its own. */
export function runGate(e: Estate, gateCfg: Record<string, unknown> = {}, now = NOW): GateRun {
  return {
    requires: runStack(REQUIRES, e.resources, {}, gateCfg, now),
    build: runStack(BUILD, e.resources, {}, gateCfg, now),
    rebuild: runStack(REBUILD, e.resources, {}, gateCfg, now),
  };
}

/** The gate's verdict on one VM. */
export function gateOf(e: Estate, vm: Res, gateCfg: Record<string, unknown> = {}, now = NOW): HostGate {
  const a = analyse(e.resources, gateCfg, now);
  const h = a.hosts.find((x) => x.urn === vm.urn);
  if (!h) throw new Error(`${vm.name} is not an Exchange host`);
  return a.gateOf(h);
}

/** The resource-policy input of a resource (its inputs as the engine sends them). */
export function inputOf(r: Res): ResourceInput {
  return toInputs([r])[0];
}
