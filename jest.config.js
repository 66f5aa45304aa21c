// One jest project per test layer, so each can run alone (`npm run test:unit`, `npm run test:engine`, ...) and
// `npm test` runs them all, as CI does.
/** @type {import('jest').Config} */
const common = {
  testEnvironment: "node",
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking: `npm test` type-checks once with tsc instead,
  // so the huge @pulumi/azure-native typings are not re-checked by every test file.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
};

const layer = (displayName, roots, extra = {}) => ({ ...common, displayName, roots: roots.map((r) => `<rootDir>/test/${r}`), ...extra });

/** @type {import('jest').Config} */
module.exports = {
  // jest-circus reads the timeout from the root config only; the slow layers raise it in their files (jest.setTimeout).
  testTimeout: 60000,
  // Jest's default is one worker per core but one; on the 2-core machines that is a single worker, while the main
  // process mostly waits. Tests that start a pack or the CLI wait on that child process, so two workers fit.
  maxWorkers: "100%",
  // A folder where the layers share the offline captures of the stacks they judge (test/support/capturedStacks.ts).
  globalSetup: "<rootDir>/test/support/captureCache.setup.js",
  globalTeardown: "<rootDir>/test/support/captureCache.teardown.js",
  projects: [
    // The pure model and each policy on its own.
    layer("unit", ["unit", "policies"]),
    // The stack program under Pulumi's mock runtime.
    layer("stacks", ["stacks"]),
    // The pack over the engine's gRPC interface.
    layer("protocol", ["protocol"]),
    // The exchange-guard command as users run it.
    layer("cli", ["cli"]),
    // Maintenance guarantees: a new Exchange security-update wave changes no test but the table's and the default's.
    layer("maintenance", ["maintenance"]),
    // The real `pulumi` CLI (built from Go modules) running the program and the pack: slow, few, shared workspaces.
    layer("engine", ["engine"]),
  ],
};
