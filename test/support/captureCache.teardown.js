const fs = require("fs");

module.exports = async function captureCacheTeardown() {
  // Only the run that made the folder removes it (a caller may pass its own EXG_CAPTURE_CACHE).
  if (process.env.EXG_CAPTURE_CACHE_OWNER === String(process.pid)) fs.rmSync(process.env.EXG_CAPTURE_CACHE, { recursive: true, force: true });
};
