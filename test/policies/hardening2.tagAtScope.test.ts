/**
 * Issue #15, class 2: tags another resource applies to the VM or its NICs (azure-native:resources:TagAtScope, the
 * Tags API at scope, which replaces the resource's tag set) are the VM's tags for every stack policy. Where they and
 * the VM's own tags disagree the worse reading holds (a host; the worst state); an unknown scope or tag set fails closed.
 */
import { T } from "../../policies/model/resourceTypes";
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import { baseNet, hostNic } from "../support/networks";
import { FORMS } from "../support/assertions";
import { EXPOSED, REQUIRES } from "../support/policyNames";

/** ex01 published (Standard PIP, NSG allowing 443 from Internet) with a clean linked assessment and the given VM tags. */
function published(preview: boolean, vmTags: Record<string, string>) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: {} });
  const vm = e.vm("ex01", { nics: [nic], tags: vmTags });
  e.assessment("a-ex01", vm, cleanData());
  return { e, vm, nic };
}

/** A TagAtScope on `target` as a program writes it: scope = the target's id (unknown at preview, linked by URN). */
function tagAtScope(e: Estate, name: string, target: Res | undefined, tags: unknown, scope?: unknown): Res {
  return e.add(
    T.TagAtScope,
    name,
    { scope: scope ?? (e.opts.preview ? UNKNOWN : target!.armId), properties: { tags } },
    target ? { scope: [target] } : {},
  );
}

describe.each(FORMS)("TagAtScope (%s form)", (_form, preview) => {
  it("control: a VM tagged for another workload, published, is not a host", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });

  it("makes a VM tagged for another workload an Exchange host: its published path is reported", () => {
    const { e, vm } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("unverified"));
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(vm.urn);
    expect(v[0].message).toMatch(
      /host ex01 \(unverified \(TagAtScope tags-ex01 tags it as an Exchange host; .*\)\) is reachable from the internet via public IP/,
    );
  });

  it("on the NIC: counts as the VM's tags too", () => {
    const { e, vm, nic } = published(preview, HOST_TAGS("remediated"));
    tagAtScope(e, "tags-nic", nic, HOST_TAGS("compromised"));
    const a = analyse(e.resources);
    expect(a.hosts.map((h) => [h.name, h.state])).toEqual([["ex01", "compromised"]]);
    expect(runStack(EXPOSED, e.resources)[0]?.urn).toBe(vm.urn);
  });

  it("disagreeing with the VM's own remediated: the worse (unverified) holds and the host is not verified", () => {
    const { e, vm } = published(preview, HOST_TAGS("remediated"));
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("unverified"));
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
  });

  it("saying remediated while the VM's own tags say unverified: still unverified (a tag from outside never improves the state)", () => {
    const { e, vm } = published(preview, HOST_TAGS("unverified"));
    tagAtScope(e, "tags-ex01", vm, HOST_TAGS("remediated"));
    expect(runStack(EXPOSED, e.resources)).toHaveLength(1);
    expect(runStack(REQUIRES, e.resources)).toEqual([]);
  });

  it("an unknown tag set on the VM: treated as a host of unknown state", () => {
    const { e, vm } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-ex01", vm, UNKNOWN);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/host ex01 \(of unknown state \(TagAtScope tags-ex01 may set the tags of VM ex01/);
  });

  it("a scope that cannot be followed (unknown, no dependency): it may tag any VM, so the published VM is judged as a host", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    tagAtScope(e, "tags-somewhere", undefined, HOST_TAGS("unverified"), UNKNOWN);
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/TagAtScope tags-somewhere may set the tags of VM ex01 \(its scope its id is unknown at preview/);
  });

  it("a scope naming another VM, or a resource group, does not touch this one", () => {
    const { e } = published(preview, { workload: "sharepoint" });
    const other = e.vm("app01", { nics: [], tags: { workload: "app" } });
    tagAtScope(e, "tags-app01", other, { workload: "app" });
    if (!preview) tagAtScope(e, "tags-rg", undefined, HOST_TAGS("unverified"), `/subscriptions/${e.sub}/resourceGroups/${e.rg}`);
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});
