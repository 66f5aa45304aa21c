/**
 * Shared helpers for the protocol tests: the pack is started once per test file
 * (`useSession`) and driven over gRPC exactly as the engine drives it.
 */
import * as path from "path";
import type { Diagnostic, EngineResource } from "../../cli/packDriver/analyzerClient";
import { PackSession } from "../../cli/packDriver/session";
import { Estate, HOST_TAGS, Res, rule } from "../support/estate";
import { baseNet, exHost, hostNic } from "../support/networks";
import { PINNED_BASELINE } from "../support/baseline";
import * as names from "../support/policyNames";
import { SENTINEL as MODEL_SENTINELS } from "../support/arbitraries";

export const PACK = path.join(__dirname, "../../policies");

export const POLICY = {
  requiresAssessment: names.REQUIRES,
  buildPatched: names.BUILD,
  rebuilt: names.REBUILD,
  notExposed: names.EXPOSED,
  isolated: names.ISOLATED,
  clientPorts: names.CLIENT_PORTS,
  evidence: names.EVIDENCE,
  controlPlane: names.CONTROL_PLANE,
  noPublicAttachment: names.NO_PUBLIC_ATTACHMENT,
  recordValid: names.RECORD_VALID,
} as const;

/** The gate home: its config holds the gate settings for every policy. */
export const GATE_HOME = POLICY.requiresAssessment;

/** Unknown-value sentinels of every type the engine sends at preview. */
export const SENTINEL = {
  ...MODEL_SENTINELS,
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
} as const;

/**
 * A policy config with the gate's securityBaseline pinned (test/support/baseline.ts) unless it sets one, so a new
 * security-update wave in the pack changes no verdict here. Text that is not a JSON object is left as it is.
 */
export function pinBaseline(config: string): string {
  let parsed: unknown;
  try {
    parsed = config.trim() === "" ? {} : JSON.parse(config);
  } catch {
    return config;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return config;
  const o = parsed as Record<string, unknown>;
  const gate = o[GATE_HOME];
  if (typeof gate === "string") o[GATE_HOME] = { enforcementLevel: gate, securityBaseline: PINNED_BASELINE };
  else if (gate === undefined || (typeof gate === "object" && gate !== null && !Array.isArray(gate))) {
    o[GATE_HOME] = { securityBaseline: PINNED_BASELINE, ...(gate as Record<string, unknown> | undefined) };
  }
  return JSON.stringify(o);
}

/**
 * One pack process for the whole test file (starting one costs ~2 s).
 * `config` is the --policy-pack-config text the session starts with; every config the session is given gets the
 * pinned baseline (`pinBaseline`) unless `defaults` asks for the pack's own defaults.
 */
export function useSession(config = "", opts: { defaults?: boolean } = {}): () => PackSession {
  let session: PackSession | undefined;
  beforeAll(async () => {
    const pin = opts.defaults ? (c: string) => c : pinBaseline;
    session = await PackSession.start(PACK, pin(config));
    const configure = session.configure.bind(session);
    session.configure = (c: string) => configure(pin(c));
  });
  afterAll(async () => {
    await session?.stop();
  });
  return () => {
    if (!session) throw new Error("the pack session did not start");
    return session;
  };
}

/** Is the process still there? (signal 0 only checks.) */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function summary(ds: readonly Diagnostic[]): string {
  if (ds.length === 0) return "(no diagnostics)";
  return ds.map((d) => `[${d.enforcementLevel}] ${d.policyName} ${d.urn || "(no urn)"}: ${d.message.split("\n").slice(1).join(" | ")}`).join("\n");
}

/** The finding part of a message (@pulumi/policy prefixes it with the policy description and a newline). */
export function finding(d: Diagnostic): string {
  const nl = d.message.indexOf("\n");
  return nl < 0 ? d.message : d.message.slice(nl + 1);
}

/**
 * No diagnostic is @pulumi/policy's "can't run policy ... during preview" (what it reports when
 * a policy reads an unknown value: a mandatory policy silently becomes advisory).
 */
export function expectNoPreviewDowngrade(ds: readonly Diagnostic[]): void {
  const bad = ds.filter((d) => /can't run/i.test(d.message) || (d.enforcementLevel === "advisory" && /during preview/i.test(d.message)));
  if (bad.length > 0) throw new Error(`the pack let @pulumi/policy downgrade a policy at preview:\n${summary(bad)}`);
}

/** No diagnostic says the pack failed internally (it fails closed, but garbage should be judged, not crash a rule). */
export function expectNoInternalError(ds: readonly Diagnostic[]): void {
  const bad = ds.filter((d) => /internal error/i.test(d.message));
  if (bad.length > 0) throw new Error(`internal errors:\n${summary(bad)}`);
}

/** The diagnostics of one policy. */
export function of(ds: readonly Diagnostic[], policy: string): Diagnostic[] {
  return ds.filter((d) => d.policyName === policy);
}

/** At least one diagnostic of `policy` at `level` (about `urn` when given) contains every fragment. */
export function expectDiag(
  ds: readonly Diagnostic[],
  policy: string,
  level: Diagnostic["enforcementLevel"],
  o: { urn?: string; has?: Array<string | RegExp> } = {},
): Diagnostic {
  const hit = ds.find(
    (d) =>
      d.policyName === policy &&
      d.enforcementLevel === level &&
      (o.urn === undefined || d.urn === o.urn) &&
      (o.has ?? []).every((f) => (typeof f === "string" ? d.message.includes(f) : f.test(d.message))),
  );
  if (!hit) {
    throw new Error(
      `expected a ${level} diagnostic from ${policy}${o.urn ? ` about ${o.urn}` : ""}${o.has ? ` containing ${o.has.map(String).join(" + ")}` : ""}; got:\n${summary(ds)}`,
    );
  }
  return hit;
}

/** No diagnostic message contains any of the plaintexts. */
export function expectNoPlaintext(ds: readonly Diagnostic[], plaintexts: readonly string[]): void {
  for (const d of ds) {
    for (const p of plaintexts) {
      if (d.message.includes(p)) throw new Error(`a diagnostic of ${d.policyName} shows the secret ${JSON.stringify(p)}:\n${d.message}`);
    }
  }
}

/** Sets a value at a path inside a resource's properties (fixtures are plain data). */
export function setPath(obj: unknown, keys: ReadonlyArray<string | number>, value: unknown): void {
  let cur = obj as Record<string | number, unknown>;
  for (const k of keys.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[keys[keys.length - 1]] = value;
}

export function getPath(obj: unknown, keys: ReadonlyArray<string | number>): unknown {
  let cur = obj as Record<string | number, unknown> | undefined;
  for (const k of keys) cur = cur === undefined || cur === null ? undefined : (cur[k] as Record<string | number, unknown>);
  return cur;
}

/** A copy of a resource under another URN (e.g. the same VM registered again under a component parent). */
export function withUrn<T extends EngineResource>(r: T, urn: string): T {
  return { ...r, urn };
}

/** The URN a resource would have as a child of an `exchange:index:Host` component. */
export function componentUrn(r: EngineResource, component = "exchange:index:Host"): string {
  return r.urn.replace(`::${r.type}::`, `::${component}$${r.type}::`);
}

export interface ExposedHost {
  e: Estate;
  vm: Res;
  nic: Res;
  nsg: Res;
  pip: Res;
}

/**
 * The standard offender: unverified host ex01 with a Standard public IP on its NIC and a NIC NSG
 * that allows RDP (3389/tcp) from the Internet. `state` tags both the VM and the NIC.
 */
export function exposedHost(preview: boolean, o: { state?: string; nicTags?: Record<string, unknown>; vmTags?: unknown } = {}): ExposedHost {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
  const pip = e.publicIp("pip-ex01");
  const nicTags = o.nicTags ?? (o.state !== undefined ? HOST_TAGS(o.state) : undefined);
  const nic = hostNic(e, sub, { nsg, publicIp: pip, ...(nicTags ? { tags: nicTags as Record<string, string> } : {}) });
  const vm = exHost(e, { nics: [nic], state: o.state, ...(o.vmTags !== undefined ? { tags: o.vmTags as Record<string, string> } : {}) });
  return { e, vm, nic, nsg, pip };
}
