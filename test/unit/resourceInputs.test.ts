/**
 * The model's input for a resource (policies/model/resourceInputs.ts): the engine's resource shape (properties and
 * links by URN) carried over field by field, secret envelopes unwrapped and their plaintext recorded when asked. The
 * pack's engine adapter, the CLI and the tests all make their input through it.
 */
import type { PolicyResource } from "@pulumi/policy";
import { stackResources } from "../../policies/engine/resourceInput";
import { normalizeId } from "../../policies/model/armIds";
import { ResourceGraph } from "../../policies/model/graph";
import { EngineResourceShape, toResourceInput, toResourceInputs } from "../../policies/model/resourceInputs";
import { T } from "../../policies/model/resourceTypes";
import { FORMS } from "../support/assertions";
import { Estate, HOST_TAGS, secret, SECRET_KEY, SECRET_SIG, UNKNOWN } from "../support/estate";
import { baseNet, hostNic } from "../support/networks";

const PASSWORD = "S3cret-Passw0rd!";

/** A host VM and its NIC, in one form. */
function estate(preview: boolean) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nic = hostNic(e, sub);
  const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  return { e, nic, vm };
}

describe.each(FORMS)("toResourceInput (%s form)", (_form, preview) => {
  it("carries the URN, type, name and links over as the engine sent them", () => {
    const { vm, nic } = estate(preview);
    const input = toResourceInput(vm, new Set());
    expect(input.urn).toBe("urn:pulumi:dev::exchange::azure-native:compute:VirtualMachine::ex01");
    expect(input.type).toBe("azure-native:compute:VirtualMachine");
    expect(input.name).toBe("ex01");
    expect(input.dependencies).toEqual([nic.urn]);
    expect(input.propertyDependencies).toEqual({ networkProfile: [nic.urn] });
    expect(input.parent).toBeUndefined();
  });

  it("the links it keeps are the ones the graph follows: by id when known, else by the property's dependency", () => {
    const { e, vm, nic } = estate(preview);
    const graph = new ResourceGraph(toResourceInputs(e.resources, new Set()));
    const vmNode = graph.node(vm.urn)!;
    const ref = (vm.properties.networkProfile as { networkInterfaces: unknown[] }).networkInterfaces[0];
    const res = graph.resolve(vmNode, ref, "networkProfile", [T.NIC]);
    expect(res.targets.map((t) => t.node.urn)).toEqual([nic.urn]);
    expect(vmNode.id).toBe(preview ? undefined : normalizeId(vm.armId));
  });

  it("with a secret set: unwraps every envelope and records its plaintext", () => {
    const { vm } = estate(preview);
    const secrets = new Set<string>();
    const input = toResourceInput(vm, secrets);
    expect((input.props as { osProfile: { adminPassword: unknown } }).osProfile.adminPassword).toBe(PASSWORD);
    expect(secrets.has(PASSWORD)).toBe(true);
    expect(JSON.stringify(input.props)).not.toContain(SECRET_SIG);
  });

  it("without one: takes the properties as they are, envelope and all (the engine adapter has unwrapped them)", () => {
    const { vm } = estate(preview);
    const input = toResourceInput(vm);
    expect(input.props).toBe(vm.properties);
    expect((input.props as { osProfile: { adminPassword: unknown } }).osProfile.adminPassword).toEqual({ [SECRET_KEY]: SECRET_SIG, value: PASSWORD });
  });
});

describe("toResourceInput: secrets", () => {
  const shape = (properties: unknown, extra: Partial<EngineResourceShape> = {}): EngineResourceShape => ({
    urn: "urn:pulumi:dev::exchange::azure-native:network:NetworkInterface::nic",
    type: "azure-native:network:NetworkInterface",
    name: "nic",
    properties,
    ...extra,
  });

  it("records a secret nested in a list and in an object, and leaves the input's own properties untouched", () => {
    const properties = { ipConfigurations: [{ name: "ipconfig1", privateIPAddress: secret("10.0.1.4") }], tags: secret({ owner: "ops-team" }) };
    const before = JSON.stringify(properties);
    const secrets = new Set<string>();
    const input = toResourceInput(shape(properties), secrets);
    expect(input.props).toEqual({ ipConfigurations: [{ name: "ipconfig1", privateIPAddress: "10.0.1.4" }], tags: { owner: "ops-team" } });
    // An address is recorded also in the form a message would print it (a /32 prefix).
    expect([...secrets].sort()).toEqual(["10.0.1.4", "10.0.1.4/32", "ops-team"]);
    expect(JSON.stringify(properties)).toBe(before);
  });

  it("a value outside an envelope is not a secret, and an unknown inside one is not a plaintext", () => {
    const secrets = new Set<string>();
    const input = toResourceInput(shape({ name: "nic", id: secret(UNKNOWN) }), secrets);
    expect(input.props).toEqual({ name: "nic", id: UNKNOWN });
    expect(secrets.size).toBe(0);
  });

  it("keeps the parent's URN", () => {
    const parent = "urn:pulumi:dev::exchange::pulumi:pulumi:Stack::exchange-dev";
    expect(toResourceInput(shape({}, { parent })).parent).toBe(parent);
  });
});

describe("toResourceInputs", () => {
  it("maps every resource, in order, sharing one secret set", () => {
    const { e } = estate(false);
    const secrets = new Set<string>();
    const inputs = toResourceInputs(e.resources, secrets);
    expect(inputs.map((i) => i.urn)).toEqual(e.resources.map((r) => r.urn));
    expect(inputs).toEqual(e.resources.map((r) => toResourceInput(r, new Set())));
    expect(secrets.has(PASSWORD)).toBe(true);
  });

  it("of nothing is nothing", () => {
    expect(toResourceInputs([])).toEqual([]);
  });
});

describe.each(FORMS)("the pack's engine adapter makes the same input (%s form)", (_form, preview) => {
  it("from @pulumi/policy's resources (links as resources, not URNs)", () => {
    const { e } = estate(preview);
    const byUrn = new Map<string, PolicyResource>();
    const asPolicy = e.resources.map((r) => {
      const p = {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.properties,
        opts: {},
        get dependencies() {
          return (r.dependencies ?? []).map((u) => byUrn.get(u)!);
        },
        get propertyDependencies() {
          return Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, us]) => [k, us.map((u) => byUrn.get(u)!)]));
        },
      } as unknown as PolicyResource;
      byUrn.set(r.urn, p);
      return p;
    });
    expect(stackResources(asPolicy).inputs).toEqual(toResourceInputs(e.resources));
  });
});
