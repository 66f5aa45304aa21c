/**
 * API Management through the whole pack (https://learn.microsoft.com/azure/api-management/virtual-network-concepts):
 * a gateway in External VNet mode is reachable from the internet and forwards to its APIs' backends in the VNet, so an
 * API whose serviceUrl is a verified host's WinRM publishes a management port, and one reaching an unverified host
 * exposes it; in Internal mode (https://learn.microsoft.com/azure/api-management/api-management-using-with-internal-vnet)
 * it is no internet path unless a public front end sends to it.
 */
import { Estate, HOST_TAGS, rule } from "../support/estate";
import { apimApi, apimService, APIM_SUBNET } from "../support/apiManagement";
import { runStack } from "../support/judge";
import { appGateway, baseNet, exHost, hostNic, HOST_IP } from "../support/networks";
import { expectAboutHost, FORMS } from "../support/assertions";
import { CLIENT_PORTS, EXPOSED } from "../support/policyNames";

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
