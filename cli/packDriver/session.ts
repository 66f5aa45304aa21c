import { AnalyzerInfo, Diagnostic, EngineAnalyzerClient, EngineResource, PolicyConfigEntry, RemediationResult } from "./analyzerClient";
import { startPack } from "./packProcess";
import { parsePolicyPackConfig, reconcilePolicyConfig } from "./policyConfig";

export interface PackRunOptions {
  readonly packDir: string;
  /** Text of a --policy-pack-config file, if any. */
  readonly policyPackConfig?: string;
  readonly policyPackConfigSource?: string;
  readonly stack?: string;
  readonly project?: string;
  readonly dryRun: boolean;
  /** Inputs, one Analyze call each (after Remediate when a policy's level is remediate). */
  readonly analyze: readonly EngineResource[];
  /** Outputs, sent in one AnalyzeStack call. */
  readonly analyzeStack: readonly EngineResource[];
  /** Analyze calls in flight at once (the engine analyses resources as they are registered). */
  readonly concurrency?: number;
  readonly env?: Record<string, string>;
  readonly onProgress?: (done: number, total: number) => void;
  /** Refuses a config before it is sent (the CLI's strictness beyond the engine's); throws to refuse. */
  readonly checkConfig?: (info: AnalyzerInfo, file: ReturnType<typeof parsePolicyPackConfig>) => void;
  /** Called as each phase starts (pack start, analysis, stack analysis), for progress lines. */
  readonly onPhase?: (phase: string) => void;
}

export interface PackRunResult {
  readonly info: AnalyzerInfo;
  readonly config: Readonly<Record<string, PolicyConfigEntry>>;
  readonly resourceDiagnostics: Diagnostic[];
  readonly stackDiagnostics: Diagnostic[];
  readonly remediations: Array<{ urn: string } & RemediationResult>;
  readonly timings: { startMs: number; analyzeMs: number; analyzeStackMs: number };
}

/**
 * Runs a policy pack through the whole engine sequence, as `pulumi preview --policy-pack`
 * and `pulumi policy analyze` do: start it, ConfigureStack, GetAnalyzerInfo, Configure
 * (reconciled config), Remediate + Analyze per resource, AnalyzeStack once.
 */
export async function runPolicyPack(opts: PackRunOptions): Promise<PackRunResult> {
  opts.onPhase?.("starting the policy pack");
  const pack = await startPack(opts.packDir, { env: opts.env });
  const client = new EngineAnalyzerClient(pack.port);
  try {
    await client.configureStack(opts.stack ?? "stack", opts.project ?? "project", opts.dryRun);
    const info = await client.getAnalyzerInfo();
    const file = parsePolicyPackConfig(opts.policyPackConfig ?? "", opts.policyPackConfigSource ?? "--policy-pack-config");
    opts.checkConfig?.(info, file);
    const config = reconcilePolicyConfig(info, file);
    await client.configure(config);
    const remediating = Object.values(config).some((c) => c.enforcementLevel === "remediate");
    const resourceDiagnostics: Diagnostic[] = [];
    const remediations: Array<{ urn: string } & RemediationResult> = [];
    opts.onPhase?.(`analysing ${opts.analyze.length} resources`);
    const t0 = Date.now();
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < opts.analyze.length) {
        let r = opts.analyze[next++];
        if (remediating) {
          for (const rem of await client.remediate(r)) {
            remediations.push({ urn: r.urn, ...rem });
            if (rem.properties) r = { ...r, properties: rem.properties };
          }
        }
        // @pulumi/policy leaves a resource policy's diagnostic without a URN; the engine reports it on the resource analysed.
        const analysed = r;
        resourceDiagnostics.push(...(await client.analyze(r)).diagnostics.map((d) => (d.urn ? d : { ...d, urn: analysed.urn })));
        done++;
        opts.onProgress?.(done, opts.analyze.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
    const t1 = Date.now();
    opts.onPhase?.("analysing the stack");
    const stack = await client.analyzeStack(opts.analyzeStack);
    const t2 = Date.now();
    return {
      info,
      config,
      resourceDiagnostics,
      stackDiagnostics: stack.diagnostics,
      remediations,
      timings: { startMs: pack.startMs, analyzeMs: t1 - t0, analyzeStackMs: t2 - t1 },
    };
  } catch (e) {
    // Say that the pack itself went away (a crash, not an answer), and what it wrote on the way out.
    await settle(pack.child);
    const exited = pack.child.exitCode ?? pack.child.signalCode;
    if (e instanceof Error && exited !== null) e.message = `the policy pack in ${opts.packDir} exited (${exited}) while being asked: ${e.message}`;
    const stderr = pack.stderr().trim();
    if (stderr && e instanceof Error && !e.message.includes(stderr)) e.message += `\npolicy pack stderr:\n${stderr}`;
    throw e;
  } finally {
    client.close();
    await pack.stop();
  }
}

/** Lets a child that is dying finish: a dropped connection is seen a moment before the exit. */
function settle(child: { exitCode: number | null; signalCode: NodeJS.Signals | null; once(e: "exit", f: () => void): unknown }): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 200);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * A started pack kept open for many calls, configured once: for tests and benchmarks that
 * send several stacks through one process (the engine starts one per preview).
 */
export class PackSession {
  private constructor(
    private readonly pack: Awaited<ReturnType<typeof startPack>>,
    readonly client: EngineAnalyzerClient,
    readonly info: AnalyzerInfo,
    readonly config: Readonly<Record<string, PolicyConfigEntry>>,
  ) {}

  get startMs(): number {
    return this.pack.startMs;
  }

  get pid(): number | undefined {
    return this.pack.child.pid;
  }

  static async start(packDir: string, policyPackConfig = "", opts: { dryRun?: boolean; env?: Record<string, string> } = {}): Promise<PackSession> {
    const pack = await startPack(packDir, { env: opts.env });
    const client = new EngineAnalyzerClient(pack.port);
    try {
      await client.configureStack("stack", "project", opts.dryRun ?? true);
      const info = await client.getAnalyzerInfo();
      const config = reconcilePolicyConfig(info, parsePolicyPackConfig(policyPackConfig, "--policy-pack-config"));
      await client.configure(config);
      return new PackSession(pack, client, info, config);
    } catch (e) {
      client.close();
      await pack.stop();
      throw e;
    }
  }

  /** Re-configures the running pack (the engine calls Configure once; tests may vary it). */
  async configure(policyPackConfig: string): Promise<void> {
    const config = reconcilePolicyConfig(this.info, parsePolicyPackConfig(policyPackConfig, "--policy-pack-config"));
    await this.client.configure(config);
    (this as { config: Readonly<Record<string, PolicyConfigEntry>> }).config = config;
  }

  async stop(): Promise<void> {
    this.client.close();
    await this.pack.stop();
  }
}
