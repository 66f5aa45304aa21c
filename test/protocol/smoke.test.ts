import * as path from "path";
import { runPolicyPack } from "../../cli/packDriver/session";
import { RULES } from "../../policies/rules";

const PACK = path.join(__dirname, "../../policies");

it("starts and describes itself", async () => {
  const r = await runPolicyPack({ packDir: PACK, dryRun: true, analyze: [], analyzeStack: [] });
  console.log(
    r.info.name,
    r.info.policies.map((p) => `${p.name}:${p.enforcementLevel}`),
    r.timings,
  );
  expect(r.info.policies).toHaveLength(RULES.length);
});
