import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as security from "@pulumi/azure-native/security";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { assessmentStatus, EVIDENCE_PURPOSE, EVIDENCE_TAG, evidenceSnapshotName, generationName, HostState, osDiskName } from "../../policies/model";
import { ImageSpec } from "../config/fleetConfig";
import { hostStorageProfile, hostTags, HostTagNames } from "./hostShape";
import { IsolationNsg } from "./isolationNsg";
import { PublishedNsg } from "./publishedNsg";

export { DEFAULT_TAG_NAMES, hostTags, type HostTagNames } from "./hostShape";

export interface HostAssessment {
  readonly metadataName: pulumi.Input<string>;
  readonly additionalData: Readonly<Record<string, string>>;
  readonly dependsOn?: pulumi.Resource[];
}

export interface ExchangeHostArgs {
  readonly name: string;
  readonly generation: number;
  readonly state: HostState;
  /** Marked remediated and the gate holds: published subnet and pool. Anything else is isolated. */
  readonly verified: boolean;
  readonly compromised: boolean;
  readonly resourceGroupName: pulumi.Input<string>;
  readonly resourceGroupNameText: string;
  readonly subscriptionId: pulumi.Input<string>;
  readonly location?: pulumi.Input<string>;
  readonly size: string;
  readonly image: ImageSpec;
  readonly adminUsername: string;
  readonly quarantineSubnetId: pulumi.Input<string>;
  readonly publishedSubnetId: pulumi.Input<string>;
  /** Backend pool of the public front end; only a verified host joins it. */
  readonly backendPool?: { readonly id: pulumi.Input<string>; readonly kind: "loadBalancer" | "applicationGateway" };
  readonly forensicsSourcePrefixes: readonly string[];
  readonly forensicsDestinationPrefixes: readonly string[];
  readonly managementPorts: readonly number[];
  readonly clientPorts: readonly string[];
  readonly clientSources: readonly string[];
  /** The newest assessment record of this generation: becomes the VM's one security.Assessment. */
  readonly assessment?: HostAssessment;
  readonly tags?: Record<string, string>;
  /** The gate's tag names; default workload=exchange / remediation-state. */
  readonly tagNames?: HostTagNames;
}

/** The OS disk id of a host generation, known before the VM exists (its disk name is fixed), so evidence can name it. */
export function osDiskId(subscriptionId: pulumi.Input<string>, resourceGroup: string, vmName: string): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/disks/${osDiskName(vmName)}`;
}

/**
 * One generation of an Exchange host: its NIC (isolated or published by state), its VM built
 * from the trusted image with a credential of its own, its compromise assessment, and the
 * evidence snapshot of its OS disk when it is compromised. A new generation is a new
 * component: new names, new disk, new password; the old one is deleted after the new exists.
 */
export class ExchangeHost extends pulumi.ComponentResource {
  readonly vm: compute.VirtualMachine;
  readonly nic: network.NetworkInterface;
  readonly vmName: string;
  readonly assessment?: security.Assessment;
  readonly evidence?: compute.Snapshot;

  constructor(name: string, args: ExchangeHostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-guard:exchange:Host", name, {}, opts);
    const vmName = generationName(args.name, args.generation);
    this.vmName = vmName;
    const common = { resourceGroupName: args.resourceGroupName, location: args.location };
    const tags = hostTags(args.state, args.generation, args.tags, args.tagNames);
    const child = { parent: this };

    const nsg = args.verified
      ? new PublishedNsg(
          `${vmName}-published`,
          {
            ...common,
            nsgName: `${vmName}-nsg`,
            clientPorts: args.clientPorts,
            clientSources: args.clientSources,
            forensicsSourcePrefixes: args.forensicsSourcePrefixes,
            managementPorts: args.managementPorts,
            tags,
          },
          child,
        ).nsg
      : new IsolationNsg(
          `${vmName}-isolation`,
          {
            ...common,
            nsgName: `${vmName}-nsg`,
            forensicsSourcePrefixes: args.forensicsSourcePrefixes,
            managementPorts: args.managementPorts,
            blockInternetOutbound: args.compromised ? { allowedDestinations: args.forensicsDestinationPrefixes } : undefined,
            tags,
          },
          child,
        ).nsg;

    const pool = args.verified && args.backendPool ? args.backendPool : undefined;
    this.nic = new network.NetworkInterface(
      `${vmName}-nic`,
      {
        ...common,
        networkInterfaceName: `${vmName}-nic`,
        networkSecurityGroup: { id: nsg.id },
        ipConfigurations: [
          {
            name: "ipconfig1",
            primary: true,
            privateIPAllocationMethod: "Dynamic",
            subnet: { id: args.verified ? args.publishedSubnetId : args.quarantineSubnetId },
            // Never a public IP; a pool only for a verified host.
            loadBalancerBackendAddressPools: pool?.kind === "loadBalancer" ? [{ id: pool.id }] : undefined,
            applicationGatewayBackendAddressPools: pool?.kind === "applicationGateway" ? [{ id: pool.id }] : undefined,
          },
        ],
        tags,
      },
      child,
    );

    // One credential per generation: a rebuilt host never shares a password with the compromised one.
    const password = new random.RandomPassword(
      `${vmName}-admin`,
      { length: 32, special: true, overrideSpecial: "!#%*-_=+", minLower: 2, minUpper: 2, minNumeric: 2, minSpecial: 2 },
      child,
    );

    this.vm = new compute.VirtualMachine(
      vmName,
      {
        ...common,
        vmName,
        hardwareProfile: { vmSize: args.size },
        networkProfile: { networkInterfaces: [{ id: this.nic.id, primary: true }] },
        osProfile: {
          computerName: vmName,
          adminUsername: args.adminUsername,
          // Secret whatever the provider says about its result: it must never reach state or logs in plain text.
          adminPassword: pulumi.secret(password.result),
          windowsConfiguration: { enableAutomaticUpdates: true, provisionVMAgent: true },
        },
        // Always a fresh disk from the trusted image; deleted with its VM once its evidence snapshot exists.
        storageProfile: hostStorageProfile(vmName, args.image),
        securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } },
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        tags,
      },
      // The NIC and its NSG go before the VM is replaced: a new generation never starts exposed.
      { ...child, deleteBeforeReplace: false },
    );

    if (args.assessment) {
      this.assessment = new security.Assessment(
        `${vmName}-assessment`,
        {
          resourceId: this.vm.id,
          assessmentName: args.assessment.metadataName,
          resourceDetails: { source: "Azure" },
          status: assessmentStatus(args.assessment.additionalData),
          additionalData: { ...args.assessment.additionalData },
        },
        { ...child, dependsOn: args.assessment.dependsOn ?? [] },
      );
    }
    if (args.compromised) {
      this.evidence = evidenceSnapshot(vmName, args, { ...child, dependsOn: [this.vm] });
    }
    this.registerOutputs({ vmId: this.vm.id, nicId: this.nic.id });
  }
}

/**
 * A full copy of a generation's OS disk, kept after the VM goes (CISA ED 21-02: preserve before changes), under a
 * CanNotDelete lock so nobody deletes it outside Pulumi (the lock depends on the snapshot: the engine removes it first).
 */
export function evidenceSnapshot(
  vmName: string,
  args: {
    resourceGroupName: pulumi.Input<string>;
    resourceGroupNameText: string;
    subscriptionId: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    tags?: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): compute.Snapshot {
  const snapshot = new compute.Snapshot(
    evidenceSnapshotName(vmName),
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      snapshotName: evidenceSnapshotName(vmName),
      creationData: { createOption: "Copy", sourceResourceId: osDiskId(args.subscriptionId, args.resourceGroupNameText, vmName) },
      incremental: false,
      publicNetworkAccess: "Disabled",
      networkAccessPolicy: "DenyAll",
      tags: { ...(args.tags ?? {}), [EVIDENCE_TAG]: EVIDENCE_PURPOSE, "source-vm": vmName },
    },
    opts,
  );
  evidenceLock(snapshot, vmName, { parent: opts.parent });
  return snapshot;
}

/** The lock name every evidence snapshot carries; `<evidence snapshot name>-lock` is its Pulumi name. */
export const EVIDENCE_LOCK_NAME = "exchange-evidence-cannot-delete";

/**
 * Azure refuses to delete a locked resource whoever asks (the portal, the CLI, an attacker's token without
 * Microsoft.Authorization/locks/delete), so the evidence outlives a compromise of the control plane.
 */
function evidenceLock(snapshot: compute.Snapshot, vmName: string, opts: pulumi.CustomResourceOptions): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    `${evidenceSnapshotName(vmName)}-lock`,
    {
      scope: snapshot.id,
      lockName: EVIDENCE_LOCK_NAME,
      level: "CanNotDelete",
      notes: `Evidence of Exchange host ${vmName} (CISA ED 21-02: preserve before changes). Removing this lock needs Microsoft.Authorization/locks/delete; do not, until the investigation is closed.`,
    },
    opts,
  );
}
