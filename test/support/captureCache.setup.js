// One folder per jest run where test workers share the stacks they capture offline (test/support/capturedStacks.ts):
// each bundled stack's program runs once per run, whichever layer asks first. A fresh folder per run, so a change to
// a stack or to the program is never hidden by an old capture.
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async function captureCacheSetup() {
  if (process.env.EXG_CAPTURE_CACHE) return;
  process.env.EXG_CAPTURE_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "exg-captures-"));
  process.env.EXG_CAPTURE_CACHE_OWNER = String(process.pid);
};
