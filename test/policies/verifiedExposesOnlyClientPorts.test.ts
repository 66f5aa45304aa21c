/**
 * exchange-verified-exposes-only-client-ports (rule: policies/rules/verifiedExposesOnlyClientPorts.ts; contract:
 * docs/contract.md#policies-and-enforcement): a verified host (tag remediated on VM and NIC, linked clean assessment, OS disk FromImage)
 * is reachable from the internet only on allowedPublicPorts (default 443/tcp, 25/tcp), never on management ports.
 */
import { cleanData, Estate, HOST_TAGS, rule, UNKNOWN } from "../support/estate";
import { analyse, runStack } from "../support/judge";
import { resolveClientPorts } from "../../policies/model/config";
import { appGateway, baseNet, basicPipHost, exHost, hostNic, LbRuleSpec, loadBalancer } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS } from "../support/policyNames";
import { verifiedExposesOnlyClientPorts } from "../../policies/rules/verifiedExposesOnlyClientPorts";

const GATE_POLICIES = ["exchange-remediated-requires-assessment", "exchange-build-patched", "exchange-compromised-rebuilt-from-scratch"];

const lbRule = (port: number): LbRuleSpec => ({
  name: `rule-${port}`,
  frontend: "fe-public",
  pool: "pool-ex",
  frontendPort: port,
  backendPort: port,
});

/** A verified ex01 behind a public Standard LB with the given rules; its NSG allows 443, 25 and 3389 from Internet. */
function verifiedBehindLb(preview: boolean, ports: number[]) {
  const e = new Estate({ preview });
  const { sub } = baseNet(e);
  const lb = loadBalancer(e, "lb-ex", {
    frontends: [{ name: "fe-public", publicIp: e.publicIp("pip-lb") }],
    pools: [{ name: "pool-ex" }],
    rules: ports.map(lbRule),
  });
  const nsg = e.nsg("nsg-ex01", [
    rule({ name: "allow-client-and-rdp", priority: 100, source: "Internet", ports: ["443", "25", "3389"], protocol: "Tcp" }),
  ]);
  const nic = hostNic(e, sub, { nsg, lbPools: [[lb, "pool-ex"]], tags: HOST_TAGS("remediated") });
  const vm = exHost(e, { nics: [nic], verified: true });
  return { e, vm };
}

describe.each(FORMS)("client ports (%s form)", (_form, preview) => {
  it("the fixture host is verified: the gate policies find nothing and the unverified-exposure policy ignores it", () => {
    const { e } = verifiedBehindLb(preview, [443, 25, 3389]);
    for (const p of GATE_POLICIES) expect(runStack(p, e.resources)).toEqual([]);
    expect(runStack("exchange-unverified-not-internet-exposed", e.resources)).toEqual([]);
  });

  it("LB rules 443 and 25 only: no violation (the NSG's 3389 allow is unreachable without a path)", () => {
    const { e } = verifiedBehindLb(preview, [443, 25]);
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
  });

  it("adding an LB rule for 3389: a violation naming 3389 (RDP)", () => {
    const { e, vm } = verifiedBehindLb(preview, [443, 25, 3389]);
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "3389 (RDP)", "rule-3389", "load balancer lb-ex");
    expect(v[0].message).toMatch(/^verified host ex01/);
  });

  it("allowedPublicPorts [443/tcp]: 25 is flagged, not 443", () => {
    const { e, vm } = verifiedBehindLb(preview, [443, 25]);
    const v = runStack(CLIENT_PORTS, e.resources, { allowedPublicPorts: ["443/tcp"] });
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "rule-25", "TCP 25", "443/tcp");
    expect(v[0].message).not.toContain("management port");
  });

  it("a verified host with a Basic public IP and no NSG is open on every port, management ports included", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01", "Basic"), tags: HOST_TAGS("remediated") });
    const vm = exHost(e, { nics: [nic], verified: true });
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v).toHaveLength(1);
    expectAboutHost(v, vm, "pip-ex01", "3389 (RDP)", "22 (SSH)", "445 (SMB)");
  });

  it("a verified host published on 443 through an L4-only Application Gateway: no violation", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
    const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: e.publicIp("pip-agw"), l4: { port: 443 } });
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), agwPools: [[agw, "pool"]], tags: HOST_TAGS("remediated") });
    exHost(e, { nics: [nic], verified: true });
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
  });

  it("a verified host published on 3389 through an L4 Application Gateway: flagged as RDP", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const gwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
    const agw = appGateway(e, "agw-ex", { gwSubnet: gwSub, publicIp: e.publicIp("pip-agw"), l4: { port: 3389 } });
    const nic = hostNic(e, sub, { nsg: e.nsg("nsg-ex01", []), agwPools: [[agw, "pool"]], tags: HOST_TAGS("remediated") });
    const vm = exHost(e, { nics: [nic], verified: true });
    const v = runStack(CLIENT_PORTS, e.resources);
    expect(v.length).toBeGreaterThanOrEqual(1);
    expectAboutHost(v, vm);
    expect(v.some((x) => x.message.includes("3389 (RDP)") && x.message.includes("listener-tcp"))).toBe(true);
  });

  it("the policy ignores hosts that are not verified (that is the other policy's job)", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    const nic = hostNic(e, sub, { publicIp: e.publicIp("pip-ex01", "Basic") });
    exHost(e, { nics: [nic] });
    expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
  });
});

describe("allowedPublicPorts config", () => {
  it("3389/tcp is a config error naming RDP", () => {
    const r = resolveClientPorts({ allowedPublicPorts: ["3389/tcp"] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toContain("3389");
    expect(r.errors[0]).toContain("RDP");
    expect(r.ports).toHaveLength(0);
  });

  it("a range hiding a management port (5900-6000 is fine, 5980-5990 is not)", () => {
    expect(resolveClientPorts({ allowedPublicPorts: ["5900-5984/tcp"] }).errors).toEqual([]);
    const r = resolveClientPorts({ allowedPublicPorts: ["5980-5990/tcp"] });
    expect(r.errors.join(" ")).toMatch(/5985/);
  });

  it("defaults are 443/tcp and 25/tcp", () => {
    const r = resolveClientPorts({});
    expect(r.errors).toEqual([]);
    expect(r.ports.map((p) => p.text)).toEqual(["443/tcp", "25/tcp"]);
  });

  it("a malformed entry is an error", () => {
    expect(resolveClientPorts({ allowedPublicPorts: ["https"] }).errors).toHaveLength(1);
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
