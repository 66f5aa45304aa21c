import { canonicalType, T, TYPE_INFO } from "../../policies/model/resourceTypes";

describe("canonicalType", () => {
  it("keeps a canonical token", () => {
    expect(canonicalType("azure-native:network:NetworkInterface")).toBe("azure-native:network:NetworkInterface");
  });

  it("maps versioned module tokens to the canonical one", () => {
    expect(canonicalType("azure-native:network/v20240501:NetworkInterface")).toBe(T.NIC);
    expect(canonicalType("azure-native:compute/v20230301:VirtualMachine")).toBe(T.VM);
    expect(canonicalType("azure-native:network/v20230201preview:NetworkSecurityGroup")).toBe(T.NSG);
  });

  it("maps locally generated package tokens to the canonical one", () => {
    expect(canonicalType("azure-native_network_v20240501:network:NetworkInterface")).toBe(T.NIC);
    expect(canonicalType("azure-native_network_v20240501:network/v20240501:NetworkInterface")).toBe(T.NIC);
  });

  it("lower-cases the module but keeps the type name", () => {
    expect(canonicalType("azure-native:Network:NetworkInterface")).toBe(T.NIC);
    expect(canonicalType("azure-native:network:networkInterface")).toBe("azure-native:network:networkInterface");
  });

  it("leaves other providers and malformed tokens alone", () => {
    for (const t of [
      "azure:network/networkInterface:NetworkInterface",
      "azure-classic:compute:VirtualMachine",
      "azure-nativex:network:NetworkInterface",
      "azure-native:network:NetworkInterface:extra",
      "azure-native:network:Network-Interface",
      "azure-native::NetworkInterface",
      "xazure-native:network:NetworkInterface",
      "pulumi:providers:azure-native",
      "",
    ]) {
      expect(canonicalType(t)).toBe(t);
    }
  });
});

describe("T and TYPE_INFO", () => {
  it("every token is a canonical azure-native token", () => {
    for (const v of Object.values(T)) {
      expect(v).toMatch(/^azure-native:[a-z]+:[A-Z][A-Za-z]+$/);
      expect(canonicalType(v)).toBe(v);
    }
    expect(new Set(Object.values(T)).size).toBe(Object.values(T).length);
  });

  it("names the azure-native tokens the pack reads", () => {
    expect(T.VM).toBe("azure-native:compute:VirtualMachine");
    expect(T.NIC).toBe("azure-native:network:NetworkInterface");
    expect(T.NSG).toBe("azure-native:network:NetworkSecurityGroup");
    expect(T.SecurityRule).toBe("azure-native:network:SecurityRule");
    expect(T.Subnet).toBe("azure-native:network:Subnet");
    expect(T.VNet).toBe("azure-native:network:VirtualNetwork");
    expect(T.PublicIP).toBe("azure-native:network:PublicIPAddress");
    expect(T.LB).toBe("azure-native:network:LoadBalancer");
    expect(T.Assessment).toBe("azure-native:security:Assessment");
    expect(T.Snapshot).toBe("azure-native:compute:Snapshot");
  });

  it("every TYPE_INFO entry is keyed by a known token, with a lower-case ARM type and a parent key per level", () => {
    const tokens = new Set<string>(Object.values(T));
    for (const [token, info] of Object.entries(TYPE_INFO)) {
      expect(tokens.has(token)).toBe(true);
      expect(info.arm).toBe(info.arm.toLowerCase());
      expect(info.arm).toMatch(/^microsoft\.[a-z]+(\/[a-z]+)+$/);
      expect(info.nameKey).toMatch(/^[a-z][A-Za-z]*Name$/);
      expect(info.parentKeys?.length ?? 0).toBe(info.arm.split("/").length - 2);
      for (const k of info.parentKeys ?? []) expect(k).toMatch(/^[a-z][A-Za-z]*Name$/);
    }
  });

  it("maps the main types to ARM types and azure-native name inputs", () => {
    const brief = (t: string) => [TYPE_INFO[t].arm, TYPE_INFO[t].nameKey, TYPE_INFO[t].parentKeys ?? []];
    expect(brief(T.VM)).toEqual(["microsoft.compute/virtualmachines", "vmName", []]);
    expect(brief(T.NIC)).toEqual(["microsoft.network/networkinterfaces", "networkInterfaceName", []]);
    expect(brief(T.NSG)).toEqual(["microsoft.network/networksecuritygroups", "networkSecurityGroupName", []]);
    expect(brief(T.SecurityRule)).toEqual([
      "microsoft.network/networksecuritygroups/securityrules",
      "securityRuleName",
      ["networkSecurityGroupName"],
    ]);
    expect(brief(T.Subnet)).toEqual(["microsoft.network/virtualnetworks/subnets", "subnetName", ["virtualNetworkName"]]);
    expect(brief(T.VNet)).toEqual(["microsoft.network/virtualnetworks", "virtualNetworkName", []]);
    expect(brief(T.PublicIP)).toEqual(["microsoft.network/publicipaddresses", "publicIpAddressName", []]);
    expect(brief(T.LB)).toEqual(["microsoft.network/loadbalancers", "loadBalancerName", []]);
    expect(brief(T.LBPool)).toEqual(["microsoft.network/loadbalancers/backendaddresspools", "backendAddressPoolName", ["loadBalancerName"]]);
    expect(brief(T.NatRule)).toEqual(["microsoft.network/loadbalancers/inboundnatrules", "inboundNatRuleName", ["loadBalancerName"]]);
    expect(brief(T.RouteTable)).toEqual(["microsoft.network/routetables", "routeTableName", []]);
    expect(brief(T.Route)).toEqual(["microsoft.network/routetables/routes", "routeName", ["routeTableName"]]);
    expect(brief(T.Peering)).toEqual([
      "microsoft.network/virtualnetworks/virtualnetworkpeerings",
      "virtualNetworkPeeringName",
      ["virtualNetworkName"],
    ]);
    expect(brief(T.GalleryImageVersion)).toEqual([
      "microsoft.compute/galleries/images/versions",
      "galleryImageVersionName",
      ["galleryName", "galleryImageName"],
    ]);
    expect(brief(T.PLS)).toEqual(["microsoft.network/privatelinkservices", "serviceName", []]);
    expect(brief(T.StaticMember)).toEqual([
      "microsoft.network/networkmanagers/networkgroups/staticmembers",
      "staticMemberName",
      ["networkManagerName", "networkGroupName"],
    ]);
  });

  it("has no entry for types the pack does not address by ARM id", () => {
    expect(TYPE_INFO[T.VMSS]).toBeUndefined();
    expect(TYPE_INFO[T.Assessment]).toBeUndefined();
    expect(TYPE_INFO[T.AFDOrigin]).toBeUndefined();
  });
});
