/** The azure-native type tokens the model reads, and how each maps to an ARM type and its name inputs. */
export const T = {
  VM: "azure-native:compute:VirtualMachine",
  VMSS: "azure-native:compute:VirtualMachineScaleSet",
  Disk: "azure-native:compute:Disk",
  Snapshot: "azure-native:compute:Snapshot",
  Image: "azure-native:compute:Image",
  Gallery: "azure-native:compute:Gallery",
  GalleryImage: "azure-native:compute:GalleryImage",
  GalleryImageVersion: "azure-native:compute:GalleryImageVersion",
  NIC: "azure-native:network:NetworkInterface",
  NSG: "azure-native:network:NetworkSecurityGroup",
  SecurityRule: "azure-native:network:SecurityRule",
  ASG: "azure-native:network:ApplicationSecurityGroup",
  PublicIP: "azure-native:network:PublicIPAddress",
  PublicIPPrefix: "azure-native:network:PublicIPPrefix",
  VNet: "azure-native:network:VirtualNetwork",
  Subnet: "azure-native:network:Subnet",
  Peering: "azure-native:network:VirtualNetworkPeering",
  RouteTable: "azure-native:network:RouteTable",
  Route: "azure-native:network:Route",
  LB: "azure-native:network:LoadBalancer",
  LBPool: "azure-native:network:LoadBalancerBackendAddressPool",
  NatRule: "azure-native:network:InboundNatRule",
  AppGW: "azure-native:network:ApplicationGateway",
  Firewall: "azure-native:network:AzureFirewall",
  FirewallPolicy: "azure-native:network:FirewallPolicy",
  FirewallRcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
  PLS: "azure-native:network:PrivateLinkService",
  AdminRule: "azure-native:network:AdminRule",
  AdminRuleCollection: "azure-native:network:AdminRuleCollection",
  NetworkGroup: "azure-native:network:NetworkGroup",
  StaticMember: "azure-native:network:StaticMember",
  AFDOrigin: "azure-native:cdn:AFDOrigin",
  CdnOrigin: "azure-native:cdn:Origin",
  FrontDoor: "azure-native:frontdoor:FrontDoor",
  FrontDoorLegacy: "azure-native:network:FrontDoor",
  PrivateZone: "azure-native:privatedns:PrivateZone",
  PrivateRecordSet: "azure-native:privatedns:PrivateRecordSet",
  PrivateZoneLegacy: "azure-native:network:PrivateZone",
  PrivateRecordSetLegacy: "azure-native:network:PrivateRecordSet",
  Bastion: "azure-native:network:BastionHost",
  TagAtScope: "azure-native:resources:TagAtScope",
  Assessment: "azure-native:security:Assessment",
  AssessmentMetadata: "azure-native:security:AssessmentMetadataInSubscription",
  Apim: "azure-native:apimanagement:ApiManagementService",
  ApimApi: "azure-native:apimanagement:Api",
  ApimBackend: "azure-native:apimanagement:Backend",
  ApimPolicy: "azure-native:apimanagement:Policy",
  ApimApiPolicy: "azure-native:apimanagement:ApiPolicy",
  ApimApiOperationPolicy: "azure-native:apimanagement:ApiOperationPolicy",
  ApimProductPolicy: "azure-native:apimanagement:ProductPolicy",
  ApimWorkspaceApi: "azure-native:apimanagement:WorkspaceApi",
  ApimWorkspaceBackend: "azure-native:apimanagement:WorkspaceBackend",
  ApimWorkspacePolicy: "azure-native:apimanagement:WorkspacePolicy",
  ApimWorkspaceApiPolicy: "azure-native:apimanagement:WorkspaceApiPolicy",
  ApimWorkspaceApiOperationPolicy: "azure-native:apimanagement:WorkspaceApiOperationPolicy",
} as const;

interface TypeInfo {
  /** ARM type, lower case, e.g. "microsoft.network/networkinterfaces". */
  readonly arm: string;
  /** Input property holding the resource's own Azure name. */
  readonly nameKey: string;
  /** Input properties naming the parents, outermost first (child resources only). */
  readonly parentKeys?: readonly string[];
}

export const TYPE_INFO: Readonly<Record<string, TypeInfo>> = {
  [T.VM]: { arm: "microsoft.compute/virtualmachines", nameKey: "vmName" },
  [T.Disk]: { arm: "microsoft.compute/disks", nameKey: "diskName" },
  [T.Snapshot]: { arm: "microsoft.compute/snapshots", nameKey: "snapshotName" },
  [T.Image]: { arm: "microsoft.compute/images", nameKey: "imageName" },
  [T.Gallery]: { arm: "microsoft.compute/galleries", nameKey: "galleryName" },
  [T.GalleryImage]: { arm: "microsoft.compute/galleries/images", nameKey: "galleryImageName", parentKeys: ["galleryName"] },
  [T.GalleryImageVersion]: {
    arm: "microsoft.compute/galleries/images/versions",
    nameKey: "galleryImageVersionName",
    parentKeys: ["galleryName", "galleryImageName"],
  },
  [T.NIC]: { arm: "microsoft.network/networkinterfaces", nameKey: "networkInterfaceName" },
  [T.NSG]: { arm: "microsoft.network/networksecuritygroups", nameKey: "networkSecurityGroupName" },
  [T.SecurityRule]: {
    arm: "microsoft.network/networksecuritygroups/securityrules",
    nameKey: "securityRuleName",
    parentKeys: ["networkSecurityGroupName"],
  },
  [T.ASG]: { arm: "microsoft.network/applicationsecuritygroups", nameKey: "applicationSecurityGroupName" },
  [T.PublicIP]: { arm: "microsoft.network/publicipaddresses", nameKey: "publicIpAddressName" },
  [T.PublicIPPrefix]: { arm: "microsoft.network/publicipprefixes", nameKey: "publicIpPrefixName" },
  [T.VNet]: { arm: "microsoft.network/virtualnetworks", nameKey: "virtualNetworkName" },
  [T.Subnet]: { arm: "microsoft.network/virtualnetworks/subnets", nameKey: "subnetName", parentKeys: ["virtualNetworkName"] },
  [T.Peering]: {
    arm: "microsoft.network/virtualnetworks/virtualnetworkpeerings",
    nameKey: "virtualNetworkPeeringName",
    parentKeys: ["virtualNetworkName"],
  },
  [T.RouteTable]: { arm: "microsoft.network/routetables", nameKey: "routeTableName" },
  [T.Route]: { arm: "microsoft.network/routetables/routes", nameKey: "routeName", parentKeys: ["routeTableName"] },
  [T.LB]: { arm: "microsoft.network/loadbalancers", nameKey: "loadBalancerName" },
  [T.LBPool]: {
    arm: "microsoft.network/loadbalancers/backendaddresspools",
    nameKey: "backendAddressPoolName",
    parentKeys: ["loadBalancerName"],
  },
  [T.NatRule]: { arm: "microsoft.network/loadbalancers/inboundnatrules", nameKey: "inboundNatRuleName", parentKeys: ["loadBalancerName"] },
  [T.AppGW]: { arm: "microsoft.network/applicationgateways", nameKey: "applicationGatewayName" },
  [T.Firewall]: { arm: "microsoft.network/azurefirewalls", nameKey: "azureFirewallName" },
  [T.FirewallPolicy]: { arm: "microsoft.network/firewallpolicies", nameKey: "firewallPolicyName" },
  [T.FirewallRcg]: {
    arm: "microsoft.network/firewallpolicies/rulecollectiongroups",
    nameKey: "ruleCollectionGroupName",
    parentKeys: ["firewallPolicyName"],
  },
  [T.PLS]: { arm: "microsoft.network/privatelinkservices", nameKey: "serviceName" },
  [T.NetworkGroup]: {
    arm: "microsoft.network/networkmanagers/networkgroups",
    nameKey: "networkGroupName",
    parentKeys: ["networkManagerName"],
  },
  [T.AdminRuleCollection]: {
    arm: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections",
    nameKey: "ruleCollectionName",
    parentKeys: ["networkManagerName", "configurationName"],
  },
  [T.StaticMember]: {
    arm: "microsoft.network/networkmanagers/networkgroups/staticmembers",
    nameKey: "staticMemberName",
    parentKeys: ["networkManagerName", "networkGroupName"],
  },
  [T.Bastion]: { arm: "microsoft.network/bastionhosts", nameKey: "bastionHostName" },
};

/**
 * Canonical type token: versioned and locally generated azure-native packages register the
 * same resource under other tokens (`azure-native:network/v20240501:NetworkInterface`,
 * `azure-native_network_v20240501:network:NetworkInterface`); a guard must not be bypassed by
 * picking one of them.
 */
export function canonicalType(type: string): string {
  const m = /^azure-native(?:_[A-Za-z0-9_]+)?:([A-Za-z0-9]+)(?:\/v[A-Za-z0-9]+)?:([A-Za-z0-9]+)$/.exec(type);
  return m ? `azure-native:${m[1].toLowerCase()}:${m[2]}` : type;
}
