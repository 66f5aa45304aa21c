/**
 * JSON schemas of the parts of a GitHub Actions workflow and an Azure Pipelines YAML that the templates in
 * pipelines/ use, closed (additionalProperties: false) so a misspelt key fails. Written from GitHub's workflow
 * syntax reference and Azure Pipelines' YAML schema reference: the official schemas are not published on npm as JSON
 * Schema (GitHub's parser package is ESM with its own schema format; Azure's lives in the VS Code extension), and
 * the project prefers no new dependency. Keys outside this subset fail the test: extend the schema with them.
 */
type Schema = Record<string, unknown>;

const str: Schema = { type: "string", minLength: 1 };
const strMap: Schema = { type: "object", additionalProperties: { type: ["string", "number", "boolean"] } };
const branches: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { include: { type: "array", items: str }, exclude: { type: "array", items: str } },
};

const access = { enum: ["read", "write", "none"] };
const permissions: Schema = {
  type: "object",
  additionalProperties: false,
  properties: Object.fromEntries(
    [
      "actions",
      "checks",
      "contents",
      "deployments",
      "issues",
      "packages",
      "pages",
      "pull-requests",
      "security-events",
      "statuses",
      "attestations",
    ].map((k) => [k, access]),
  ),
};
(permissions.properties as Record<string, Schema>)["id-token"] = { enum: ["write", "none"] };

const ghStep: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: str,
    id: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" },
    if: str,
    uses: str,
    run: str,
    shell: str,
    with: strMap,
    env: strMap,
    "continue-on-error": { type: "boolean" },
    "working-directory": str,
    "timeout-minutes": { type: "number" },
  },
  oneOf: [
    { required: ["uses"], not: { required: ["run"] } },
    { required: ["run"], not: { required: ["uses"] } },
  ],
};

export const GITHUB_WORKFLOW_SCHEMA: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["on", "jobs"],
  properties: {
    name: str,
    on: {
      type: "object",
      additionalProperties: false,
      properties: {
        pull_request: { type: ["null", "object"] },
        push: { type: ["null", "object"], additionalProperties: false, properties: { branches: { type: "array", items: str } } },
        schedule: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["cron"],
            properties: { cron: { type: "string", pattern: "^\\S+( \\S+){4}$" } },
          },
        },
        workflow_dispatch: { type: ["null", "object"] },
      },
    },
    permissions,
    env: strMap,
    jobs: {
      type: "object",
      minProperties: 1,
      propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["runs-on", "steps"],
        properties: {
          if: str,
          "runs-on": str,
          permissions,
          env: strMap,
          "timeout-minutes": { type: "number" },
          steps: { type: "array", minItems: 1, items: ghStep },
        },
      },
    },
  },
};

const adoCommon = { displayName: str, condition: str, env: strMap, continueOnError: { type: "boolean" }, name: str };
const adoStep: Schema = {
  type: "object",
  oneOf: [
    { required: ["script"], additionalProperties: false, properties: { script: str, workingDirectory: str, ...adoCommon } },
    {
      required: ["task"],
      additionalProperties: false,
      properties: { task: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9]*@\\d+$" }, inputs: strMap, ...adoCommon },
    },
    {
      required: ["checkout"],
      additionalProperties: false,
      properties: {
        checkout: str,
        persistCredentials: { type: "boolean" },
        clean: { type: "boolean" },
        fetchDepth: { type: "number" },
        ...adoCommon,
      },
    },
  ],
};
const ident = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" };

export const AZURE_PIPELINES_SCHEMA: Schema = {
  type: "object",
  additionalProperties: false,
  required: ["stages"],
  properties: {
    trigger: { type: "object", additionalProperties: false, properties: { branches } },
    pr: { type: "object", additionalProperties: false, properties: { branches } },
    schedules: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["cron", "branches"],
        properties: { cron: { type: "string", pattern: "^\\S+( \\S+){4}$" }, displayName: str, branches, always: { type: "boolean" } },
      },
    },
    variables: strMap,
    pool: { type: "object", additionalProperties: false, properties: { vmImage: str, name: str } },
    stages: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["stage", "jobs"],
        properties: {
          stage: ident,
          displayName: str,
          condition: str,
          dependsOn: { type: ["string", "array"] },
          jobs: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              additionalProperties: false,
              required: ["job", "steps"],
              properties: { job: ident, displayName: str, condition: str, steps: { type: "array", minItems: 1, items: adoStep } },
            },
          },
        },
      },
    },
  },
};
