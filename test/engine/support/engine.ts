/**
 * The real Pulumi CLI as a pipeline runs it: `pulumi preview|up --policy-pack policies` on a copy of this project
 * against a `file://` backend, with stand-in providers installed in a private PULUMI_HOME. Each workspace is
 * independent (its own home, state and stand-in "cloud"), so engine test files can run side by side.
 */
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO = path.resolve(__dirname, "../../..");
export const PACK_DIR = path.join(REPO, "policies");
const STANDIN_DIR = path.join(REPO, "test/engine/standin");

/** The CLI directory (built from Go modules on first use by scripts/pulumi-cli.sh). Throws when none can be had. */
export function cliDir(): string {
  try {
    return execFileSync(path.join(REPO, "scripts/pulumi-cli.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  } catch (e) {
    throw new Error(`no Pulumi CLI for the engine suite: scripts/pulumi-cli.sh failed (${(e as Error).message})`);
  }
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
  readonly events: EngineEvent[];
}

/** One line of the engine's `--event-log` (sdk/go/common/apitype/events.go EngineEvent). */
export interface EngineEvent {
  readonly sequence: number;
  readonly timestamp: number;
  readonly policyEvent?: { resourceUrn?: string; message: string; policyName: string; policyPackName: string; enforcementLevel: string };
  /** `planning` marks the steps of the preview that `pulumi up` runs before it changes anything. */
  readonly resourcePreEvent?: { metadata: StepMetadata; planning?: boolean };
  readonly resOutputsEvent?: { metadata: StepMetadata; planning?: boolean };
  readonly resOpFailedEvent?: { metadata: StepMetadata };
  readonly diagnosticEvent?: { message: string; severity: string; urn?: string };
  readonly policyRemediationEvent?: { resourceUrn: string; policyName: string; before?: Record<string, unknown>; after?: Record<string, unknown> };
  readonly summaryEvent?: { resourceChanges?: Record<string, number>; isPreview?: boolean; result?: string };
}

export interface StepMetadata {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  readonly old?: { id?: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> };
  readonly new?: { id?: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> };
}

/** Mandatory policy violations in an event log, as `policy|resource URN` (the stack's URN for a stack-level one). */
export function mandatoryViolations(events: readonly EngineEvent[]): string[] {
  return events
    .filter((e) => e.policyEvent && e.policyEvent.enforcementLevel === "mandatory")
    .map((e) => `${e.policyEvent!.policyName}|${e.policyEvent!.resourceUrn ?? ""}`);
}

export class Workspace {
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  /** A private PULUMI_HOME with both stand-ins installed, and an empty `file://` backend. */
  static create(label: string): Workspace {
    const bin = cliDir();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `exg-engine-${label}-`));
    fs.mkdirSync(path.join(dir, "state"));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      PULUMI_HOME: path.join(dir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "engine-suite",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      // --event-log is registered only with this set.
      PULUMI_DEBUG_COMMANDS: "true",
      // `npm test` type-checks the program with tsc; ts-node's own check at every run would add ~20 s.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      EXG_STANDIN_CLOUD: path.join(dir, "cloud.json"),
      NO_COLOR: "1",
    };
    delete env.PULUMI_ACCESS_TOKEN;
    const ws = new Workspace(dir, env);
    for (const provider of ["azure-native", "random"]) {
      const pluginDir = path.join(dir, `standin-${provider}`);
      fs.mkdirSync(pluginDir);
      const launcher = path.join(pluginDir, `pulumi-resource-${provider}`);
      fs.writeFileSync(launcher, `#!/bin/sh\nexec node ${JSON.stringify(path.join(STANDIN_DIR, `${provider}.js`))} "$@"\n`, { mode: 0o755 });
      const version = (require(`@pulumi/${provider}/package.json`) as { version: string }).version;
      execFileSync("pulumi", ["plugin", "install", "resource", provider, version, "--file", pluginDir], { env, stdio: "pipe" });
    }
    return ws;
  }

  /**
   * A copy of this project (program sources, Pulumi.yaml) with the given stack configs and records, so `stack init`
   * and the engine's writes never touch the repository. node_modules is linked, not copied.
   */
  project(name: string, stacksFrom: string): string {
    const project = path.join(this.dir, name);
    fs.mkdirSync(project);
    for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "tsconfig.base.json"])
      fs.copyFileSync(path.join(REPO, f), path.join(project, f));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"));
    fs.cpSync(path.join(REPO, "policies"), path.join(project, "policies"), {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|bin)$/.test(src),
    });
    fs.cpSync(path.join(REPO, "stacks"), path.join(project, "stacks"), {
      recursive: true,
      filter: (src) => !/[/\\](records|policy-config)$/.test(src) && !/Pulumi\.[^/\\]+\.yaml$/.test(src),
    });
    fs.cpSync(path.join(stacksFrom, "records"), path.join(project, "stacks", "records"), { recursive: true });
    for (const f of fs.readdirSync(stacksFrom).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
      fs.copyFileSync(path.join(stacksFrom, f), path.join(project, "stacks", f));
    }
    return project;
  }

  /** Runs the CLI; never throws on a non-zero exit (the exit code is what a pipeline sees). */
  pulumi(cwd: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const eventLog = path.join(this.dir, `events-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
    const withLog = ["preview", "up", "destroy", "refresh"].includes(args[0]) ? [...args, "--event-log", eventLog] : [...args];
    return new Promise((resolve) => {
      execFile(
        "pulumi",
        [...withLog, "--non-interactive"],
        { cwd, env: { ...this.env, ...extraEnv }, maxBuffer: 256 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code as number) : 1) : 0;
          const events = fs.existsSync(eventLog)
            ? fs
                .readFileSync(eventLog, "utf8")
                .split("\n")
                .filter((l) => l.trim() !== "")
                .map((l) => JSON.parse(l) as EngineEvent)
            : [];
          resolve({ code, output: `${stdout}${stderr}`, events });
        },
      );
    });
  }

  async initStack(project: string, stack: string): Promise<void> {
    const r = await this.pulumi(project, ["stack", "init", stack]);
    if (r.code !== 0) throw new Error(`pulumi stack init ${stack} failed (${r.code}):\n${r.output}`);
  }

  /** `pulumi preview --policy-pack policies [--policy-pack-config f]` of one stack. */
  preview(project: string, stack: string, policyConfig?: string, extra: readonly string[] = []): Promise<RunResult> {
    return this.pulumi(project, ["preview", "--stack", stack, "--policy-pack", PACK_DIR, ...configArgs(policyConfig), ...extra]);
  }

  up(project: string, stack: string, policyConfig?: string, extra: readonly string[] = [], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    return this.pulumi(
      project,
      ["up", "--yes", "--skip-preview", "--stack", stack, "--policy-pack", PACK_DIR, ...configArgs(policyConfig), ...extra],
      extraEnv,
    );
  }

  /** `pulumi up --yes` as a pipeline deploys: the engine's own preview with the pack first, then the update (no --skip-preview). */
  deploy(project: string, stack: string, policyConfig?: string, extra: readonly string[] = []): Promise<RunResult> {
    return this.pulumi(project, ["up", "--yes", "--stack", stack, "--policy-pack", PACK_DIR, ...configArgs(policyConfig), ...extra]);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function configArgs(policyConfig: string | undefined): string[] {
  return policyConfig ? ["--policy-pack-config", policyConfig] : [];
}
