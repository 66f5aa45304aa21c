import * as fs from "fs";
import * as path from "path";
import { Diagnostic } from "../../cli/engine/analyzerClient";
import { PackSession } from "../../cli/engine/session";
import { runOfflineStack } from "../../cli/preview/offlineStack";
import { listStacks, STACKS_DIR } from "../../stacks/config/stackFile";

const PACK = path.join(__dirname, "../../policies");
const FIXTURES = path.join(__dirname, "../fixtures/stacks");

let session: PackSession;
beforeAll(async () => {
  session = await PackSession.start(PACK);
});
afterAll(async () => {
  await session.stop();
});

async function judge(stack: string, dir: string, preview: boolean, policyConfig: string): Promise<{ diagnostics: Diagnostic[]; resources: number }> {
  await session.configure(policyConfig);
  const offline = await runOfflineStack(stack, { preview, stacksDir: dir });
  const diagnostics: Diagnostic[] = [];
  for (const r of offline.analyze) diagnostics.push(...(await session.client.analyze(r)).diagnostics);
  diagnostics.push(...(await session.client.analyzeStack(offline.analyzeStack)).diagnostics);
  return { diagnostics, resources: offline.registrations.length };
}

const bundled = listStacks();

describe.each(bundled)("bundled stack %s", (stack) => {
  it.each([true, false])("passes every policy (preview=%s)", async (preview) => {
    const config = fs.readFileSync(path.join(STACKS_DIR, "policy-config", `${stack}.json`), "utf8");
    const { diagnostics, resources } = await judge(stack, STACKS_DIR, preview, config);
    expect(resources).toBeGreaterThan(30);
    expect(diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.message)).toEqual([]);
  });
});

it("bundles the example and the four incident steps", () => {
  expect(bundled).toEqual(["example", "incident-1-isolated", "incident-2-compromised", "incident-3-rebuild", "incident-4-verified"]);
});

const BAD_POLICY_CONFIG = JSON.stringify({
  "exchange-remediated-requires-assessment": {
    asOf: "2026-11-26T12:00:00Z",
    approvedImages: ["MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition"],
  },
  "exchange-unverified-isolated": { forensicsSourcePrefixes: ["10.30.3.0/24", "10.30.4.0/26"], forensicsDestinationPrefixes: ["10.30.3.0/24"] },
});

const EXPOSED_AND_NOT_ISOLATED = ["exchange-unverified-isolated", "exchange-unverified-not-internet-exposed"];
const BAD: Record<string, string[]> = {
  "bad-stale-assessment": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-unpatched-build": ["exchange-build-patched", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-short-logs": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-missing-check": ["exchange-remediated-requires-assessment", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-unapproved-image": ["exchange-compromised-rebuilt-from-scratch", ...EXPOSED_AND_NOT_ISOLATED],
  "bad-public-forensics": ["exchange-unverified-isolated"],
  "bad-extra-client-port": ["exchange-verified-exposes-only-client-ports"],
};

it("has an expectation for every known-bad fixture", () => {
  expect(listStacks(FIXTURES).sort()).toEqual(Object.keys(BAD).sort());
});

describe.each(Object.entries(BAD))("known-bad %s", (stack, expected) => {
  it.each([true, false])("fails exactly the expected policies (preview=%s)", async (preview) => {
    const { diagnostics } = await judge(stack, FIXTURES, preview, BAD_POLICY_CONFIG);
    const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory");
    expect([...new Set(mandatory.map((d) => d.policyName))].sort()).toEqual([...expected].sort());
    for (const d of mandatory) expect(d.message).toMatch(/ex01/);
  });
});
