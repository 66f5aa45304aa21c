/**
 * docs/contract.md#the-stacks: publishing through an Application Gateway (`publishing.kind: applicationGateway`): the
 * verified host's NIC joins the gateway's pool, the gateway listens (TCP) on the client ports only,
 * and the published NSGs let the client ports in from the gateway subnet (proxied traffic arrives
 * from VNet addresses), never from the internet directly.
 */
import type { Registration } from "../../cli/preview/captureStack";
import {
  allDeps,
  CLEAN,
  Deployed,
  deployRaw,
  FORENSICS_SOURCES,
  fleetConfig,
  GATEWAY_SUBNET,
  get,
  isInternetSource,
  namePrefix,
  NETWORK,
  ofType,
  one,
  portsOf,
  rulesOf,
  sourcesOf,
  T,
  UNKNOWN,
} from "../support/stackConfigs";

const FLEET = fleetConfig(
  [
    { name: "ex01", state: "remediated", records: [CLEAN] },
    { name: "ex02", state: "unverified" },
    { name: "ex03", state: "remediated", records: [{ daysAgo: 45 }] },
  ],
  { network: { ...NETWORK, gatewaySubnet: GATEWAY_SUBNET }, publishing: { kind: "applicationGateway", clientPorts: ["443/tcp", "25/tcp"] } },
);
const P = namePrefix();

const runs: Record<string, Deployed> = {};
beforeAll(async () => {
  for (const preview of [true, false]) runs[String(preview)] = await deployRaw(FLEET, { preview });
});

describe.each([true, false])("preview=%s", (preview) => {
  let regs: Registration[];
  beforeAll(() => {
    regs = runs[String(preview)].regs;
  });
  const agw = () => one(regs, T.agw, `${P}-agw`);
  const gatewaySubnet = () => one(regs, T.subnet, `${P}-gateway`);
  const ipc = (vm: string) => (one(regs, T.nic, `${vm}-nic`).inputs.ipConfigurations as Record<string, unknown>[])[0];

  it("builds an Application Gateway and no load balancer", () => {
    expect(ofType(regs, T.agw)).toHaveLength(1);
    expect(ofType(regs, T.lb)).toEqual([]);
    expect(get(agw().inputs, "sku", "tier")).toBe("Standard_v2");
  });

  it("the gateway lives in the gateway subnet", () => {
    expect(gatewaySubnet().inputs.addressPrefix).toBe(GATEWAY_SUBNET);
    if (preview) expect(agw().propertyDependencies.gatewayIPConfigurations).toEqual([gatewaySubnet().urn]);
    else expect(get(agw().inputs, "gatewayIPConfigurations", 0, "subnet", "id")).toBe(gatewaySubnet().id);
  });

  it("has TCP listeners for the client ports only", () => {
    const inputs = agw().inputs as Record<string, { name: string; port?: number; protocol?: string }[]>;
    expect(inputs.frontendPorts.map((p) => p.port).sort((a, b) => a! - b!)).toEqual([25, 443]);
    expect(inputs.listeners.map((l) => `${l.name}/${l.protocol}`).sort()).toEqual(["tcp-25/Tcp", "tcp-443/Tcp"]);
    expect(inputs.backendSettingsCollection.map((b) => `${b.port}/${b.protocol}`).sort()).toEqual(["25/Tcp", "443/Tcp"]);
    expect(inputs.routingRules.map((r) => r.name).sort()).toEqual(["tcp-25", "tcp-443"]);
    expect(inputs.httpListeners).toBeUndefined();
    expect(inputs.backendAddressPools).toEqual([{ name: "exchange-published" }]);
  });

  it("the verified host's NIC references the gateway's pool, in the published subnet", () => {
    const c = ipc("ex01-g1");
    const nic = one(regs, T.nic, "ex01-g1-nic");
    expect(c.loadBalancerBackendAddressPools).toBeUndefined();
    expect(c.publicIPAddress).toBeUndefined();
    const pools = c.applicationGatewayBackendAddressPools as { id: string }[];
    expect(pools).toHaveLength(1);
    if (preview) {
      expect(pools[0].id).toBe(UNKNOWN);
      expect(nic.propertyDependencies.ipConfigurations).toEqual(expect.arrayContaining([agw().urn, one(regs, T.subnet, `${P}-published`).urn]));
    } else {
      expect(pools[0].id.toLowerCase()).toBe(`${agw().id}/backendAddressPools/exchange-published`.toLowerCase());
      expect(get(c, "subnet", "id")).toBe(one(regs, T.subnet, `${P}-published`).id);
    }
  });

  it.each(["ex02-g1", "ex03-g1"])("%s (not verified) joins no pool and stays in quarantine", (vm) => {
    const c = ipc(vm);
    const nic = one(regs, T.nic, `${vm}-nic`);
    expect(c.applicationGatewayBackendAddressPools).toBeUndefined();
    expect(c.loadBalancerBackendAddressPools).toBeUndefined();
    expect(c.publicIPAddress).toBeUndefined();
    expect(allDeps(nic).has(agw().urn)).toBe(false);
    expect(nic.propertyDependencies.ipConfigurations).toEqual([one(regs, T.subnet, `${P}-quarantine`).urn]);
  });

  it.each(["host", "subnet"])("the published NSG (%s) allows the client ports from the gateway subnet, nothing from the internet", (which) => {
    const nsg = which === "host" ? one(regs, T.nsg, "ex01-g1-published") : one(regs, T.nsg, `${P}-published-nsg`);
    const allows = rulesOf(nsg).filter((r) => r.direction === "Inbound" && r.access === "Allow");
    expect(allows.filter((r) => sourcesOf(r).some(isInternetSource))).toEqual([]);
    const clients = allows.filter((r) => sourcesOf(r).includes(GATEWAY_SUBNET));
    expect(clients.map((r) => `${portsOf(r).join(",")}/${r.protocol}`).sort()).toEqual(["25/Tcp", "443/Tcp"]);
    for (const r of clients) expect(sourcesOf(r)).toEqual([GATEWAY_SUBNET]);
    for (const r of allows.filter((x) => !clients.includes(x))) expect(sourcesOf(r)).toEqual(FORENSICS_SOURCES);
  });
});
