/**
 * The shared capture (test/support/capturedStacks.ts) is what running the program gives, and a second worker reads it
 * from the run's folder instead of running the program again.
 */
import * as fs from "fs";
import { runOfflineStack } from "../../cli/preview/offlineStack";
import { capturedStack, runFolderFile } from "../support/capturedStacks";
import { FIXTURE_STACKS_DIR } from "../support/knownBad";

const STACK = "bad-short-logs";

it("equals a fresh run of the program, and is the same for every caller in a worker", async () => {
  const shared = await capturedStack(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR });
  expect(shared).toEqual(await runOfflineStack(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR }));
  expect(await capturedStack(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR })).toBe(shared);
  expect(await capturedStack(STACK, { preview: false, stacksDir: FIXTURE_STACKS_DIR })).not.toEqual(shared);
});

it("another worker reads the run's folder rather than running the program", async () => {
  expect(process.env.EXG_CAPTURE_CACHE).toBeDefined(); // made by the jest run's global setup
  await capturedStack(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR });
  await capturedStack(STACK, { preview: false, stacksDir: FIXTURE_STACKS_DIR });
  const mine = runFolderFile(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR })!;
  expect(fs.existsSync(mine)).toBe(true);
  // Marked on disk: a fresh module registry (as in another worker) must hand back the marked copy.
  const original = fs.readFileSync(mine, "utf8");
  fs.writeFileSync(mine, JSON.stringify({ ...JSON.parse(original), project: "read-from-the-run-folder" }));
  try {
    let other: typeof import("../support/capturedStacks") | undefined;
    jest.isolateModules(() => {
      other = require("../support/capturedStacks");
    });
    const pair = await Promise.all([
      other!.capturedStack(STACK, { preview: true, stacksDir: FIXTURE_STACKS_DIR }),
      other!.capturedStack(STACK, { preview: false, stacksDir: FIXTURE_STACKS_DIR }),
    ]);
    expect(pair.map((c) => c.project)).toEqual(["read-from-the-run-folder", "exchange-compromise-guard"]);
  } finally {
    fs.writeFileSync(mine, original);
  }
});
