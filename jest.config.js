/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // swc strips types without type-checking: `npm test` type-checks once with tsc instead,
  // so the huge @pulumi/azure-native typings are not re-checked by every test file.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testTimeout: 60000,
};
