import { HostAddressBook } from "../../../policies/model/exposure/addressReferrers";
import { StackDns } from "../../../policies/model/exposure/dns";
import { unmodeledReferences } from "../../../policies/model/exposure/unmodeled";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, HOST_IP, hostNic } from "../../support/networks";
import { analysisOf, routesOfKind } from "./fixture";
import { expectAboutHost, FORMS } from "../../support/assertions";
import { runStack } from "../../support/judge";
import { CLIENT_PORTS, EXPOSED } from "../../support/policyNames";

/** ex01 at 10.0.1.4, or with a dynamic address (`dynamic`: none in its inputs). */
function estate(preview = false, dynamic = false): { e: Estate; vm: Res; nic: Res } {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const nic = dynamic ? e.nic("nic-ex01", { subnet: sub }) : hostNic(e, sub);
  const vm = exHost(e, { nics: [nic] });
  return { e, vm, nic };
}

/** A Private DNS zone corp.example with A record `rel` → `ips`. */
function aRecord(e: Estate, rel: string, ips: string[], zone = "corp.example"): Res {
  return e.add("azure-native:privatedns:PrivateRecordSet", `rs-${rel}`, {
    privateZoneName: zone,
    relativeRecordSetName: rel,
    recordType: "A",
    resourceGroupName: e.rg,
    ttl: 300,
    aRecords: ips.map((ipv4Address) => ({ ipv4Address })),
  });
}

function found(e: Estate): Array<[string, string]> {
  const a = analysisOf(e);
  const m = unmodeledReferences(a.graph, a.hosts);
  return (m.get(a.hosts[0]?.urn ?? "") ?? []).map((x) => [x.node.display, x.how]);
}

describe.each(FORMS)("references by address (%s form)", (_form, preview) => {
  it("the host's private address inside a URL: WinRM published by a resource the pack does not model", () => {
    const { e } = estate(preview);
    e.add("azure-native:web:WebAppHybridConnection", "relay", { hostname: "x", endpoint: `http://${HOST_IP}:5985/wsman` });
    expect(found(e)).toEqual([["relay", `a property names its address ${HOST_IP}`]]);
  });

  it("matches exact addresses only: 10.0.1.40, 110.0.1.4, 10.0.1.4.5 and a /24 are not the host; a /32 is", () => {
    const { e } = estate(preview);
    for (const [n, s] of [
      ["a", "http://10.0.1.40:5985"],
      ["b", "110.0.1.4"],
      ["c", "v10.0.1.4.5"],
      ["d", "route 10.0.1.4/24 via gw"],
      ["e", "ports 10.0.1.45-10.0.1.49"],
    ])
      e.add("azure-native:network:NewThing", n, { note: s });
    e.add("azure-native:network:NewThing", "exact", { prefixes: ["10.0.1.4/32"] });
    expect(found(e).map(([n]) => n)).toEqual(["exact"]);
  });

  it("a DNS name the stack's Private DNS maps to the host (directly or through a CNAME), inside a URL", () => {
    const { e } = estate(preview);
    aRecord(e, "ex01", [HOST_IP]);
    e.add("azure-native:privatedns:PrivateRecordSet", "rs-mail", {
      privateZoneName: "corp.example",
      relativeRecordSetName: "mail",
      recordType: "CNAME",
      resourceGroupName: e.rg,
      cnameRecord: { cname: "ex01.corp.example" },
    });
    e.add("azure-native:network:NewThing", "owa", { backend: "https://EX01.corp.example/owa" });
    e.add("azure-native:network:NewThing", "smtp", { relay: "smtp://mail.corp.example.:25" });
    expect(found(e)).toEqual([
      ["owa", "a property names ex01.corp.example, which the Private DNS record ex01.corp.example maps to its address 10.0.1.4/32"],
      ["smtp", "a property names mail.corp.example, which the Private DNS record mail.corp.example maps to its address 10.0.1.4/32"],
    ]);
  });

  it("a longer name that merely contains a host's name is not it; a record for another address names no host", () => {
    const { e } = estate(preview);
    aRecord(e, "ex01", [HOST_IP]);
    aRecord(e, "other", ["10.0.1.5"]);
    e.add("azure-native:network:NewThing", "x", {
      a: "https://ex01.corp.example.evil.test/",
      b: "https://mail-ex01.corp.example/",
      c: "https://other.corp.example/",
    });
    expect(found(e)).toEqual([]);
  });

  it("the inert list applies: a diagnostic setting or Log Analytics naming the address is not a way in", () => {
    const { e } = estate(preview);
    e.add("azure-native:insights:DataCollectionRule", "dcr", { dataSources: { syslog: [{ endpoint: `${HOST_IP}:514` }] } });
    e.add("azure-native:network:NetworkWatcher", "nw", { note: HOST_IP });
    expect(found(e)).toEqual([]);
  });

  it("a host whose address is not known (dynamic, before deployment) cannot be named by address", () => {
    const { e } = estate(preview, true);
    e.add("azure-native:network:NewThing", "x", { target: HOST_IP });
    expect(found(e)).toEqual([]);
  });

  it("becomes an undecidable route naming the resource and how it names the host", () => {
    const { e } = estate(preview);
    e.add("azure-native:network:NewThing", "relay", { endpoint: `http://${HOST_IP}:5985/wsman` });
    const [r] = routesOfKind(e, "unmodeled resource");
    expect(r.undecidable).toBe(
      `azure-native:network:NewThing relay references this host (a property names its address ${HOST_IP}); the pack does not model that type, so it cannot tell whether it opens a way in`,
    );
  });
});

describe("HostAddressBook", () => {
  it("an IPv6 host address, alone, in brackets, or as a /128; another IPv6 address or a /64 is not it", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { privateIp: "fd00:10::4", version: "IPv6" });
    exHost(e, { nics: [nic] });
    const a = analysisOf(e);
    const book = new HostAddressBook(a.hosts, new StackDns(a.graph, a.hosts));
    const hit = (s: string) => book.find(s).map((m) => m.how);
    expect(hit("http://[fd00:10::4]:5985/wsman")).toEqual(["names its address fd00:10::4"]);
    expect(hit("fd00:10:0:0:0:0:0:4/128")).toEqual(["names its address fd00:10:0:0:0:0:0:4"]);
    expect(hit("fd00:10::40")).toEqual([]);
    expect(hit("fd00:10::4/64")).toEqual([]);
    expect(hit("12:30:45")).toEqual([]);
  });

  it("is empty with no host address; an unknown value is no address", () => {
    const { e } = estate(true, true);
    const a = analysisOf(e);
    const book = new HostAddressBook(a.hosts, new StackDns(a.graph, a.hosts));
    expect(book.empty).toBe(true);
    expect(book.find(UNKNOWN)).toEqual([]);
  });

  it("scans a large estate near-linearly: 2,000 hosts, 2,000 strings, each host found once", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    for (let i = 0; i < 2000; i++) {
      const ip = `10.0.${Math.floor(i / 250) + 1}.${(i % 250) + 4}`;
      exHost(e, { nics: [hostNic(e, sub, { privateIp: ip, name: `nic-${i}` })], name: `ex-${i}` });
    }
    const a = analysisOf(e);
    const book = new HostAddressBook(a.hosts, new StackDns(a.graph, a.hosts));
    const t0 = process.hrtime.bigint();
    let hits = 0;
    for (let i = 0; i < 2000; i++) hits += book.find(`http://10.0.${Math.floor(i / 250) + 1}.${(i % 250) + 4}:5985/wsman`).length;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(hits).toBe(2000);
    expect(ms).toBeLessThan(1000);
  });
});

/**
 * References by address through the whole pack: a resource the pack does not model that names a host's private
 * address or a name the stack's Private DNS maps to it (URLs included) is a referrer like one naming the host's id, so
 * the host's exposure cannot be decided; the inert list still applies.
 */
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
