import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import type { EngineResource } from "../packDriver/analyzerClient";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { specialResourceSig as RESOURCE_SIG, specialSigKey as SIG_KEY, unknownValue as UNKNOWN_STRING } from "@pulumi/pulumi/runtime/rpc";

/** A registration as the engine received it: raw inputs (unknown sentinels and secret envelopes intact) and the links the SDK declared. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly inputs: Record<string, unknown>;
  readonly id: string | undefined;
  outputs: Record<string, unknown>;
}

/** Resource references become what the engine sends a policy: the id, or the URN while the id is unknown. */
function engineForm(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(engineForm);
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === RESOURCE_SIG) return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = engineForm(o[k]);
    return out;
  }
  return v;
}

export interface CaptureOptions {
  readonly project: string;
  readonly stack: string;
  /** The stack config as the engine passes it (`<namespace>:<key>` → the CLI's string encoding); replaces any earlier. */
  readonly config?: Readonly<Record<string, string>>;
  /** Preview: ids of new resources unknown, as in a first `pulumi preview`. */
  readonly preview: boolean;
  /**
   * Mock answers for invokes (getClientConfig, getDisk, ...). To say "not found", throw an error carrying a gRPC
   * `details` string: the SDK builds the program's error from `details` only.
   */
  readonly call?: (args: MockCallArgs) => Record<string, unknown>;
  /** The id a resource gets once created (update form only). */
  readonly idFor?: (args: MockResourceArgs) => string;
  /** Extra outputs the cloud would compute (update form only). */
  readonly outputsFor?: (args: MockResourceArgs, id: string) => Record<string, unknown>;
}

/** The URN the engine gives a registration: the parent's whole qualified type chain, then `$` and the type (a child of the stack gets no prefix). */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : "";
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** A MockMonitor that also records each raw RegisterResourceRequest, which `setMocks`' callbacks never see. */
class CaptureMonitor extends MockMonitor {
  readonly registrations = new Map<string, Registration>();

  constructor(
    mocks: ConstructorParameters<typeof MockMonitor>[0],
    private readonly extraOutputs?: CaptureOptions["outputsFor"],
  ) {
    super(mocks);
    // The SDK's mock (a private method) keeps only the parent's last type; the engine keeps the whole chain, and so
    // must every URN the program and the pack see.
    (this as unknown as { newUrn: (parent: string, type: string, name: string) => string }).newUrn = (parent, type, name) =>
      engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
  }

  override async registerResource(req: RegisterResourceRequest, callback: (err: unknown, res: RegisterResourceResponse) => void): Promise<void> {
    const type: string = req.getType();
    const name: string = req.getName();
    const parent: string = req.getParent();
    const urn = engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
      const urns: string[] = v.getUrnsList();
      if (urns.length > 0) propertyDependencies[k] = urns;
    });
    const inputs = engineForm(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    await super.registerResource(req, (err: unknown, res: RegisterResourceResponse) => {
      if (!err) {
        const id: string = res.getId();
        const custom = req.getCustom();
        // The engine's view of outputs: the inputs (secrets still at the leaves where the program put them) plus what
        // the cloud computes. The mock's own echo of the state would wrap whole objects as secret.
        const outputs = custom
          ? { ...inputs, ...(id && this.extraOutputs ? this.extraOutputs({ type, name, inputs, custom, provider: "", id: "" }, id) : {}) }
          : {};
        this.registrations.set(urn, {
          urn,
          type,
          name,
          custom,
          parent,
          dependencies: req.getDependenciesList(),
          propertyDependencies,
          inputs,
          id: id === "" ? undefined : id,
          outputs,
        });
      }
      callback(err, res);
    });
  }
}

/**
 * Runs a Pulumi program in-process under the mock runtime and returns every registered
 * resource with its parent, dependencies and propertyDependencies: what the engine would
 * hand a policy pack for this program.
 */
export async function captureStack(program: () => Promise<unknown>, opts: CaptureOptions): Promise<Registration[]> {
  const monitor = new CaptureMonitor(
    {
      newResource: (args: MockResourceArgs) => {
        if (opts.preview || !args.custom) return { id: opts.preview ? undefined : `${args.name}-id`, state: args.inputs };
        const id = opts.idFor ? opts.idFor(args) : `${args.name}-id`;
        return { id, state: { ...args.inputs, ...(opts.outputsFor?.(args, id) ?? {}) } };
      },
      call: (args: MockCallArgs) => {
        if (!opts.call) throw new Error(`no mock for invoke ${args.token}`);
        return opts.call(args);
      },
    },
    opts.preview ? undefined : opts.outputsFor,
  );
  pulumi.runtime.setMockOptions(monitor, opts.project, opts.stack, opts.preview);
  pulumi.runtime.setAllConfig({ ...(opts.config ?? {}) }, []);
  // What setMocks turns on: secrets and resource references travel as the engine would see them.
  const store = (require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, boolean> }).getStore();
  store.supportsSecrets = true;
  store.supportsResourceReferences = true;
  store.supportsOutputValues = false;
  store.supportsDeletedWith = true;
  store.supportsAliasSpecs = true;
  store.supportsTransforms = false;
  await program();
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return [...monitor.registrations.values()];
}

/** Engine view of captured registrations: inputs for Analyze, outputs for AnalyzeStack (ids unknown at preview). */
export function toEngineResources(regs: readonly Registration[], preview: boolean): { analyze: EngineResource[]; analyzeStack: EngineResource[] } {
  const analyze: EngineResource[] = [];
  const analyzeStack: EngineResource[] = [];
  for (const r of regs) {
    const common = {
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent || undefined,
      dependencies: r.dependencies,
      propertyDependencies: r.propertyDependencies,
    };
    analyze.push({ ...common, properties: r.inputs });
    const outputs = { ...r.outputs };
    if (r.custom) outputs.id = preview ? UNKNOWN_STRING : (r.id ?? UNKNOWN_STRING);
    analyzeStack.push({ ...common, properties: outputs });
  }
  return { analyze, analyzeStack };
}
