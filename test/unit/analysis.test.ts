import { StackAnalysis } from "../../policies/model/analysis";
import { resolveGate } from "../../policies/model/config";
import { cleanData, Estate, HOST_TAGS } from "../support/estate";
import { rawInputs } from "../support/judge";
import { PINNED_BASELINE } from "../support/baseline";

const NOW = new Date("2026-11-20T12:00:00Z");

/** Two hosts: ex01 remediated with a clean, recent assessment; ex02 unverified. Plus a web VM that is no host. */
function fleet() {
  const e = new Estate();
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24");
  const nic1 = e.nic("nic-ex01", { subnet: sub, privateIp: "10.0.1.4" });
  const nic2 = e.nic("nic-ex02", { subnet: sub, privateIp: "10.0.1.5" });
  const nic3 = e.nic("nic-web", { subnet: sub, privateIp: "10.0.1.6" });
  const ex01 = e.vm("ex01", { nics: [nic1], tags: HOST_TAGS("remediated") });
  const ex02 = e.vm("ex02", { nics: [nic2], tags: HOST_TAGS("unverified") });
  e.vm("web", { nics: [nic3], tags: { workload: "web" } });
  e.assessment("a-ex01", ex01, cleanData({}, NOW));
  return { e, ex01, ex02 };
}

describe("StackAnalysis", () => {
  const { gate } = resolveGate({ securityBaseline: PINNED_BASELINE });

  it("builds the shared model once: graph, hosts and a gate per host", () => {
    const { e, ex01, ex02 } = fleet();
    const a = new StackAnalysis(rawInputs(e.resources), gate, NOW);
    expect(a.graph.nodes).toHaveLength(e.resources.length);
    expect(a.network.graph).toBe(a.graph);
    expect(a.inventory.graph).toBe(a.graph);
    expect(a.hosts).toBe(a.inventory.hosts);
    expect(a.hosts.map((h) => h.urn)).toEqual([ex01.urn, ex02.urn]);
    expect([...a.gates.keys()].sort()).toEqual([ex01.urn, ex02.urn].sort());
    expect(a.gate).toBe(gate);
    expect(a.now).toBe(NOW);
    expect(a.secrets.size).toBe(0);
  });

  it("says which hosts the gate verifies", () => {
    const { e } = fleet();
    const a = new StackAnalysis(rawInputs(e.resources), gate, NOW);
    const [ex01, ex02] = a.hosts;
    expect(a.gateOf(ex01)).toBe(a.gates.get(ex01.urn));
    expect(a.verified(ex01)).toBe(true);
    expect(a.gateOf(ex01).verified).toBe(true);
    expect(a.verified(ex02)).toBe(false);
    expect(a.gateOf(ex02).effectiveState).toBe("unverified");
  });

  it("judges the assessment's age against the analysis time", () => {
    const { e } = fleet();
    const later = new Date(NOW.getTime() + 90 * 24 * 60 * 60 * 1000);
    const a = new StackAnalysis(rawInputs(e.resources), gate, later);
    expect(a.verified(a.hosts[0])).toBe(false);
  });

  it("uses the gate's host tags", () => {
    const { e } = fleet();
    const { gate: webGate, errors } = resolveGate({ hostTagValues: ["web"], securityBaseline: PINNED_BASELINE });
    expect(errors).toEqual([]);
    const a = new StackAnalysis(rawInputs(e.resources), webGate, NOW);
    expect(a.hosts.map((h) => h.name)).toEqual(["web"]);
  });

  it("keeps the secrets it is given", () => {
    const secrets = new Set(["s3cret"]);
    const a = new StackAnalysis([], gate, NOW, secrets);
    expect(a.secrets).toBe(secrets);
    expect(a.hosts).toEqual([]);
    expect(a.gates.size).toBe(0);
  });
});
