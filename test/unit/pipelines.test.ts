/**
 * The pipeline templates a security tool ships: checked by their ecosystems' own validators (actionlint with
 * shellcheck for GitHub Actions, Microsoft's published Azure Pipelines schema for Azure DevOps), pinned, verified,
 * honest about exit codes, safe for forks, least privilege per job, and deploying only after a preview with the pack.
 */
import Ajv from "ajv";
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, parseDocument } from "yaml";

const ROOT = path.join(__dirname, "../..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const GH_FILE = "pipelines/github-actions.yml";
const GH_INCIDENT_FILE = "pipelines/github-incident.yml";
const ADO_FILE = "pipelines/azure-pipelines.yml";
const ADO_INCIDENT_FILE = "pipelines/azure-incident.yml";
const ghText = read(GH_FILE);
const ghIncidentText = read(GH_INCIDENT_FILE);
const adoText = read(ADO_FILE);
const adoIncidentText = read(ADO_INCIDENT_FILE);

type Step = Record<string, unknown> & {
  uses?: string;
  run?: string;
  if?: string;
  script?: string;
  task?: string;
  condition?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  inputs?: Record<string, unknown>;
};
interface GhJob {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  concurrency?: unknown;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface GhWorkflow {
  on: Record<string, unknown>;
  permissions: unknown;
  env: Record<string, string>;
  jobs: Record<string, GhJob>;
}
interface AdoJob {
  job?: string;
  deployment?: string;
  environment?: string;
  steps?: Step[];
  strategy?: { runOnce: { deploy: { steps: Step[] } } };
}
interface AdoPipeline {
  variables: Record<string, string>;
  parameters?: Array<{ name: string; type: string; values?: string[]; default?: string }>;
  stages?: Array<{ stage: string; dependsOn?: string; condition?: string; jobs: AdoJob[] }>;
  jobs?: AdoJob[];
}
const gh = parse(ghText) as GhWorkflow;
const ghIncident = parse(ghIncidentText) as GhWorkflow;
const ado = parse(adoText) as AdoPipeline;
const adoIncident = parse(adoIncidentText) as AdoPipeline;
const ghSteps = [gh, ghIncident].flatMap((w) => Object.values(w.jobs).flatMap((j) => j.steps));
const adoJobSteps = (j: AdoJob) => j.steps ?? j.strategy?.runOnce.deploy.steps ?? [];
const adoSteps = [...(ado.stages ?? []).flatMap((s) => s.jobs.flatMap(adoJobSteps)), ...(adoIncident.jobs ?? []).flatMap(adoJobSteps)];
/** Every shell script the templates run. */
const scripts = [...ghSteps.map((s) => s.run), ...adoSteps.map((s) => s.script ?? (s.inputs?.inlineScript as string | undefined))].filter(
  (x): x is string => typeof x === "string",
);

/** Node.js LTS lines maintained at the time of writing (20 reached end of life in April 2026). */
const MAINTAINED_LTS = [22, 24];

describe("GitHub Actions: actionlint, with shellcheck on every run: step", () => {
  let actionlint = "";
  beforeAll(() => {
    // Built from its Go module into the cache outside the repository on first use (minutes), then reused.
    actionlint = execFileSync(path.join(ROOT, "scripts/actionlint.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  }, 15 * 60_000);

  interface Finding {
    message: string;
    filepath: string;
    line: number;
    kind: string;
  }
  function lint(files: string[]): Finding[] {
    const r = spawnSync(actionlint, ["-format", "{{json .}}", ...files], { cwd: ROOT, encoding: "utf8" });
    // 0: nothing found, 1: findings; anything else is actionlint failing to run.
    expect([0, 1]).toContain(r.status);
    return JSON.parse(r.stdout || "[]") as Finding[];
  }
  function lintText(text: string): Finding[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "exg-actionlint-"));
    try {
      fs.writeFileSync(path.join(dir, "w.yml"), text);
      return lint([path.join(dir, "w.yml")]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it("shellcheck is installed (actionlint skips it silently otherwise; .ci/run installs it with apt)", () => {
    expect(spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).stdout).toMatch(/version: \d+\.\d+/);
  });

  it("the pinned actionlint is the one running", () => {
    expect(execFileSync(actionlint, ["-version"], { encoding: "utf8" }).split("\n")[0]).toBe("1.7.12");
  });

  it.each([GH_FILE, GH_INCIDENT_FILE])("%s: actionlint finds nothing", (file) => {
    expect(lint([file])).toEqual([]);
  });

  it("actionlint did run shellcheck: an unquoted expansion in a run: step is reported as a shellcheck finding", () => {
    const findings = lintText(
      ["on: push", "permissions: {}", "jobs:", "  a:", "    runs-on: ubuntu-latest", "    steps:", "      - run: rm -rf $TARGET/cache", ""].join(
        "\n",
      ),
    );
    expect(findings.map((f) => [f.kind, /SC2086/.test(f.message)])).toEqual([["shellcheck", true]]);
  });

  it("actionlint rejects what the templates must never do: a misspelt key, an input spliced into a script", () => {
    const findings = lintText(
      [
        "on:",
        "  workflow_dispatch:",
        "    inputs: { host: { type: string } }",
        "permissions: {}",
        "jobs:",
        "  a:",
        "    run-on: ubuntu-latest",
        "    steps:",
        "      - run: echo ${{ github.event.pull_request.title }}",
        "",
      ].join("\n"),
    );
    const kinds = findings.map((f) => f.kind);
    expect(kinds).toContain("syntax-check");
    expect(kinds).toContain("expression");
  });
});

describe("Azure Pipelines: Microsoft's published schema", () => {
  const SCHEMA_DIR = path.join(ROOT, "test/fixtures/azure-pipelines");
  const schemaText = fs.readFileSync(path.join(SCHEMA_DIR, "service-schema.json"), "utf8");
  let validate: ReturnType<Ajv["compile"]>;
  beforeAll(() => {
    // Azure Pipelines reads every scalar as a string (the YAML failsafe schema, as parsed below); the published schema
    // types some task inputs as JSON booleans and numbers, which the service converts from those strings: coerceTypes
    // does the same. ignoreCase and the like are the VS Code extension's own keywords (strict: false ignores them).
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, coerceTypes: true });
    validate = ajv.compile(JSON.parse(schemaText));
  }, 120_000);
  const check = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

  it("is the recorded copy: repository, path, commit and SHA-256 in SOURCE.md", () => {
    const source = fs.readFileSync(path.join(SCHEMA_DIR, "SOURCE.md"), "utf8");
    expect(source).toContain("https://github.com/microsoft/azure-pipelines-vscode");
    expect(source).toMatch(/\| path \| `service-schema\.json` \|/);
    expect(source).toMatch(/\| commit \| `[0-9a-f]{40}`/);
    expect(source).toContain(createHash("sha256").update(schemaText).digest("hex"));
    expect(source).toContain(`"$comment": "${(JSON.parse(schemaText) as { $comment: string }).$comment}"`);
  });

  it.each([ADO_FILE, ADO_INCIDENT_FILE])("%s is valid YAML and valid against the schema", (file) => {
    const doc = parseDocument(read(file), { schema: "failsafe" });
    expect(doc.errors).toEqual([]);
    expect(check(doc.toJS())).toEqual([]);
  });

  it("the schema rejects what it should: a misspelt step key, an unknown task input, a job without steps", () => {
    expect(check({ stages: [{ stage: "s", jobs: [{ job: "j", steps: [{ script: "x", condtion: "always()" }] }] }] })).not.toEqual([]);
    expect(check({ steps: [{ task: "PublishBuildArtifacts@1", inputs: { PathToPublsh: "x" } }] })).not.toEqual([]);
    expect(check({ jobs: [{ deployment: "d", environment: "e", strategy: { runOnce: { deploy: { stepz: [] } } } }] })).not.toEqual([]);
  });
});

describe("GitHub Actions templates", () => {
  it("pin every action by full commit SHA with its tag in a comment", () => {
    const uses = [ghText, ghIncidentText].flatMap((t) => t.split("\n").filter((l) => /^\s*(- )?uses:/.test(l)));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it("use current majors: upload-sarif v4, checkout and setup-node of their newest major, azure/login v3", () => {
    const lines = [ghText, ghIncidentText].join("\n").split("\n");
    const tag = (action: string) => [...new Set(lines.filter((l) => l.includes(`uses: ${action}@`)).map((l) => /# (v\d+)/.exec(l)?.[1]))];
    expect(tag("github/codeql-action/upload-sarif")).toEqual(["v4"]);
    expect(tag("actions/checkout")).toEqual(["v7"]);
    expect(tag("actions/setup-node")).toEqual(["v7"]);
    expect(tag("azure/login")).toEqual(["v3"]);
  });

  it("run a maintained Node.js LTS", () => {
    expect(MAINTAINED_LTS).toContain(Number(gh.env.NODE_VERSION));
    expect(MAINTAINED_LTS).toContain(Number(ghIncident.env.NODE_VERSION));
  });

  it("install the Pulumi CLI at a pinned version with its checksum verified, never by piping a script to a shell", () => {
    expect(gh.env.PULUMI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ghText).not.toMatch(/\| *(ba)?sh\b/);
    const installs = Object.entries(gh.jobs).filter(([, j]) => j.steps.some((s) => s.run?.includes("get.pulumi.com")));
    expect(installs.map(([name]) => name)).toEqual(["preview", "deploy", "audit"]);
    for (const s of ghSteps.filter((x) => x.run?.includes("get.pulumi.com"))) {
      expect(s.run).toMatch(/sha256sum --check --strict/);
      expect(s.run).toMatch(/if \[ -z "\$PULUMI_SHA256" \]; then .*exit 1/);
    }
  });

  it("upload SARIF only when the file exists, and never hide a command's exit code", () => {
    for (const s of ghSteps.filter((x) => x.uses?.includes("upload-sarif"))) {
      const file = (s.with as { sarif_file: string }).sarif_file;
      expect(s.if).toBe(`always() && hashFiles('${file}') != ''`);
    }
    for (const t of [ghText, ghIncidentText]) expect(t).not.toMatch(/continue-on-error|\|\| *true|set \+e/);
  });

  it("grant nothing at the top and the least each job needs; fork pull requests never get security-events: write", () => {
    expect(gh.permissions).toEqual({});
    expect(ghIncident.permissions).toEqual({});
    const perms = Object.fromEntries(Object.entries(gh.jobs).map(([n, j]) => [n, j.permissions]));
    expect(perms).toEqual({
      "offline-check": { contents: "read", "security-events": "write" },
      "offline-check-fork": { contents: "read" },
      preview: { contents: "read", "id-token": "write" },
      deploy: { contents: "read", "id-token": "write" },
      audit: { contents: "read", "id-token": "write", "security-events": "write" },
    });
    expect(ghIncident.jobs.edit.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(gh.jobs)) {
      if (job.permissions?.["security-events"] !== "write") continue;
      const forksExcluded =
        /head\.repo\.full_name == github\.repository/.test(job.if ?? "") || /event_name == 'schedule'|event_name == 'push'/.test(job.if ?? "");
      expect([name, forksExcluded]).toEqual([name, true]);
    }
    expect(gh.jobs["offline-check-fork"].if).toMatch(/head\.repo\.full_name != github\.repository/);
  });

  it("deploy on main: pulumi up with the pack, after the preview job, of the same commit, in the protected environment", () => {
    const { preview, deploy } = gh.jobs;
    expect(deploy.needs).toBe("preview");
    expect(deploy.environment).toBe("production");
    expect(deploy.if).toBe("github.event_name == 'push'");
    expect(gh.on.push).toEqual({ branches: ["main"] });
    for (const job of [preview, deploy]) expect(job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.ref).toBe("${{ github.sha }}");
    expect(preview.steps.at(-1)?.run).toMatch(
      /^pulumi preview --stack "\$STACK" --non-interactive --policy-pack policies --policy-pack-config "\$POLICY_CONFIG"$/,
    );
    expect(deploy.steps.at(-1)?.run).toMatch(
      /^pulumi up --yes --stack "\$STACK" --non-interactive --policy-pack policies --policy-pack-config "\$POLICY_CONFIG"$/,
    );
    // The deploying identity is the deploy job's alone; the preview signs in as the Reader.
    expect((deploy as unknown as { env: Record<string, string> }).env.ARM_CLIENT_ID).toBe("${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
    expect((preview as unknown as { env: Record<string, string> }).env.ARM_CLIENT_ID).toBe("${{ vars.AZURE_CLIENT_ID }}");
  });

  it("audit the live estate nightly: Resource Graph paged into files, audit --azure, SARIF; the Reader signed in over OIDC", () => {
    const { audit } = gh.jobs;
    expect(audit.if).toBe("github.event_name == 'schedule'");
    const login = audit.steps.find((s) => s.uses?.startsWith("azure/login@"))!;
    expect(Object.keys(login.with!).sort()).toEqual(["client-id", "subscription-id", "tenant-id"]);
    const query = audit.steps.find((s) => s.run?.includes("az graph") || s.run?.includes("graph query"))!.run!;
    expect(query).toContain('"$(cat "pipelines/resource-graph/$query.kql")" --first 1000');
    expect(query).toMatch(
      /for query in resources security-assessments network-resources; do\n\s+if \[ ! -f "pipelines\/resource-graph\/\$query\.kql" \]; then continue; fi/,
    );
    expect(query).toMatch(/args\+=\(--skip-token "\$token"\)/);
    const run = audit.steps.find((s) => s.run?.includes("audit --azure"))!.run!;
    expect(run.replace(/\\\n\s*/g, "")).toMatch(
      /node dist\/cli\/main\.js audit --azure "\$\{pages\[@\]\}" "\$\{export_args\[@\]\}" --stack "\$STACK" --policy-pack-config "\$POLICY_CONFIG" --sarif audit-azure\.sarif --summary audit-azure\.md --html audit-azure\.html/,
    );
    expect(audit.steps.at(-1)?.with).toEqual({ sarif_file: "audit-azure.sarif", category: "exchange-guard-audit" });
  });

  it("the incident workflow: dispatched with verb, host and record; runs exchange-guard host; inputs never spliced into scripts", () => {
    const inputs = (ghIncident.on.workflow_dispatch as { inputs: Record<string, { type: string; options?: string[] }> }).inputs;
    expect(Object.keys(inputs)).toEqual(["verb", "host", "record", "stack"]);
    expect(inputs.verb.options).toEqual(["isolate", "record", "rebuild", "remediate"]);
    const steps = ghIncident.jobs.edit.steps;
    const run = steps.find((s) => s.run?.includes("node dist/cli/main.js"))!;
    expect(run.run).toContain('node dist/cli/main.js "${args[@]}" --stack "$STACK"');
    expect(run.env).toEqual({
      VERB: "${{ inputs.verb }}",
      HOST_NAME: "${{ inputs.host }}",
      RECORD: "${{ inputs.record }}",
      STACK: "${{ inputs.stack }}",
    });
    for (const s of steps) expect(s.run ?? "").not.toContain("${{");
    const pr = steps.at(-1)!;
    expect(pr.run).toMatch(/ push origin "HEAD:refs\/heads\/\$branch"/);
    expect(pr.run).toMatch(/gh pr create --base "\$GITHUB_REF_NAME" --head "\$branch"/);
    // Opened with the App's token, so the pull request's checks run.
    expect(pr.env?.GH_TOKEN).toBe("${{ steps.app.outputs.token }}");
  });
});

describe("Azure Pipelines templates", () => {
  const stage = (name: string) => ado.stages!.find((s) => s.stage === name)!;

  it("states the pr: trigger's branch-policy requirement", () => {
    expect(adoText).toMatch(/`pr:` trigger .*GitHub or Bitbucket/);
    expect(adoText).toMatch(/Build Validation branch\s*(#\s*)?policy/);
  });

  it("run a maintained Node.js LTS with a task the published schema knows", () => {
    const nodeTasks = adoSteps.filter((x) => /^(UseNode|NodeTool)@/.test(x.task ?? ""));
    expect(nodeTasks.length).toBeGreaterThanOrEqual(5);
    for (const s of nodeTasks) expect([s.task, s.inputs]).toEqual(["NodeTool@0", { versionSpec: "$(NODE_VERSION)" }]);
    for (const p of [ado, adoIncident]) expect(MAINTAINED_LTS).toContain(Number(/^(\d+)\.x$/.exec(p.variables.NODE_VERSION)?.[1]));
  });

  it("install the Pulumi CLI at a pinned version with its checksum verified", () => {
    expect(ado.variables.PULUMI_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(adoText).not.toMatch(/\| *(ba)?sh\b/);
    const installs = adoSteps.filter((s) => typeof s.script === "string" && s.script.includes("get.pulumi.com"));
    expect(installs.length).toBe(3);
    for (const s of installs) expect(s.script).toMatch(/sha256sum --check --strict/);
  });

  it("publish SARIF only when the file exists, and never hide a command's exit code", () => {
    for (const s of adoSteps.filter((x) => x.task?.startsWith("PublishBuildArtifacts")))
      expect(s.condition).toBe("and(always(), eq(variables['SARIF_WRITTEN'], 'true'))");
    for (const t of [adoText, adoIncidentText]) expect(t).not.toMatch(/continueOnError: *true|\|\| *true|set \+e/);
  });

  it("deploy on main: a deployment job on an environment (its approvals), after the preview stage, pulumi up with the pack", () => {
    const deploy = stage("deploy");
    expect(deploy.dependsOn).toBe("preview");
    expect(deploy.condition).toMatch(/^and\(succeeded\(\), eq\(variables\['Build\.SourceBranch'\], 'refs\/heads\/main'\)/);
    const [job] = deploy.jobs;
    expect([job.deployment, job.environment]).toEqual(["up", "exchange-guard-production"]);
    const up = adoJobSteps(job).at(-1)!;
    expect(up.inputs?.azureSubscription).toBe("$(AZURE_DEPLOY_SERVICE_CONNECTION)");
    expect(up.inputs?.inlineScript).toMatch(
      /\npulumi up --yes --stack "\$\(STACK\)" --non-interactive --policy-pack policies --policy-pack-config "\$\(POLICY_CONFIG\)"\n$/,
    );
    expect(adoJobSteps(job)[0]).toEqual({ checkout: "self", persistCredentials: false });
    const preview = adoJobSteps(stage("preview").jobs[0]).at(-1)!;
    expect(preview.inputs?.azureSubscription).toBe("$(AZURE_SERVICE_CONNECTION)");
    expect(preview.inputs?.inlineScript).toMatch(/\npulumi preview --stack "\$\(STACK\)" --non-interactive --policy-pack policies/);
  });

  it("audit the live estate nightly as the Reader: Resource Graph paged into files, audit --azure, SARIF published", () => {
    const audit = stage("audit");
    expect(audit.condition).toBe("eq(variables['Build.Reason'], 'Schedule')");
    const steps = adoJobSteps(audit.jobs[0]);
    const query = steps.find((s) => typeof s.inputs?.inlineScript === "string" && (s.inputs.inlineScript as string).includes("graph query"))!;
    expect(query.inputs?.azureSubscription).toBe("$(AZURE_SERVICE_CONNECTION)");
    expect(query.inputs?.inlineScript).toContain('"$(cat "pipelines/resource-graph/$query.kql")" --first 1000');
    expect(query.inputs?.inlineScript).toMatch(/args\+=\(--skip-token "\$token"\)/);
    expect(steps.find((s) => s.script?.includes("audit --azure"))?.script?.replace(/\\\n\s*/g, "")).toContain(
      'audit --azure "${pages[@]}" "${export_args[@]}" --stack "$(STACK)" --policy-pack-config "$(POLICY_CONFIG)" --sarif "$(Build.ArtifactStagingDirectory)/audit-azure.sarif" --summary "$(Build.ArtifactStagingDirectory)/audit-azure.md"',
    );
  });

  it("the incident pipeline: run by hand with verb, host and record; parameters never spliced into scripts; a pull request", () => {
    expect(adoIncident.parameters!.map((p) => p.name)).toEqual(["verb", "host", "record", "stack"]);
    expect(adoIncident.parameters![0].values).toEqual(["isolate", "record", "rebuild", "remediate"]);
    expect(adoIncidentText).toMatch(/^trigger: none\npr: none$/m);
    const steps = adoJobSteps(adoIncident.jobs![0]);
    for (const s of steps) expect(s.script ?? "").not.toContain("${{");
    const run = steps.find((s) => s.script?.includes("node dist/cli/main.js"))!;
    expect(run.env).toEqual({
      VERB: "${{ parameters.verb }}",
      HOST_NAME: "${{ parameters.host }}",
      RECORD: "${{ parameters.record }}",
      STACK: "${{ parameters.stack }}",
    });
    expect(steps.at(-1)?.script).toMatch(/az repos pr create .*--source-branch "\$branch" --target-branch "\$BUILD_SOURCEBRANCH"/s);
    expect(steps.at(-1)?.env?.AZURE_DEVOPS_EXT_PAT).toBe("$(System.AccessToken)");
  });
});

describe("every template", () => {
  it("every job that judges or deploys refuses a pinned clock before it does", () => {
    const jobs: Array<[string, Step[]]> = [
      ...[gh, ghIncident].flatMap((w) => Object.entries(w.jobs).map(([n, j]) => [n, j.steps] as [string, Step[]])),
      ...(ado.stages ?? []).flatMap((st) => st.jobs.map((j) => [`${st.stage}/${j.job ?? j.deployment}`, adoJobSteps(j)] as [string, Step[]])),
      ...(adoIncident.jobs ?? []).map((j) => [`incident/${j.job}`, adoJobSteps(j)] as [string, Step[]]),
    ];
    expect(jobs.length).toBe(11);
    for (const [name, steps] of jobs) {
      const text = (s: Step) => `${s.run ?? s.script ?? ""}${(s.inputs?.inlineScript as string | undefined) ?? ""}`;
      const judging = steps.findIndex((s) => /node dist\/cli\/main\.js|\bpulumi (preview|up)\b/.test(text(s)));
      const refusing = steps.findIndex((s) => String(s.name ?? s.displayName ?? "").startsWith("Refuse a pinned clock"));
      expect([name, judging >= 0, refusing >= 0 && refusing < judging]).toEqual([name, true, true]);
    }
  });

  it("deploys only with pulumi up's own preview and the pack: never --skip-preview, never an up without --policy-pack", () => {
    const ups = scripts.flatMap((s) => s.split("\n").filter((l) => /\bpulumi up\b/.test(l)));
    expect(ups).toHaveLength(2);
    for (const l of ups) {
      expect(l).toMatch(/--policy-pack policies --policy-pack-config /);
      expect(l).not.toMatch(/--skip-preview|\s-f\b/);
    }
    // Anywhere outside the comments that say it is never used.
    for (const t of [ghText, ghIncidentText, adoText, adoIncidentText])
      expect(
        t
          .split("\n")
          .filter((l) => !/^\s*#/.test(l))
          .join("\n"),
      ).not.toContain("--skip-preview");
  });

  it.each([
    [GH_FILE, ghText, () => gh.env.POLICY_CONFIG, () => gh.env.STACK],
    [GH_INCIDENT_FILE, ghIncidentText, () => ghIncident.env.POLICY_CONFIG, () => "prod"],
    [ADO_FILE, adoText, () => ado.variables.POLICY_CONFIG, () => ado.variables.STACK],
    [ADO_INCIDENT_FILE, adoIncidentText, () => adoIncident.variables.POLICY_CONFIG, () => "prod"],
  ])("%s copies no policy config that pins asOf", (_name, text, policyConfig, stack) => {
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
    // And every job that judges anything refuses a pinned clock first.
    expect((text.match(/Refuse a pinned clock/g) ?? []).length).toBeGreaterThanOrEqual(1);
  });
});
