import { ALL_PORTS, portRange, Proto } from "../../../policies/model/flows";
import { parseAddressPrefix } from "../../../policies/model/addresses";
import { Estate, HOST_TAGS, Res, rule, UNKNOWN } from "../../support/estate";
import { APIM_SUBNET, apimApi, apimBackend, apimPolicy, apimService, setBackend } from "../../support/apiManagement";
import { genericWrite } from "../../support/genericWrites";
import { appGateway, baseNet, exHost, firewall, HOST_IP, hostNic } from "../../support/networks";
import { openNsg, openRoutes, routesOfKind, service } from "./fixture";
import { expectAboutHost, FORMS } from "../../support/assertions";
import { runStack } from "../../support/judge";
import { CLIENT_PORTS, EXPOSED } from "../../support/policyNames";

const WSMAN = `http://${HOST_IP}:5985/wsman`;

/** ex01 (NIC NSG allowing everything), the VNet's APIM subnet, and an APIM service in `mode` there. */
/** `mode` null leaves virtualNetworkType out (ARM's default, None). */
function estate(
  preview: boolean,
  mode: unknown = "External",
  o: Parameters<typeof apimService>[2] = {},
): { e: Estate; apim: Res; vnet: Res; apimSub: Res } {
  const e = new Estate({ preview });
  const { vnet, sub } = baseNet(e);
  const apimSub = e.subnet("snet-apim", vnet, APIM_SUBNET);
  exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e), tags: HOST_TAGS("unverified") })] });
  const apim = apimService(e, "apim-1", { mode: mode === null ? undefined : mode, subnet: apimSub, ...o });
  return { e, apim, vnet, apimSub };
}

const hopsOf = (e: Estate) => routesOfKind(e, "API Management").map((r) => r.hops);

describe.each(FORMS)("API Management paths (%s form)", (_form, preview) => {
  it("External VNet mode, an API whose serviceUrl is the host's WinRM: a path on TCP 5985 from the APIM subnet", () => {
    const { e, apim } = estate(preview);
    apimApi(e, apim, "wsman", WSMAN);
    const [r] = routesOfKind(e, "API Management");
    expect(r.hops).toEqual(["API Management apim-1 (External VNet)", `API wsman serviceUrl ${WSMAN}`, "NIC nic-ex01/ipconfig1"]);
    expect(r.direct).toBe(false);
    expect(r.query).toEqual({ addrs: parseAddressPrefix(APIM_SUBNET), ports: portRange(5985, 5985), protos: Proto.TCP });
    expect(r.sourceLabel).toBe("API Management apim-1 (subnet snet-apim)");
    expect(service(openRoutes([r])[0])).toBe("TCP 5985");
  });

  it("the port comes from the URL: explicit, else 80 for http/ws and 443 for https/wss; an unknown scheme is any port", () => {
    const { e, apim } = estate(preview);
    apimApi(e, apim, "a", `https://${HOST_IP}/owa`);
    apimApi(e, apim, "b", `http://${HOST_IP}`);
    apimApi(e, apim, "c", `wss://${HOST_IP}/ws`);
    apimApi(e, apim, "d", `https://${HOST_IP}:8443/`);
    apimApi(e, apim, "e", `ftp://${HOST_IP}/`);
    expect(routesOfKind(e, "API Management").map((r) => service(r))).toEqual(["TCP 443", "TCP 80", "TCP 443", "TCP 8443", "TCP all ports"]);
  });

  it("the host's NSGs are evaluated with the APIM subnet as the source: a deny of it closes the path, a deny of Internet does not", () => {
    for (const [source, open] of [
      ["Internet", true],
      [APIM_SUBNET, false],
    ] as const) {
      const e = new Estate({ preview });
      const { vnet, sub } = baseNet(e);
      const apimSub = e.subnet("snet-apim", vnet, APIM_SUBNET);
      const nsg = e.nsg("nsg-ex01", [
        rule({ name: "deny", priority: 100, access: "Deny", source }),
        rule({ name: "allow-all", priority: 200, source: "*" }),
      ]);
      exHost(e, { nics: [hostNic(e, sub, { nsg })] });
      apimApi(e, apimService(e, "apim-1", { mode: "External", subnet: apimSub }), "wsman", WSMAN);
      expect(openRoutes(routesOfKind(e, "API Management")).length > 0).toBe(open);
    }
  });

  it("matches the exact address only: 10.0.1.40 is another host", () => {
    const { e, apim } = estate(preview);
    apimApi(e, apim, "wsman", "http://10.0.1.40:5985/wsman");
    expect(hopsOf(e)).toEqual([]);
  });

  it("a URL is shown without its user information or query string (they may carry credentials or keys)", () => {
    const { e, apim } = estate(preview);
    apimApi(e, apim, "wsman", `http://admin:Pa55w0rd@${HOST_IP}:5985/wsman?sig=abc123#frag`);
    const [hops] = hopsOf(e);
    expect(hops[1]).toBe(`API wsman serviceUrl http://${HOST_IP}:5985/wsman`);
  });

  it("a backend url and a policy's set-backend-service base-url are targets too", () => {
    const { e, apim } = estate(preview);
    apimBackend(e, apim, "ex01-owa", `https://${HOST_IP}/owa`);
    apimPolicy(e, apim, setBackend(`http://${HOST_IP}:5986/`), { apiId: "echo" });
    expect(hopsOf(e).map((h) => h[1])).toEqual([
      `backend ex01-owa url https://${HOST_IP}/owa`,
      `policy of API echo set-backend-service base-url http://${HOST_IP}:5986/`,
    ]);
  });

  it("other URLs in a policy count only where they name a host: an openid-config endpoint is no path, a host address is", () => {
    const { e, apim } = estate(preview);
    apimPolicy(
      e,
      apim,
      `<policies><inbound><validate-jwt header-name="Authorization"><openid-config url="https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration" /></validate-jwt></inbound></policies>`,
    );
    expect(hopsOf(e)).toEqual([]);
    apimPolicy(e, apim, `<policies><inbound><set-header name="X-Upstream"><value>http://${HOST_IP}:5985</value></set-header></inbound></policies>`, {
      apiId: "x",
    });
    expect(hopsOf(e).map((h) => h[1])).toEqual([`policy of API x URL http://${HOST_IP}:5985`]);
  });

  it("send-request's set-url: literal, a path; computed, anywhere", () => {
    const { e, apim } = estate(preview);
    apimPolicy(
      e,
      apim,
      `<policies><inbound><send-request mode="new" response-variable-name="r"><set-url>http://${HOST_IP}:5986/wsman</set-url></send-request><send-request mode="new" response-variable-name="s"><set-url>{{upstream}}</set-url></send-request></inbound></policies>`,
    );
    expect(hopsOf(e).map((h) => h[1])).toEqual([
      `global policy send-request set-url http://${HOST_IP}:5986/wsman`,
      "global policy send-request set-url {{upstream}} (global policy send-request set-url {{upstream}} is computed at run time, so it may name any host)",
    ]);
  });

  it("a DNS name of the stack's Private DNS resolves to the host", () => {
    const { e, apim } = estate(preview);
    e.add("azure-native:privatedns:PrivateRecordSet", "rs", {
      privateZoneName: "corp.example",
      relativeRecordSetName: "ex01",
      recordType: "A",
      resourceGroupName: e.rg,
      aRecords: [{ ipv4Address: HOST_IP }],
    });
    apimApi(e, apim, "owa", "https://ex01.corp.example/owa");
    expect(hopsOf(e)[0][1]).toBe("API owa serviceUrl https://ex01.corp.example/owa (the Private DNS record ex01.corp.example)");
  });

  it("what cannot be resolved fails closed, saying why: an unknown URL, a name no DNS of the stack answers, a policy expression, a linked policy", () => {
    const { e, apim } = estate(preview);
    apimApi(e, apim, "a", UNKNOWN);
    apimPolicy(
      e,
      apim,
      `<policies><inbound><set-backend-service base-url="@(context.Variables.GetValueOrDefault<string>(&quot;b&quot;))" /></inbound></policies>`,
      {
        name: "pol-expr",
      },
    );
    apimPolicy(e, apim, "https://policies.corp.example/p.xml", { format: "rawxml-link", apiId: "c", name: "pol-link" });
    apimApi(e, apim, "d", "https://backend.unknown.example/");
    const rs = routesOfKind(e, "API Management");
    const expr = "@(context.Variables.GetValueOrDefault<string>(&quot;b&quot;))";
    expect(rs.map((r) => r.hops[1])).toEqual([
      "API a serviceUrl (API a serviceUrl is unknown at preview, so it may name any host)",
      "API d serviceUrl https://backend.unknown.example/ (the pack cannot resolve backend.unknown.example (no Private DNS record or host name in this stack matches it), so it may point at any host)",
      `global policy set-backend-service base-url ${expr} (global policy set-backend-service base-url ${expr} is computed at run time, so it may name any host)`,
      "policy of API c (the policy document is fetched from a link (rawxml-link), so it may name any host)",
    ]);
    // A name the pack cannot resolve still says its port; the rest may lead anywhere on any port.
    expect(rs.map((r) => r.query.ports)).toEqual([ALL_PORTS, portRange(443, 443), ALL_PORTS, ALL_PORTS]);
  });

  it("Internal mode, or public network access disabled: no internet path of its own", () => {
    for (const o of [{ mode: "Internal" }, { mode: "External", publicNetworkAccess: "Disabled" }]) {
      const { e, apim } = estate(preview, o.mode, { publicNetworkAccess: o.publicNetworkAccess });
      apimApi(e, apim, "wsman", WSMAN);
      expect(hopsOf(e)).toEqual([]);
    }
  });

  it("Internal mode behind a public Application Gateway whose backend is the gateway's address: the path goes through both", () => {
    const { e, apim, vnet } = estate(preview, "Internal", { privateIPAddresses: ["10.0.5.4"] });
    apimApi(e, apim, "wsman", WSMAN);
    const agwSub = e.subnet("snet-agw", vnet, "10.0.3.0/24");
    appGateway(e, "agw-1", { gwSubnet: agwSub, publicIp: e.publicIp("pip-agw"), backends: [{ ipAddress: "10.0.5.4" }], l7: { port: 443 } });
    expect(hopsOf(e)).toEqual([
      [
        "public application gateway agw-1 L7 listener listener-https → backend 10.0.5.4",
        "API Management apim-1 (Internal VNet, private gateway)",
        `API wsman serviceUrl ${WSMAN}`,
        "NIC nic-ex01/ipconfig1",
      ],
    ]);
  });

  it("Internal mode whose address is not known yet: a front end to anything in its subnet may be it; a Firewall DNAT to it counts too", () => {
    const { e, apim, vnet } = estate(preview, "Internal");
    apimApi(e, apim, "wsman", WSMAN);
    const fwSub = e.subnet("AzureFirewallSubnet", vnet, "10.0.6.0/26");
    firewall(e, "fw-1", {
      subnet: fwSub,
      publicIp: e.publicIp("pip-fw"),
      dnat: [{ name: "to-apim", destinationPorts: ["443"], translatedAddress: "10.0.5.9", translatedPort: "443" }],
    });
    expect(hopsOf(e).map((h) => h[0])).toEqual(["firewall fw-1 NAT collection dnat-collection rule to-apim → its translated address"]);
  });

  it("no VNet (None, the default): it reaches public backends only, never a host's private address", () => {
    for (const mode of ["None", null]) {
      const { e, apim } = estate(preview, mode);
      apimApi(e, apim, "wsman", WSMAN);
      expect(hopsOf(e)).toEqual([]);
    }
  });

  it("a VNet mode unknown at preview may be External", () => {
    const { e, apim } = estate(preview, UNKNOWN);
    apimApi(e, apim, "wsman", WSMAN);
    expect(hopsOf(e)[0][0]).toBe("API Management apim-1 (VNet mode unknown at preview)");
  });

  it("an API of a service outside the stack: its mode is unknown, so it may be a public gateway in a VNet that reaches the host", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    e.add("azure-native:apimanagement:Api", "api-wsman", {
      serviceName: "corp-apim",
      resourceGroupName: "rg-shared",
      apiId: "wsman",
      path: "wsman",
      serviceUrl: WSMAN,
    });
    expect(hopsOf(e)[0].slice(0, 2)).toEqual([
      "API Management corp-apim (a service outside this stack, VNet mode unknown)",
      `API wsman serviceUrl ${WSMAN}`,
    ]);
  });

  it("a gateway in a VNet not peered with the host's reaches another network with the same space", () => {
    const e = new Estate({ preview });
    const { sub } = baseNet(e);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const other = e.vnet("vnet-other", ["10.0.0.0/16"]);
    const apim = apimService(e, "apim-1", { mode: "External", subnet: e.subnet("snet-apim", other, APIM_SUBNET) });
    apimApi(e, apim, "wsman", WSMAN);
    expect(hopsOf(e)).toEqual([]);
  });

  it("written through generic ARM writes (service, API), the path is the same", () => {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const apimSub = e.subnet("snet-apim", vnet, APIM_SUBNET);
    exHost(e, { nics: [hostNic(e, sub, { nsg: openNsg(e) })] });
    const svc = genericWrite(e, "apim-generic", {
      namespace: "Microsoft.ApiManagement",
      type: "service",
      resourceName: "apim-1",
      properties: {
        virtualNetworkType: "External",
        virtualNetworkConfiguration: { subnetResourceId: e.ref(apimSub).id },
        publisherEmail: "a@b.c",
        publisherName: "x",
      },
      extra: { sku: { name: "Developer", capacity: 1 } },
      deps: { properties: [apimSub] },
    });
    genericWrite(e, "api-generic", {
      namespace: "Microsoft.ApiManagement",
      parentPath: "service/apim-1",
      type: "apis",
      resourceName: "wsman",
      properties: { path: "wsman", serviceUrl: WSMAN },
      deps: { parentResourcePath: [svc] },
    });
    expect(hopsOf(e)).toEqual([["API Management apim-1 (External VNet)", `API wsman serviceUrl ${WSMAN}`, "NIC nic-ex01/ipconfig1"]]);
  });
});

/**
 * API Management through the whole pack (https://learn.microsoft.com/azure/api-management/virtual-network-concepts):
 * a gateway in External VNet mode is reachable from the internet and forwards to its APIs' backends in the VNet, so an
 * API whose serviceUrl is a verified host's WinRM publishes a management port, and one reaching an unverified host
 * exposes it; in Internal mode (https://learn.microsoft.com/azure/api-management/api-management-using-with-internal-vnet)
 * it is no internet path unless a public front end sends to it.
 */
describe("API Management through the whole pack", () => {
  /** ex01 (verified or not) whose NSG allows the VNet in (the APIM subnet included), and API Management apim-1 in `mode`. */
  function estate(preview: boolean, o: { verified?: boolean; mode?: string; nsgDenies?: string } = {}) {
    const e = new Estate({ preview });
    const { vnet, sub } = baseNet(e);
    const apimSub = e.subnet("snet-apim", vnet, APIM_SUBNET);
    const rules = [
      rule({ name: "allow-vnet", priority: 200, source: "VirtualNetwork" }),
      rule({ name: "deny-all", priority: 4000, access: "Deny", source: "*" }),
    ];
    if (o.nsgDenies) rules.unshift(rule({ name: "deny-apim", priority: 100, access: "Deny", source: o.nsgDenies }));
    const nsg = e.nsg("nsg-ex01", rules);
    const vm = exHost(e, { nics: [hostNic(e, sub, { nsg, tags: HOST_TAGS(o.verified ? "remediated" : "unverified") })], verified: o.verified });
    const apim = apimService(e, "apim-1", {
      mode: o.mode ?? "External",
      subnet: apimSub,
      privateIPAddresses: o.mode === "Internal" ? ["10.0.5.4"] : undefined,
    });
    return { e, vm, apim, vnet };
  }

  describe.each(FORMS)("API Management (%s form)", (_form, preview) => {
    it("a verified host's WinRM published through an API of an External gateway: a management port reachable from the internet", () => {
      const { e, vm, apim } = estate(preview, { verified: true });
      expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
      apimApi(e, apim, "wsman", `http://${HOST_IP}:5985/wsman`);
      const v = runStack(CLIENT_PORTS, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(
        v,
        vm,
        "including management port 5985 (WinRM/PowerShell remoting (HTTP))",
        `API Management apim-1 (External VNet) → API wsman serviceUrl http://${HOST_IP}:5985/wsman → NIC nic-ex01/ipconfig1`,
      );
    });

    it("a verified host's OWA on 443 through the gateway is a client port: no violation", () => {
      const { e, apim } = estate(preview, { verified: true });
      apimApi(e, apim, "owa", `https://${HOST_IP}/owa`);
      expect(runStack(CLIENT_PORTS, e.resources)).toEqual([]);
    });

    it("an unverified host reached at all is exposed; the message shows the hops and says the NSGs see the APIM subnet", () => {
      const { e, vm, apim } = estate(preview);
      apimApi(e, apim, "owa", `https://${HOST_IP}/owa`);
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(v, vm, "via API Management", "TCP 443", "the NSGs see API Management apim-1 (subnet snet-apim) as the source");
    });

    it("the host's NSG denying the APIM subnet closes the path", () => {
      const { e, apim } = estate(preview, { nsgDenies: APIM_SUBNET });
      apimApi(e, apim, "owa", `https://${HOST_IP}/owa`);
      expect(runStack(EXPOSED, e.resources)).toEqual([]);
    });

    it("Internal mode: no path until a public Application Gateway sends to the gateway's address", () => {
      const { e, vm, apim, vnet } = estate(preview, { mode: "Internal" });
      apimApi(e, apim, "owa", `https://${HOST_IP}/owa`);
      expect(runStack(EXPOSED, e.resources)).toEqual([]);
      appGateway(e, "agw-1", {
        gwSubnet: e.subnet("snet-agw", vnet, "10.0.3.0/24"),
        publicIp: e.publicIp("pip-agw"),
        backends: [{ ipAddress: "10.0.5.4" }],
        l7: { port: 443 },
      });
      const v = runStack(EXPOSED, e.resources);
      expect(v).toHaveLength(1);
      expectAboutHost(
        v,
        vm,
        "public application gateway agw-1 L7 listener listener-https → backend 10.0.5.4 → API Management apim-1 (Internal VNet, private gateway)",
      );
    });
  });
});
