/**
 * The control plane holds too: with every fleet the program assigns Microsoft's built-in "Network interfaces should not
 * have public IPs" at the hosts' resource group, and puts a CanNotDelete lock on every evidence snapshot (earlier
 * generations' included). It publishes hosts only through the load balancer or application gateway, so the assignment
 * never denies anything the program itself creates. Judged by exchange-control-plane-guarded, the result passes.
 */
import type { Registration } from "../../cli/preview/captureStack";
import { toEngineResources } from "../../cli/preview/captureStack";
import { NO_PUBLIC_IP_ON_NICS } from "../../policies/model/controlPlane";
import { runStack } from "../support/judge";
import {
  CLEAN,
  Deployed,
  deployRaw,
  Fleet,
  fleetConfig,
  GATEWAY_SUBNET,
  get,
  NETWORK,
  NOW,
  ofType,
  one,
  RG,
  SUBSCRIPTION,
  T,
  UNKNOWN,
} from "../support/stackConfigs";

const ASSIGNMENT = "azure-native:authorization:PolicyAssignment";
const LOCK = "azure-native:authorization:ManagementLockByScope";
const BASTION = "azure-native:network:BastionHost";
const HOSTS = [
  { name: "ex01", state: "remediated", records: [CLEAN] },
  { name: "ex02", state: "compromised", records: [{ verdict: "compromised" as const, daysAgo: 3 }] },
  {
    name: "ex03",
    generation: 2,
    state: "unverified",
    records: [{ generation: 1, verdict: "compromised" as const, daysAgo: 9 }],
  },
];
const FLEETS: Record<string, Fleet> = {
  "load balancer": fleetConfig(HOSTS),
  "application gateway": fleetConfig(HOSTS, {
    network: { ...NETWORK, gatewaySubnet: GATEWAY_SUBNET },
    publishing: { kind: "applicationGateway", clientPorts: ["443/tcp", "25/tcp"] },
  }),
};

const runs: Record<string, Deployed> = {};
beforeAll(async () => {
  for (const [label, fleet] of Object.entries(FLEETS))
    for (const preview of [true, false]) runs[`${label}|${preview}`] = await deployRaw(fleet, { preview });
});

const CASES = Object.keys(FLEETS).flatMap((label) => [true, false].map((preview) => [label, preview] as const));

describe.each(CASES)("%s, preview=%s", (label, preview) => {
  let regs: Registration[];
  beforeAll(() => {
    regs = runs[`${label}|${preview}`].regs;
  });

  it("every evidence snapshot, the earlier generation's included, has one CanNotDelete lock on its own id", () => {
    const snapshots = ofType(regs, T.snapshot);
    expect(snapshots.map((s) => s.name).sort()).toEqual(["ex02-g1-osdisk-evidence", "ex03-g1-osdisk-evidence"]);
    for (const snap of snapshots) {
      const locks = ofType(regs, LOCK).filter((l) => (l.propertyDependencies.scope ?? []).includes(snap.urn));
      expect(locks.map((l) => l.name)).toEqual([`${snap.name}-lock`]);
      const l = locks[0];
      expect(l.inputs.level).toBe("CanNotDelete");
      expect(l.inputs.scope).toBe(preview ? UNKNOWN : snap.id);
      expect(String(l.inputs.notes)).toMatch(/evidence/i);
      // Beside its snapshot, under the same host: its URN survives a rebuild as the snapshot's does.
      expect(l.parent).toBe(snap.parent);
    }
    expect(ofType(regs, LOCK)).toHaveLength(snapshots.length);
  });

  it("the lock depends on its snapshot, so the engine deletes it first (destroy, or evidence dropped on purpose)", () => {
    for (const l of ofType(regs, LOCK)) {
      const snap = ofType(regs, T.snapshot).find((s) => l.dependencies.includes(s.urn));
      expect(snap).toBeDefined();
    }
  });

  it("one assignment of the built-in by its id, at the hosts' resource group, enforced, with nothing carved out", () => {
    const [a, ...more] = ofType(regs, ASSIGNMENT);
    expect(more).toEqual([]);
    const rg = one(regs, T.rg, RG);
    expect(a.inputs.policyDefinitionId).toBe(NO_PUBLIC_IP_ON_NICS);
    expect(a.inputs.scope).toBe(preview ? UNKNOWN : `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}`);
    expect(a.propertyDependencies.scope).toEqual([rg.urn]);
    expect(a.inputs.enforcementMode).toBe("Default");
    expect([a.inputs.notScopes, a.inputs.overrides, a.inputs.resourceSelectors]).toEqual([undefined, undefined, undefined]);
  });

  it("every NIC the program creates is in that resource group and has no public IP, so the assignment never denies it", () => {
    const rg = one(regs, T.rg, RG);
    const nics = ofType(regs, T.nic);
    expect(nics.length).toBeGreaterThanOrEqual(3);
    for (const nic of nics) {
      expect(nic.propertyDependencies.resourceGroupName).toEqual([rg.urn]);
      const configs = get(nic.inputs, "ipConfigurations") as Array<Record<string, unknown>>;
      expect(configs.map((c) => c.publicIPAddress)).toEqual(configs.map(() => undefined));
    }
    for (const vm of ofType(regs, T.vm)) expect(get(vm.inputs, "networkProfile", "networkInterfaceConfigurations")).toBeUndefined();
    // The program's public IPs belong to the front end and Azure Bastion, never to a NIC.
    const owners = ofType(regs, T.pip).map((pip) => regs.filter((r) => r.custom && r.dependencies.includes(pip.urn)).map((r) => r.type));
    expect(owners.flat().sort()).toEqual([BASTION, label === "load balancer" ? T.lb : T.agw].sort());
  });

  it("exchange-control-plane-guarded finds nothing to report", () => {
    const { analyzeStack } = toEngineResources(regs, preview);
    expect(runStack("exchange-control-plane-guarded", analyzeStack, {}, {}, NOW).map((v) => v.message)).toEqual([]);
  });
});

it("without the assignment and the locks, the same stack would be reported: the test above can fail", async () => {
  const { regs } = runs["load balancer|false"];
  const { analyzeStack } = toEngineResources(
    regs.filter((r) => r.type !== ASSIGNMENT && r.type !== LOCK),
    false,
  );
  const messages = runStack("exchange-control-plane-guarded", analyzeStack, {}, {}, NOW).map((v) => v.message);
  expect(messages.filter((m) => m.startsWith("this stack has Exchange hosts"))).toHaveLength(1);
  // ex02-g1's snapshot belongs to a host of the stack; ex03-g1's VM has left it, so only the stacks lock that one.
  expect(messages.filter((m) => m.includes("evidence snapshot ex02-g1-osdisk-evidence"))).toHaveLength(1);
});
