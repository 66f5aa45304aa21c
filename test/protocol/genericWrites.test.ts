/**
 * Generic ARM writes over the engine's gRPC interface at preview: a security rule written through
 * `azure-native:resources:Resource` that opens a quarantined host is a MANDATORY violation (never the engine's
 * advisory "can't run policy during preview"), whether the pack can read the rule or only that it lands in the host's
 * network.
 */
import type { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { rule, UNKNOWN } from "../support/estate";
import { genericSecurityRule, ISOLATION_CONFIG, quarantinedHost } from "../support/genericWrites";
import { expectDiag, expectNoInternalError, expectNoPreviewDowngrade, of, POLICY, useSession } from "./helpers";

const session = useSession(JSON.stringify({ [POLICY.isolated]: ISOLATION_CONFIG }));

async function analyzeStack(resources: Parameters<ReturnType<typeof session>["client"]["analyzeStack"]>[0]): Promise<Diagnostic[]> {
  const s = session();
  const ds = (await s.client.analyzeStack(resources)).diagnostics;
  const each: Diagnostic[] = [];
  for (const r of resources) each.push(...(await s.client.analyze(r)).diagnostics);
  for (const list of [ds, each]) {
    expectNoPreviewDowngrade(list);
    expectNoInternalError(list);
  }
  return ds;
}

describe("a generic security rule on a quarantined host at preview", () => {
  it("control: the quarantined host is isolated", async () => {
    const { e } = quarantinedHost(true);
    expect(of(await analyzeStack(e.resources), POLICY.isolated)).toEqual([]);
  });

  it("read as the typed rule: the host is not isolated, mandatory, naming the rule and port", async () => {
    const { e, vm } = quarantinedHost(true);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", rule({ name: "allow-winrm", priority: 110, source: "*", port: "5985", protocol: "Tcp" }));
    expectDiag(await analyzeStack(e.resources), POLICY.isolated, "mandatory", {
      urn: vm.urn,
      has: ["host ex01", "is not isolated", "SecurityRule allow-winrm (110)", "TCP 5985"],
    });
  });

  it("its NSG named from an output unknown at preview: isolation cannot be shown, mandatory, naming the write", async () => {
    const { e, vm, nsg } = quarantinedHost(true);
    genericSecurityRule(e, "open-winrm", "nsg-iso-ex01", rule({ name: "allow-winrm", priority: 110, source: "*", port: "5985", protocol: "Tcp" }), {
      parentPath: UNKNOWN,
      deps: { parentResourcePath: [nsg] },
    });
    const ds = await analyzeStack(e.resources);
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn, has: ["cannot be shown to be isolated", "generic ARM write open-winrm"] });
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["generic ARM write open-winrm"] });
  });
});
