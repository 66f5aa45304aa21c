/**
 * Network fixtures for the exposure / isolation policy tests, on top of `Estate`.
 *
 * Conventions: one VNet `vnet` 10.0.0.0/16, the host subnet `snet` 10.0.1.0/24, the host `ex01`
 * at 10.0.1.4. References a resource makes to its own children (an LB rule naming its front end
 * and pool, an Application Gateway rule naming its listener) are written as literal ids, as a
 * program builds them from the resource group and name; references to other resources go
 * through `e.ref` (unknown at preview, linked by propertyDependencies).
 */
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "./estate";

export const HOST_IP = "10.0.1.4";

export interface BaseNet {
  vnet: Res;
  sub: Res;
}

/** VNet 10.0.0.0/16 with the host subnet 10.0.1.0/24 (optionally behind a subnet NSG). */
export function baseNet(e: Estate, o: { subnetNsg?: Res; vnetName?: string; subnetName?: string } = {}): BaseNet {
  const vnet = e.vnet(o.vnetName ?? "vnet", ["10.0.0.0/16"]);
  const sub = e.subnet(o.subnetName ?? "snet", vnet, "10.0.1.0/24", o.subnetNsg);
  return { vnet, sub };
}

/** A public IP without any `sku` (Estate.publicIp's default parameter turns `undefined` into Standard). */
export function publicIpWithoutSku(e: Estate, name: string, extra: Record<string, unknown> = {}): Res {
  return e.add("azure-native:network:PublicIPAddress", name, {
    publicIpAddressName: name,
    resourceGroupName: e.rg,
    publicIPAllocationMethod: "Static",
    ...extra,
  });
}

/** An ARM id of a resource type the Estate's ARM map does not know. */
export function armIdOf(e: Estate, provider: string, name: string, child?: string): string {
  const base = `/subscriptions/${e.sub}/resourceGroups/${e.rg}/providers/${provider}/${name}`;
  return child ? `${base}/${child}` : base;
}

/** A literal child id (known in both forms): what a program writes from the resource group and name. */
export function childId(parent: Res, child: string): { id: string } {
  return { id: `${parent.armId}/${child}` };
}

/** The Exchange VM ex01 with the given NICs and state; `verified` adds a linked clean assessment (OS disk is FromImage by default). */
export function exHost(
  e: Estate,
  o: { nics: Res[]; state?: string; tags?: Record<string, string> | string; verified?: boolean; name?: string; extra?: Record<string, unknown> },
): Res {
  const tags = o.tags ?? HOST_TAGS(o.state ?? (o.verified ? "remediated" : "unverified"));
  const vm = e.vm(o.name ?? "ex01", { nics: o.nics, tags, extra: o.extra });
  if (o.verified) e.assessment(`a-${o.name ?? "ex01"}`, vm, cleanData());
  return vm;
}

/** NIC nic-ex01 at 10.0.1.4 in `sub`. */
export function hostNic(e: Estate, sub: Res, o: Omit<Parameters<Estate["nic"]>[1], "subnet"> & { name?: string } = {}): Res {
  const { name, ...rest } = o;
  const state = o.tags ? undefined : "unverified";
  return e.nic(name ?? "nic-ex01", { privateIp: HOST_IP, tags: o.tags ?? HOST_TAGS(state), ...rest, subnet: sub });
}

export interface IpConfigSpec {
  name: string;
  subnet: Res;
  privateIp?: string;
  version?: string;
  publicIp?: Res;
  lbPools?: Array<[Res, string]>;
  natRules?: Array<[Res, string]>;
  agwPools?: Array<[Res, string]>;
  extra?: Record<string, unknown>;
}

/** A NIC with several ipConfigurations, each with its own references (and dependencies). */
export function multiConfigNic(
  e: Estate,
  name: string,
  configs: IpConfigSpec[],
  o: { nsg?: Res; tags?: Record<string, string>; extra?: Record<string, unknown> } = {},
): Res {
  const deps: Res[] = [];
  const cfgs = configs.map((c, i) => {
    const cfg: Record<string, unknown> = {
      name: c.name,
      primary: i === 0,
      subnet: e.ref(c.subnet),
      privateIPAllocationMethod: c.privateIp ? "Static" : "Dynamic",
    };
    deps.push(c.subnet);
    if (c.privateIp) cfg.privateIPAddress = c.privateIp;
    if (c.version) cfg.privateIPAddressVersion = c.version;
    if (c.publicIp) {
      cfg.publicIPAddress = e.ref(c.publicIp);
      deps.push(c.publicIp);
    }
    if (c.lbPools) {
      cfg.loadBalancerBackendAddressPools = c.lbPools.map(([lb, p]) => e.ref(lb, `backendAddressPools/${p}`));
      deps.push(...c.lbPools.map(([lb]) => lb));
    }
    if (c.natRules) {
      cfg.loadBalancerInboundNatRules = c.natRules.map(([lb, r]) => e.ref(lb, `inboundNatRules/${r}`));
      deps.push(...c.natRules.map(([lb]) => lb));
    }
    if (c.agwPools) {
      cfg.applicationGatewayBackendAddressPools = c.agwPools.map(([g, p]) => e.ref(g, `backendAddressPools/${p}`));
      deps.push(...c.agwPools.map(([g]) => g));
    }
    return { ...cfg, ...(c.extra ?? {}) };
  });
  const props: Record<string, unknown> = { networkInterfaceName: name, resourceGroupName: e.rg, ipConfigurations: cfgs, ...(o.extra ?? {}) };
  const allDeps: Record<string, Res[]> = { ipConfigurations: [...new Set(deps)] };
  if (o.nsg) {
    props.networkSecurityGroup = e.ref(o.nsg);
    allDeps.networkSecurityGroup = [o.nsg];
  }
  if (o.tags) props.tags = o.tags;
  return e.add("azure-native:network:NetworkInterface", name, props, allDeps);
}

/** A VM with inline NIC configurations (`networkProfile.networkInterfaceConfigurations`), no standalone NIC. */
export function inlineVm(
  e: Estate,
  name: string,
  o: {
    subnet: Res;
    nsg?: Res;
    publicIp?: Record<string, unknown>;
    tags?: Record<string, string>;
    lbPools?: Array<[Res, string]>;
    agwPools?: Array<[Res, string]>;
    ipExtra?: Record<string, unknown>;
  },
): Res {
  const ipc: Record<string, unknown> = { name: "ipconfig1", primary: true, subnet: e.ref(o.subnet), ...(o.ipExtra ?? {}) };
  const deps: Res[] = [o.subnet];
  if (o.publicIp) ipc.publicIPAddressConfiguration = o.publicIp;
  if (o.lbPools) {
    ipc.loadBalancerBackendAddressPools = o.lbPools.map(([lb, p]) => e.ref(lb, `backendAddressPools/${p}`));
    deps.push(...o.lbPools.map(([lb]) => lb));
  }
  if (o.agwPools) {
    ipc.applicationGatewayBackendAddressPools = o.agwPools.map(([g, p]) => e.ref(g, `backendAddressPools/${p}`));
    deps.push(...o.agwPools.map(([g]) => g));
  }
  const nicCfg: Record<string, unknown> = { name: `${name}-nic`, primary: true, ipConfigurations: [ipc] };
  if (o.nsg) {
    nicCfg.networkSecurityGroup = e.ref(o.nsg);
    deps.push(o.nsg);
  }
  const props: Record<string, unknown> = {
    vmName: name,
    resourceGroupName: e.rg,
    hardwareProfile: { vmSize: "Standard_E8s_v5" },
    networkProfile: { networkApiVersion: "2020-11-01", networkInterfaceConfigurations: [nicCfg] },
    storageProfile: {
      imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" },
      osDisk: { createOption: "FromImage", name: `${name}-osdisk`, managedDisk: { storageAccountType: "Premium_LRS" } },
    },
    osProfile: { computerName: name, adminUsername: "exadmin" },
  };
  if (o.tags) props.tags = o.tags;
  return e.add("azure-native:compute:VirtualMachine", name, props, { networkProfile: deps });
}

// ---------------------------------------------------------------- load balancers

export interface LbFrontendSpec {
  name: string;
  publicIp?: Res;
  subnet?: Res;
  privateIp?: string;
}
export interface LbRuleSpec {
  name: string;
  frontend: string;
  pool: string;
  protocol?: string;
  frontendPort: number;
  backendPort: number;
}
export interface LbNatSpec {
  name: string;
  frontend: string;
  protocol?: string;
  frontendPort?: number;
  backendPort: number;
  /** NAT rule v2: a pool and a front-end port range. */
  pool?: string;
  frontendPortRangeStart?: number;
  frontendPortRangeEnd?: number;
}

export function loadBalancer(
  e: Estate,
  name: string,
  o: {
    sku?: string;
    frontends: LbFrontendSpec[];
    pools: Array<{ name: string; addresses?: Array<{ ipAddress: string; vnet?: Res }> }>;
    rules?: LbRuleSpec[];
    natRules?: LbNatSpec[];
  },
): Res {
  const armId = e.armId("azure-native:network:LoadBalancer", name);
  const self = (child: string) => ({ id: `${armId}/${child}` });
  const deps: Res[] = [];
  const poolDeps: Res[] = [];
  const frontendIPConfigurations = o.frontends.map((f) => {
    const fe: Record<string, unknown> = { name: f.name };
    if (f.publicIp) {
      fe.publicIPAddress = e.ref(f.publicIp);
      deps.push(f.publicIp);
    }
    if (f.subnet) {
      fe.subnet = e.ref(f.subnet);
      fe.privateIPAllocationMethod = f.privateIp ? "Static" : "Dynamic";
      deps.push(f.subnet);
    }
    if (f.privateIp) fe.privateIPAddress = f.privateIp;
    return fe;
  });
  const backendAddressPools = o.pools.map((p) => {
    const pool: Record<string, unknown> = { name: p.name };
    if (p.addresses) {
      pool.loadBalancerBackendAddresses = p.addresses.map((a, i) => {
        const m: Record<string, unknown> = { name: `${p.name}-m${i + 1}`, ipAddress: a.ipAddress };
        if (a.vnet) {
          m.virtualNetwork = e.ref(a.vnet);
          poolDeps.push(a.vnet);
        }
        return m;
      });
    }
    return pool;
  });
  const loadBalancingRules = (o.rules ?? []).map((r) => ({
    name: r.name,
    frontendIPConfiguration: self(`frontendIPConfigurations/${r.frontend}`),
    backendAddressPool: self(`backendAddressPools/${r.pool}`),
    protocol: r.protocol ?? "Tcp",
    frontendPort: r.frontendPort,
    backendPort: r.backendPort,
    enableFloatingIP: false,
    idleTimeoutInMinutes: 4,
  }));
  const inboundNatRules = (o.natRules ?? []).map((n) => {
    const r: Record<string, unknown> = {
      name: n.name,
      frontendIPConfiguration: self(`frontendIPConfigurations/${n.frontend}`),
      protocol: n.protocol ?? "Tcp",
      backendPort: n.backendPort,
    };
    if (n.frontendPort !== undefined) r.frontendPort = n.frontendPort;
    if (n.pool) r.backendAddressPool = self(`backendAddressPools/${n.pool}`);
    if (n.frontendPortRangeStart !== undefined) r.frontendPortRangeStart = n.frontendPortRangeStart;
    if (n.frontendPortRangeEnd !== undefined) r.frontendPortRangeEnd = n.frontendPortRangeEnd;
    return r;
  });
  const props: Record<string, unknown> = {
    loadBalancerName: name,
    resourceGroupName: e.rg,
    sku: { name: o.sku ?? "Standard", tier: "Regional" },
    frontendIPConfigurations,
    backendAddressPools,
    loadBalancingRules,
  };
  if (inboundNatRules.length > 0) props.inboundNatRules = inboundNatRules;
  const d: Record<string, Res[]> = {};
  if (deps.length > 0) d.frontendIPConfigurations = [...new Set(deps)];
  if (poolDeps.length > 0) d.backendAddressPools = [...new Set(poolDeps)];
  return e.add("azure-native:network:LoadBalancer", name, props, d);
}

// ---------------------------------------------------------------- application gateways

export interface AgwBackendSpec {
  ipAddress?: string;
  fqdn?: string;
}

/**
 * A public Application Gateway (v2) with one backend pool `pool`. `l7` adds an HTTPS listener on
 * 443 routed to backend port `l7.port`; `l4` a TCP listener routed to backend port `l4.port`.
 */
export function appGateway(
  e: Estate,
  name: string,
  o: {
    gwSubnet: Res;
    publicIp?: Res;
    backends?: AgwBackendSpec[];
    l7?: { port: number; frontendPort?: number };
    l4?: { port: number; frontendPort?: number };
  },
): Res {
  const armId = e.armId("azure-native:network:ApplicationGateway", name);
  const self = (child: string) => ({ id: `${armId}/${child}` });
  const deps: Record<string, Res[]> = { gatewayIPConfigurations: [o.gwSubnet] };
  const fe: Record<string, unknown> = { name: "fe-public" };
  if (o.publicIp) {
    fe.publicIPAddress = e.ref(o.publicIp);
    deps.frontendIPConfigurations = [o.publicIp];
  } else {
    fe.privateIPAddress = "10.0.3.10";
    fe.privateIPAllocationMethod = "Static";
    fe.subnet = e.ref(o.gwSubnet);
    deps.frontendIPConfigurations = [o.gwSubnet];
  }
  const props: Record<string, unknown> = {
    applicationGatewayName: name,
    resourceGroupName: e.rg,
    sku: { name: "Standard_v2", tier: "Standard_v2", capacity: 1 },
    gatewayIPConfigurations: [{ name: "gwip", subnet: e.ref(o.gwSubnet) }],
    frontendIPConfigurations: [fe],
    frontendPorts: [] as unknown[],
    backendAddressPools: [{ name: "pool", backendAddresses: o.backends ?? [] }],
  };
  const frontendPorts = props.frontendPorts as Array<Record<string, unknown>>;
  if (o.l7) {
    frontendPorts.push({ name: "fp-https", port: o.l7.frontendPort ?? 443 });
    props.httpListeners = [
      {
        name: "listener-https",
        frontendIPConfiguration: self("frontendIPConfigurations/fe-public"),
        frontendPort: self("frontendPorts/fp-https"),
        protocol: "Https",
      },
    ];
    props.backendHttpSettingsCollection = [{ name: "settings-https", port: o.l7.port, protocol: "Https", cookieBasedAffinity: "Disabled" }];
    props.requestRoutingRules = [
      {
        name: "rule-https",
        ruleType: "Basic",
        priority: 100,
        httpListener: self("httpListeners/listener-https"),
        backendAddressPool: self("backendAddressPools/pool"),
        backendHttpSettings: self("backendHttpSettingsCollection/settings-https"),
      },
    ];
  }
  if (o.l4) {
    frontendPorts.push({ name: "fp-tcp", port: o.l4.frontendPort ?? o.l4.port });
    props.listeners = [
      {
        name: "listener-tcp",
        frontendIPConfiguration: self("frontendIPConfigurations/fe-public"),
        frontendPort: self("frontendPorts/fp-tcp"),
        protocol: "Tcp",
      },
    ];
    props.backendSettingsCollection = [{ name: "settings-tcp", port: o.l4.port, protocol: "Tcp" }];
    props.routingRules = [
      {
        name: "rule-tcp",
        priority: 200,
        listener: self("listeners/listener-tcp"),
        backendAddressPool: self("backendAddressPools/pool"),
        backendSettings: self("backendSettingsCollection/settings-tcp"),
      },
    ];
  }
  return e.add("azure-native:network:ApplicationGateway", name, props, deps);
}

// ---------------------------------------------------------------- firewalls

export interface DnatRuleSpec {
  name: string;
  sourceAddresses?: string[];
  destinationAddresses?: string[];
  destinationPorts: string[];
  translatedAddress?: string;
  translatedFqdn?: string;
  translatedPort: string;
  protocols?: string[];
}

/** Azure Firewall with a public IP in AzureFirewallSubnet; classic DNAT collections and/or a Firewall Policy. */
export function firewall(e: Estate, name: string, o: { subnet: Res; publicIp: Res; dnat?: DnatRuleSpec[]; policy?: Res }): Res {
  const props: Record<string, unknown> = {
    azureFirewallName: name,
    resourceGroupName: e.rg,
    sku: { name: "AZFW_VNet", tier: "Standard" },
    ipConfigurations: [{ name: "fwip", subnet: e.ref(o.subnet), publicIPAddress: e.ref(o.publicIp) }],
  };
  if (o.dnat) {
    props.natRuleCollections = [
      {
        name: "dnat-collection",
        priority: 100,
        action: { type: "Dnat" },
        rules: o.dnat.map((r) => ({
          name: r.name,
          protocols: r.protocols ?? ["TCP"],
          sourceAddresses: r.sourceAddresses ?? ["*"],
          destinationAddresses: r.destinationAddresses ?? ["20.1.2.3"],
          destinationPorts: r.destinationPorts,
          ...(r.translatedAddress ? { translatedAddress: r.translatedAddress } : {}),
          ...(r.translatedFqdn ? { translatedFqdn: r.translatedFqdn } : {}),
          translatedPort: r.translatedPort,
        })),
      },
    ];
  }
  const deps: Record<string, Res[]> = { ipConfigurations: [o.subnet, o.publicIp] };
  if (o.policy) {
    props.firewallPolicy = e.ref(o.policy);
    deps.firewallPolicy = [o.policy];
  }
  return e.add("azure-native:network:AzureFirewall", name, props, deps);
}

export function firewallPolicy(e: Estate, name: string, o: { base?: Res } = {}): Res {
  const props: Record<string, unknown> = { firewallPolicyName: name, resourceGroupName: e.rg, sku: { tier: "Standard" } };
  const deps: Record<string, Res[]> = {};
  if (o.base) {
    props.basePolicy = e.ref(o.base);
    deps.basePolicy = [o.base];
  }
  return e.add("azure-native:network:FirewallPolicy", name, props, deps);
}

export function ruleCollectionGroup(e: Estate, name: string, policy: Res, rules: DnatRuleSpec[]): Res {
  return e.add(
    "azure-native:network:FirewallPolicyRuleCollectionGroup",
    name,
    {
      ruleCollectionGroupName: name,
      firewallPolicyName: policy.name,
      resourceGroupName: e.rg,
      priority: 100,
      ruleCollections: [
        {
          name: "dnat",
          ruleCollectionType: "FirewallPolicyNatRuleCollection",
          priority: 100,
          action: { type: "DNAT" },
          rules: rules.map((r) => ({
            name: r.name,
            ruleType: "NatRule",
            ipProtocols: r.protocols ?? ["TCP"],
            sourceAddresses: r.sourceAddresses ?? ["*"],
            destinationAddresses: r.destinationAddresses ?? ["20.1.2.3"],
            destinationPorts: r.destinationPorts,
            ...(r.translatedAddress ? { translatedAddress: r.translatedAddress } : {}),
            ...(r.translatedFqdn ? { translatedFqdn: r.translatedFqdn } : {}),
            translatedPort: r.translatedPort,
          })),
        },
      ],
    },
    { firewallPolicyName: [policy] },
    `${policy.armId}/ruleCollectionGroups/${name}`,
  );
}

// ---------------------------------------------------------------- Private Link / Front Door

export function privateLinkService(e: Estate, name: string, o: { natSubnet: Res; lb: Res; frontend: string }): Res {
  return e.add(
    "azure-native:network:PrivateLinkService",
    name,
    {
      serviceName: name,
      resourceGroupName: e.rg,
      ipConfigurations: [{ name: "nat1", primary: true, subnet: e.ref(o.natSubnet), privateIPAllocationMethod: "Dynamic" }],
      loadBalancerFrontendIpConfigurations: [e.ref(o.lb, `frontendIPConfigurations/${o.frontend}`)],
    },
    { ipConfigurations: [o.natSubnet], loadBalancerFrontendIpConfigurations: [o.lb] },
  );
}

export function afdOrigin(e: Estate, name: string, o: { pls: Res; hostName?: string }): Res {
  return e.add(
    "azure-native:cdn:AFDOrigin",
    name,
    {
      profileName: "afd-exchange",
      originGroupName: "og-owa",
      originName: name,
      resourceGroupName: e.rg,
      hostName: o.hostName ?? "10.0.2.10",
      httpPort: 80,
      httpsPort: 443,
      enabledState: "Enabled",
      sharedPrivateLinkResource: { privateLink: e.ref(o.pls), privateLinkLocation: "westeurope", requestMessage: "owa via AFD" },
    },
    { sharedPrivateLinkResource: [o.pls] },
    armIdOf(e, "Microsoft.Cdn/profiles", "afd-exchange", `originGroups/og-owa/origins/${name}`),
  );
}

// ---------------------------------------------------------------- Virtual Network Manager

export function adminRule(
  e: Estate,
  name: string,
  o: { access?: string; direction?: string; source: string; destination?: string; ports?: string[]; protocol?: string; priority?: number },
): Res {
  return e.add(
    "azure-native:network:AdminRule",
    name,
    {
      networkManagerName: "avnm",
      configurationName: "secadmin",
      ruleCollectionName: "rc-exchange",
      ruleName: name,
      resourceGroupName: e.rg,
      kind: "Custom",
      access: o.access ?? "AlwaysAllow",
      direction: o.direction ?? "Inbound",
      priority: o.priority ?? 1,
      protocol: o.protocol ?? "Tcp",
      sources: [{ addressPrefix: o.source, addressPrefixType: /^[A-Za-z]/.test(o.source) && o.source !== "*" ? "ServiceTag" : "IPPrefix" }],
      destinations: [{ addressPrefix: o.destination ?? "*", addressPrefixType: "IPPrefix" }],
      sourcePortRanges: ["0-65535"],
      destinationPortRanges: o.ports ?? ["0-65535"],
    },
    {},
    armIdOf(e, "Microsoft.Network/networkManagers", "avnm", `securityAdminConfigurations/secadmin/ruleCollections/rc-exchange/rules/${name}`),
  );
}

/** A host whose NIC carries a Basic public IP (open without an NSG), optionally behind an NSG of its own. */
export function basicPipHost(o: { verified?: boolean; state?: string; nsg?: (e: Estate) => Res } = {}): Estate {
  const e = new Estate();
  const { sub } = baseNet(e);
  exHost(e, {
    nics: [
      hostNic(e, sub, {
        publicIp: e.publicIp("pip-ex01", "Basic"),
        tags: HOST_TAGS(o.verified ? "remediated" : (o.state ?? "unverified")),
        ...(o.nsg ? { nsg: o.nsg(e) } : {}),
      }),
    ],
    verified: o.verified,
    state: o.state,
  });
  return e;
}

// ---------------------------------------------------------------- an isolated host

/** The isolation config the isolated hosts below satisfy: forensics may reach them, nothing else. */
export const FORENSICS = { forensicsSourcePrefixes: ["10.9.0.0/24"] };

/**
 * A host in a quarantine subnet whose NIC NSG lets forensics in on RDP, denies every other source and denies the
 * internet outbound: compliant with every exposure and isolation policy under FORENSICS, the starting point of the
 * bypass attempts.
 */
export function forensicsOnlyHost(e: Estate, state = "unverified"): { vnet: Res; sub: Res; nsg: Res; nic: Res; vm: Res } {
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet-q", vnet, "10.0.2.0/24");
  const nsg = e.nsg("nsg-ex01", [
    rule({ name: "allow-forensics", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
    rule({ name: "deny-all", priority: 110, access: "Deny", source: "*" }),
    rule({ name: "deny-out", priority: 110, direction: "Outbound", access: "Deny", destination: "Internet" }),
  ]);
  const nic = e.nic("nic-ex01", { subnet: sub, nsg, privateIp: "10.0.2.4", tags: HOST_TAGS(state) });
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS(state) });
  return { vnet, sub, nsg, nic, vm };
}

export { UNKNOWN };

/**
 * The base network with a public load balancer (OWA on 443, an RDP NAT rule on 50001) and a public Application Gateway
 * (443), neither with a backend yet: the fronts through which a host's NIC can be published.
 */
export function publiclyFrontedNet(e: Estate): BaseNet & { lb: Res; agw: Res } {
  const { vnet, sub } = baseNet(e);
  const lb = loadBalancer(e, "lb-ex", {
    frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
    pools: [{ name: "pool-owa" }],
    rules: [{ name: "owa", frontend: "fe-public", pool: "pool-owa", frontendPort: 443, backendPort: 443 }],
    natRules: [{ name: "nat-rdp", frontend: "fe-public", frontendPort: 50001, backendPort: 3389 }],
  });
  const agw = appGateway(e, "agw-ex", { gwSubnet: e.subnet("snet-agw", vnet, "10.0.3.0/24"), publicIp: e.publicIp("pip-agw"), l7: { port: 443 } });
  return { vnet, sub, lb, agw };
}
