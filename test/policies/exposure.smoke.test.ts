import { Estate, HOST_TAGS, rule } from "../support/estate";
import { runStack } from "../support/judge";

it("flags a public IP on an unverified host whose NSG allows 443 from the internet", () => {
  const e = new Estate();
  const vnet = e.vnet("vnet", ["10.0.0.0/16"]);
  const sub = e.subnet("snet", vnet, "10.0.1.0/24");
  const nsg = e.nsg("nsg-ex01", [rule({ name: "allow-https", priority: 100, source: "Internet", port: "443", protocol: "Tcp" })]);
  const pip = e.publicIp("pip-ex01");
  const nic = e.nic("nic-ex01", { subnet: sub, nsg, publicIp: pip, privateIp: "10.0.1.4", tags: HOST_TAGS("unverified") });
  e.vm("ex01", { nics: [nic], tags: HOST_TAGS("unverified") });
  const v = runStack("exchange-unverified-not-internet-exposed", e.resources);
  console.log(v.map((x) => x.message).join("\n"));
  expect(v).toHaveLength(1);
});
