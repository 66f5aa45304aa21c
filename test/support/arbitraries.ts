/**
 * fast-check arbitraries of azure-native resource sets for the property-based protocol tests
 * (test/protocol/invariants.property.test.ts).
 *
 * Everything random is drawn into a plain *spec* first (an `EstateSpec`, a list of `Corruption`s,
 * a list of `UnknownSwap`s, an `Exposure`); builders turn specs into engine resources
 * deterministically. So a case is replayable from its seed, fast-check can shrink it, and two
 * variants of one case (original / mutated) differ only where the property says they do.
 *
 * Conventions (one Exchange host per subnet, so "its NSG" is unambiguous):
 *   VNet `vnet` 10.0.0.0/16; host i (1-based) is VM `ex0i` with NIC `nic-ex0i` at 10.0.i.4 in subnet
 *   `snet-ex0i` 10.0.i.0/24; optional NIC NSG `nsg-ex0i`, optional subnet NSG `nsg-snet-ex0i`,
 *   optional public IP `pip-ex0i`, optional membership in the shared public LB `lb-pub`.
 *
 * Secrets: every secret the builders inject carries a random marker `sx[a-z0-9]{6,14}` (or a
 * random address in 52.0.0.0/8, used nowhere else), and markers are only ever placed inside
 * secret envelopes, so a marker in a diagnostic message can only be a leak. `sentSecrets`
 * collects, from the final resources as sent, every secret plaintext that carries a marker.
 */
import fc from "fast-check";
import type { EngineResource } from "../../cli/packDriver/analyzerClient";
import { PINNED_BASELINE } from "./baseline";
import { cleanData, daysAgo, Estate, Res, rule, secret, SECRET_KEY, SECRET_SIG, UNKNOWN } from "./estate";
import { firewall, loadBalancer } from "./networks";

/** The instant the pack judges at (config `asOf`); every date in the generated estates is relative to it. */
export const NOW = new Date("2026-11-26T12:00:00Z");

export const POLICY_CONFIG = {
  "exchange-remediated-requires-assessment": { asOf: NOW.toISOString().replace(".000Z", "Z"), securityBaseline: PINNED_BASELINE },
  "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.9.0.0/24"] },
};

/** Unknown-value sentinels of every type (engine preview values). */
export const SENTINEL = {
  string: UNKNOWN,
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;
export const ALL_SENTINELS: readonly string[] = Object.values(SENTINEL);

// ------------------------------------------------------------------------------------------
// secrets
// ------------------------------------------------------------------------------------------

/** A random secret plaintext: `sx` + [a-z0-9]{6,14} (length ≥ 8, cannot occur in message text by accident). */
export const markerArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z0-9]{6,14}$/).map((s) => `sx${s}`);
export const MARKER_RE = /sx[a-z0-9]{6,14}/;

/** A random public address in 52.0.0.0/8; only ever sent inside a secret. */
export const secretIpArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map(([a, b, c]) => `52.${a}.${b}.${c}`);
const SECRET_IP_RE = /^52\.\d{1,3}\.\d{1,3}\.\d{1,3}(\/\d+)?$/;

function isEnvelope(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG;
}

/**
 * The distinctive plaintexts sent as secrets in these resources: every string leaf inside a
 * secret envelope that carries a marker or is a secret-pool address; for an address prefix
 * `52.a.b.c/n`, the bare address too (showing it is showing the secret).
 */
export function sentSecrets(resources: readonly EngineResource[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, inSecret: boolean, depth: number): void => {
    if (depth > 300) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, inSecret, depth + 1);
    } else if (isEnvelope(v)) {
      walk(v.value, true, depth + 1);
    } else if (typeof v === "object" && v !== null) {
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], inSecret, depth + 1);
    } else if (inSecret && typeof v === "string") {
      if (MARKER_RE.test(v)) {
        out.add(v);
        for (const m of v.match(new RegExp(MARKER_RE.source, "g")) ?? []) out.add(m);
      }
      if (SECRET_IP_RE.test(v.trim())) {
        out.add(v.trim());
        out.add(v.trim().split("/")[0]);
      }
    }
  };
  for (const r of resources) walk(r.properties, false, 0);
  return [...out];
}

/**
 * Does the message show this plaintext? An address is matched as a whole address (not as the
 * start of a longer one: 52.1.2.3 is not in 52.1.2.30), with or without a prefix length after it.
 */
export function shows(message: string, plaintext: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(plaintext)) return new RegExp(`(?<![\\d.])${plaintext.replace(/\./g, "\\.")}(?!\\d)`).test(message);
  return message.includes(plaintext);
}

// ------------------------------------------------------------------------------------------
// base estates
// ------------------------------------------------------------------------------------------

export const SOURCES = [
  "*",
  "Internet",
  "VirtualNetwork",
  "AzureLoadBalancer",
  "10.9.0.0/24",
  "10.0.0.0/8",
  "8.8.8.0/24",
  "0.0.0.0/0",
  "203.0.113.0/24",
  "Storage",
] as const;
export const PORTS = ["*", "443", "3389", "25", "5985-5986", "445", "22", "80-8080"] as const;
export const PROTOCOLS = ["Tcp", "Udp", "*", "Icmp"] as const;
export const RULE_NAMES = ["allow-rdp", "allow-https", "deny-all", "allow-forensics", "allow-smtp", "deny-internet", "allow-vnet"] as const;

export interface RuleSpec {
  readonly name: (typeof RULE_NAMES)[number];
  /** Secret rule name `<name>-<marker>`. */
  readonly secretName?: string;
  /** Priority in 101..4096 (100 is left free for the exposure property's allow-all rule). */
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: (typeof PROTOCOLS)[number];
  readonly source: (typeof SOURCES)[number];
  /** Secret source prefix `<secret ip>/32` instead of `source`. */
  readonly secretSource?: string;
  /** Secret `sourceAddressPrefixes` instead of `source`: each element a secret, or the whole list one secret. */
  readonly secretSources?: { readonly prefixes: string[]; readonly whole: boolean };
  readonly port: (typeof PORTS)[number];
}

const optional = <T>(a: fc.Arbitrary<T>, freq = 4): fc.Arbitrary<T | undefined> => fc.option(a, { freq, nil: undefined });

/**
 * 1–3 secret prefixes from the pool, often two adjacent addresses (52.a.b.2k and 52.a.b.2k+1,
 * which together make a /31) or a /32 and its /31 neighbour, so that a message printing the
 * merged set would show a secret address.
 */
const secretSourcesArb = fc
  .record({
    a: fc.integer({ min: 0, max: 255 }),
    b: fc.integer({ min: 0, max: 255 }),
    k: fc.integer({ min: 1, max: 126 }),
    pair: fc.boolean(),
    slash: fc.boolean(),
    extra: optional(secretIpArb, 1),
    whole: fc.boolean(),
  })
  .map(({ a, b, k, pair, slash, extra, whole }) => {
    const ip = (c: number) => `52.${a}.${b}.${c}${slash ? "/32" : ""}`;
    const prefixes = [ip(2 * k), ...(pair ? [ip(2 * k + 1)] : []), ...(extra ? [`${extra}/32`] : [])];
    return { prefixes, whole };
  });

const ruleBodyArb = fc.record({
  name: fc.constantFrom(...RULE_NAMES),
  secretName: optional(markerArb),
  direction: fc.constantFrom("Inbound" as const, "Inbound" as const, "Outbound" as const),
  access: fc.constantFrom("Allow" as const, "Deny" as const),
  protocol: fc.constantFrom(...PROTOCOLS),
  source: fc.constantFrom(...SOURCES),
  secretSource: optional(secretIpArb),
  secretSources: optional(secretSourcesArb),
  port: fc.constantFrom(...PORTS),
});

/** 0–6 random rules with distinct priorities (Azure rejects duplicates) from 101..4096. */
export const randomRulesArb: fc.Arbitrary<RuleSpec[]> = fc
  .uniqueArray(fc.integer({ min: 101, max: 4096 }), { minLength: 0, maxLength: 6 })
  .chain((prios) => fc.tuple(...prios.map((p) => ruleBodyArb.map((b) => ({ ...b, priority: p })))).map((rs) => rs as RuleSpec[]));

const R = (
  name: RuleSpec["name"],
  priority: number,
  direction: RuleSpec["direction"],
  access: RuleSpec["access"],
  source: RuleSpec["source"],
  port: RuleSpec["port"],
): RuleSpec => ({
  name,
  priority,
  direction,
  access,
  protocol: "*",
  source,
  port,
});

/**
 * The stacks' rule sets, so that correctly isolated / published hosts are common and a violation
 * can hinge on one value: the isolation NSG (forensics in, deny * in, internet out denied) and the
 * publication NSG of a verified host (443 and 25 from the Internet, everything else denied).
 */
export const TEMPLATES: Record<"isolation" | "published", RuleSpec[]> = {
  isolation: [
    R("allow-forensics", 110, "Inbound", "Allow", "10.9.0.0/24", "*"),
    R("deny-all", 120, "Inbound", "Deny", "*", "*"),
    R("deny-internet", 130, "Outbound", "Deny", "Internet", "*"),
  ],
  published: [
    R("allow-https", 110, "Inbound", "Allow", "Internet", "443"),
    R("allow-smtp", 120, "Inbound", "Allow", "Internet", "25"),
    R("deny-all", 130, "Inbound", "Deny", "*", "*"),
  ],
};

/** A template, sometimes with random rules after it (priorities above the template's), or 0–6 random rules. */
export const rulesArb: fc.Arbitrary<RuleSpec[]> = fc.oneof(
  randomRulesArb,
  fc
    .tuple(fc.constantFrom(TEMPLATES.isolation, TEMPLATES.published), fc.option(randomRulesArb, { freq: 2, nil: null }))
    .map(([t, extra]) => [...t.map((r) => ({ ...r })), ...(extra ?? []).filter((r) => r.priority > 130)]),
);

export type HostState = "unverified" | "compromised" | "remediated";
export type AssessmentKind = "none" | "clean" | "stale" | "unpatched" | "incomplete" | "compromised";

export interface HostSpec {
  readonly state: HostState;
  readonly assessment: AssessmentKind;
  /** null: no NIC NSG. */
  readonly nicRules: RuleSpec[] | null;
  /** null: the subnet has no NSG. */
  readonly subnetRules: RuleSpec[] | null;
  readonly pip: "none" | "Standard" | "Basic";
  readonly lbPool: boolean;
  /** The stacks copy the host tags onto the NIC. */
  readonly nicTagged: boolean;
  /** A snapshot of the OS disk (evidence) exists. */
  readonly snapshot: boolean;
  /** Tag names/values in another case (Azure compares them case-insensitively). */
  readonly upperTags: boolean;
  /** Secret tag `owner` on the VM. */
  readonly ownerSecret?: string;
  /** The assessment's `tool` is secret and carries a marker. */
  readonly toolSecret?: string;
  /** The state tag's value is a secret (same value: a secret must still be read). */
  readonly stateSecret?: boolean;
  /** The NIC's ipconfig name is secret `ipconfig-<marker>` (messages name ipconfigs). */
  readonly ipconfigSecret?: string;
  /** The NIC NSG's `networkSecurityGroupName` is secret `nsg-<marker>`. */
  readonly nsgNameSecret?: string;
}

export interface EstateSpec {
  readonly preview: boolean;
  readonly lbSku: "Standard" | "Basic";
  readonly hosts: HostSpec[];
}

const hostArb: fc.Arbitrary<HostSpec> = fc.constantFrom<HostState>("unverified", "compromised", "remediated").chain((state) =>
  fc.record({
    state: fc.constant(state),
    assessment:
      state === "remediated"
        ? fc.constantFrom<AssessmentKind>("clean", "clean", "clean", "none", "stale", "unpatched", "incomplete", "compromised")
        : state === "compromised"
          ? fc.constantFrom<AssessmentKind>("none", "compromised")
          : fc.constantFrom<AssessmentKind>("none", "none", "compromised", "clean"),
    nicRules: fc.option(rulesArb, { freq: 4, nil: null }),
    subnetRules: fc.option(rulesArb, { freq: 2, nil: null }),
    pip: fc.constantFrom("none" as const, "none" as const, "Standard" as const, "Basic" as const),
    lbPool: fc.boolean(),
    nicTagged: fc.boolean(),
    snapshot: fc.boolean(),
    upperTags: fc.boolean(),
    ownerSecret: optional(markerArb, 2),
    toolSecret: optional(markerArb, 2),
    stateSecret: fc.constantFrom(false, false, false, true),
    ipconfigSecret: optional(markerArb, 1),
    nsgNameSecret: optional(markerArb, 1),
  }),
);

/** 1–4 Exchange hosts in random states, update or preview form. */
export const estateSpecArb: fc.Arbitrary<EstateSpec> = fc.record({
  preview: fc.boolean(),
  lbSku: fc.constantFrom("Standard" as const, "Basic" as const),
  hosts: fc.array(hostArb, { minLength: 1, maxLength: 4 }),
});

/** A host whose spec makes it not verified (only `remediated` + a clean assessment can pass the gate). */
export function specUnverified(h: HostSpec): boolean {
  return !(h.state === "remediated" && h.assessment === "clean");
}

// ------------------------------------------------------------------------------------------
// exposure additions (the exposure-monotonicity property)
// ------------------------------------------------------------------------------------------

export interface Exposure {
  /** Index (mod #hosts) of the host that gets the added path. */
  readonly host: number;
  /** A public IP on the host NIC's ipconfig (when it has none yet). */
  readonly pip?: "Standard" | "Basic";
  /** Allow-all inbound at priority 100 on every NSG of the host (NIC NSG and subnet NSG, those that exist). */
  readonly allowAll: boolean;
  /** Membership in the pool of a new public LB with rules 443→443 and 3389→3389. */
  readonly lb?: "Standard" | "Basic";
  /** An Azure Firewall DNAT rule 20.1.2.3:3389 → the host's private IP:3389. */
  readonly dnat: boolean;
}

export const exposureArb: fc.Arbitrary<Exposure> = fc
  .record({
    host: fc.nat(3),
    pip: optional(fc.constantFrom("Standard" as const, "Basic" as const), 1),
    allowAll: fc.boolean(),
    lb: optional(fc.constantFrom("Standard" as const, "Basic" as const), 1),
    dnat: fc.boolean(),
  })
  .filter((x) => x.pip !== undefined || x.allowAll || x.lb !== undefined || x.dnat);

/**
 * Must the added path be open by construction? Open when it carries a path (public IP, public LB
 * membership or DNAT) AND the NSGs let it through:
 *  - the host has no NSG at all: a Basic public IP / Basic LB / Firewall DNAT is open; a Standard
 *    public IP or Standard LB is CLOSED (Azure: Standard SKU frontends are secure by default and
 *    need an NSG allow) — this is the documented exclusion;
 *  - the host has NSGs and the addition puts allow-all at priority 100 (above every other rule,
 *    whose priorities are ≥ 101) on each of them: open.
 * Otherwise (NSGs present, no allow-all) whether the path is open depends on the random rules:
 * no expectation, only monotonicity.
 */
export function exposureMustOpen(h: HostSpec, x: Exposure): { open: boolean; why: string } {
  // The host's own public IP counts (the host's resources are never corrupted in this property);
  // its membership in the shared lb-pub does not (that LB may be corrupted).
  const pip = h.pip !== "none" ? h.pip : x.pip;
  const paths = [pip && `${pip} public IP`, x.lb && `${x.lb} public LB`, x.dnat && "Firewall DNAT"].filter(Boolean) as string[];
  if (paths.length === 0) return { open: false, why: "no path (an NSG rule alone opens nothing)" };
  const hasNsg = h.nicRules !== null || h.subnetRules !== null;
  if (!hasNsg) {
    const openPaths = [pip === "Basic" && "Basic public IP", x.lb === "Basic" && "Basic LB", x.dnat && "DNAT"].filter(Boolean);
    return openPaths.length > 0
      ? { open: true, why: `no NSG anywhere and ${openPaths.join(", ")} added` }
      : { open: false, why: "excluded: only Standard-SKU paths and no NSG anywhere (closed in Azure)" };
  }
  if (x.allowAll) return { open: true, why: `${paths.join(", ")} added and allow-all at priority 100 on every NSG` };
  return { open: false, why: "NSGs present without the allow-all rule: depends on the random rules" };
}

// ------------------------------------------------------------------------------------------
// building
// ------------------------------------------------------------------------------------------

export interface BuiltHost {
  readonly spec: HostSpec;
  readonly vm: Res;
  readonly nic: Res;
  readonly subnet: Res;
  readonly nicNsg?: Res;
  readonly subnetNsg?: Res;
  /** URNs of the resources that make up this host's path (VM, NIC, NSGs, subnet, PIP, assessment, snapshot). */
  readonly own: Set<string>;
}

export interface Built {
  readonly e: Estate;
  readonly hosts: BuiltHost[];
}

function ruleOf(r: RuleSpec, i: number): Record<string, unknown> {
  const plainName = `${r.name}-${i + 1}`;
  return rule({
    // rule() types names as strings; the engine sends a secret name as an envelope.
    name: (r.secretName ? secret(`${plainName}-${r.secretName}`) : plainName) as string,
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol,
    ...(r.secretSources
      ? { sources: r.secretSources.whole ? secret(r.secretSources.prefixes) : r.secretSources.prefixes.map((p) => secret(p)) }
      : { source: r.secretSource ? secret(`${r.secretSource}/32`) : r.source }),
    port: r.port,
  });
}

const ALLOW_ALL = rule({ name: "added-allow-all", priority: 100, direction: "Inbound", access: "Allow", protocol: "*", source: "*", port: "*" });

function assessmentData(kind: AssessmentKind, toolSecret: string | undefined): Record<string, unknown> | undefined {
  const tool = toolSecret ? { tool: secret(`Test-ProxyLogon.ps1 ${toolSecret}`) } : {};
  switch (kind) {
    case "none":
      return undefined;
    case "clean":
      return cleanData(tool, NOW);
    case "stale":
      return cleanData({ ...tool, completedAt: daysAgo(90, NOW) }, NOW);
    case "unpatched":
      return cleanData({ ...tool, exchangeBuild: "15.2.792.3" }, NOW);
    case "incomplete":
      return cleanData({ ...tool, checks: "CVE-2021-26855,webshell-scan" }, NOW);
    case "compromised":
      return cleanData({ ...tool, verdict: "compromised", completedAt: daysAgo(20, NOW) }, NOW);
  }
}

/** Builds the resources of a spec; `exposure` adds its path to one host (deterministically, same names). */
export function buildEstate(spec: EstateSpec, exposure?: Exposure): Built {
  const e = new Estate({ preview: spec.preview });
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const target = exposure ? exposure.host % spec.hosts.length : -1;

  let lb: Res | undefined;
  if (spec.hosts.some((h) => h.lbPool)) {
    const lbPip = e.publicIp("pip-lb-pub", spec.lbSku);
    lb = loadBalancer(e, "lb-pub", {
      sku: spec.lbSku,
      frontends: [{ name: "fe", publicIp: lbPip }],
      pools: [{ name: "pool" }],
      rules: [
        { name: "https", frontend: "fe", pool: "pool", frontendPort: 443, backendPort: 443 },
        { name: "rdp", frontend: "fe", pool: "pool", frontendPort: 3389, backendPort: 3389 },
      ],
    });
  }

  const hosts: BuiltHost[] = [];
  spec.hosts.forEach((h, idx) => {
    const n = idx + 1;
    const name = `ex0${n}`;
    const x = idx === target ? exposure : undefined;
    const own = new Set<string>();
    const addAll = (...rs: Array<Res | undefined>) => rs.forEach((r) => r && own.add(r.urn));

    const subnetRules = h.subnetRules?.map(ruleOf);
    const nicRules = h.nicRules?.map(ruleOf);
    if (x?.allowAll) {
      subnetRules?.unshift(ALLOW_ALL);
      nicRules?.unshift(ALLOW_ALL);
    }
    const subnetNsg = subnetRules ? e.nsg(`nsg-snet-${name}`, subnetRules) : undefined;
    const subnet = e.subnet(`snet-${name}`, vnet, `10.0.${n}.0/24`, subnetNsg);
    const nicNsg = nicRules
      ? e.nsg(`nsg-${name}`, nicRules, h.nsgNameSecret ? { networkSecurityGroupName: secret(`nsg-${name}-${h.nsgNameSecret}`) } : {})
      : undefined;
    // An added public IP goes where there is none; an existing one is kept as it is (changing its SKU is not adding a path).
    const pipSku = h.pip !== "none" ? h.pip : x?.pip;
    const pip = pipSku ? e.publicIp(`pip-${name}`, pipSku) : undefined;

    const lbPools: Array<[Res, string]> = [];
    if (h.lbPool && lb) lbPools.push([lb, "pool"]);
    let addedLb: Res | undefined;
    if (x?.lb) {
      const addedPip = e.publicIp(`pip-lb-added-${name}`, x.lb);
      addedLb = loadBalancer(e, `lb-added-${name}`, {
        sku: x.lb,
        frontends: [{ name: "fe", publicIp: addedPip }],
        pools: [{ name: "pool" }],
        rules: [
          { name: "https", frontend: "fe", pool: "pool", frontendPort: 443, backendPort: 443 },
          { name: "rdp", frontend: "fe", pool: "pool", frontendPort: 3389, backendPort: 3389 },
        ],
      });
      lbPools.push([addedLb, "pool"]);
    }

    const stateValue = h.upperTags ? h.state.toUpperCase() : h.state;
    const stateTagValue = h.stateSecret ? secret(stateValue) : stateValue;
    const tags: Record<string, unknown> = h.upperTags
      ? { Workload: "Exchange", "Remediation-State": stateTagValue }
      : { workload: "exchange", "remediation-state": stateTagValue };
    const vmTags: Record<string, unknown> = h.ownerSecret ? { ...tags, owner: secret(h.ownerSecret) } : tags;
    const nic = e.nic(`nic-${name}`, {
      subnet,
      nsg: nicNsg,
      publicIp: pip,
      privateIp: `10.0.${n}.4`,
      tags: h.nicTagged ? (tags as Record<string, string>) : undefined,
      lbPools: lbPools.length > 0 ? lbPools : undefined,
    });
    if (h.ipconfigSecret) (nic.properties.ipConfigurations as Array<Record<string, unknown>>)[0].name = secret(`ipconfig-${h.ipconfigSecret}`);
    const vm = e.vm(name, { nics: [nic], tags: vmTags as Record<string, string> });
    const data = assessmentData(h.assessment, h.toolSecret);
    const assessment = data ? e.assessment(`a-${name}`, vm, data) : undefined;
    let snap: Res | undefined;
    if (h.snapshot && (h.state === "compromised" || h.assessment === "compromised")) {
      snap = e.add(
        "azure-native:compute:Snapshot",
        `snap-${name}`,
        {
          snapshotName: `snap-${name}`,
          resourceGroupName: e.rg,
          creationData: { createOption: "Copy", sourceResourceId: spec.preview ? UNKNOWN : e.armId("azure-native:compute:Disk", `${name}-osdisk`) },
        },
        { creationData: [vm] },
      );
    }
    let fw: Res | undefined;
    let fwPip: Res | undefined;
    let fwSubnet: Res | undefined;
    if (x?.dnat) {
      fwSubnet = e.subnet(`AzureFirewallSubnet-${name}`, vnet, `10.0.${200 + n}.0/26`);
      fwPip = e.publicIp(`pip-fw-${name}`, "Standard");
      fw = firewall(e, `fw-${name}`, {
        subnet: fwSubnet,
        publicIp: fwPip,
        dnat: [
          {
            name: "dnat-rdp",
            destinationAddresses: ["20.1.2.3"],
            destinationPorts: ["3389"],
            translatedAddress: `10.0.${n}.4`,
            translatedPort: "3389",
          },
        ],
      });
    }
    addAll(vm, nic, subnet, nicNsg, subnetNsg, pip, assessment, snap, addedLb, fw, fwPip, fwSubnet);
    hosts.push({ spec: h, vm, nic, subnet, nicNsg, subnetNsg, own });
  });
  return { e, hosts };
}

// ------------------------------------------------------------------------------------------
// paths into properties
// ------------------------------------------------------------------------------------------

export type Path = ReadonlyArray<string | number>;

/**
 * Every path into a properties object (interior nodes and leaves, not the root). Long arrays
 * contribute their first two and last element only, and the walk stops at depth 64, so huge
 * or deep corruptions do not blow up the next pick. The signature key of a secret envelope is
 * not a path (it is the engine's encoding, not a value).
 */
export function pathsOf(props: unknown, o: { leavesOnly?: boolean; skipUnknown?: boolean } = {}): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, p: Array<string | number>, depth: number): void => {
    const leaf = v === null || typeof v !== "object";
    if (p.length > 0) {
      const skip = (o.leavesOnly && !leaf) || (o.skipUnknown && typeof v === "string" && ALL_SENTINELS.includes(v)) || (o.leavesOnly && v === null);
      if (!skip) out.push([...p]);
    }
    if (leaf || depth >= 64) return;
    if (Array.isArray(v)) {
      const idx = v.length <= 20 ? v.map((_, i) => i) : [0, 1, v.length - 1];
      for (const i of idx) walk(v[i], [...p, i], depth + 1);
    } else {
      for (const k of Object.keys(v as object)) {
        if (k === SECRET_KEY && isEnvelope(v)) continue;
        walk((v as Record<string, unknown>)[k], [...p, k], depth + 1);
      }
    }
  };
  walk(props, [], 0);
  return out;
}

export function getAt(obj: unknown, p: Path): unknown {
  let cur = obj;
  for (const k of p) cur = (cur as Record<string | number, unknown>)[k];
  return cur;
}

export function setAt(obj: unknown, p: Path, value: unknown): void {
  let cur = obj as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[p[p.length - 1]] = value;
}

/** A deep copy of resources (plain data), so variants of one case can be mutated independently. */
export function cloneResources<T extends EngineResource>(rs: readonly T[]): T[] {
  return rs.map((r) => structuredClone(r));
}

// ------------------------------------------------------------------------------------------
// corruptions
// ------------------------------------------------------------------------------------------

export type Replacement =
  | { kind: "null" }
  | { kind: "wrongType"; value: unknown }
  | { kind: "unknown"; sentinel: string }
  | { kind: "secretOriginal"; marker?: string }
  | { kind: "secretRandom"; marker: string }
  | { kind: "emptyArray" }
  | { kind: "hugeArray"; copies: number }
  | { kind: "deep"; depth: number; arrays: boolean };

export interface Corruption {
  /** Resource pick (mod the number of eligible resources). */
  readonly res: number;
  /** Path pick (mod the number of paths of that resource). */
  readonly path: number;
  readonly with: Replacement;
}

/** Junk strings drawn from an alphabet that cannot form a marker. */
const junkString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "Allow",
    "Deny",
    "*",
    "Internet",
    "0.0.0.0/0",
    "::/0",
    "65536",
    "-1",
    "1-0",
    "not/an/id",
    "/subscriptions//",
    "TRUE",
    "null",
    "{}",
  ),
  fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/.-_:* "), maxLength: 24 }),
);

export const wrongTypeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(fc.integer({ min: -70000, max: 70000 }), fc.constantFrom(0, -0, 1e308, -1e-9, 3.5, 65535, 65536)),
  fc.boolean(),
  junkString,
  fc.array(fc.oneof(fc.integer(), junkString, fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.constantFrom("id", "name", "value", "x", "properties"), fc.oneof(fc.integer(), junkString, fc.constant(null)), { maxKeys: 3 }),
);

export const replacementArb: fc.Arbitrary<Replacement> = fc.oneof(
  fc.constant<Replacement>({ kind: "null" }),
  wrongTypeArb.map<Replacement>((value) => ({ kind: "wrongType", value })),
  fc.constantFrom(...ALL_SENTINELS).map<Replacement>((sentinel) => ({ kind: "unknown", sentinel })),
  optional(markerArb, 3).map<Replacement>((marker) => ({ kind: "secretOriginal", marker })),
  markerArb.map<Replacement>((marker) => ({ kind: "secretRandom", marker })),
  fc.constant<Replacement>({ kind: "emptyArray" }),
  fc.constantFrom(2000, 2000, 300).map<Replacement>((copies) => ({ kind: "hugeArray", copies })),
  fc.tuple(fc.constantFrom(50, 50, 20), fc.boolean()).map<Replacement>(([depth, arrays]) => ({ kind: "deep", depth, arrays })),
);

export const corruptionArb: fc.Arbitrary<Corruption> = fc.record({ res: fc.nat(), path: fc.nat(), with: replacementArb });
/** 1–5 corruptions by default; `light` leaves out huge arrays (the costliest inputs), for properties that judge each case twice. */
export const corruptionsArb = (min = 1, max = 5, o: { light?: boolean } = {}): fc.Arbitrary<Corruption[]> =>
  fc.array(o.light ? corruptionArb.filter((c) => c.with.kind !== "hugeArray") : corruptionArb, { minLength: min, maxLength: max });

function deepJunk(depth: number, arrays: boolean): unknown {
  let v: unknown = "bottom";
  for (let i = 0; i < depth; i++) v = arrays && i % 2 === 0 ? [v, i] : { junk: v, n: i };
  return v;
}

/** Most nodes a huge array may hold: 2,000 copies of anything up to 10 nodes (a rule, an id reference, a leaf). */
const HUGE_NODES = 20_000;

function nodeCount(v: unknown, acc: number): number {
  if (acc > 100_000) return acc;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => nodeCount(x, n), acc + 1);
  if (typeof v === "object" && v !== null) return Object.values(v).reduce<number>((n, x) => nodeCount(x, n), acc + 1);
  return acc + 1;
}

function replacementValue(orig: unknown, w: Replacement): unknown {
  switch (w.kind) {
    case "null":
      return null;
    case "wrongType":
      return structuredClone(w.value);
    case "unknown":
      return w.sentinel;
    case "secretOriginal":
      // Wrap the original; on a string, also append a marker so the plaintext is recognisable.
      return secret(typeof orig === "string" && w.marker ? `${orig}-${w.marker}` : orig);
    case "secretRandom":
      return secret(w.marker);
    case "emptyArray":
      return [];
    case "hugeArray": {
      // Cap the total size (a huge array inside a huge array would be millions of nodes).
      const copies = Math.max(2, Math.min(w.copies, Math.floor(HUGE_NODES / nodeCount(orig, 0))));
      return Array.from({ length: copies }, () => orig);
    }
    case "deep":
      return deepJunk(w.depth, w.arrays);
  }
}

export interface Applied {
  readonly urn: string;
  readonly path: Path;
  readonly kind: Replacement["kind"];
}

/**
 * Applies corruptions in place, in order; each picks a resource among `eligible` (all when
 * absent) and a path in it, by index modulo. Returns what was changed, for messages.
 */
export function applyCorruptions(resources: EngineResource[], cs: readonly Corruption[], eligible?: (r: EngineResource) => boolean): Applied[] {
  const done: Applied[] = [];
  for (const c of cs) {
    const pool = resources.filter((r) => !eligible || eligible(r));
    if (pool.length === 0) break;
    const r = pool[c.res % pool.length];
    const paths = pathsOf(r.properties);
    if (paths.length === 0) continue;
    const p = paths[c.path % paths.length];
    const orig = getAt(r.properties, p);
    setAt(r.properties, p, replacementValue(orig, c.with));
    // A huge array inside a copy of another huge array multiplies: keep each resource small enough.
    if (c.with.kind === "hugeArray" && nodeCount(r.properties, 0) > 1.5 * HUGE_NODES)
      setAt(r.properties, p, replacementValue(orig, { kind: "hugeArray", copies: 20 }));
    done.push({ urn: r.urn, path: p, kind: c.with.kind });
  }
  return done;
}

// ------------------------------------------------------------------------------------------
// unknown swaps (the unknown-monotonicity property)
// ------------------------------------------------------------------------------------------

export interface UnknownSwap {
  readonly res: number;
  readonly path: number;
  /** Use the sentinel of the leaf's own type (else `sentinel`). */
  readonly typed: boolean;
  readonly sentinel: string;
  /** Swap a whole known list or object instead of a leaf. */
  readonly container: boolean;
}

export const unknownSwapArb: fc.Arbitrary<UnknownSwap> = fc.record({
  res: fc.nat(),
  path: fc.nat(),
  typed: fc.boolean(),
  sentinel: fc.constantFrom(...ALL_SENTINELS),
  container: fc.constantFrom(false, false, false, true),
});

function isKnownLeaf(v: unknown): boolean {
  return (typeof v === "string" && !ALL_SENTINELS.includes(v)) || typeof v === "number" || typeof v === "boolean";
}

/**
 * Replaces known values by unknown sentinels, in place: a leaf (string/number/bool, not already
 * a sentinel) by its own type's sentinel or a random one, or with `container` a whole list /
 * object (not a secret envelope) by the array / object sentinel.
 */
export function applyUnknowns(resources: EngineResource[], swaps: readonly UnknownSwap[]): Applied[] {
  const done: Applied[] = [];
  for (const s of swaps) {
    const r = resources[s.res % resources.length];
    const all = pathsOf(r.properties, { skipUnknown: true });
    const candidates = all.filter((p) => {
      const v = getAt(r.properties, p);
      return s.container ? typeof v === "object" && v !== null && !isEnvelope(v) : isKnownLeaf(v);
    });
    if (candidates.length === 0) continue;
    const p = candidates[s.path % candidates.length];
    const v = getAt(r.properties, p);
    let sentinel = s.sentinel;
    if (s.typed) {
      if (Array.isArray(v)) sentinel = SENTINEL.array;
      else if (typeof v === "object") sentinel = SENTINEL.object;
      else if (typeof v === "number") sentinel = SENTINEL.number;
      else if (typeof v === "boolean") sentinel = SENTINEL.bool;
      else sentinel = SENTINEL.string;
    }
    setAt(r.properties, p, sentinel);
    done.push({ urn: r.urn, path: p, kind: "unknown" });
  }
  return done;
}
