import * as compute from "@pulumi/azure-native/compute";
import { captureStack } from "../../cli/preview/captureStack";
import { evidenceGoneCall } from "../support/stackConfigs";
it("dumps", async () => {
  for (const preview of [true, false]) {
  await captureStack(async () => {
    try { const r = await compute.getSnapshot({ resourceGroupName: "rg", snapshotName: "x" }); console.log("resolved", preview, JSON.stringify(r)); }
    catch (e) { console.log("rejected", preview, String((e as Error)?.message ?? e), e); }
  }, { project: "p", stack: "s", preview, call: evidenceGoneCall });
  }
});
