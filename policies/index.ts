import { PolicyPack } from "@pulumi/policy";
import { installConfigCapture } from "./engine/configCapture";
import { installSecretTracking } from "./engine/secretTracking";
import { toPulumiPolicy } from "./engine/toPulumi";
import { registerPackPolicies } from "./engine/wholeConfig";
import { RULES } from "./rules";

installSecretTracking();
installConfigCapture();
registerPackPolicies(RULES);

new PolicyPack("exchange-compromise-guard", {
  description:
    "Exchange Server VMs on Azure after a compromise: unverified hosts stay isolated and off the internet until a clean, recent assessment of a patched build proves them safe.",
  enforcementLevel: "mandatory",
  policies: RULES.map(toPulumiPolicy),
});
