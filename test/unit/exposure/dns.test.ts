import { parseAddressPrefix } from "../../../policies/model/addresses";
import { FqdnAnswer, StackDns } from "../../../policies/model/exposure/dns";
import { Estate, UNKNOWN } from "../../support/estate";
import { baseNet, exHost, hostNic } from "../../support/networks";
import { analysisOf } from "./fixture";

const REC = "azure-native:privatedns:PrivateRecordSet";
const set = (s: string) => parseAddressPrefix(s)!;

function dnsOf(e: Estate): StackDns {
  const a = analysisOf(e);
  return new StackDns(a.graph, a.hosts);
}

function record(e: Estate, name: string, props: Record<string, unknown>, type = REC): void {
  e.add(type, name, { privateZoneName: "corp.internal", ...props });
}

function addrs(ans: FqdnAnswer): string {
  if (ans.kind !== "addresses") throw new Error(`not addresses: ${JSON.stringify(ans)}`);
  return ans.via;
}

describe("StackDns", () => {
  it("an IP literal resolves to itself", () => {
    const ans = dnsOf(new Estate()).resolve(" 10.0.1.4 ");
    expect(ans).toEqual({ kind: "addresses", addrs: set("10.0.1.4"), via: "an IP literal" });
  });

  it("A records of the stack's Private DNS zones, case and trailing dot ignored", () => {
    const e = new Estate();
    record(e, "owa", {
      relativeRecordSetName: "OWA",
      aRecords: [{ ipv4Address: "10.0.1.4" }, { ipv4Address: "10.0.1.5" }, { ipv4Address: "garbage" }, { ipv4Address: UNKNOWN }],
    });
    const ans = dnsOf(e).resolve("owa.CORP.internal.");
    expect(addrs(ans)).toBe("the Private DNS record owa.corp.internal");
    expect(ans.kind === "addresses" && ans.addrs.equals(set("10.0.1.4").union(set("10.0.1.5")))).toBe(true);
  });

  it("AAAA records; '@' names the zone apex; the legacy network:PrivateRecordSet type; 'name' when relativeRecordSetName is absent", () => {
    const e = new Estate();
    record(e, "apex", { relativeRecordSetName: "@", aaaaRecords: [{ ipv6Address: "fd00::4" }] });
    record(e, "legacy", { name: "mail", aRecords: [{ ipv4Address: "10.0.1.6" }] }, "azure-native:network:PrivateRecordSet");
    const dns = dnsOf(e);
    const apex = dns.resolve("corp.internal");
    expect(apex.kind === "addresses" && apex.addrs.equals(set("fd00::4"))).toBe(true);
    const legacy = dns.resolve("mail.corp.internal");
    expect(legacy.kind === "addresses" && legacy.addrs.equals(set("10.0.1.6"))).toBe(true);
  });

  it("records whose zone or name cannot be read are ignored; non-array record lists add nothing", () => {
    const e = new Estate();
    e.add(REC, "a", { privateZoneName: UNKNOWN, relativeRecordSetName: "owa", aRecords: [{ ipv4Address: "10.0.1.4" }] });
    record(e, "b", { relativeRecordSetName: UNKNOWN, aRecords: [{ ipv4Address: "10.0.1.4" }] });
    record(e, "c", { relativeRecordSetName: "x", aRecords: UNKNOWN, aaaaRecords: "nope" });
    const dns = dnsOf(e);
    expect(dns.resolve("owa.corp.internal").kind).toBe("unresolvable");
    expect(dns.resolve("x.corp.internal").kind).toBe("unresolvable");
  });

  it("CNAME chains: the target's addresses join the record's", () => {
    const e = new Estate();
    record(e, "a", { relativeRecordSetName: "mail", aRecords: [{ ipv4Address: "10.0.1.7" }], cnameRecord: { cname: "owa.corp.internal." } });
    record(e, "b", { relativeRecordSetName: "owa", aRecords: [{ ipv4Address: "10.0.1.4" }] });
    const ans = dnsOf(e).resolve("mail.corp.internal");
    expect(addrs(ans)).toBe("the Private DNS record mail.corp.internal");
    expect(ans.kind === "addresses" && ans.addrs.equals(set("10.0.1.4").union(set("10.0.1.7")))).toBe(true);
  });

  it("a CNAME to a name the stack cannot resolve: unresolvable (never just the known part)", () => {
    const e = new Estate();
    record(e, "a", { relativeRecordSetName: "mail", aRecords: [{ ipv4Address: "10.0.1.7" }], cnameRecord: { cname: "elsewhere.example.com" } });
    const ans = dnsOf(e).resolve("mail.corp.internal");
    expect(ans).toEqual({
      kind: "unresolvable",
      why: "the pack cannot resolve elsewhere.example.com (no Private DNS record or host name in this stack matches it), so it may point at any host",
    });
  });

  it("a CNAME loop: too long, unresolvable", () => {
    const e = new Estate();
    record(e, "a", { relativeRecordSetName: "a", cnameRecord: { cname: "b.corp.internal" } });
    record(e, "b", { relativeRecordSetName: "b", cnameRecord: { cname: "a.corp.internal" } });
    const ans = dnsOf(e).resolve("a.corp.internal");
    expect(ans.kind).toBe("unresolvable");
    expect(ans.kind === "unresolvable" && ans.why).toMatch(/^the CNAME chain of [ab]\.corp\.internal is too long$/);
  });

  it.each([
    [9, "addresses"],
    [10, "unresolvable"],
  ])("a chain of %d CNAMEs → %s (the depth limit)", (hops, kind) => {
    const e = new Estate();
    for (let i = 0; i < hops; i++) record(e, `c${i}`, { relativeRecordSetName: `c${i}`, cnameRecord: { cname: `c${i + 1}.corp.internal` } });
    record(e, `c${hops}`, { relativeRecordSetName: `c${hops}`, aRecords: [{ ipv4Address: "10.0.1.4" }] });
    expect(dnsOf(e).resolve("c0.corp.internal").kind).toBe(kind);
  });

  describe("host names", () => {
    function withHost(computerName?: unknown) {
      const e = new Estate();
      const { sub } = baseNet(e);
      exHost(e, { nics: [hostNic(e, sub)], extra: computerName === undefined ? {} : { osProfile: { computerName, adminUsername: "x" } } });
      return e;
    }

    it("the VM name, whole or as the first label", () => {
      const dns = dnsOf(withHost());
      for (const n of ["ex01", "EX01.contoso.local", "ex01.anything."]) {
        const ans = dns.resolve(n);
        expect(ans.kind).toBe("hosts");
        expect(ans.kind === "hosts" && ans.hosts.map((h) => h.name)).toEqual(["ex01"]);
        expect(ans.kind === "hosts" && ans.via).toBe(`the host name in ${n}`);
      }
    });

    it("the computer name when it differs from the VM name", () => {
      const dns = dnsOf(withHost("EXCH-MBX1"));
      const ans = dns.resolve("exch-mbx1.corp.local");
      expect(ans.kind === "hosts" && ans.hosts.map((h) => h.name)).toEqual(["ex01"]);
      expect(dns.resolve("ex01").kind).toBe("hosts");
    });

    it("an empty or unknown computer name adds nothing", () => {
      expect(dnsOf(withHost("")).resolve("ex02").kind).toBe("unresolvable");
      expect(dnsOf(withHost(UNKNOWN)).resolve("ex02").kind).toBe("unresolvable");
    });

    it("a record without addresses falls back to host names", () => {
      const e = withHost();
      record(e, "empty", { relativeRecordSetName: "ex01" });
      e.add(REC, "z", { privateZoneName: "ex01", relativeRecordSetName: "@" });
      expect(dnsOf(e).resolve("ex01.corp.internal").kind).toBe("hosts");
    });
  });

  it("a name nothing in the stack matches: unresolvable, may point at any host", () => {
    expect(dnsOf(new Estate()).resolve("owa.example.com")).toEqual({
      kind: "unresolvable",
      why: "the pack cannot resolve owa.example.com (no Private DNS record or host name in this stack matches it), so it may point at any host",
    });
  });
});
