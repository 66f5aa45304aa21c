/**
 * Secrets over gRPC (docs/contract.md#preview-semantics): the engine sends secret values as
 * `{ "4dabf181…": "1b47061…", value }` envelopes and @pulumi/policy hands them to policies in
 * plaintext. No diagnostic message may contain a value that was marked secret, and the violation
 * must still be reported.
 */
import type { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { cleanData, daysAgo, Estate, HOST_TAGS, rule, secret, UNKNOWN } from "../support/estate";
import { baseNet, exHost, hostNic } from "../support/networks";
import { expectDiag, expectNoPlaintext, expectNoPreviewDowngrade, POLICY, setPath, useSession } from "./helpers";
import { FORMS } from "../support/assertions";

const session = useSession();

async function stack(e: Estate): Promise<Diagnostic[]> {
  const { diagnostics } = await session().client.analyzeStack(e.resources);
  expectNoPreviewDowngrade(diagnostics);
  return diagnostics;
}

async function perResource(e: Estate): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const r of e.resources) out.push(...(await session().client.analyze(r)).diagnostics);
  expectNoPreviewDowngrade(out);
  return out;
}

/** A remediated host with a NIC NSG that only allows 443, so it is verified when its assessment is good. */
function remediatedHost(preview: boolean) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: HOST_TAGS("remediated") });
  const vm = exHost(e, { nics: [nic], state: "remediated" });
  return { e, vm, nic };
}

describe.each(FORMS)("secret values in messages (%s form)", (_form, preview) => {
  it("an NSG rule's name and a sourceAddressPrefix that allows 3389: reported, neither shown", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [
      {
        ...rule({ name: "placeholder", priority: 100, source: secret("203.0.113.77/32"), port: "3389", protocol: "Tcp" }),
        name: secret("allow-rdp-from-vendor-7f3a"),
      },
    ]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") })] });
    const ds = await stack(e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["pip-ex01", "nsg-ex01"] });
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["allow-rdp-from-vendor-7f3a", "203.0.113.77"]);
  });

  it("a standalone SecurityRule with secret sourceAddressPrefixes: reported, not shown", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", []);
    e.securityRule(
      "sr-rdp",
      nsg,
      rule({ name: "sr-rdp", priority: 100, sources: secret(["198.51.100.23/32", "192.0.2.99"]), port: "3389", protocol: "Tcp" }),
    );
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") })] });
    const ds = await stack(e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["198.51.100.23", "192.0.2.99"]);
  });

  it("a public IP's name property: reported, not shown", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const pip = e.publicIp("pip-ex01", "Standard", { publicIpAddressName: secret("pip-exchange-hidden-4242"), ipAddress: secret("20.61.7.201") });
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: pip })] });
    const ds = await stack(e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn, has: ["3389"] });
    expectNoPlaintext(ds, ["pip-exchange-hidden-4242", "20.61.7.201"]);
  });

  it("the state tag's value (an unrecognised state, so unverified): reported, not shown", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
    const tags = { workload: "exchange", "remediation-state": secret("Remediated-Pending-Review-7731") };
    const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: tags as unknown as Record<string, string> });
    const vm = exHost(e, { nics: [nic], tags: tags as unknown as Record<string, string> });
    const ds = await stack(e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["Remediated-Pending-Review-7731"]);
    const rs = await perResource(e);
    expectDiag(rs, POLICY.noPublicAttachment, "mandatory");
    expectNoPlaintext(rs, ["Remediated-Pending-Review-7731"]);
  });

  it("the host tag's value (custom hostTagValues): reported, not shown", async () => {
    await session().configure(JSON.stringify({ [POLICY.requiresAssessment]: { hostTagValues: ["exchange", "mbx-tier-secret-51"] } }));
    try {
      const e = new Estate({ preview });
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-rdp", priority: 100, source: "Internet", port: "3389", protocol: "Tcp" })]);
      const tags = { workload: secret("mbx-tier-secret-51"), "remediation-state": "unverified" };
      const nic = hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01"), tags: tags as unknown as Record<string, string> });
      const vm = exHost(e, { nics: [nic], tags: tags as unknown as Record<string, string> });
      const ds = [...(await stack(e)), ...(await perResource(e))];
      expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
      expectDiag(ds, POLICY.noPublicAttachment, "mandatory");
      expectNoPlaintext(ds, ["mbx-tier-secret-51"]);
    } finally {
      await session().configure("");
    }
  });

  it("an unpatched exchangeBuild in a clean assessment: exchange-build-patched reports it, the build is not shown", async () => {
    const { e, vm } = remediatedHost(preview);
    e.assessment("a-ex01", vm, cleanData({ exchangeBuild: secret("15.2.792.3") }));
    const ds = await stack(e);
    expectDiag(ds, POLICY.buildPatched, "mandatory", { urn: vm.urn, has: ["host ex01"] });
    expectNoPlaintext(ds, ["15.2.792.3"]);
    const rs = await perResource(e);
    expectNoPlaintext(rs, ["15.2.792.3"]);
  });

  it("an unpatched exchangeBuild written in long form: neither the literal nor the normalised build is shown", async () => {
    const { e, vm } = remediatedHost(preview);
    e.assessment("a-ex01", vm, cleanData({ exchangeBuild: secret("15.02.0792.003") }));
    const ds = await stack(e);
    expectDiag(ds, POLICY.buildPatched, "mandatory", { urn: vm.urn, has: ["host ex01"] });
    expectNoPlaintext(ds, ["15.02.0792.003", "15.2.792.3"]);
    expectNoPlaintext(await perResource(e), ["15.02.0792.003", "15.2.792.3"]);
  });

  it("a secret source prefix in a non-canonical form and a zero-padded port: neither form is shown", async () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [
      rule({ name: "allow-rdp", priority: 100, source: secret("203.0.113.77/24"), port: secret("03389"), protocol: "Tcp" }),
    ]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") })] });
    const ds = await stack(e);
    expectDiag(ds, POLICY.notExposed, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["203.0.113.77", "203.0.113.0/24", "03389", "3389"]);
  });

  it("a malformed exchangeBuild: exchange-assessment-record-valid reports it (Analyze), the value is not shown", async () => {
    const { e, vm } = remediatedHost(preview);
    e.assessment("a-ex01", vm, cleanData({ exchangeBuild: secret("build-XYZZY-secret") }));
    const rs = await perResource(e);
    expectDiag(rs, POLICY.recordValid, "mandatory", { has: ["exchangeBuild"] });
    expectNoPlaintext(rs, ["build-XYZZY-secret"]);
    const ds = await stack(e);
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["build-XYZZY-secret"]);
  });

  it("a completedAt that is not an instant: reported, not shown", async () => {
    const { e, vm } = remediatedHost(preview);
    e.assessment("a-ex01", vm, cleanData({ completedAt: secret("last-tuesday-secret") }));
    const ds = [...(await stack(e)), ...(await perResource(e))];
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectDiag(ds, POLICY.recordValid, "mandatory", { has: ["completedAt"] });
    expectNoPlaintext(ds, ["last-tuesday-secret"]);
  });

  it("a completedAt in the future: reported, not shown", async () => {
    const { e, vm } = remediatedHost(preview);
    const future = new Date(Date.now() + 400 * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    e.assessment("a-ex01", vm, cleanData({ completedAt: secret(future) }));
    const ds = [...(await stack(e)), ...(await perResource(e))];
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, [future]);
  });

  it("an old completedAt: too old is reported, the instant is not shown", async () => {
    const { e, vm } = remediatedHost(preview);
    e.assessment("a-ex01", vm, cleanData({ completedAt: secret("2020-01-02T03:04:05Z"), logsSince: "2019-06-01" }));
    const ds = [...(await stack(e)), ...(await perResource(e))];
    expectDiag(ds, POLICY.requiresAssessment, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["2020-01-02T03:04:05Z"]);
  });

  it("the whole additionalData secret: still judged (the violation is reported), nothing of it shown", async () => {
    const { e, vm } = remediatedHost(preview);
    const a = e.assessment("a-ex01", vm, cleanData({ exchangeBuild: "15.2.792.3", tool: "tool-secret-name 9.9" }));
    setPath(a.properties, ["additionalData"], secret(a.properties.additionalData));
    const ds = await stack(e);
    expectDiag(ds, POLICY.buildPatched, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["15.2.792.3", "tool-secret-name"]);
  });

  it("the VM's admin password (always secret) never appears", async () => {
    const { e } = remediatedHost(preview);
    const ds = [...(await stack(e)), ...(await perResource(e))];
    expectNoPlaintext(ds, ["S3cret-Passw0rd!"]);
  });
});

/**
 * A secret's value in another spelling is still the secret: the pack must not print the
 * normalised form (an ISO instant re-rendered, an IPv6 prefix lower-cased and compressed, a
 * trimmed string) of a value it received as secret.
 */
describe("secret values in normalised form", () => {
  it("a compromised assessment's completedAt is not shown re-rendered (e.g. with milliseconds)", async () => {
    const e = new Estate({ preview: false });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), tags: HOST_TAGS("remediated") });
    const vm = exHost(e, { nics: [nic], state: "remediated" });
    const when = daysAgo(1).replace(/\.\d{3}Z$/, "Z");
    e.assessment("a-ex01", vm, cleanData({ verdict: "compromised", completedAt: secret(when) }));
    const ds = await stack(e);
    expectDiag(ds, POLICY.rebuilt, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, [when, new Date(when).toISOString(), when.slice(0, 19)]);
  });

  it("a secret IPv6 source prefix is not shown lower-cased / compressed", async () => {
    const e = new Estate({ preview: false });
    const { sub } = baseNet(e);
    const nsg = e.nsg("nsg-ex01", [
      rule({ name: "allow-rdp-v6", priority: 100, source: secret("2001:DB8:0:0::77/128"), port: "3389", protocol: "Tcp" }),
    ]);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg })] });
    const ds = await stack(e);
    expectDiag(ds, POLICY.isolated, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["2001:DB8:0:0::77", "2001:db8::77"]);
  });

  it("a secret exchangeBuild with surrounding spaces is not shown trimmed", async () => {
    const { e, vm } = remediatedHost(false);
    e.assessment("a-ex01", vm, cleanData({ exchangeBuild: secret(" 15.2.792.3 ") }));
    const ds = await stack(e);
    expectDiag(ds, POLICY.buildPatched, "mandatory", { urn: vm.urn });
    expectNoPlaintext(ds, ["15.2.792.3"]);
  });
});

describe("secrets sent to Analyze (exchange-unverified-no-public-attachment)", () => {
  it.each(FORMS)("secret tags, ipConfiguration name and public IP id: blocked, none shown (%s form)", async (_form, preview) => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const pip = e.publicIp("pip-ex01");
    const nic = hostNic(e, sub, {
      publicIp: pip,
      tags: { workload: "exchange", "remediation-state": secret("quarantined-by-soc-1138"), costCenter: secret("cc-hidden-88") } as unknown as Record<
        string,
        string
      >,
    });
    setPath(nic.properties, ["ipConfigurations", 0, "name"], secret("ipcfg-hidden-99"));
    setPath(nic.properties, ["ipConfigurations", 0, "publicIPAddress"], {
      id: secret(preview ? UNKNOWN : `${pip.armId}-hidden-77`),
    });
    const { diagnostics: ds, notApplicable } = await session().client.analyze(nic);
    expectNoPreviewDowngrade(ds);
    expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01", "public IP"] });
    expectNoPlaintext(ds, ["quarantined-by-soc-1138", "cc-hidden-88", "ipcfg-hidden-99", "pip-ex01-hidden-77"]);
    expect(notApplicable.map((n) => n.policyName)).toContain(POLICY.requiresAssessment);
  });

  it("the whole tags object secret: still recognised as an Exchange host and blocked", async () => {
    const e = new Estate({ preview: true });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01"), tags: secret(HOST_TAGS("compromised")) as unknown as Record<string, string> });
    const { diagnostics: ds } = await session().client.analyze(nic);
    expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
  });

  it("a whole ipConfiguration secret: still blocked, its name not shown", async () => {
    const e = new Estate({ preview: false });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01") });
    const cfgs = nic.properties.ipConfigurations as Array<Record<string, unknown>>;
    cfgs[0] = { ...cfgs[0], name: "ipcfg-secret-name-31" };
    setPath(nic.properties, ["ipConfigurations", 0], secret(cfgs[0]));
    const { diagnostics: ds } = await session().client.analyze(nic);
    expectDiag(ds, POLICY.noPublicAttachment, "mandatory", { has: ["nic-ex01"] });
    expectNoPlaintext(ds, ["ipcfg-secret-name-31"]);
  });
});
