import * as fs from "fs";
import * as path from "path";
import { Diagnostic } from "../../cli/packDriver/analyzerClient";
import { PackSession } from "../../cli/packDriver/session";
import { listStacks, STACKS_DIR } from "../../stacks/config/stackFile";
import { capturedStack } from "../support/capturedStacks";
import { FIXTURE_STACKS_DIR, KNOWN_BAD, KNOWN_BAD_POLICY_CONFIG } from "../support/knownBad";
import { CONTROL_PLANE } from "../support/policyNames";

const PACK = path.join(__dirname, "../../policies");

let session: PackSession;
beforeAll(async () => {
  session = await PackSession.start(PACK);
});
afterAll(async () => {
  await session.stop();
});

async function judge(stack: string, dir: string, preview: boolean, policyConfig: string): Promise<{ diagnostics: Diagnostic[]; resources: number }> {
  await session.configure(policyConfig);
  const offline = await capturedStack(stack, { preview, stacksDir: dir });
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
    // The advisory control-plane policy too: every fleet assigns the no-public-IP built-in and locks its evidence.
    expect(diagnostics.filter((d) => d.policyName === CONTROL_PLANE).map((d) => d.message)).toEqual([]);
  });
});

it("bundles the example and the four incident steps", () => {
  expect(bundled).toEqual(["example", "incident-1-isolated", "incident-2-compromised", "incident-3-rebuild", "incident-4-verified"]);
});

it("has an expectation for every known-bad fixture", () => {
  expect(listStacks(FIXTURE_STACKS_DIR).sort()).toEqual(Object.keys(KNOWN_BAD).sort());
});

// A known-bad stack is stopped at `pulumi preview`, so the preview form is the one that matters; the real CLI runs the
// same table in test/engine.
describe.each(Object.entries(KNOWN_BAD))("known-bad %s", (stack, expected) => {
  it("fails exactly the expected policies at preview", async () => {
    const { diagnostics } = await judge(stack, FIXTURE_STACKS_DIR, true, fs.readFileSync(KNOWN_BAD_POLICY_CONFIG, "utf8"));
    const mandatory = diagnostics.filter((d) => d.enforcementLevel === "mandatory");
    expect([...new Set(mandatory.map((d) => d.policyName))].sort()).toEqual([...expected].sort());
    for (const d of mandatory) expect(d.message).toMatch(/ex01/);
    // Whatever else is wrong with it, the program still guards the control plane.
    expect(diagnostics.filter((d) => d.policyName === CONTROL_PLANE).map((d) => d.message)).toEqual([]);
  });
});
