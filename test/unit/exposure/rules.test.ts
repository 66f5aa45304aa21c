/**
 * The four exposure / isolation policies as functions of one analysis: exact message frames,
 * config handling and what each one skips. Paths themselves are pinned in the module tests.
 */
import { unverifiedIsolated } from "../../../policies/rules/unverifiedIsolated";
import { unverifiedNotInternetExposed } from "../../../policies/rules/unverifiedNotInternetExposed";
import { verifiedExposesOnlyClientPorts } from "../../../policies/rules/verifiedExposesOnlyClientPorts";
import { cleanData, Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { analyse } from "../../support/judge";
import { baseNet, exHost, hostNic, loadBalancer } from "../../support/networks";

const FIX_EXPOSED = ". Fix: remove this path or isolate the host; it may be published only once verified.";

function basicPipHost(o: { verified?: boolean; state?: string; nsg?: (e: Estate) => Res } = {}): Estate {
  const e = new Estate();
  const { sub } = baseNet(e);
  exHost(e, {
    nics: [
      hostNic(e, sub, {
        publicIp: e.publicIp("pip-ex01", "Basic"),
        tags: HOST_TAGS(o.verified ? "remediated" : (o.state ?? "unverified")),
        ...(o.nsg ? { nsg: o.nsg(e) } : {}),
      }),
    ],
    verified: o.verified,
    state: o.state,
  });
  return e;
}

const ALL_LINE = "no subnet NSG → no NIC NSG → from the IPv4 internet → TCP all ports; UDP all ports; ICMP; ESP; AH";
const PIP_HOPS = "public IP pip-ex01 (Basic or unknown SKU) → NIC nic-ex01/ipconfig1";

describe("exchange-unverified-not-internet-exposed", () => {
  const run = (e: Estate, config: Record<string, unknown> = {}) => unverifiedNotInternetExposed.evaluate(analyse(e.resources), config);

  it("metadata", () => {
    expect(unverifiedNotInternetExposed.name).toBe("exchange-unverified-not-internet-exposed");
    expect(unverifiedNotInternetExposed.enforcementLevel).toBe("mandatory");
    expect(unverifiedNotInternetExposed.kind).toBe("stack");
    expect(unverifiedNotInternetExposed.url).toMatch(/#exchange-unverified-not-internet-exposed$/);
  });

  it("the whole message, on the host's URN", () => {
    const e = basicPipHost();
    const vm = e.resources.find((r) => r.name === "ex01")!;
    expect(run(e)).toEqual([
      { urn: vm.urn, message: `host ex01 (unverified) is reachable from the internet via public IP: ${PIP_HOPS} → ${ALL_LINE}${FIX_EXPOSED}` },
    ]);
  });

  it("an undecidable path: the message says it cannot be decided and why", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("compromised"),
      networkProfile: { networkInterfaces: UNKNOWN },
    });
    expect(run(e).map((v) => v.message)).toEqual([
      `host ex01 (compromised) is reachable from the internet via unreadable attachment: cannot be decided, so it counts as open on every port: the network interfaces of VM ex01 are unknown at preview and no dependency names them${FIX_EXPOSED}`,
    ]);
  });

  it("verified hosts are not this policy's business", () => {
    expect(run(basicPipHost({ verified: true }))).toEqual([]);
  });

  it("trustedSourcePrefixes: a path open only to trusted sources is not internet exposure", () => {
    const nsg = (e: Estate) => e.nsg("nsg", [rule({ name: "office", priority: 100, source: "203.0.113.0/24", port: "3389", protocol: "Tcp" })]);
    expect(run(basicPipHost({ nsg }))).toHaveLength(1);
    expect(run(basicPipHost({ nsg }), { trustedSourcePrefixes: ["203.0.113.0/24"] })).toEqual([]);
    expect(run(basicPipHost({ nsg }), { trustedSourcePrefixes: ["203.0.113.0/25"] })).toHaveLength(1);
  });

  it("an unparsable trusted prefix is a config error and trusts nothing", () => {
    expect(unverifiedNotInternetExposed.configErrors!({ trustedSourcePrefixes: ["nonsense", "10.0.0.0/8"] })).toEqual([
      'trustedSourcePrefixes: "nonsense" is not an IP address or CIDR prefix',
    ]);
    expect(unverifiedNotInternetExposed.configErrors!({})).toEqual([]);
    expect(run(basicPipHost(), { trustedSourcePrefixes: ["nonsense"] })).toHaveLength(1);
  });

  it("one violation per open path", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      sku: "Basic",
      frontends: [{ name: "fe", publicIp: e.publicIp("pip-lb", "Basic") }],
      pools: [{ name: "p" }],
      rules: [{ name: "owa", frontend: "fe", pool: "p", frontendPort: 443, backendPort: 443 }],
    });
    exHost(e, { nics: [hostNic(e, sub, { publicIp: e.publicIp("pip-ex01", "Basic"), lbPools: [[lb, "p"]] })] });
    expect(run(e).map((v) => v.message.split(":")[0])).toEqual([
      "host ex01 (unverified) is reachable from the internet via public IP",
      "host ex01 (unverified) is reachable from the internet via load balancer",
    ]);
  });
});

describe("exchange-verified-exposes-only-client-ports", () => {
  const run = (e: Estate, config: Record<string, unknown> = {}) => verifiedExposesOnlyClientPorts.evaluate(analyse(e.resources), config);

  function verifiedLb(ports: Array<[number, string?]>, sku = "Basic"): Estate {
    const e = new Estate();
    const { sub } = baseNet(e);
    const lb = loadBalancer(e, "lb-ex", {
      sku,
      frontends: [{ name: "fe", publicIp: e.publicIp("pip-lb", sku) }],
      pools: [{ name: "p" }],
      rules: ports.map(([p, protocol]) => ({ name: `r${p}`, frontend: "fe", pool: "p", frontendPort: p, backendPort: p, protocol })),
    });
    exHost(e, { nics: [hostNic(e, sub, { lbPools: [[lb, "p"]], tags: HOST_TAGS("remediated") })], verified: true });
    return e;
  }

  it("only the client ports: nothing", () => {
    expect(run(verifiedLb([[443], [25]]))).toEqual([]);
  });

  it("a non-management extra port: named, without the management clause", () => {
    const [v] = run(verifiedLb([[8080]]));
    expect(v.message).toBe(
      "verified host ex01 is reachable from the internet beyond the client ports (443/tcp, 25/tcp): public IP pip-lb (Basic or unknown SKU) → load balancer lb-ex (Basic or unknown SKU) load-balancing rule r8080 TCP 8080→8080 → backend pool p (backend pool reference) → NIC nic-ex01/ipconfig1 → no subnet NSG → no NIC NSG → from the IPv4 internet → TCP 8080. Fix: publish only the client ports and narrow the NSG allow to them.",
    );
  });

  it("443 over UDP is not the client port 443/tcp", () => {
    const [v] = run(verifiedLb([[443, "Udp"]]));
    expect(v.message).toContain("→ UDP 443. Fix:");
  });

  it("management ports are named", () => {
    const [v] = run(verifiedLb([[3389]]));
    expect(v.message).toContain(", including management port 3389 (RDP): ");
    const all = run(basicPipHost({ verified: true }));
    expect(all).toHaveLength(1);
    expect(all[0].message).toContain(
      ", including management port 22 (SSH), 445 (SMB), 3389 (RDP), 5985 (WinRM/PowerShell remoting (HTTP)), 5986 (WinRM/PowerShell remoting (HTTPS)): ",
    );
  });

  it("allowedPublicPorts narrows what is allowed", () => {
    expect(run(verifiedLb([[443], [25]]), { allowedPublicPorts: ["443/tcp"] }).map((v) => v.message)).toEqual([
      expect.stringContaining("beyond the client ports (443/tcp): "),
    ]);
  });

  it("an undecidable path counts as all ports", () => {
    const e = new Estate();
    const vm = e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("remediated"),
      networkProfile: { networkInterfaces: UNKNOWN },
      storageProfile: {
        imageReference: { publisher: "MicrosoftWindowsServer", offer: "WindowsServer", sku: "2022", version: "latest" },
        osDisk: { createOption: "FromImage" },
      },
    });
    e.assessment("a1", vm, cleanData());
    const a = analyse(e.resources);
    expect(a.verified(a.hosts[0])).toBe(true);
    const vs = verifiedExposesOnlyClientPorts.evaluate(a, {});
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toBe(
      "verified host ex01: the ports reachable via unreadable attachment cannot be decided (the network interfaces of VM ex01 are unknown at preview and no dependency names them), so they count as all ports. Fix: make the path readable or remove it.",
    );
  });

  it("unverified hosts are not this policy's business; trusted sources are not the internet", () => {
    expect(run(basicPipHost())).toEqual([]);
    const nsg = (e: Estate) => e.nsg("nsg", [rule({ name: "office", priority: 100, source: "203.0.113.0/24", port: "3389", protocol: "Tcp" })]);
    expect(run(basicPipHost({ verified: true, nsg }))).toHaveLength(1);
    expect(run(basicPipHost({ verified: true, nsg }), { trustedSourcePrefixes: ["203.0.113.0/24"] })).toEqual([]);
  });

  it("config errors: prefixes and ports", () => {
    expect(verifiedExposesOnlyClientPorts.configErrors!({ trustedSourcePrefixes: ["x"], allowedPublicPorts: ["3389/tcp"] })).toEqual([
      'trustedSourcePrefixes: "x" is not an IP address or CIDR prefix',
      expect.stringContaining("3389 (RDP)"),
    ]);
    expect(verifiedExposesOnlyClientPorts.configErrors!({})).toEqual([]);
  });
});

describe("exchange-unverified-isolated", () => {
  const run = (e: Estate, config: Record<string, unknown> = {}) => unverifiedIsolated.evaluate(analyse(e.resources), config);
  const isolation = (e: Estate, extra: Array<Record<string, unknown>> = []) =>
    e.nsg("nsg-iso", [
      rule({ name: "allow-forensics", priority: 100, source: "10.99.0.0/24", port: "3389", protocol: "Tcp" }),
      rule({ name: "deny-all-in", priority: 200, access: "Deny", source: "*" }),
      ...extra,
    ]);

  function host(state: string | Record<string, string>, nsg?: (e: Estate) => Res): Estate {
    const e = new Estate();
    const { sub } = baseNet(e);
    const tags = typeof state === "string" ? HOST_TAGS(state) : state;
    exHost(e, { nics: [hostNic(e, sub, { tags, ...(nsg ? { nsg: nsg(e) } : {}) })], tags });
    return e;
  }

  it("isolated: nothing", () => {
    expect(
      run(
        host("unverified", (e) => isolation(e)),
        { forensicsSourcePrefixes: ["10.99.0.0/24"] },
      ),
    ).toEqual([]);
  });

  it("the forensics allow counts only when configured", () => {
    const [v] = run(host("unverified", (e) => isolation(e)));
    expect(v.message).toMatch(
      /^host ex01 \(unverified\) is not isolated: nic-ex01\/ipconfig1 accepts inbound traffic from outside forensicsSourcePrefixes: .*allow-forensics.*\. Fix: allow only forensicsSourcePrefixes, then deny inbound from source \* above every other rule, in its NIC or subnet NSG\.$/,
    );
  });

  it("a compromised host that can reach the internet: the outbound message", () => {
    const vs = run(
      host("compromised", (e) => isolation(e)),
      { forensicsSourcePrefixes: ["10.99.0.0/24"] },
    );
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toMatch(
      /^host ex01 \(compromised\) is compromised and can still send to the internet: nic-ex01\/ipconfig1 outbound .*AllowInternetOutBound.*\. Fix: deny outbound to Internet \(and 0\.0\.0\.0\/0\) except forensicsDestinationPrefixes in its NIC or subnet NSG\.$/,
    );
  });

  it("a host whose state tag cannot be read is held to the outbound rule too", () => {
    const vs = run(
      host({ workload: "exchange", "remediation-state": UNKNOWN }, (e) => isolation(e)),
      { forensicsSourcePrefixes: ["10.99.0.0/24"] },
    );
    expect(vs.map((v) => v.message)).toEqual([
      expect.stringContaining(
        "(of unknown state (its remediation-state tag is unknown at preview)) is compromised and can still send to the internet",
      ),
    ]);
  });

  it("an unverified host is not held to the outbound rule", () => {
    expect(
      run(
        host("unverified", (e) => isolation(e)),
        { forensicsSourcePrefixes: ["10.99.0.0/24"] },
      ),
    ).toEqual([]);
  });

  it("a compromised host with an outbound deny except forensics destinations: isolated", () => {
    const nsg = (e: Estate) =>
      isolation(e, [
        rule({ name: "allow-forensics-out", priority: 100, direction: "Outbound", destination: "10.99.1.0/24", source: "*" }),
        rule({ name: "deny-all-out", priority: 200, direction: "Outbound", access: "Deny", destination: "*", source: "*" }),
      ]);
    expect(run(host("compromised", nsg), { forensicsSourcePrefixes: ["10.99.0.0/24"], forensicsDestinationPrefixes: ["10.99.1.0/24"] })).toEqual([]);
  });

  it("verified hosts are not held to isolation", () => {
    const e = new Estate();
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { tags: HOST_TAGS("remediated") })], verified: true });
    expect(run(e)).toEqual([]);
  });

  it("a host whose network cannot be read: 'cannot be shown to be isolated'", () => {
    const e = new Estate();
    e.add("azure-native:compute:VirtualMachine", "ex01", {
      vmName: "ex01",
      tags: HOST_TAGS("unverified"),
      networkProfile: { networkInterfaces: UNKNOWN },
    });
    const vs = run(e);
    expect(vs.length).toBeGreaterThan(0);
    expect(vs[0].message).toMatch(
      /^host ex01 \(unverified\) cannot be shown to be isolated: .+\. Fix: make the host's NICs, subnet and NSGs readable in this stack\.$/,
    );
  });

  it("config errors for both prefix lists", () => {
    expect(unverifiedIsolated.configErrors!({ forensicsSourcePrefixes: ["a"], forensicsDestinationPrefixes: ["b", "10.0.0.0/8"] })).toEqual([
      'forensicsSourcePrefixes: "a" is not an IP address or CIDR prefix',
      'forensicsDestinationPrefixes: "b" is not an IP address or CIDR prefix',
    ]);
    expect(unverifiedIsolated.configErrors!({})).toEqual([]);
  });
});
