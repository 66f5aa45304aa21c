/** Junk resources for the garbage tests: every type the pack reads, every key it reads, wrong-typed values. */
import type { EngineResource } from "../../cli/packDriver/analyzerClient";
import { HOST_TAGS, UNKNOWN } from "../support/estate";
import { SENTINEL } from "./helpers";

export const TYPES = [
  "azure-native:compute:VirtualMachine",
  "azure-native:network:NetworkInterface",
  "azure-native:network:NetworkSecurityGroup",
  "azure-native:network:SecurityRule",
  "azure-native:network:PublicIPAddress",
  "azure-native:network:LoadBalancer",
  "azure-native:network:ApplicationGateway",
  "azure-native:network:Subnet",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:AzureFirewall",
  "azure-native:network:FirewallPolicy",
  "azure-native:network:FirewallPolicyRuleCollectionGroup",
  "azure-native:network:PrivateLinkService",
  "azure-native:network:ApplicationSecurityGroup",
  "azure-native:network:AdminRule",
  "azure-native:cdn:AFDOrigin",
  "azure-native:security:Assessment",
  "azure-native:compute:Snapshot",
  "azure-native:compute:v20230301:VirtualMachine",
  "azure-native:network/v20230201:NetworkInterface",
  "AZURE-NATIVE:COMPUTE:VIRTUALMACHINE",
  "weird:thing:Type",
  "pulumi:pulumi:Stack",
  "pulumi:providers:azure-native",
  "",
];

/** Keys the pack reads on some type. */
export const KEYS = [
  "tags",
  "id",
  "name",
  "ipConfigurations",
  "networkProfile",
  "networkInterfaces",
  "networkInterfaceConfigurations",
  "networkSecurityGroup",
  "securityRules",
  "defaultSecurityRules",
  "subnet",
  "subnets",
  "addressPrefix",
  "addressPrefixes",
  "sourceAddressPrefix",
  "sourceAddressPrefixes",
  "destinationPortRange",
  "destinationPortRanges",
  "priority",
  "access",
  "direction",
  "protocol",
  "publicIPAddress",
  "sku",
  "frontendIPConfigurations",
  "backendAddressPools",
  "loadBalancingRules",
  "inboundNatRules",
  "httpListeners",
  "requestRoutingRules",
  "natRuleCollections",
  "ruleCollections",
  "firewallPolicy",
  "storageProfile",
  "osDisk",
  "imageReference",
  "creationData",
  "resourceId",
  "resourceDetails",
  "status",
  "additionalData",
  "assessmentName",
  "hostName",
  "sharedPrivateLinkResource",
  "sources",
  "destinations",
  "resourceGroupName",
];

export function nested(depth: number, leaf: unknown): unknown {
  let v: unknown = leaf;
  // One child per level (a value referenced twice per level would grow as 2^depth once serialized).
  for (let i = 0; i < depth; i++) v = i % 3 === 0 ? [v] : i % 3 === 1 ? { x: v } : { tags: v, id: "x" };
  return v;
}

export const JUNK: unknown[] = [
  0,
  -1,
  1e308,
  65536,
  3.5,
  "",
  " ",
  "x",
  "*",
  "0.0.0.0/0",
  "999.999.999.999/99",
  "::/0",
  "1-0",
  "65535-1",
  "\u0000\uffff\ud800",
  "a".repeat(2_000),
  true,
  false,
  null,
  [],
  {},
  [[[]]],
  [null, 1, "a", {}],
  { id: 42 },
  { id: null },
  { id: ["a"] },
  {
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: [] },
  },
  { __proto__: "x", constructor: "y", hasOwnProperty: "z", toString: 1, valueOf: [] },
  nested(8, "deep"),
  nested(6, UNKNOWN),
  UNKNOWN,
  SENTINEL.number,
  SENTINEL.bool,
  SENTINEL.array,
  SENTINEL.object,
  SENTINEL.asset,
  SENTINEL.archive,
];

/**
 * Junk resources: for every type, one resource per junk value with every key set to it, and
 * Exchange-tagged resources whose keys hold lists of junk (a rotating quarter of the junk values
 * per type, so the set stays small enough for google-protobuf's slow Struct encoding).
 */
export function junkResources(): EngineResource[] {
  const out: EngineResource[] = [];
  let n = 0;
  const urnOf = (type: string, name: string) => `urn:pulumi:dev::junk::${type}::${name}`;
  TYPES.forEach((type, ti) => {
    // Every key set to the same junk.
    for (const j of JUNK) {
      const name = `g${n++}`;
      const properties: Record<string, unknown> = {};
      for (const k of KEYS) properties[k] = j;
      out.push({
        urn: urnOf(type, name),
        type,
        name,
        properties,
        dependencies: [urnOf(type, "g0"), "urn:missing", "", "not a urn"],
        propertyDependencies: { ipConfigurations: ["urn:missing"], tags: [urnOf(type, name)] },
      });
    }
    // Exchange-tagged, so the host logic runs over junk.
    JUNK.forEach((j, ji) => {
      if ((ji + ti) % 4 !== 0) return;
      const name = `h${n++}`;
      const properties: Record<string, unknown> = { tags: { ...HOST_TAGS("unverified"), extra: j } };
      for (const k of KEYS) if (k !== "tags") properties[k] = [j, { [k]: j, id: j, name: j, properties: { [k]: j } }];
      out.push({ urn: urnOf(type, name), type, name, properties, parent: urnOf(type, `h${n}`), dependencies: [urnOf(type, `h${n - 2}`)] });
    });
    // Empty properties, and a remediated host claim on junk.
    out.push({ urn: urnOf(type, `e${n}`), type, name: `e${n++}`, properties: {} });
    out.push({
      urn: urnOf(type, `r${n}`),
      type,
      name: `r${n++}`,
      properties: { tags: HOST_TAGS("remediated"), resourceId: urnOf(type, "h1"), additionalData: { assessmentKind: "exchange-compromise" } },
    });
  });
  // A dependency cycle and a parent cycle.
  out.push({
    urn: "urn:pulumi:dev::junk::x:y:Z::a",
    type: "x:y:Z",
    name: "a",
    properties: {},
    parent: "urn:pulumi:dev::junk::x:y:Z::b",
    dependencies: ["urn:pulumi:dev::junk::x:y:Z::b"],
  });
  out.push({
    urn: "urn:pulumi:dev::junk::x:y:Z::b",
    type: "x:y:Z",
    name: "b",
    properties: {},
    parent: "urn:pulumi:dev::junk::x:y:Z::a",
    dependencies: ["urn:pulumi:dev::junk::x:y:Z::a"],
  });
  return out;
}

/**
 * Objects that carry the engine's special signature key but are no valid envelope: an unknown
 * signature, a secret without a value, an asset without path/text/uri, an archive without assets.
 * The engine never produces them; a literal user value could.
 */
export const MALFORMED_ENVELOPES: unknown[] = [
  { value: 1, "4dabf18193072939515e22adb298388d": "not-the-signature" },
  { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" },
  { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17" },
  { "4dabf18193072939515e22adb298388d": "0def7320c3a5731c473e5ecbe6d01bc7" },
];
