/**
 * Garbage never crashes the pack: properties of the wrong types, deeply nested junk, empty
 * objects, unknown and empty types, dangling and cyclic dependencies, 10,000 unrelated resources.
 * Every RPC must succeed (a gRPC error fails `pulumi preview` with a stack trace instead of a
 * policy verdict) and the process must stay alive and keep judging correctly afterwards.
 */
import type { Diagnostic, EngineResource } from "../../cli/packDriver/analyzerClient";
import { Estate, HOST_TAGS, UNKNOWN } from "../support/estate";
import { junkResources, MALFORMED_ENVELOPES, nested } from "./junk";
import { alive, expectDiag, expectNoInternalError, expectNoPreviewDowngrade, exposedHost, POLICY, summary, useSession } from "./helpers";
import { RULES } from "../../policies/rules";
import { assignment, rgId } from "../support/controlPlane";

const session = useSession(`{"${POLICY.noPublicAttachment}": "remediate"}`);

/** Resolves to "no answer" when the RPC has not answered within `ms` (a hung call hangs `pulumi preview`). */
async function answers<T>(p: Promise<T>, ms = 5000): Promise<T | "no answer"> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"no answer">((resolve) => {
    timer = setTimeout(() => resolve("no answer"), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pack still judges a plain exposed host correctly (and over the same process). */
async function stillJudges(): Promise<void> {
  const s = session();
  expect(alive(s.pid)).toBe(true);
  const info = await s.client.getAnalyzerInfo();
  expect(info.policies).toHaveLength(RULES.length);
  const h = exposedHost(true);
  const { diagnostics } = await s.client.analyzeStack(h.e.resources);
  expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn, has: ["pip-ex01"] });
  const a = await s.client.analyze(h.nic);
  expectDiag(a.diagnostics, POLICY.noPublicAttachment, "mandatory");
}

describe("garbage", () => {
  const resources = junkResources();

  it(`AnalyzeStack with ${resources.length} junk resources and one exposed host succeeds, still reports the host, and the pack lives on`, async () => {
    const h = exposedHost(true);
    const { diagnostics } = await session().client.analyzeStack([...resources, ...h.e.resources]);
    expectNoPreviewDowngrade(diagnostics);
    expectNoInternalError(diagnostics);
    // Junk does not hide a real violation in the same stack.
    expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn, has: ["pip-ex01"] });
    await stillJudges();
  });

  it("Analyze of every junk resource and Remediate of every junk NIC / VM succeed (16 in flight, as the engine analyses in parallel)", async () => {
    const failures: string[] = [];
    const all: Diagnostic[] = [];
    const one = async (r: EngineResource) => {
      try {
        all.push(...(await session().client.analyze(r)).diagnostics);
        // Only NICs and VMs (in any spelling of the type) can be remediated; the other types short-circuit.
        if (!/networkinterface|virtualmachine/i.test(r.type)) return;
        for (const m of await session().client.remediate(r))
          if (/can't run/.test(m.diagnostic)) failures.push(`${r.type} ${r.name}: remediate: ${m.diagnostic}`);
      } catch (e) {
        failures.push(`${r.type} ${r.name}: ${(e as Error).message}`);
      }
    };
    for (let i = 0; i < resources.length; i += 16) await Promise.all(resources.slice(i, i + 16).map(one));
    expect(failures).toEqual([]);
    expectNoPreviewDowngrade(all);
    expectNoInternalError(all);
    await stillJudges();
  });

  it("values that look like engine envelopes but are none (unknown signature, secret without value, empty asset / archive): every RPC answers", async () => {
    const outcomes: string[] = [];
    for (const j of MALFORMED_ENVELOPES) {
      const r: EngineResource = {
        urn: "urn:pulumi:dev::junk::azure-native:network:NetworkInterface::nic-envelope",
        type: "azure-native:network:NetworkInterface",
        name: "nic-envelope",
        properties: {
          tags: { ...HOST_TAGS("unverified"), note: j },
          ipConfigurations: [
            { name: "ipconfig1", publicIPAddress: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/p" } },
          ],
        },
      };
      for (const [rpc, call] of [
        ["Analyze", () => session().client.analyze(r)],
        ["Remediate", () => session().client.remediate(r)],
        ["AnalyzeStack", () => session().client.analyzeStack([r])],
      ] as Array<[string, () => Promise<unknown>]>) {
        try {
          if ((await answers(call(), 2000)) === "no answer") outcomes.push(`${rpc} with tags.note = ${JSON.stringify(j)}: no answer within 2 s`);
        } catch {
          // A gRPC error is an answer (the engine reports it); only silence hangs the run.
        }
      }
    }
    expect(outcomes).toEqual([]);
    await stillJudges();
  });

  it("a deeply nested value (400 levels, deeper than the pack walks) inside an Exchange VM: the call succeeds", async () => {
    const e = new Estate({ preview: true });
    const vm = e.add("azure-native:compute:VirtualMachine", "ex-deep", {
      tags: HOST_TAGS("unverified"),
      networkProfile: nested(400, "x"),
      storageProfile: nested(400, UNKNOWN),
    });
    const ds = (await session().client.analyzeStack(e.resources)).diagnostics;
    expectNoPreviewDowngrade(ds);
    // Nothing can be shown about a host whose network profile is junk: it counts as exposed.
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    await session().client.analyze(vm);
    await session().client.remediate(vm);
    await stillJudges();
  });

  it("a resource with no properties at all and one with a 1 MB string", async () => {
    const e = new Estate({ preview: false });
    const vm = e.add("azure-native:compute:VirtualMachine", "ex-big", { tags: { ...HOST_TAGS("unverified"), note: "n".repeat(1 << 20) } });
    const bare: EngineResource = {
      urn: "urn:pulumi:dev::junk::azure-native:network:NetworkInterface::bare",
      type: "azure-native:network:NetworkInterface",
      name: "bare",
      properties: {},
    };
    const ds = (await session().client.analyzeStack([...e.resources, bare])).diagnostics;
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expect((await session().client.analyze(bare)).diagnostics).toEqual([]);
    await stillJudges();
  });

  it("an empty stack: no diagnostics", async () => {
    const { diagnostics } = await session().client.analyzeStack([]);
    expect(diagnostics).toEqual([]);
  });

  it("10,000 unrelated resources around one exposed host: succeeds quickly, only the host is reported, the pack lives on", async () => {
    const h = exposedHost(true);
    // The control plane guarded too, so only the exposure of the host is left to report.
    assignment(h.e, { scope: rgId(h.e) });
    const many: EngineResource[] = [];
    for (let i = 0; i < 10_000; i++) {
      many.push(
        i % 2 === 0
          ? {
              urn: `urn:pulumi:dev::big::azure-native:storage:StorageAccount::sa${i}`,
              type: "azure-native:storage:StorageAccount",
              name: `sa${i}`,
              properties: {
                accountName: `sa${i}`,
                resourceGroupName: "rg",
                sku: { name: "Standard_LRS" },
                kind: "StorageV2",
                tags: { env: "prod", owner: `team-${i % 17}` },
              },
              dependencies: i > 1 ? [`urn:pulumi:dev::big::azure-native:storage:StorageAccount::sa${i - 2}`] : [],
            }
          : {
              urn: `urn:pulumi:dev::big::azure-native:network:NetworkInterface::nic-${i}`,
              type: "azure-native:network:NetworkInterface",
              name: `nic-${i}`,
              properties: { ipConfigurations: [{ name: "c", privateIPAddress: `10.9.${i >> 8}.${i & 255}` }], tags: { workload: "web" } },
            },
      );
    }
    const t0 = Date.now();
    const { diagnostics } = await session().client.analyzeStack([...many, ...h.e.resources]);
    const ms = Date.now() - t0;
    expectDiag(diagnostics, POLICY.notExposed, "mandatory", { urn: h.vm.urn });
    const others = diagnostics.filter((d) => d.urn !== h.vm.urn);
    if (others.length > 0) throw new Error(summary(others.slice(0, 5)));
    expect(ms).toBeLessThan(15_000);
    await stillJudges();
  });
});
