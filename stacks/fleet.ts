import * as authorization from "@pulumi/azure-native/authorization";
import * as compute from "@pulumi/azure-native/compute";
import * as resources from "@pulumi/azure-native/resources";
import * as security from "@pulumi/azure-native/security";
import * as pulumi from "@pulumi/pulumi";
import {
  evidenceSnapshotName,
  generationName,
  NO_PUBLIC_IP_ON_NICS,
  NO_PUBLIC_IP_ON_NICS_NAME,
  osDiskName,
  renderGateFinding,
} from "../policies/model";
import { FleetConfig, PlannedHost } from "./config/fleetConfig";
import { ExchangeHost, evidenceSnapshot } from "./components/exchangeHost";
import { ExchangeNetwork } from "./components/exchangeNetwork";
import { PublicFrontend } from "./components/publicFrontend";

export interface FleetOutputs {
  readonly resourceGroupName: pulumi.Output<string>;
  readonly hosts: Record<string, { vm: string; state: string; placement: "published" | "isolated"; gate: readonly string[] }>;
  readonly evidenceSnapshots: string[];
}

/** Does an Azure resource exist? Invokes fail on "not found"; anything else is treated as "exists" (never silently drop evidence). */
async function exists(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (e) {
    return !/not ?found|ResourceNotFound|could not be found/i.test(String((e as Error)?.message ?? e));
  }
}

/**
 * The whole fleet: resource group, network, public front end, the assessment type, and every
 * host in the state its config gives, with its history's evidence.
 */
export async function deployFleet(config: FleetConfig, plan: readonly PlannedHost[], stackName: string): Promise<FleetOutputs> {
  const prefix = `exg-${stackName}`.slice(0, 20);
  const client = await authorization.getClientConfig();
  const subscriptionId = client.subscriptionId;
  const rgName = config.resourceGroupName;
  const rg = new resources.ResourceGroup(rgName, { resourceGroupName: rgName, location: config.location });
  const common = { resourceGroupName: rg.name, location: config.location };
  const tags = { "managed-by": "exchange-compromise-guard", stack: stackName };

  const net = new ExchangeNetwork("network", {
    ...common,
    namePrefix: prefix,
    addressSpace: config.network.addressSpace,
    publishedSubnet: config.network.publishedSubnet,
    quarantineSubnet: config.network.quarantineSubnet,
    forensicsSubnet: config.network.forensicsSubnet,
    bastionSubnet: config.bastion ? config.network.bastionSubnet : undefined,
    gatewaySubnet: config.publishing.kind === "applicationGateway" ? config.network.gatewaySubnet : undefined,
    clientPorts: config.publishing.clientPorts,
    forensicsSourcePrefixes: config.forensicsSourcePrefixes,
    managementPorts: config.managementPorts,
    tags,
  });

  const frontend = plan.some((h) => h.verified)
    ? new PublicFrontend("frontend", {
        ...common,
        kind: config.publishing.kind,
        namePrefix: prefix,
        clientPorts: config.publishing.clientPorts,
        gatewaySubnetId: net.gateway?.id,
        subscriptionId,
        resourceGroupNameText: rgName,
        tags,
      })
    : undefined;

  // The control plane holds too: whoever attaches a public IP to a host's NIC outside Pulumi (the portal, the CLI,
  // another template, an attacker's token) is denied by Azure itself. The hosts are published only through the load
  // balancer or application gateway, never a NIC public IP, so the assignment never blocks this program.
  new authorization.PolicyAssignment("no-public-ip-on-nics", {
    scope: rg.id,
    policyAssignmentName: "exg-no-public-ip-on-nics",
    policyDefinitionId: NO_PUBLIC_IP_ON_NICS,
    enforcementMode: "Default",
    displayName: `${NO_PUBLIC_IP_ON_NICS_NAME} (Exchange hosts)`,
    description: "Denies a public IP on any network interface of the Exchange hosts' resource group (exchange-compromise-guard).",
    nonComplianceMessages: [
      { message: "Exchange hosts are published only through the load balancer or application gateway, never a public IP on a NIC." },
    ],
  });

  const metadata = new security.AssessmentMetadataInSubscription("exchange-compromise-assessment", {
    assessmentMetadataName: config.assessmentMetadataGuid,
    displayName: "Exchange Server compromise assessment (ProxyLogon and successors)",
    description:
      "Result of Test-ProxyLogon.ps1, a full MSERT scan and web-shell checks on an Exchange Server VM. Healthy: no indicator of compromise; Unhealthy: compromised, rebuild the host from scratch.",
    remediationDescription:
      "Isolate the host, preserve evidence, rebuild it from a trusted image as a new generation, rotate credentials (CISA ED 21-02).",
    assessmentType: "CustomerManaged",
    severity: "High",
    categories: ["Compute"],
    threats: ["accountBreach", "dataExfiltration", "elevationOfPrivilege"],
    userImpact: "High",
    implementationEffort: "High",
  });

  const outputs: FleetOutputs["hosts"] = {};
  const evidence: string[] = [];
  for (const h of plan) {
    const host = new ExchangeHost(h.vmName, {
      name: h.spec.name,
      generation: h.spec.generation,
      state: h.spec.state,
      verified: h.verified,
      compromised: h.compromisedNow,
      resourceGroupName: rg.name,
      resourceGroupNameText: rgName,
      subscriptionId,
      location: config.location,
      size: h.spec.size,
      image: h.spec.image ?? config.image,
      adminUsername: config.adminUsername,
      quarantineSubnetId: net.quarantine.id,
      publishedSubnetId: net.published.id,
      backendPool: frontend ? { id: frontend.backendPoolId, kind: frontend.kind } : undefined,
      forensicsSourcePrefixes: config.forensicsSourcePrefixes,
      forensicsDestinationPrefixes: config.forensicsDestinationPrefixes,
      managementPorts: config.managementPorts,
      clientPorts: config.publishing.clientPorts,
      clientSources: config.publishing.kind === "applicationGateway" && config.network.gatewaySubnet ? [config.network.gatewaySubnet] : ["Internet"],
      // The metadata's name is the configured GUID: known at preview, and the dependency keeps the order.
      assessment: h.current
        ? { metadataName: config.assessmentMetadataGuid, additionalData: h.current.record.additionalData, dependsOn: [metadata] }
        : undefined,
      tags,
      // The names the stack's gate (and so the pack configured like it) reads: one place for tag names.
      tagNames: { hostTag: config.gate.hostTag, hostTagValue: config.gate.hostTagValues[0], stateTag: config.gate.stateTag },
    });
    outputs[h.spec.name] = {
      vm: h.vmName,
      state: h.spec.state,
      placement: h.verified ? "published" : "isolated",
      gate: h.gateFindings.map(renderGateFinding),
    };
    if (host.evidence) evidence.push(evidenceSnapshotName(h.vmName));
    // Earlier generations: evidence of a compromised one is taken from its disk before the disk goes, and any
    // evidence snapshot that exists stays (a generation may have been compromised by its state tag alone).
    for (let g = 1; g < h.spec.generation; g++) {
      const old = generationName(h.spec.name, g);
      const snapshotName = evidenceSnapshotName(old);
      const snapshotExists = await exists(() => compute.getSnapshot({ resourceGroupName: rgName, snapshotName }));
      const recorded = h.compromisedGenerations.includes(g);
      const keep = snapshotExists || (recorded && (await exists(() => compute.getDisk({ resourceGroupName: rgName, diskName: osDiskName(old) }))));
      if (!keep) {
        if (recorded)
          pulumi.log.warn(`${h.spec.name}: the evidence of compromised generation ${g} (${snapshotName}) is gone from Azure and cannot be recreated`);
        continue;
      }
      evidenceSnapshot(
        old,
        { resourceGroupName: rg.name, resourceGroupNameText: rgName, subscriptionId, location: config.location, tags },
        { parent: host },
      );
      evidence.push(snapshotName);
    }
  }
  return { resourceGroupName: rg.name, hosts: outputs, evidenceSnapshots: evidence };
}
