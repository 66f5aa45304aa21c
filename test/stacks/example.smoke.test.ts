import * as fs from "fs";
import * as path from "path";
import { captureStack, toEngineResources } from "../../cli/preview/captureStack";
import { parseFleetConfig, planFleet } from "../../stacks/config/fleetConfig";
import { readStackConfig } from "../../stacks/config/stackFile";
import { deployFleet } from "../../stacks/fleet";
import { analyse } from "../support/judge";

it("runs the example stack under mocks", async () => {
  const config = parseFleetConfig(readStackConfig("example"));
  const plan = planFleet(config, (f) => fs.readFileSync(path.join(__dirname, "../../stacks/records", f), "utf8"), new Date());
  const regs = await captureStack(() => deployFleet(config, plan, "example"), {
    project: "exchange-compromise-guard",
    stack: "example",
    preview: true,
    call: (a) => (a.token.endsWith("getClientConfig") ? { subscriptionId: "00000000-0000-0000-0000-00000000abcd", tenantId: "t", clientId: "c", objectId: "o" } : {}),
  });
  console.log(regs.length, regs.map((r) => `${r.type} ${r.name}`).join("\n"));
  const { analyzeStack } = toEngineResources(regs, true);
  const a = analyse(analyzeStack, { asOf: "2026-11-26T12:00:00Z" }, new Date("2026-11-26T12:00:00Z"));
  for (const h of a.hosts) console.log(h.name, h.state, a.gateOf(h).verified, a.gateOf(h).requiresAssessment, a.gateOf(h).rebuiltFromScratch);
});

import { runPolicyPack } from "../../cli/engine/session";
it("passes the pack", async () => {
  const config = parseFleetConfig(readStackConfig("example"));
  const plan = planFleet(config, (f) => fs.readFileSync(path.join(__dirname, "../../stacks/records", f), "utf8"), new Date());
  const regs = await captureStack(() => deployFleet(config, plan, "example"), {
    project: "exchange-compromise-guard",
    stack: "example",
    preview: true,
    call: (a) => (a.token.endsWith("getClientConfig") ? { subscriptionId: "00000000-0000-0000-0000-00000000abcd", tenantId: "t", clientId: "c", objectId: "o" } : {}),
  });
  const { analyze, analyzeStack } = toEngineResources(regs, true);
  const r = await runPolicyPack({
    packDir: path.join(__dirname, "../../policies"),
    dryRun: true,
    analyze,
    analyzeStack,
    policyPackConfig: JSON.stringify({
      "exchange-remediated-requires-assessment": { asOf: "2026-11-26T12:00:00Z" },
      "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.20.3.0/24", "10.20.4.0/26"], forensicsDestinationPrefixes: ["10.20.3.0/24"] },
    }),
  });
  for (const d of [...r.resourceDiagnostics, ...r.stackDiagnostics]) console.log(d.enforcementLevel, d.policyName, d.urn, d.message);
  console.log(r.timings);
});
