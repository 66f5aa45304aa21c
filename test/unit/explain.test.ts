import { INTERNET } from "../../policies/model/addresses";
import { openToInternet } from "../../policies/model/exposure";
import { explainHost, PathExplanation } from "../../policies/model/explain";
import { Estate, rule } from "../support/estate";
import { FORMS } from "../support/assertions";
import { analysisOf, hostWith } from "./exposure/fixture";

function explained(e: Estate): readonly PathExplanation[] {
  const a = analysisOf(e);
  return explainHost(a, a.hosts[0]).paths;
}

describe.each(FORMS)("explainHost (%s form)", (_form, preview) => {
  it("an open public IP path names the allow rule that lets it through, and the verdict is the policy's", () => {
    const e = new Estate({ preview });
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
    hostWith(e, { publicIp: e.publicIp("pip-ex01"), nsg });
    const a = analysisOf(e);
    const host = a.hosts[0];
    const [p] = explainHost(a, host).paths.filter((x) => x.origin === "path");
    expect(p.verdict).toBe("open");
    expect(openToInternet(a.exposure.routes(host)[0], INTERNET)).toBeDefined();
    expect(p.path.map((h) => h.kind)).toEqual(["public IP", "NIC"]);
    expect(p.path[0].resource?.name).toBe("pip-ex01");
    expect(p.allowed).toHaveLength(1);
    expect(p.allowed[0].steps.map((s) => [s.level, s.nsg, s.rule?.name, s.rule?.priority, s.rule?.access])).toEqual([
      ["subnet", "", undefined, undefined, undefined],
      ["NIC", "nsg-ex01", "allow-https", 100, "allow"],
    ]);
    expect(p.allowed[0].service).toBe("TCP 443");
  });

  it("a closed path names its first matching deny rule (not a later allow), and the policy agrees it is closed", () => {
    const e = new Estate({ preview });
    const nsg = e.nsg("nsg-iso", [
      rule({ name: "deny-all-in", priority: 110, access: "Deny", source: "*" }),
      rule({ name: "allow-https", priority: 200, source: "Internet", port: "443", protocol: "Tcp" }),
    ]);
    hostWith(e, { publicIp: e.publicIp("pip-ex01"), nsg });
    const a = analysisOf(e);
    const host = a.hosts[0];
    expect(openToInternet(a.exposure.routes(host)[0], INTERNET)).toBeUndefined();
    const [p] = explainHost(a, host).paths.filter((x) => x.origin === "path");
    expect(p.verdict).toBe("closed");
    expect(p.closedBy).toBe("rules");
    expect(p.denied.map((g) => [g.steps[0].nsg, g.steps[0].rule?.name, g.steps[0].rule?.priority, g.service])).toEqual([
      ["nsg-iso", "deny-all-in", 110, "any protocol, any port"],
    ]);
  });

  it("a flow no user rule matches is dropped by the default rule, named as such", () => {
    const e = new Estate({ preview });
    const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-vnet-rdp", priority: 100, source: "VirtualNetwork", port: "3389", protocol: "Tcp" })]);
    hostWith(e, { publicIp: e.publicIp("pip-ex01"), nsg });
    const [p] = explained(e).filter((x) => x.origin === "path");
    expect(p.verdict).toBe("closed");
    expect(p.denied.map((g) => [g.steps[0].rule?.origin, g.steps[0].rule?.name, g.steps[0].rule?.priority])).toEqual([
      ["default", "DenyAllInbound", 65500],
    ]);
  });

  it("a Standard public IP without any NSG is closed by its SKU, said so", () => {
    const e = new Estate({ preview });
    hostWith(e, { publicIp: e.publicIp("pip-ex01", "Standard") });
    const [p] = explained(e).filter((x) => x.origin === "path");
    expect([p.verdict, p.closedBy, p.denied]).toEqual(["closed", "Standard front end without any NSG", []]);
  });

  it("at the NIC: what a new path from the internet would meet, and what inside the network gets in", () => {
    const e = new Estate({ preview });
    const nsg = e.nsg("nsg-iso", [
      rule({ name: "allow-forensics-in", priority: 100, source: "10.9.0.0/24", port: "3389", protocol: "Tcp" }),
      rule({ name: "deny-all-in", priority: 110, access: "Deny", source: "*" }),
    ]);
    hostWith(e, { nsg });
    const paths = explained(e);
    expect(paths.filter((x) => x.origin === "path")).toEqual([]);
    const internet = paths.find((x) => x.origin === "internet at the NIC")!;
    expect(internet.verdict).toBe("closed");
    expect(internet.denied.map((g) => g.steps[0].rule?.name)).toEqual(["deny-all-in"]);
    const inside = paths.find((x) => x.origin === "network at the NIC")!;
    expect(inside.verdict).toBe("open");
    expect(inside.allowed.map((g) => [g.steps[1].rule?.name, g.sources, g.service])).toEqual([["allow-forensics-in", "10.9.0.0/24", "TCP 3389"]]);
    expect(inside.denied.map((g) => g.steps[0].rule?.name)).toEqual(["deny-all-in"]);
  });
});
