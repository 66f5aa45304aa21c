/**
 * docs/contract.md#the-stacks: tearing the whole stack down and bringing it up again works with no manual step. The
 * same config run twice from scratch registers the same resources; the only things the program asks
 * the cloud are the client config and the evidence probes of earlier compromised generations.
 */
import type { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import type { Registration } from "../../cli/preview/captureStack";
import { offlineCall } from "../../cli/preview/mockCloud";
import { CLEAN, deployRaw, evidenceGoneCall, fleetConfig, T } from "../support/stackConfigs";

const FLEET = fleetConfig([
  { name: "ex01", state: "unverified" },
  { name: "ex02", state: "compromised", records: [{ verdict: "compromised", daysAgo: 3 }] },
  { name: "ex03", state: "remediated", records: [CLEAN] },
  {
    name: "ex04",
    generation: 2,
    state: "remediated",
    records: [
      { generation: 1, verdict: "compromised", daysAgo: 12 },
      { generation: 2, daysAgo: 1 },
    ],
  },
]);

function recording(inner: (a: MockCallArgs) => Record<string, unknown>) {
  const calls: string[] = [];
  const call = (a: MockCallArgs) => {
    calls.push(`${a.token}(${String(a.inputs.snapshotName ?? a.inputs.diskName ?? "")})`);
    return inner(a);
  };
  return { calls, call };
}

const urns = (regs: Registration[]) => regs.map((r) => r.urn).sort();

describe.each([true, false])("preview=%s", (preview) => {
  let first: Registration[];
  let second: Registration[];
  let calls: string[];
  beforeAll(async () => {
    const probe = recording(offlineCall);
    first = (await deployRaw(FLEET, { preview, call: probe.call })).regs;
    calls = probe.calls;
    second = (await deployRaw(FLEET, { preview })).regs;
  });

  it("registers the same set of URNs twice from scratch", () => {
    expect(urns(second)).toEqual(urns(first));
    expect(first.length).toBeGreaterThan(30);
  });

  it("with the same inputs and links", () => {
    const byUrn = new Map(second.map((r) => [r.urn, r]));
    for (const r of first) {
      const s = byUrn.get(r.urn)!;
      expect({ urn: r.urn, inputs: s.inputs, parent: s.parent, deps: [...s.dependencies].sort() }).toEqual({
        urn: r.urn,
        inputs: r.inputs,
        parent: r.parent,
        deps: [...r.dependencies].sort(),
      });
    }
  });

  it("every parent and dependency is part of the program (nothing pre-existing is referenced)", () => {
    const all = new Set(urns(first));
    for (const r of first) if (r.parent) expect(all.has(r.parent)).toBe(true);
    for (const r of first) for (const d of r.dependencies) expect(all.has(d)).toBe(true);
  });

  it("asks the cloud only for the client config and the evidence of earlier compromised generations", () => {
    // The snapshot of the recorded compromised generation does not exist yet offline, so its disk is probed to take it.
    expect(calls).toEqual([
      "azure-native:authorization:getClientConfig()",
      "azure-native:compute:getSnapshot(ex04-g1-osdisk-evidence)",
      "azure-native:compute:getDisk(ex04-g1-osdisk)",
    ]);
  });

  it("comes up even when the old evidence is gone too: only that snapshot (and its lock) is missing", async () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const { regs } = await deployRaw(FLEET, { preview, call: evidenceGoneCall });
      const missing = urns(first).filter((u) => !regs.some((r) => r.urn === u));
      expect(missing.map((u) => u.split("$").pop())).toEqual([
        "azure-native:authorization:ManagementLockByScope::ex04-g1-osdisk-evidence-lock",
        `${T.snapshot}::ex04-g1-osdisk-evidence`,
      ]);
      expect(regs.length).toBe(first.length - 2);
    } finally {
      warn.mockRestore();
    }
  });
});
