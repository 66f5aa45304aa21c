import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parse, parseDocument } from "yaml";
import { AZURE_PIPELINES_SCHEMA, GITHUB_WORKFLOW_SCHEMA } from "../support/pipelineSchemas";

/** The pipeline templates a security tool ships: pinned, verified, honest about exit codes, safe for forks. */
const ROOT = path.join(__dirname, "../..");
const GH_FILE = path.join(ROOT, "pipelines/github-actions.yml");
const ADO_FILE = path.join(ROOT, "pipelines/azure-pipelines.yml");
const ghText = fs.readFileSync(GH_FILE, "utf8");
const adoText = fs.readFileSync(ADO_FILE, "utf8");

type Step = Record<string, unknown> & { uses?: string; run?: string; if?: string; script?: string; task?: string; condition?: string };
interface GhJob {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
const gh = parse(ghText) as { on: Record<string, unknown>; permissions: unknown; env: Record<string, string>; jobs: Record<string, GhJob> };
const ado = parse(adoText) as {
  variables: Record<string, string>;
  stages: Array<{ stage: string; jobs: Array<{ steps: Step[] }> }>;
};
const ghSteps = Object.values(gh.jobs).flatMap((j) => j.steps);
const adoSteps = ado.stages.flatMap((s) => s.jobs.flatMap((j) => j.steps));

/** Node.js LTS lines maintained at the time of writing (20 reached end of life in April 2026). */
const MAINTAINED_LTS = [22, 24];

describe("schema check of the YAML", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  it.each<[string, string, Record<string, unknown>]>([
    ["github-actions.yml", ghText, GITHUB_WORKFLOW_SCHEMA],
    ["azure-pipelines.yml", adoText, AZURE_PIPELINES_SCHEMA],
  ])("%s is valid YAML and matches its schema", (_name, text, schema) => {
    const doc = parseDocument(text);
    expect(doc.errors).toEqual([]);
    const validate = ajv.compile(schema);
    expect(validate(doc.toJS()) ? [] : validate.errors).toEqual([]);
  });

  it("the schemas reject what they should (a misspelt key, an action step with run and uses)", () => {
    const v = ajv.compile(GITHUB_WORKFLOW_SCHEMA);
    expect(v({ on: { push: null }, jobs: { a: { "runs-on": "x", steps: [{ run: "x", uses: "a/b@c" }] } } })).toBe(false);
    expect(v({ on: { push: null }, jobs: { a: { "run-on": "x", steps: [{ run: "x" }] } } })).toBe(false);
    const w = ajv.compile(AZURE_PIPELINES_SCHEMA);
    expect(w({ stages: [{ stage: "s", jobs: [{ job: "j", steps: [{ script: "x", condtion: "always()" }] }] }] })).toBe(false);
  });
});

describe("GitHub Actions template", () => {
  it("pins every action by full commit SHA with its tag in a comment", () => {
    const uses = ghText.split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("uses current majors: upload-sarif v4, checkout and setup-node of their newest major", () => {
    const lines = ghText.split("\n");
    const tag = (action: string) => [...new Set(lines.filter((l) => l.includes(`uses: ${action}@`)).map((l) => /# (v\d+)/.exec(l)?.[1]))];
    expect(tag("github/codeql-action/upload-sarif")).toEqual(["v4"]);
    expect(tag("actions/checkout")).toEqual(["v7"]);
    expect(tag("actions/setup-node")).toEqual(["v7"]);
  });

  it("runs a maintained Node.js LTS", () => {
    expect(MAINTAINED_LTS).toContain(Number(gh.env.NODE_VERSION));
  });

  it("installs the Pulumi CLI at a pinned version with its checksum verified, never by piping a script to a shell", () => {
    expect(gh.env.PULUMI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ghText).not.toMatch(/\| *(ba)?sh\b/);
    const installs = ghSteps.filter((s) => typeof s.run === "string" && s.run.includes("get.pulumi.com"));
    expect(installs.length).toBe(2);
    for (const s of installs) {
      expect(s.run).toMatch(/sha256sum --check --strict/);
      expect(s.run).toMatch(/if \[ -z "\$PULUMI_SHA256" \]; then .*exit 1/);
    }
  });

  it("uploads SARIF only when the file exists, and never hides the check's exit code", () => {
    for (const s of ghSteps.filter((x) => x.uses?.includes("upload-sarif"))) {
      const file = (s.with as { sarif_file: string }).sarif_file;
      expect(s.if).toBe(`always() && hashFiles('${file}') != ''`);
    }
    expect(ghText).not.toMatch(/continue-on-error|\|\| *true|set \+e/);
  });

  it("fork pull requests never get security-events: write", () => {
    for (const [name, job] of Object.entries(gh.jobs)) {
      if (job.permissions?.["security-events"] !== "write") continue;
      const forksExcluded =
        /head\.repo\.full_name == github\.repository/.test(job.if ?? "") || /event_name == 'schedule'|event_name == 'push'/.test(job.if ?? "");
      expect([name, forksExcluded]).toEqual([name, true]);
    }
    expect(gh.jobs["offline-check-fork"].if).toMatch(/head\.repo\.full_name != github\.repository/);
    expect(gh.jobs["offline-check-fork"].permissions).toEqual({ contents: "read" });
    expect(gh.permissions).toEqual({});
  });
});

describe("Azure Pipelines template", () => {
  it("states the pr: trigger's branch-policy requirement", () => {
    expect(adoText).toMatch(/`pr:` trigger .*GitHub or Bitbucket/);
    expect(adoText).toMatch(/Build Validation branch\s*(#\s*)?policy/);
  });

  it("runs a maintained Node.js LTS with the current task", () => {
    for (const s of adoSteps.filter((x) => x.task?.startsWith("UseNode") || x.task?.startsWith("NodeTool"))) expect(s.task).toBe("UseNode@1");
    expect(MAINTAINED_LTS).toContain(Number(/^(\d+)\.x$/.exec(ado.variables.NODE_VERSION)?.[1]));
  });

  it("installs the Pulumi CLI at a pinned version with its checksum verified", () => {
    expect(ado.variables.PULUMI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(adoText).not.toMatch(/\| *(ba)?sh\b/);
    const installs = adoSteps.filter((s) => typeof s.script === "string" && s.script.includes("get.pulumi.com"));
    expect(installs.length).toBe(2);
    for (const s of installs) expect(s.script).toMatch(/sha256sum --check --strict/);
  });

  it("publishes SARIF only when the file exists, and never hides the check's exit code", () => {
    for (const s of adoSteps.filter((x) => x.task?.startsWith("PublishBuildArtifacts")))
      expect(s.condition).toBe("and(always(), eq(variables['SARIF_WRITTEN'], 'true'))");
    expect(adoText).not.toMatch(/continueOnError: *true|\|\| *true|set \+e/);
  });
});

describe("no template copies a policy config that pins asOf", () => {
  it.each([
    ["github-actions.yml", ghText, () => gh.env.POLICY_CONFIG, () => gh.env.STACK],
    ["azure-pipelines.yml", adoText, () => ado.variables.POLICY_CONFIG, () => ado.variables.STACK],
  ])("%s", (_name, text, policyConfig, stack) => {
    // What the jobs use (comments may name the bundled examples to warn against them).
    const code = text
      .split("\n")
      .filter((l) => !/^\s*#/.test(l))
      .join("\n");
    const referenced = [...new Set([policyConfig(), ...(code.match(/stacks\/policy-config\/[\w.$()-]+\.json/g) ?? [])])];
    for (const f of referenced) {
      const abs = path.join(ROOT, f);
      if (fs.existsSync(abs)) expect([f, JSON.stringify(JSON.parse(fs.readFileSync(abs, "utf8"))).includes('"asOf"')]).toEqual([f, false]);
    }
    // Not a bundled stack: their configs pin the clock.
    expect(fs.existsSync(path.join(ROOT, "stacks", `Pulumi.${stack()}.yaml`))).toBe(false);
    // And every job refuses a pinned clock before it judges anything.
    expect((text.match(/Refuse a pinned clock/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });
});
