import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EnforcementLevel, levelOfNumber, numberOfLevel } from "../../policies/model";

export type { EnforcementLevel };
export type Severity = "" | "low" | "medium" | "high" | "critical";

const SEVERITIES: Severity[] = ["", "low", "medium", "high", "critical"];

export interface PolicyInfo {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly severity: Severity;
  readonly tags: readonly string[];
  readonly remediationSteps: string;
  readonly url: string;
  readonly framework?: { name: string; version: string; reference: string; specification: string };
  readonly configSchema?: { properties: Record<string, Record<string, unknown>>; required: string[] };
}

export interface AnalyzerInfo {
  readonly name: string;
  readonly version: string;
  readonly supportsConfig: boolean;
  readonly policies: readonly PolicyInfo[];
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly description: string;
  readonly message: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: string;
  readonly severity: Severity;
}

/** A resource as the engine sends it (inputs to Analyze, outputs to AnalyzeStack). */
export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: Record<string, unknown>;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly protect?: boolean;
}

export interface PolicyConfigEntry {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: Array<{ policyName: string; reason: string }>;
}

export interface RemediationResult {
  readonly policyName: string;
  readonly properties?: Record<string, unknown>;
  readonly diagnostic: string;
}

function toDiagnostic(d: analyzerpb.AnalyzeDiagnostic): Diagnostic {
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    description: d.getDescription(),
    message: d.getMessage(),
    enforcementLevel: levelOfNumber(d.getEnforcementlevel()) ?? "advisory",
    urn: d.getUrn(),
    severity: SEVERITIES[d.getSeverity()] ?? "",
  };
}

/** The fields AnalyzeRequest and AnalyzerResource share. */
interface ResourceMessage {
  setType(v: string): unknown;
  setUrn(v: string): unknown;
  setName(v: string): unknown;
  setProperties(v?: Struct): unknown;
  setOptions(v?: analyzerpb.AnalyzerResourceOptions): unknown;
}

function fill<M extends ResourceMessage>(msg: M, r: EngineResource): M {
  msg.setType(r.type);
  msg.setUrn(r.urn);
  msg.setName(r.name);
  msg.setProperties(Struct.fromJavaScript(r.properties as never));
  msg.setOptions(options(r));
  return msg;
}

function options(r: EngineResource): analyzerpb.AnalyzerResourceOptions {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** The engine's side of the Analyzer protocol, over gRPC, with the protocol classes @pulumi/pulumi ships. */
export class EngineAnalyzerClient {
  private readonly client: AnalyzerClient;

  constructor(port: number) {
    this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
  }

  private call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.client, req, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)));
    });
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const info = await this.call<Empty, analyzerpb.AnalyzerInfo>(this.client.getAnalyzerInfo, new Empty());
    return {
      name: info.getName(),
      version: info.getVersion(),
      supportsConfig: info.getSupportsconfig(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        const fw = p.getFramework();
        return {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: levelOfNumber(p.getEnforcementlevel()) ?? "advisory",
          severity: SEVERITIES[p.getSeverity()] ?? "",
          tags: p.getTagsList(),
          remediationSteps: p.getRemediationSteps(),
          url: p.getUrl(),
          framework: fw
            ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() }
            : undefined,
          configSchema: schema
            ? {
                properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
                required: schema.getRequiredList(),
              }
            : undefined,
        };
      }),
    };
  }

  async configure(config: Readonly<Record<string, PolicyConfigEntry>>): Promise<void> {
    const req = new analyzerpb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
      const pc = new analyzerpb.PolicyConfig();
      pc.setEnforcementlevel(numberOfLevel(entry.enforcementLevel) as analyzerpb.EnforcementLevel);
      pc.setProperties(Struct.fromJavaScript(entry.properties as never));
      map.set(name, pc);
    }
    await this.call(this.client.configure, req);
  }

  async configureStack(stack: string, project: string, dryRun: boolean, tags: Record<string, string> = {}): Promise<void> {
    const req = new analyzerpb.AnalyzerStackConfigureRequest();
    req.setStack(stack);
    req.setProject(project);
    req.setOrganization("organization");
    req.setDryRun(dryRun);
    for (const [k, v] of Object.entries(tags)) req.getTagsMap().set(k, v);
    await this.call(this.client.configureStack, req);
  }

  private analyzeRequest(r: EngineResource): analyzerpb.AnalyzeRequest {
    return fill(new analyzerpb.AnalyzeRequest(), r);
  }

  async analyze(r: EngineResource): Promise<AnalyzeResult> {
    const res = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(this.client.analyze, this.analyzeRequest(r));
    return {
      diagnostics: res.getDiagnosticsList().map(toDiagnostic),
      notApplicable: res.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
  }

  async remediate(r: EngineResource): Promise<RemediationResult[]> {
    const res = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.RemediateResponse>(this.client.remediate, this.analyzeRequest(r));
    return res.getRemediationsList().map((m) => ({
      policyName: m.getPolicyname(),
      properties: m.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
      diagnostic: m.getDiagnostic(),
    }));
  }

  async analyzeStack(resources: readonly EngineResource[]): Promise<AnalyzeResult> {
    const req = new analyzerpb.AnalyzeStackRequest();
    for (const r of resources) {
      const ar = fill(new analyzerpb.AnalyzerResource(), r);
      if (r.parent) ar.setParent(r.parent);
      ar.setDependenciesList([...(r.dependencies ?? [])]);
      const pd = ar.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the engine sends only non-empty entries
        const deps = new analyzerpb.AnalyzerPropertyDependencies();
        deps.setUrnsList([...urns]);
        pd.set(k, deps);
      }
      req.addResources(ar);
    }
    const res = await this.call<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(this.client.analyzeStack, req);
    return {
      diagnostics: res.getDiagnosticsList().map(toDiagnostic),
      notApplicable: res.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
  }

  close(): void {
    this.client.close();
  }
}
