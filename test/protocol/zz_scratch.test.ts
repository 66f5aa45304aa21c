import * as path from "path";
import { PackSession } from "../../cli/engine/session";
import { Estate, HOST_TAGS, secret } from "../support/estate";
import { baseNet, hostNic, inlineVm } from "../support/networks";

const PACK = path.join(__dirname, "../../policies");
let s: PackSession;
beforeAll(async () => { s = await PackSession.start(PACK, `{"exchange-unverified-no-public-attachment": "remediate"}`); });
afterAll(async () => { await s?.stop(); });

it("remediate variants", async () => {
    const e = new Estate({ preview: false });
    const { sub } = baseNet(e);
    const n5 = hostNic(e, sub, { name: "n5", publicIp: e.publicIp("p5") });
    (n5.properties as any).ipConfigurations = secret((n5.properties as any).ipConfigurations);
    const n6 = hostNic(e, sub, { name: "n6", publicIp: e.publicIp("p6") });
    (n6.properties as any).ipConfigurations[0].privateIPAddress = secret("10.0.1.4");
    (n6.properties as any).ipConfigurations[0].publicIPAddress = { id: secret("/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/publicIPAddresses/p6") };
    const vm = inlineVm(e, "vm-inline", { subnet: sub, publicIp: { name: "pipcfg" }, tags: HOST_TAGS("unverified") });
    (vm.properties as any).networkProfile = secret((vm.properties as any).networkProfile);
    for (const r of [n5, n6, vm]) {
      console.log(r.name, JSON.stringify(await s.client.remediate(r)));
    }
});
