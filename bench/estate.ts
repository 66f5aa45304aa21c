import type { EngineResource } from "../cli/packDriver/analyzerClient";
import { cleanData, Estate, HOST_TAGS, rule, Res } from "../test/support/estate";

/** A small deterministic PRNG (mulberry32): the same estate for the same seed, run after run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = new Date("2026-11-26T12:00:00Z");

/** ~20 rules per host NSG: the isolation or publishing rules plus the clutter real NSGs collect. */
function hostRules(i: number, published: boolean): Array<Record<string, unknown>> {
  const rules: Array<Record<string, unknown>> = [];
  if (published) {
    rules.push(rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" }));
    rules.push(rule({ name: "allow-smtp", priority: 101, source: "Internet", port: "25", protocol: "Tcp" }));
  } else {
    rules.push(
      rule({ name: "allow-forensics", priority: 100, sources: ["10.9.0.0/24", "10.9.1.0/26"], ports: ["3389", "5985-5986"], protocol: "Tcp" }),
    );
    rules.push(rule({ name: "deny-all-in", priority: 110, access: "Deny", source: "*" }));
  }
  for (let k = 0; k < 17; k++) {
    rules.push(
      rule({
        name: `app-${k}`,
        priority: 200 + k * 10,
        sources: [`10.${(i + k) % 200}.${k}.0/24`, `10.${(i * 7 + k) % 200}.0.0/16`],
        ports: [`${8000 + k}`, `${9000 + k}-${9010 + k}`],
        protocol: k % 3 === 0 ? "Udp" : "Tcp",
        access: k % 4 === 0 ? "Deny" : "Allow",
      }),
    );
  }
  rules.push(rule({ name: "deny-internet-out", priority: 4000, direction: "Outbound", access: "Deny", destination: "Internet" }));
  return rules;
}

export interface SyntheticEstate {
  readonly hosts: number;
  readonly resources: EngineResource[];
  /** Analyze inputs: the same resources without outputs-only data (ids). */
  readonly inputs: EngineResource[];
}

/**
 * A synthetic Exchange estate: per host a NIC, a NIC NSG of ~20 rules (5 of them standalone
 * SecurityRule resources), a VM and its assessment; subnets of 250 hosts with their NSGs; a public
 * load balancer for the verified hosts; evidence snapshots for compromised hosts; and 30% more
 * non-Exchange VMs with NICs. Preview form: ids unknown, links only through propertyDependencies.
 */
export function syntheticEstate(hosts: number, preview: boolean, seed = 42): SyntheticEstate {
  const random = rng(seed + hosts);
  const e = new Estate({ preview, rg: "rg-bench", stack: "bench", project: "bench" });
  const vnet = e.vnet("vnet-bench", ["10.0.0.0/8"]);
  const lb = e.add("azure-native:network:LoadBalancer", "lb-exchange", {
    loadBalancerName: "lb-exchange",
    resourceGroupName: e.rg,
    sku: { name: "Standard" },
    frontendIPConfigurations: [{ name: "public", publicIPAddress: e.ref(e.publicIp("pip-lb")) }],
    backendAddressPools: [{ name: "exchange" }],
    loadBalancingRules: [443, 25].map((p) => ({
      name: `tcp-${p}`,
      protocol: "Tcp",
      frontendPort: p,
      backendPort: p,
      frontendIPConfiguration: { id: `${e.armId("azure-native:network:LoadBalancer", "lb-exchange")}/frontendIPConfigurations/public` },
      backendAddressPool: { id: `${e.armId("azure-native:network:LoadBalancer", "lb-exchange")}/backendAddressPools/exchange` },
    })),
  });
  let subnet: Res | undefined;
  let subnetNsg: Res | undefined;
  for (let i = 0; i < hosts; i++) {
    if (i % 250 === 0) {
      const n = i / 250;
      subnetNsg = e.nsg(`nsg-subnet-${n}`, [
        rule({ name: "allow-clients", priority: 100, source: "Internet", ports: ["443", "25"], protocol: "Tcp" }),
        rule({ name: "allow-forensics", priority: 110, source: "10.9.0.0/24", ports: ["3389"], protocol: "Tcp" }),
      ]);
      subnet = e.subnet(`snet-${n}`, vnet, `10.${Math.floor(n / 256) + 1}.${n % 256}.0/24`, subnetNsg);
    }
    const roll = random();
    const state = roll < 0.5 ? "remediated" : roll < 0.9 ? "unverified" : "compromised";
    const published = state === "remediated";
    const name = `ex${i}`;
    const rules = hostRules(i, published);
    const nsg = e.nsg(`nsg-${name}`, rules.slice(0, 15), { flushConnection: true });
    for (const [k, r] of rules.slice(15).entries()) e.securityRule(`${name}-rule-${k}`, nsg, r);
    const nic = e.nic(`nic-${name}`, { subnet: subnet!, nsg, tags: HOST_TAGS(state), lbPools: published ? [[lb, "exchange"]] : undefined });
    const vm = e.vm(name, { nics: [nic], tags: HOST_TAGS(state) });
    if (state !== "unverified") {
      e.assessment(`assess-${name}`, vm, cleanData(state === "compromised" ? { verdict: "compromised" } : {}, NOW));
    }
    if (state === "compromised") {
      e.add(
        "azure-native:compute:Snapshot",
        `${name}-evidence`,
        {
          snapshotName: `${name}-evidence`,
          resourceGroupName: e.rg,
          creationData: { createOption: "Copy", sourceResourceId: e.armId("azure-native:compute:Disk", `${name}-osdisk`) },
        },
        { creationData: [vm] },
      );
    }
  }
  for (let i = 0; i < Math.round(hosts * 0.3); i++) {
    const nic = e.nic(`nic-app${i}`, { subnet: subnet! });
    e.vm(`app${i}`, { nics: [nic], tags: { workload: "app" } });
  }
  const inputs = e.resources.map((r) => {
    const { id: _id, ...props } = r.properties;
    void _id;
    return { ...r, properties: props };
  });
  return { hosts, resources: e.resources, inputs };
}

export const BENCH_NOW = NOW.toISOString();
