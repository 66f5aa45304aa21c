import { GateConfig } from "../model/gate";
import { ResourceInput } from "../model/graph";
import { matchesHostTag, readState } from "../model/hosts";
import { canonicalType, T } from "../model/resourceTypes";
import { NIC_ATTACHMENTS, publicAttachmentFindings, VM_INLINE_ATTACHMENTS } from "../model/publicAttachments";
import { field, RawObject } from "../model/values";
import { CISA_ED_21_02, DOCS, ResourceRule, Violation } from "./types";

/**
 * On the remediation path a secret arrives as a wrapper object ({ value }) of @pulumi/policy's Secret
 * class; rewriting its value inside a new instance of the same class keeps it secret when redeployed.
 */
function inWrapper(v: unknown, fn: (inner: unknown) => unknown): unknown {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v)?.constructor?.name === "Secret" && "value" in v) {
    return Object.assign(Object.create(Object.getPrototypeOf(v) as object) as object, v, { value: inWrapper((v as { value: unknown }).value, fn) });
  }
  return fn(v);
}

function strip(cfg: unknown, keys: ReadonlyArray<[string, string]>): unknown {
  return inWrapper(cfg, (c) => {
    if (typeof c !== "object" || c === null || Array.isArray(c)) return c;
    const copy: RawObject = { ...(c as RawObject) };
    for (const [k] of keys) delete copy[k];
    return copy;
  });
}

function stripAll(list: unknown, keys: ReadonlyArray<[string, string]>): unknown {
  return inWrapper(list, (l) => (Array.isArray(l) ? l.map((c) => strip(c, keys)) : l));
}

export const unverifiedNoPublicAttachment: ResourceRule = {
  kind: "resource",
  name: "exchange-unverified-no-public-attachment",
  description:
    "A NIC or VM tagged as an Exchange host and not marked remediated carries no public IP and no load balancer / application gateway pool or NAT-rule membership. Blocks during pulumi up, before the change is made.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove publicIPAddress, loadBalancerBackendAddressPools, loadBalancerInboundNatRules and applicationGatewayBackendAddressPools from the host's ipConfigurations (enforcement level remediate strips them). Publish a host only after it is marked remediated and verified.",
  url: `${DOCS}#exchange-unverified-no-public-attachment`,
  framework: CISA_ED_21_02,
  tags: ["nist-800-53:SC-7", "exposure"],
  schemas: [],
  admits: true,
  evaluate(r: ResourceInput, gate: GateConfig): Violation[] {
    const type = canonicalType(r.type);
    if (type !== T.NIC && type !== T.VM) return [];
    const tags = field(r.props, "tags");
    const match = matchesHostTag(tags, gate);
    if (match === "no") return [];
    const state = readState(tags, gate);
    if (match === "yes" && state.state === "remediated") return [];
    const found = publicAttachmentFindings(r);
    if (found.length === 0) return [];
    const whose =
      match === "unknown"
        ? `${type === T.NIC ? "NIC" : "VM"} ${r.name} may belong to an Exchange host (its ${gate.hostTag} tag cannot be read)`
        : `${type === T.NIC ? "NIC" : "VM"} ${r.name} of an Exchange host in state ${state.state}${state.note ? ` (${state.note})` : ""}`;
    return found.map((f) => ({
      message: `${whose} carries ${f.what} on ${f.where}. Fix: remove it; an Exchange host gets a public path only once marked remediated and verified (enforcement level remediate strips it).`,
    }));
  },
  remediate(r: ResourceInput): Record<string, unknown> | undefined {
    const props = r.props as RawObject;
    const type = canonicalType(r.type);
    if (type === T.NIC) {
      if (props.ipConfigurations === undefined) return undefined;
      return { ...props, ipConfigurations: stripAll(props.ipConfigurations, NIC_ATTACHMENTS) };
    }
    const profile = field(props, "networkProfile");
    const inline = field(profile, "networkInterfaceConfigurations");
    if (inline === undefined) return undefined;
    return {
      ...props,
      networkProfile: {
        ...(profile as RawObject),
        networkInterfaceConfigurations: inWrapper(inline, (list) =>
          Array.isArray(list)
            ? list.map((nic) =>
                inWrapper(nic, (n) =>
                  typeof n === "object" && n !== null
                    ? { ...(n as RawObject), ipConfigurations: stripAll((n as RawObject).ipConfigurations, VM_INLINE_ATTACHMENTS) }
                    : n,
                ),
              )
            : list,
        ),
      },
    };
  },
};
