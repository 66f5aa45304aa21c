import type { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { EngineAnalyzerClient } from "../../cli/packDriver/analyzerClient";
import { startPack } from "../../cli/packDriver/packProcess";
import { parsePolicyPackConfig, reconcilePolicyConfig } from "../../cli/packDriver/policyConfig";
import { PackSession } from "../../cli/packDriver/session";
import { analyzeRequest } from "../support/admission";
import { Estate, HOST_TAGS, rule } from "../support/estate";
import { PACK, pinBaseline, POLICY } from "./helpers";

jest.setTimeout(60000);

/**
 * The guard at admission over the engine's interface: the pack learns from ConfigureStack whether the run is a preview
 * or an update, and in an update refuses the VM of an exposed Exchange host at its own Analyze call — the one the engine
 * makes before creating it. In a preview it stays silent: the stack policies say the same once the whole stack is known.
 */

function thirdPartyProgram() {
  const e = new Estate();
  const vnet = e.vnet("network", ["10.0.0.0/16"], [{ name: "default", addressPrefix: "10.0.1.0/24" }]);
  const pip = e.publicIp("public-ip");
  const nsg = e.nsg("security-group", [rule({ name: "allow-ssh", priority: 1000, source: "*", port: "22", protocol: "Tcp" })]);
  const nic = e.add("azure-native:network:NetworkInterface", "network-interface", {
    networkInterfaceName: "network-interface",
    resourceGroupName: e.rg,
    networkSecurityGroup: e.ref(nsg),
    ipConfigurations: [{ name: "ipcfg", subnet: e.ref(vnet, "subnets/default"), publicIPAddress: e.ref(pip) }],
  });
  const vm = e.vm("vm", { nics: [nic], tags: HOST_TAGS() });
  return { e, vm };
}

/** Diagnostics of each Analyze call, with the URN of the resource analysed (a resource policy reports on it). */
async function analyzeInOrder(dryRun: boolean): Promise<{ vmUrn: string; diagnostics: Array<Diagnostic & { on: string }> }> {
  const { e, vm } = thirdPartyProgram();
  const session = await PackSession.start(PACK, pinBaseline(""), { dryRun });
  try {
    const diagnostics: Array<Diagnostic & { on: string }> = [];
    // One at a time, in registration order, as the engine's step generator analyses registrations.
    for (const r of e.resources) diagnostics.push(...(await session.client.analyze(analyzeRequest(r))).diagnostics.map((d) => ({ ...d, on: r.urn })));
    return { vmUrn: vm.urn, diagnostics };
  } finally {
    await session.stop();
  }
}

describe("admission over gRPC", () => {
  it("in an update, refuses the exposed host's VM under exchange-unverified-no-public-attachment, as a mandatory violation", async () => {
    const { vmUrn, diagnostics } = await analyzeInOrder(false);
    const onVm = diagnostics.filter((d) => d.on === vmUrn);
    expect(onVm.length).toBeGreaterThan(0);
    for (const d of onVm) {
      expect(d.policyName).toBe(POLICY.noPublicAttachment);
      expect(d.enforcementLevel).toBe("mandatory");
      // @pulumi/policy puts the policy's description first, the violation after it.
      expect(d.message.split("\n")[1]).toMatch(/^VirtualMachine vm of Exchange host vm is refused before it is created/);
    }
    expect(onVm.map((d) => d.message).join("\n")).toMatch(/exchange-unverified-not-internet-exposed: .*TCP 22/);
    // Nothing before the VM is refused: the NIC carries no host tag, so only its VM makes it a host's.
    expect(diagnostics.filter((d) => d.on !== vmUrn)).toEqual([]);
  });

  it("in a preview, refuses nothing at admission: the stack policies report the host", async () => {
    const { diagnostics } = await analyzeInOrder(true);
    expect(diagnostics).toEqual([]);
  });

  it.each([
    ["without a ConfigureStack call", false],
    ["with the empty one the language host's proxy forwards when the engine sent none", true],
  ])("%s (pulumi policy analyze judging state that exists), refuses nothing at admission", async (_how, empty) => {
    const { e } = thirdPartyProgram();
    const pack = await startPack(PACK);
    const client = new EngineAnalyzerClient(pack.port);
    try {
      // An empty request names no stack, and reads as dry_run false.
      if (empty) await client.configureStack("", "", false);
      const info = await client.getAnalyzerInfo();
      await client.configure(reconcilePolicyConfig(info, parsePolicyPackConfig(pinBaseline(""), "--policy-pack-config")));
      const diagnostics: Diagnostic[] = [];
      for (const r of e.resources) diagnostics.push(...(await client.analyze(analyzeRequest(r))).diagnostics);
      expect(diagnostics).toEqual([]);
    } finally {
      client.close();
      await pack.stop();
    }
  });
});
