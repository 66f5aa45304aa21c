/**
 * References by address through the whole pack: a resource the pack does not model that names a host's private
 * address or a name the stack's Private DNS maps to it (URLs included) is a referrer like one naming the host's id, so
 * the host's exposure cannot be decided; the inert list still applies.
 */
import { Estate, HOST_TAGS, rule } from "../support/estate";
import { runStack } from "../support/judge";
import { baseNet, exHost, hostNic, HOST_IP } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS, EXPOSED } from "../support/policyNames";

function host(preview: boolean, verified = false) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-vnet", priority: 100, source: "VirtualNetwork" })]);
  const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, tags: HOST_TAGS(verified ? "remediated" : "unverified") })], verified });
  return { e, vm };
}

describe.each(FORMS)("references by address (%s form)", (_form, preview) => {
  it("control: no path, no violation", () => {
    expect(runStack(EXPOSED, host(preview).e.resources)).toEqual([]);
  });

  it("an unmodelled relay whose endpoint is the host's WinRM URL makes an unverified host's exposure undecidable", () => {
    const { e, vm } = host(preview);
    e.add("azure-native:relay:HybridConnection", "wsman-relay", { userMetadata: `[{"key":"endpoint","value":"http://${HOST_IP}:5985/wsman"}]` });
    const v = runStack(EXPOSED, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "via unmodeled resource", `HybridConnection wsman-relay`, `a property names its address ${HOST_IP}`);
  });

  it("a verified host's ports cannot be decided when an unmodelled resource names its FQDN", () => {
    const { e, vm } = host(preview, true);
    e.add("azure-native:privatedns:PrivateRecordSet", "rs-ex01", {
      privateZoneName: "corp.example",
      relativeRecordSetName: "ex01",
      recordType: "A",
      resourceGroupName: e.rg,
      aRecords: [{ ipv4Address: HOST_IP }],
    });
    e.add("azure-native:web:WebApp", "owa-proxy", { siteConfig: { appSettings: [{ name: "UPSTREAM", value: "https://ex01.corp.example/owa" }] } });
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "cannot be decided", "owa-proxy", "names ex01.corp.example");
  });

  it("another host's address (10.0.1.40) and an inert resource naming the address are not referrers", () => {
    const { e } = host(preview);
    e.add("azure-native:relay:HybridConnection", "other", { userMetadata: "http://10.0.1.40:5985/wsman" });
    e.add("azure-native:insights:DataCollectionRule", "dcr", { description: `collects syslog from ${HOST_IP}` });
    expect(runStack(EXPOSED, e.resources)).toEqual([]);
  });
});
