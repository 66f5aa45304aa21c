/**
 * A stack's offline capture (its program run under the mock runtime, `runOfflineStack`), made once per jest run and
 * shared by every layer that judges the same stack: the bundled-stack suite, the CLI's in-process runs and the engine
 * suite's comparison with a real preview. Within a worker it is memoised; across workers it goes through the run's
 * folder (EXG_CAPTURE_CACHE, made by test/support/captureCache.setup.js). Without that folder it is only memoised.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { OfflineStack, runOfflineStack } from "../../cli/preview/offlineStack";
import { STACKS_DIR } from "../../stacks/config/stackFile";

type CaptureOptions = Parameters<typeof runOfflineStack>[1];

const memo = new Map<string, Promise<OfflineStack>>();

/**
 * The capture of `stack` as `runOfflineStack` makes it; the same object for the same stack, folder and form. An edit of
 * the stack file (`configText`, as `host remediate` checks one) is not the stack's capture: it runs afresh.
 */
export function capturedStack(stack: string, opts: CaptureOptions): Promise<OfflineStack> {
  if (opts.configText !== undefined) return runOfflineStack(stack, opts);
  const key = keyOf(stack, opts);
  let capture = memo.get(key);
  if (!capture) {
    capture = fromRunFolder(key) ?? runOfflineStack(stack, opts).then((c) => toRunFolder(key, c));
    // A failed capture is not kept: the next caller sees the error afresh.
    capture.catch(() => memo.delete(key));
    memo.set(key, capture);
  }
  return capture;
}

function keyOf(stack: string, opts: CaptureOptions): string {
  return JSON.stringify([path.resolve(opts.stacksDir ?? STACKS_DIR), stack, opts.preview]);
}

/** Where the run keeps the capture of `stack` (undefined outside a jest run with the shared folder). */
export function runFolderFile(stack: string, opts: CaptureOptions): string | undefined {
  return fileOf(keyOf(stack, opts));
}

function fileOf(key: string): string | undefined {
  const dir = process.env.EXG_CAPTURE_CACHE;
  return dir ? path.join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`) : undefined;
}

function fromRunFolder(key: string): Promise<OfflineStack> | undefined {
  const file = fileOf(key);
  if (!file || !fs.existsSync(file)) return undefined;
  return Promise.resolve(JSON.parse(fs.readFileSync(file, "utf8")) as OfflineStack);
}

function toRunFolder(key: string, capture: OfflineStack): OfflineStack {
  const file = fileOf(key);
  if (file) {
    // Written aside and renamed, so a worker never reads half a file when two capture the same stack at once.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(capture));
    fs.renameSync(tmp, file);
  }
  // Every caller gets the JSON form, whichever worker captured first.
  return JSON.parse(JSON.stringify(capture)) as OfflineStack;
}
