/**
 * What the stacks register for a host that the gate reads: its tags and its OS disk. Pure values (no Pulumi), so the
 * fleet plan can ask the pack's gate about the very VM the component will register, without loading a provider.
 */
import { osDiskName, type HostState } from "../../policies/model";
import type { ImageSpec } from "../config/fleetConfig";

/** The tag names (and host value) the policy pack's gate reads: hostTag / hostTagValues / stateTag. */
export interface HostTagNames {
  readonly hostTag: string;
  readonly hostTagValue: string;
  readonly stateTag: string;
}

export const DEFAULT_TAG_NAMES: HostTagNames = { hostTag: "workload", hostTagValue: "exchange", stateTag: "remediation-state" };

/**
 * A host's tags, for its VM and NIC alike. The host and state tags are written under the names the gate is
 * configured with: a pack told `hostTag: role` looks for `role`, and a host tagged `workload` would be no Exchange
 * host to it at all (fail open). Azure compares tag names case-insensitively, so an extra tag differing only in case
 * from one of ours is dropped rather than left to shadow it.
 */
export function hostTags(
  state: HostState,
  generation: number,
  extra: Record<string, string> = {},
  names: HostTagNames = DEFAULT_TAG_NAMES,
): Record<string, string> {
  const ours = { [names.hostTag]: names.hostTagValue, [names.stateTag]: state, "exchange-generation": String(generation) };
  const taken = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  const kept = Object.fromEntries(Object.entries(extra).filter(([k]) => !taken.has(k.toLowerCase())));
  return { ...kept, ...ours };
}

/** A host generation's storage profile: always a fresh OS disk from the trusted image, deleted with its VM. */
export function hostStorageProfile(vmName: string, image: ImageSpec) {
  return {
    imageReference: "id" in image ? { id: image.id } : { ...image },
    osDisk: {
      name: osDiskName(vmName),
      createOption: "FromImage",
      deleteOption: "Delete",
      caching: "ReadWrite",
      managedDisk: { storageAccountType: "Premium_LRS" },
    },
  } as const;
}
