/**
 * The ancestry of a rebuilt host's OS disk over the engine's gRPC interface, at preview: the image's id, the VM it was
 * captured from and every link between them are unknown, and only propertyDependencies name them. The pack must still
 * block the rebuild with a mandatory violation on the rebuilt host, never let @pulumi/policy turn the unknown reads into
 * its advisory "can't run policy during preview".
 */
import { cleanData, Estate, UNKNOWN } from "../support/estate";
import { Lineage } from "../support/lineage";
import { expectDiag, expectNoInternalError, expectNoPreviewDowngrade, of, POLICY, useSession } from "./helpers";

const session = useSession();

describe("a host rebuilt from an image of the compromised VM, at preview", () => {
  it("is a mandatory violation of exchange-compromised-rebuilt-from-scratch naming the chain", async () => {
    const e = new Estate({ preview: true });
    const l = new Lineage(e);
    const old = l.vm("ex02-g1", undefined, { state: "compromised" });
    e.assessment("a-ex02-g1", old, cleanData({ verdict: "compromised" }));
    const img = l.image("img-golden", { vm: old });
    const vm = l.vm("ex02-g2", img);
    e.assessment("a-ex02-g2", vm, cleanData());
    // The premise: nothing links the three by id; only the engine's dependency lists do.
    expect(img.properties.id).toBe(UNKNOWN);
    expect(img.properties.sourceVirtualMachine).toEqual({ id: UNKNOWN });
    expect(img.propertyDependencies).toEqual({ sourceVirtualMachine: [old.urn] });
    expect((vm.properties.storageProfile as { imageReference: unknown }).imageReference).toEqual({ id: UNKNOWN });

    const stack = (await session().client.analyzeStack(e.resources)).diagnostics;
    expectNoPreviewDowngrade(stack);
    expectNoInternalError(stack);
    expectDiag(stack, POLICY.rebuilt, "mandatory", {
      urn: vm.urn,
      has: [
        "host ex02-g2's OS disk descends from Exchange host ex02-g1",
        "image img-golden (sourceVirtualMachine, by dependency)",
        "VM ex02-g1 (an Exchange host)",
      ],
    });
    expect(of(stack, POLICY.rebuilt).map((d) => d.urn)).toEqual([vm.urn]);
  });
});
