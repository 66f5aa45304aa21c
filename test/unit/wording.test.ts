import { INTERNET } from "../../policies/model/addresses";
import { OpenRoute, openToInternet } from "../../policies/model/exposure";
import { routeText, stateText } from "../../policies/rules/wording";
import { cleanData, Estate, Res, rule, UNKNOWN } from "../support/estate";
import { analyse } from "../support/judge";
import { appGateway, baseNet, exHost, HOST_IP, hostNic } from "../support/networks";
import { ago, clean, host, NOW } from "../support/gateFixtures";

describe("stateText", () => {
  const textFor = (build: (e: Estate, nic: Res) => void): string => {
    const e = new Estate();
    const { sub } = baseNet(e);
    build(e, hostNic(e, sub, { tags: { workload: "exchange" } }));
    const a = analyse(e.resources);
    return stateText(a, a.hosts[0]);
  };

  it.each<[string, (e: Estate, n: Res) => void, string]>([
    ["compromised by tag", (e, n) => exHost(e, { nics: [n], state: "compromised" }), "compromised"],
    [
      "compromised by a linked assessment only",
      (e, n) => e.assessment("a1", exHost(e, { nics: [n], state: "unverified" }), cleanData({ verdict: "compromised" })),
      "compromised (a linked assessment found it compromised; its state tag does not say so)",
    ],
    [
      "tags unreadable",
      (e, n) => exHost(e, { nics: [n], tags: UNKNOWN }),
      "of unknown state (the tags of VM ex01 cannot be read (unknown at preview), so it is treated as an Exchange host)",
    ],
    [
      "state tag unreadable",
      (e, n) => exHost(e, { nics: [n], tags: { workload: "exchange", "remediation-state": UNKNOWN } }),
      "of unknown state (its remediation-state tag is unknown at preview)",
    ],
    [
      "remediated without an assessment",
      (e, n) => exHost(e, { nics: [n], state: "remediated" }),
      "marked remediated but not verified (see exchange-remediated-requires-assessment)",
    ],
    [
      "remediated on an unpatched build",
      (e, n) => e.assessment("a1", exHost(e, { nics: [n], state: "remediated" }), cleanData({ exchangeBuild: "15.2.792.3" })),
      "marked remediated but not verified (see exchange-build-patched)",
    ],
    ["unverified", (e, n) => exHost(e, { nics: [n], state: "unverified" }), "unverified"],
    [
      "an odd state value",
      (e, n) => exHost(e, { nics: [n], state: "fixed" }),
      'unverified (its remediation-state tag "fixed" is not unverified, compromised or remediated)',
    ],
    ["no state tag", (e, n) => exHost(e, { nics: [n], tags: { workload: "exchange" } }), "unverified (it has no remediation-state tag)"],
    ["verified", (e, n) => exHost(e, { nics: [n], verified: true }), "remediated"],
  ])("%s", (_what, build, expected) => {
    expect(textFor(build)).toBe(expected);
  });

  it("remediated with a clean record but an OS disk not created from an image: names the rebuild policy", () => {
    const text = textFor((e, n) => {
      const vm = exHost(e, {
        nics: [n],
        state: "remediated",
        extra: {
          storageProfile: {
            osDisk: {
              createOption: "Attach",
              name: "old-disk",
              managedDisk: { id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/disks/old" },
            },
          },
        },
      });
      e.assessment("a1", vm, cleanData());
    });
    expect(text).toBe("marked remediated but not verified (see exchange-compromised-rebuilt-from-scratch)");
  });
});

describe("routeText", () => {
  function openOf(build: (e: Estate) => void): OpenRoute {
    const e = new Estate();
    build(e);
    const a = analyse(e.resources);
    const opens = a.exposure
      .routes(a.hosts[0])
      .map((r) => openToInternet(r, INTERNET))
      .filter((o): o is OpenRoute => o !== undefined);
    expect(opens).toHaveLength(1);
    return opens[0];
  }

  it("a direct path: hops, then the rules and what passes; no proxy note", () => {
    const o = openOf((e) => {
      const { sub } = baseNet(e);
      exHost(e, { nics: [hostNic(e, sub, { publicIp: e.publicIp("pip-ex01", "Basic") })] });
    });
    expect(routeText(o, new Set())).toBe(
      "public IP pip-ex01 (Basic or unknown SKU) → NIC nic-ex01/ipconfig1 → no subnet NSG → no NIC NSG → from the IPv4 internet → TCP all ports; UDP all ports; ICMP; ESP; AH",
    );
  });

  it("a proxied path says who the NSGs see as the source", () => {
    const o = openOf((e) => {
      const { vnet, sub } = baseNet(e);
      const gw = e.subnet("snet-agw", vnet, "10.0.3.0/24");
      appGateway(e, "agw", { gwSubnet: gw, publicIp: e.publicIp("pip-agw"), backends: [{ ipAddress: HOST_IP }], l7: { port: 443 } });
      exHost(e, { nics: [hostNic(e, sub)] });
    });
    expect(routeText(o, new Set())).toBe(
      `public application gateway agw L7 listener listener-https → backend pool pool → port 443 (backend ${HOST_IP}) → NIC nic-ex01/ipconfig1 → no subnet NSG → no NIC NSG → from 10.0.3.0/24 → TCP 443 (the NSGs see application gateway agw (subnet snet-agw) as the source, so rules that only deny Internet do not stop it)`,
    );
  });

  it("an undecidable path: counted open on every port, with the reason; no leading colon without hops", () => {
    const withHops: OpenRoute = { route: { hops: ["a", "b"], direct: true } as unknown as OpenRoute["route"], grants: [], undecidable: "why" };
    expect(routeText(withHops, new Set())).toBe("a → b: cannot be decided, so it counts as open on every port: why");
    const noHops: OpenRoute = { route: { hops: [], direct: true } as unknown as OpenRoute["route"], grants: [], undecidable: "why" };
    expect(routeText(noHops, new Set())).toBe("cannot be decided, so it counts as open on every port: why");
  });

  it("a rule written with a secret value: addresses and ports withheld", () => {
    const o = openOf((e) => {
      const { sub } = baseNet(e);
      const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-office", priority: 100, source: "198.51.100.7/32", port: "3389", protocol: "Tcp" })]);
      exHost(e, { nics: [hostNic(e, sub, { nsg, publicIp: e.publicIp("pip-ex01") })] });
    });
    const text = routeText(o, new Set(["198.51.100.7/32"]));
    expect(text).toContain("addresses and ports withheld: the rule uses a secret value");
    expect(text).not.toContain("3389");
    expect(routeText(o, new Set())).toContain("from 198.51.100.7/32 → TCP 3389");
  });
});

describe("stateText: a host marked remediated that the gate does not verify", () => {
  it("names the failing gate policies instead of repeating their messages", () => {
    const e = new Estate();
    const vm = host(e);
    e.assessment("a", vm, clean({ exchangeBuild: "15.2.792.10", completedAt: ago(40) }));
    const a = analyse(e.resources, {}, NOW);
    const h = a.hosts.find((x) => x.urn === vm.urn)!;
    expect(stateText(a, h)).toBe("marked remediated but not verified (see exchange-remediated-requires-assessment, exchange-build-patched)");
  });
});
