/**
 * Host and state tags (DESIGN §3.1): names match case-insensitively, values case-insensitively
 * (and trimmed); missing / unknown / other values mean unverified; conflicting tags fail closed;
 * a NIC's tag can only make the state worse.
 */
import { cleanData, Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { runStack } from "../support/judge";
import { baseNet, hostNic } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { EXPOSED, ISOLATED } from "../support/policyNames";

/** ex01 with a Standard PIP and an NSG allowing 443 from Internet, a clean linked assessment, and the given tags. */
function taggedHost(preview: boolean, vmTags: Record<string, string> | string, nicTags?: Record<string, string>, gate: Record<string, unknown> = {}) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: nicTags ?? {} });
  const vm = e.vm("ex01", { nics: [nic], tags: vmTags });
  e.assessment("a-ex01", vm, cleanData());
  const run = (policy = EXPOSED, config: Record<string, unknown> = {}) => runStack(policy, e.resources, config, gate);
  return { e, vm, run };
}

describe.each(FORMS)("tags (%s form)", (_form, preview) => {
  it("control: remediated on VM and NIC with a clean assessment is verified (not flagged)", () => {
    const { run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("remediated"));
    expect(run()).toEqual([]);
  });

  it("control: a NIC without the state tag says nothing; the VM's remediated stands", () => {
    const { run } = taggedHost(preview, HOST_TAGS("remediated"), { workload: "exchange" });
    expect(run()).toEqual([]);
  });

  it("control: a VM tagged for another workload is not a host", () => {
    const { run } = taggedHost(preview, { workload: "sharepoint", "remediation-state": "unverified" });
    expect(run()).toEqual([]);
  });

  it.each([
    ["Workload", " Exchange "],
    ["WORKLOAD", "EXCHANGE"],
    ["workload", "exchange "],
  ])("tag name %s with value %j still marks a host", (name, value) => {
    const { vm, run } = taggedHost(
      preview,
      { [name]: value, "remediation-state": "unverified" },
      { [name]: value, "remediation-state": "unverified" },
    );
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(unverified)", "pip-ex01");
  });

  it("state tag name and value in other cases (REMEDIATION-STATE: Remediated) still verify", () => {
    const tags = { Workload: "Exchange", "REMEDIATION-STATE": " Remediated " };
    const { run } = taggedHost(preview, tags, tags);
    expect(run()).toEqual([]);
  });

  it("duplicate state tags differing in case with conflicting values: treated as compromised", () => {
    const tags = { workload: "exchange", "remediation-state": "remediated", "Remediation-State": "compromised" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(compromised)");
    // ... and held to the compromised host's outbound isolation.
    const iso = run(ISOLATED, { forensicsSourcePrefixes: ["10.9.0.0/24"] });
    expectAboutHost(iso, vm);
    expect(iso.some((x) => x.message.includes("can still send to the internet"))).toBe(true);
  });

  it("an unknown state value (fixed) means unverified, whatever the assessment says", () => {
    const tags = { workload: "exchange", "remediation-state": "fixed" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unverified", '"fixed"');
  });

  it("an empty state value means unverified", () => {
    const tags = { workload: "exchange", "remediation-state": "" };
    const { vm, run } = taggedHost(preview, tags, tags);
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unverified");
  });

  it("the VM's tags object unknown: treated as a host, not verified", () => {
    const { vm, run } = taggedHost(preview, UNKNOWN, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "unknown", "pip-ex01");
  });

  it("the VM's state tag value unknown: not verified, and the message says the state is unknown", () => {
    const tags = { workload: "exchange", "remediation-state": UNKNOWN };
    const { vm, run } = taggedHost(preview, tags, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "of unknown state", "remediation-state tag is unknown at preview");
  });

  it("the host tag value unknown: treated as a host", () => {
    const { vm, run } = taggedHost(preview, { workload: UNKNOWN, "remediation-state": "remediated" }, HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm);
  });

  it("remediated only on the NIC, unverified on the VM: not verified", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("unverified"), HOST_TAGS("remediated"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "(unverified)");
  });

  it("remediated on the VM, unverified on the NIC: not verified (the worse tag wins), the message names the NIC", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("unverified"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "nic-ex01");
  });

  it("remediated on the VM, compromised on the NIC: compromised", () => {
    const { vm, run } = taggedHost(preview, HOST_TAGS("remediated"), HOST_TAGS("compromised"));
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "compromised");
  });

  it("the NIC's tags unknown: not verified", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    const nic = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: e.publicIp("pip-ex01"), privateIp: "10.0.1.4" });
    (nic.properties as Record<string, unknown>).tags = UNKNOWN;
    const vm = e.vm("ex01", { nics: [nic], tags: HOST_TAGS("remediated") });
    e.assessment("a-ex01", vm, cleanData());
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "nic-ex01");
  });

  it("configured hostTag / hostTagValues (gate config) select the hosts", () => {
    const { vm, run } = taggedHost(preview, { Role: "Exchange-MBX", "remediation-state": "unverified" }, undefined, {
      hostTag: "role",
      hostTagValues: ["exchange-mbx"],
    });
    const v = run();
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm);
  });
});
