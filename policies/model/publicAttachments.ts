import { ResourceInput } from "./graph";
import { canonicalType, T } from "./resourceTypes";
import { arr, field, isIndeterminate, isUnknownSentinel, present, str } from "./values";

/** Attachment keys of an ipConfiguration that connect it to the internet side, with how to name them. */
export const NIC_ATTACHMENTS: ReadonlyArray<[string, string]> = [
  ["publicIPAddress", "a public IP"],
  ["loadBalancerBackendAddressPools", "load balancer backend pool membership"],
  ["loadBalancerInboundNatRules", "load balancer inbound NAT rule membership"],
  ["applicationGatewayBackendAddressPools", "application gateway backend pool membership"],
];
export const VM_INLINE_ATTACHMENTS: ReadonlyArray<[string, string]> = [
  ["publicIPAddressConfiguration", "a public IP (created by the VM)"],
  ["loadBalancerBackendAddressPools", "load balancer backend pool membership"],
  ["applicationGatewayBackendAddressPools", "application gateway backend pool membership"],
];

export interface AttachmentFinding {
  readonly where: string;
  readonly what: string;
}

function scanIpConfigs(cfgs: unknown, label: string, keys: ReadonlyArray<[string, string]>, out: AttachmentFinding[]): void {
  const list = arr(cfgs);
  if (isIndeterminate(list)) {
    out.push({ where: label, what: `ipConfigurations that are ${list.describe()} (they may carry a public IP)` });
    return;
  }
  (list ?? []).forEach((c, i) => {
    const name = str(field(c, "name"));
    const where = `${label}/${typeof name === "string" ? name : `ipconfig #${i + 1}`}`;
    // A configuration unknown as a whole is one finding: each of its fields would read as unknown, hence "present".
    if (isUnknownSentinel(c)) {
      out.push({ where, what: "an ipConfiguration unknown at preview" });
      return;
    }
    for (const [key, what] of keys) if (present(field(c, key))) out.push({ where, what });
  });
}

/** Public attachments on a NIC's ipConfigurations or a VM's inline NICs: what and where, unreadable lists included. */
export function publicAttachmentFindings(r: ResourceInput): AttachmentFinding[] {
  const out: AttachmentFinding[] = [];
  const type = canonicalType(r.type);
  if (type === T.NIC) scanIpConfigs(field(r.props, "ipConfigurations"), `NIC ${r.name}`, NIC_ATTACHMENTS, out);
  if (type === T.VM) {
    const inline = arr(field(field(r.props, "networkProfile"), "networkInterfaceConfigurations"));
    if (isIndeterminate(inline)) out.push({ where: `VM ${r.name}`, what: `inline network interface configurations that are ${inline.describe()}` });
    for (const nic of Array.isArray(inline) ? inline : []) {
      const n = str(field(nic, "name"));
      scanIpConfigs(field(nic, "ipConfigurations"), `VM ${r.name} NIC ${typeof n === "string" ? n : "?"}`, VM_INLINE_ATTACHMENTS, out);
    }
  }
  return out;
}
