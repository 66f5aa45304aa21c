import type { EngineResource } from "../../cli/packDriver/analyzerClient";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SECRET_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function secret(value: unknown): Record<string, unknown> {
  return { [SECRET_KEY]: SECRET_SIG, value };
}

const ARM: Record<string, string> = {
  "azure-native:compute:VirtualMachine": "Microsoft.Compute/virtualMachines",
  "azure-native:compute:Snapshot": "Microsoft.Compute/snapshots",
  "azure-native:compute:Disk": "Microsoft.Compute/disks",
  "azure-native:network:NetworkInterface": "Microsoft.Network/networkInterfaces",
  "azure-native:network:NetworkSecurityGroup": "Microsoft.Network/networkSecurityGroups",
  "azure-native:network:SecurityRule": "Microsoft.Network/networkSecurityGroups",
  "azure-native:network:PublicIPAddress": "Microsoft.Network/publicIPAddresses",
  "azure-native:network:VirtualNetwork": "Microsoft.Network/virtualNetworks",
  "azure-native:network:Subnet": "Microsoft.Network/virtualNetworks",
  "azure-native:network:LoadBalancer": "Microsoft.Network/loadBalancers",
  "azure-native:network:ApplicationGateway": "Microsoft.Network/applicationGateways",
  "azure-native:network:ApplicationSecurityGroup": "Microsoft.Network/applicationSecurityGroups",
  "azure-native:network:AzureFirewall": "Microsoft.Network/azureFirewalls",
  "azure-native:network:FirewallPolicy": "Microsoft.Network/firewallPolicies",
  "azure-native:network:PrivateLinkService": "Microsoft.Network/privateLinkServices",
  "azure-native:network:RouteTable": "Microsoft.Network/routeTables",
  "azure-native:security:Assessment": "Microsoft.Security/assessments",
};

export interface Res extends EngineResource {
  readonly properties: Record<string, unknown>;
  /** The ARM id the resource has once created. */
  readonly armId: string;
}

export interface RuleSpecInput {
  name: string;
  priority?: unknown;
  direction?: unknown;
  access?: unknown;
  protocol?: unknown;
  source?: unknown;
  sources?: unknown;
  destination?: unknown;
  destinations?: unknown;
  port?: unknown;
  ports?: unknown;
  sourcePort?: unknown;
  [k: string]: unknown;
}

/** A security rule in azure-native's shape; `source`/`port` default to "*", direction Inbound, access Allow. */
export function rule(r: RuleSpecInput): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: r.name,
    priority: r.priority ?? 100,
    direction: r.direction ?? "Inbound",
    access: r.access ?? "Allow",
    protocol: r.protocol ?? "*",
    sourcePortRange: r.sourcePort ?? "*",
  };
  if (r.sources !== undefined) out.sourceAddressPrefixes = r.sources;
  else out.sourceAddressPrefix = r.source ?? "*";
  if (r.destinations !== undefined) out.destinationAddressPrefixes = r.destinations;
  else out.destinationAddressPrefix = r.destination ?? "*";
  if (r.ports !== undefined) out.destinationPortRanges = r.ports;
  else out.destinationPortRange = r.port ?? "*";
  for (const [k, v] of Object.entries(r)) {
    if (
      ![
        "name",
        "priority",
        "direction",
        "access",
        "protocol",
        "source",
        "sources",
        "destination",
        "destinations",
        "port",
        "ports",
        "sourcePort",
      ].includes(k)
    )
      out[k] = v;
  }
  return out;
}

export const HOST_TAGS = (state?: string): Record<string, string> =>
  state === undefined ? { workload: "exchange" } : { workload: "exchange", "remediation-state": state };

/**
 * Builds azure-native resource sets as the engine reports them to AnalyzeStack, in update form
 * (ids known) or preview form (ids of resources created in this run unknown; links only through
 * propertyDependencies, as in a first `pulumi preview`).
 */
export class Estate {
  readonly resources: Res[] = [];
  readonly sub = "00000000-0000-0000-0000-000000000001";

  constructor(readonly opts: { preview?: boolean; rg?: string; stack?: string; project?: string } = {}) {}

  get rg(): string {
    return this.opts.rg ?? "rg-exchange";
  }

  urn(type: string, name: string): string {
    return `urn:pulumi:${this.opts.stack ?? "dev"}::${this.opts.project ?? "exchange"}::${type}::${name}`;
  }

  armId(type: string, name: string, child?: string): string {
    const base = `/subscriptions/${this.sub}/resourceGroups/${this.rg}/providers/${ARM[type] ?? "Microsoft.Unknown/things"}/${name}`;
    return child ? `${base}/${child}` : base;
  }

  /** Adds a resource. `deps` maps top-level properties to the resources they reference. */
  add(type: string, name: string, properties: Record<string, unknown>, deps: Record<string, Res[]> = {}, armId?: string): Res {
    const id = armId ?? this.armId(type, name);
    const propertyDependencies: Record<string, string[]> = {};
    const dependencies: string[] = [];
    for (const [k, list] of Object.entries(deps)) {
      propertyDependencies[k] = list.map((r) => r.urn);
      for (const r of list) if (!dependencies.includes(r.urn)) dependencies.push(r.urn);
    }
    const res: Res = {
      urn: this.urn(type, name),
      type,
      name,
      properties: { ...properties, id: this.opts.preview ? UNKNOWN : id },
      dependencies,
      propertyDependencies,
      armId: id,
    };
    this.resources.push(res);
    return res;
  }

  /** A `{ id }` reference as the program would write it: unknown at preview for resources created in the same run. */
  ref(target: Res, child?: string): { id: string } {
    return { id: this.opts.preview ? UNKNOWN : child ? `${target.armId}/${child}` : target.armId };
  }

  vnet(name: string, addressSpace: string[], subnets?: Array<Record<string, unknown>>, deps: Record<string, Res[]> = {}): Res {
    const props: Record<string, unknown> = { virtualNetworkName: name, resourceGroupName: this.rg, addressSpace: { addressPrefixes: addressSpace } };
    if (subnets) props.subnets = subnets;
    return this.add("azure-native:network:VirtualNetwork", name, props, deps);
  }

  subnet(name: string, vnet: Res, prefix: string, nsg?: Res, extra: Record<string, unknown> = {}): Res {
    const props: Record<string, unknown> = {
      subnetName: name,
      virtualNetworkName: vnet.name,
      resourceGroupName: this.rg,
      addressPrefix: prefix,
      ...extra,
    };
    const deps: Record<string, Res[]> = { virtualNetworkName: [vnet] };
    if (nsg) {
      props.networkSecurityGroup = this.ref(nsg);
      deps.networkSecurityGroup = [nsg];
    }
    return this.add("azure-native:network:Subnet", name, props, deps, `${vnet.armId}/subnets/${name}`);
  }

  nsg(name: string, rules: Array<Record<string, unknown>> | undefined, extra: Record<string, unknown> = {}): Res {
    const props: Record<string, unknown> = { networkSecurityGroupName: name, resourceGroupName: this.rg, ...extra };
    if (rules !== undefined) props.securityRules = rules;
    return this.add("azure-native:network:NetworkSecurityGroup", name, props);
  }

  securityRule(name: string, nsg: Res, r: Record<string, unknown>, rg?: string): Res {
    return this.add(
      "azure-native:network:SecurityRule",
      name,
      { ...r, securityRuleName: name, networkSecurityGroupName: nsg.name, resourceGroupName: rg ?? this.rg },
      { networkSecurityGroupName: [nsg] },
      `${nsg.armId}/securityRules/${name}`,
    );
  }

  publicIp(name: string, sku: string | undefined = "Standard", extra: Record<string, unknown> = {}): Res {
    const props: Record<string, unknown> = { publicIpAddressName: name, resourceGroupName: this.rg, publicIPAllocationMethod: "Static", ...extra };
    if (sku !== undefined) props.sku = { name: sku };
    return this.add("azure-native:network:PublicIPAddress", name, props);
  }

  nic(
    name: string,
    o: {
      subnet: Res;
      nsg?: Res;
      publicIp?: Res;
      privateIp?: string;
      tags?: Record<string, string>;
      lbPools?: Array<[Res, string]>;
      natRules?: Array<[Res, string]>;
      agwPools?: Array<[Res, string]>;
      asgs?: Res[];
      version?: string;
      extraConfigs?: Array<Record<string, unknown>>;
    },
  ): Res {
    const cfg: Record<string, unknown> = {
      name: "ipconfig1",
      subnet: this.ref(o.subnet),
      privateIPAllocationMethod: o.privateIp ? "Static" : "Dynamic",
    };
    const deps: Res[] = [o.subnet];
    if (o.privateIp) cfg.privateIPAddress = o.privateIp;
    if (o.version) cfg.privateIPAddressVersion = o.version;
    if (o.publicIp) {
      cfg.publicIPAddress = this.ref(o.publicIp);
      deps.push(o.publicIp);
    }
    if (o.lbPools) {
      cfg.loadBalancerBackendAddressPools = o.lbPools.map(([lb, pool]) => this.ref(lb, `backendAddressPools/${pool}`));
      deps.push(...o.lbPools.map(([lb]) => lb));
    }
    if (o.natRules) {
      cfg.loadBalancerInboundNatRules = o.natRules.map(([lb, r]) => this.ref(lb, `inboundNatRules/${r}`));
      deps.push(...o.natRules.map(([lb]) => lb));
    }
    if (o.agwPools) {
      cfg.applicationGatewayBackendAddressPools = o.agwPools.map(([agw, pool]) => this.ref(agw, `backendAddressPools/${pool}`));
      deps.push(...o.agwPools.map(([agw]) => agw));
    }
    if (o.asgs) {
      cfg.applicationSecurityGroups = o.asgs.map((a) => this.ref(a));
      deps.push(...o.asgs);
    }
    const props: Record<string, unknown> = {
      networkInterfaceName: name,
      resourceGroupName: this.rg,
      ipConfigurations: [cfg, ...(o.extraConfigs ?? [])],
    };
    const allDeps: Record<string, Res[]> = { ipConfigurations: deps };
    if (o.nsg) {
      props.networkSecurityGroup = this.ref(o.nsg);
      allDeps.networkSecurityGroup = [o.nsg];
    }
    if (o.tags) props.tags = o.tags;
    return this.add("azure-native:network:NetworkInterface", name, props, allDeps);
  }

  vm(
    name: string,
    o: {
      nics: Res[];
      tags?: Record<string, string> | string;
      image?: Record<string, unknown>;
      osDisk?: Record<string, unknown>;
      extra?: Record<string, unknown>;
    },
  ): Res {
    const props: Record<string, unknown> = {
      vmName: name,
      resourceGroupName: this.rg,
      hardwareProfile: { vmSize: "Standard_E8s_v5" },
      networkProfile: { networkInterfaces: o.nics.map((n, i) => ({ ...this.ref(n), primary: i === 0 })) },
      storageProfile: {
        imageReference: o.image ?? {
          publisher: "MicrosoftWindowsServer",
          offer: "WindowsServer",
          sku: "2022-datacenter-azure-edition",
          version: "latest",
        },
        osDisk: o.osDisk ?? { createOption: "FromImage", name: `${name}-osdisk`, managedDisk: { storageAccountType: "Premium_LRS" } },
      },
      osProfile: { computerName: name, adminUsername: "exadmin", adminPassword: secret("S3cret-Passw0rd!") },
      ...(o.extra ?? {}),
    };
    if (o.tags !== undefined) props.tags = o.tags;
    return this.add("azure-native:compute:VirtualMachine", name, props, { networkProfile: o.nics });
  }

  /** A Defender for Cloud custom assessment on a VM, with the additionalData of docs/contract.md#the-compromise-assessment. */
  assessment(name: string, vm: Res, data: Record<string, unknown>, status?: string): Res {
    const verdict = typeof data.verdict === "string" ? data.verdict : "clean";
    return this.add(
      "azure-native:security:Assessment",
      name,
      {
        resourceId: this.opts.preview ? UNKNOWN : vm.armId,
        assessmentName: "6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71",
        resourceDetails: { source: "Azure" },
        status: { code: status ?? (verdict === "compromised" ? "Unhealthy" : "Healthy") },
        additionalData: data,
      },
      { resourceId: [vm] },
      `${vm.armId}/providers/Microsoft.Security/assessments/6f3ad5a2-6f8e-4d0c-9a57-0c6f4e1f2b71`,
    );
  }
}

const DAY = 24 * 60 * 60 * 1000;

/** A clean, complete, recent assessment's additionalData. */
export function cleanData(overrides: Record<string, unknown> = {}, now = new Date()): Record<string, unknown> {
  return {
    assessmentKind: "exchange-compromise",
    verdict: "clean",
    completedAt: new Date(now.getTime() - 2 * DAY).toISOString(),
    exchangeBuild: "15.2.2562.53",
    checks: "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065,webshell-scan,msert-full-scan",
    logsSince: "2020-12-01",
    evidenceSha256: "a".repeat(64),
    tool: "Test-ProxyLogon.ps1; MSERT 1.421 (full)",
    ...overrides,
  };
}

export function daysAgo(n: number, now = new Date()): string {
  return new Date(now.getTime() - n * DAY).toISOString();
}
