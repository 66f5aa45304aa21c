/**
 * docs/contract.md#rebuild-from-scratch-and-image-provenance: raising a host's generation creates a new VM (new name, OS disk
 * from the trusted image, fresh credentials) that starts unverified; the compromised generation's
 * OS disk snapshot is kept as evidence while Azure still has it (or the disk to take it from).
 */
import type { MockCallArgs } from "@pulumi/pulumi/runtime/mocks";
import { offlineCall } from "../../cli/preview/mockCloud";
import type { Registration } from "../../cli/preview/captureStack";
import {
  Deployed,
  deployRaw,
  evidenceGoneCall,
  fleetConfig,
  get,
  ids,
  isSecretEnvelope,
  maybe,
  MOCK_PASSWORD,
  notFound,
  ofType,
  one,
  plaintextPaths,
  rulesOf,
  T,
  UNKNOWN,
} from "../support/stackConfigs";

const IMAGE = { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022-datacenter-azure-edition", version: "latest" };
const G1_COMPROMISED = { generation: 1, verdict: "compromised" as const, daysAgo: 6, file: "ex01-g1-compromised.json" };

/** Before: generation 1 found compromised. After: rebuilt as generation 2, not yet assessed. */
const BEFORE = fleetConfig([{ name: "ex01", generation: 1, state: "compromised", records: [G1_COMPROMISED] }]);
const AFTER = fleetConfig([{ name: "ex01", generation: 2, state: "unverified", records: [G1_COMPROMISED] }]);

const before: Record<string, Deployed> = {};
const after: Record<string, Deployed> = {};
beforeAll(async () => {
  for (const preview of [true, false]) {
    before[String(preview)] = await deployRaw(BEFORE, { preview });
    after[String(preview)] = await deployRaw(AFTER, { preview });
  }
});

describe.each([true, false])("preview=%s", (preview) => {
  let g1: Registration[];
  let g2: Registration[];
  beforeAll(() => {
    g1 = before[String(preview)].regs;
    g2 = after[String(preview)].regs;
  });

  it("generation 2 is a new VM, NIC and admin password with new names", () => {
    expect(ofType(g2, T.vm).map((r) => r.name)).toEqual(["ex01-g2"]);
    expect(ofType(g2, T.nic).map((r) => r.name)).toEqual(["ex01-g2-nic"]);
    expect(ofType(g2, T.password).map((r) => r.name)).toEqual(["ex01-g2-admin"]);
    const vm = one(g2, T.vm, "ex01-g2");
    expect(vm.inputs.vmName).toBe("ex01-g2");
    expect(get(vm.inputs, "osProfile", "computerName")).toBe("ex01-g2");
    expect(one(g2, T.nic, "ex01-g2-nic").inputs.networkInterfaceName).toBe("ex01-g2-nic");
    // No generation-1 VM, NIC or credential is declared any more.
    for (const t of [T.vm, T.nic, T.password]) expect(g2.filter((r) => r.type === t && r.name.startsWith("ex01-g1"))).toEqual([]);
  });

  it("the new admin password is a different resource than generation 1's", () => {
    const p1 = one(g1, T.password, "ex01-g1-admin");
    const p2 = one(g2, T.password, "ex01-g2-admin");
    expect(p2.urn).not.toBe(p1.urn);
    expect(p2.parent).toMatch(/::ex01-g2$/);
    // The VM takes its password from its own generation's RandomPassword.
    const vm = one(g2, T.vm, "ex01-g2");
    expect(vm.propertyDependencies.osProfile).toEqual([p2.urn]);
    expect(vm.dependencies).not.toContain(p1.urn);
  });

  it("the OS disk is a new disk created from the trusted image", () => {
    const vm = one(g2, T.vm, "ex01-g2");
    expect(get(vm.inputs, "storageProfile", "osDisk", "name")).toBe("ex01-g2-osdisk");
    expect(get(vm.inputs, "storageProfile", "osDisk", "createOption")).toBe("FromImage");
    expect(get(vm.inputs, "storageProfile", "osDisk", "managedDisk", "id")).toBeUndefined();
    expect(get(vm.inputs, "storageProfile", "imageReference")).toEqual(IMAGE);
    expect(get(vm.inputs, "storageProfile", "dataDisks")).toBeUndefined();
  });

  it("the new generation starts unverified and isolated (tags, quarantine, isolation NSG)", () => {
    const vm = one(g2, T.vm, "ex01-g2");
    const nic = one(g2, T.nic, "ex01-g2-nic");
    for (const r of [vm, nic])
      expect(r.inputs.tags).toMatchObject({ workload: "exchange", "remediation-state": "unverified", "exchange-generation": "2" });
    expect(nic.propertyDependencies.ipConfigurations).toEqual([one(g2, T.subnet, "exg-unit-quarantine").urn]);
    const nsg = one(g2, T.nsg, "ex01-g2-isolation");
    expect(nsg.inputs.flushConnection).toBe(true);
    expect(rulesOf(nsg).map((r) => `${r.name}@${r.priority}`)).toEqual(["allow-forensics-in@100", "deny-all-in@110"]);
    expect(ofType(g2, T.lb)).toEqual([]);
  });

  it("generation 1's evidence snapshot is still declared, unchanged (same URN and inputs: no replacement)", () => {
    const s1 = one(g1, T.snapshot, "ex01-g1-osdisk-evidence");
    const s2 = one(g2, T.snapshot, "ex01-g1-osdisk-evidence");
    expect(get(s2.inputs, "creationData", "createOption")).toBe("Copy");
    expect(get(s2.inputs, "creationData", "sourceResourceId")).toBe(ids.disk("ex01-g1-osdisk"));
    expect(s2.urn).toBe(s1.urn);
    expect(s2.inputs).toEqual(s1.inputs);
    expect(ofType(g2, T.snapshot).map((r) => r.name)).toEqual(["ex01-g1-osdisk-evidence"]);
    expect(after[String(preview)].outputs.evidenceSnapshots).toEqual(["ex01-g1-osdisk-evidence"]);
  });

  it("no assessment for generation 2, which has no record yet", () => {
    expect(ofType(g2, T.assessment)).toEqual([]);
    expect(ofType(g2, T.metadata)).toHaveLength(1);
  });

  it("the admin password never appears in plain text", () => {
    const vm = one(g2, T.vm, "ex01-g2");
    if (preview) {
      expect(get(vm.inputs, "osProfile", "adminPassword")).toBe(UNKNOWN);
    } else {
      const pw = get(vm.inputs, "osProfile", "adminPassword");
      expect(isSecretEnvelope(pw)).toBe(true);
      expect((pw as { value: unknown }).value).toBe(MOCK_PASSWORD);
    }
    for (const r of g2) {
      expect({ urn: r.urn, inputs: plaintextPaths(r.inputs, MOCK_PASSWORD) }).toEqual({ urn: r.urn, inputs: [] });
      expect({ urn: r.urn, outputs: plaintextPaths(r.outputs, MOCK_PASSWORD) }).toEqual({ urn: r.urn, outputs: [] });
    }
  });
});

describe("evidence probes", () => {
  function recording(inner: (a: MockCallArgs) => Record<string, unknown>) {
    const tokens: string[] = [];
    return { tokens, call: (a: MockCallArgs) => (tokens.push(`${a.token}:${String(a.inputs.snapshotName ?? a.inputs.diskName ?? "")}`), inner(a)) };
  }

  it.each([true, false])(
    "snapshot and disk gone (ResourceNotFound): not declared, the program still succeeds and warns (preview=%s)",
    async (preview) => {
      const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
      try {
        const probe = recording(evidenceGoneCall);
        const { regs, outputs } = await deployRaw(AFTER, { preview, call: probe.call });
        expect(maybe(regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeUndefined();
        expect(ofType(regs, T.snapshot)).toEqual([]);
        expect(outputs.evidenceSnapshots).toEqual([]);
        expect(one(regs, T.vm, "ex01-g2").inputs.vmName).toBe("ex01-g2");
        expect(probe.tokens).toEqual(
          expect.arrayContaining(["azure-native:compute:getSnapshot:ex01-g1-osdisk-evidence", "azure-native:compute:getDisk:ex01-g1-osdisk"]),
        );
        expect(warn.mock.calls.flat().join("\n")).toMatch(/ex01-g1-osdisk-evidence/);
      } finally {
        warn.mockRestore();
      }
    },
  );

  it("snapshot gone but the old OS disk still there: the snapshot is (re)declared from the disk", async () => {
    const call = (a: MockCallArgs) => {
      if (a.token === "azure-native:compute:getSnapshot") throw notFound("ResourceNotFound: snapshot not found");
      return offlineCall(a);
    };
    const { regs } = await deployRaw(AFTER, { preview: true, call });
    expect(get(one(regs, T.snapshot, "ex01-g1-osdisk-evidence").inputs, "creationData", "sourceResourceId")).toBe(ids.disk("ex01-g1-osdisk"));
  });

  it("any other probe failure keeps the evidence (never silently dropped)", async () => {
    const call = (a: MockCallArgs) => {
      if (a.token === "azure-native:compute:getSnapshot" || a.token === "azure-native:compute:getDisk")
        throw notFound("AuthorizationFailed: the client does not have authorization");
      return offlineCall(a);
    };
    const { regs } = await deployRaw(AFTER, { preview: true, call });
    expect(maybe(regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeDefined();
  });

  it("a plain Error thrown by a mock invoke reaches the program with no message (the SDK reads gRPC `details`): taken as 'exists'", async () => {
    // Harness caveat: to say "not found" from a mock `call`, throw an error with `details` (see notFound()).
    const call = (a: MockCallArgs) => {
      if (a.token === "azure-native:compute:getSnapshot" || a.token === "azure-native:compute:getDisk") throw new Error("ResourceNotFound");
      return offlineCall(a);
    };
    const { regs } = await deployRaw(AFTER, { preview: true, call });
    expect(maybe(regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeDefined();
  });

  it("only earlier compromised generations are probed; a fresh fleet makes no probe", async () => {
    const probe = recording(offlineCall);
    await deployRaw(BEFORE, { preview: true, call: probe.call });
    expect(probe.tokens).toEqual(["azure-native:authorization:getClientConfig:"]);
  });
});

describe("credentials", () => {
  it("admin password marked secret by the stack itself, even where additionalSecretOutputs is not honoured (mock runtime / offline check)", async () => {
    // Pulumi's MockMonitor (and so the offline check) ignores @pulumi/random's additionalSecretOutputs:
    // the RandomPassword result comes back plain. The VM must still receive it as a secret.
    const { regs } = await deployRaw(AFTER, { preview: false, passwordResult: "plain" });
    const vm = one(regs, T.vm, "ex01-g2");
    expect(isSecretEnvelope(get(vm.inputs, "osProfile", "adminPassword"))).toBe(true);
    expect(plaintextPaths(vm.inputs, MOCK_PASSWORD)).toEqual([]);
  });
});

describe("a generation marked compromised by its state alone (no compromised record)", () => {
  it("keeps its evidence snapshot after the rebuild while Azure still has it", async () => {
    const tagOnlyBefore = fleetConfig([{ name: "ex01", generation: 1, state: "compromised" }]);
    const tagOnlyAfter = fleetConfig([{ name: "ex01", generation: 2, state: "unverified" }]);
    const b = await deployRaw(tagOnlyBefore, { preview: true });
    // Generation 1 is snapshotted while compromised...
    expect(maybe(b.regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeDefined();
    // ...and the rebuild must not drop (= delete) that evidence while Azure still has it.
    const stillThere = (args: Parameters<typeof offlineCall>[0]) =>
      args.token === "azure-native:compute:getSnapshot" ? { id: "snap", name: String(args.inputs.snapshotName) } : offlineCall(args);
    const a = await deployRaw(tagOnlyAfter, { preview: true, call: stillThere });
    expect(maybe(a.regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeDefined();
    // Offline nothing says it exists, and a generation not recorded as compromised has no disk probe: no snapshot is invented.
    const offline = await deployRaw(tagOnlyAfter, { preview: true });
    expect(maybe(offline.regs, T.snapshot, "ex01-g1-osdisk-evidence")).toBeUndefined();
  });
});
