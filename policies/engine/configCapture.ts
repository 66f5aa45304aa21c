import { EnforcementLevel, levelOfNumber } from "../model/enforcementLevels";

type PolicyConfigMessage = {
  getPolicyconfigMap(): {
    forEach(
      cb: (v: { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined; getEnforcementlevel?(): number }, k: string) => void,
    ): void;
  };
};

type Handler = (call: { request: PolicyConfigMessage }, callback: unknown) => unknown;

/** The properties of every policy as the engine's Configure call set them, policy name → properties. */
let configured: Map<string, Record<string, unknown>> | undefined;
let levels: Map<string, EnforcementLevel> | undefined;

export function configuredProperties(policy: string): Record<string, unknown> | undefined {
  return configured?.get(policy);
}

/**
 * Every entry of the engine's Configure call, policy name → its properties — including names the pack does not
 * have, which the engine passes on without a word: the pack must see them to refuse them.
 */
export function configuredPolicies(): ReadonlyMap<string, Record<string, unknown>> | undefined {
  return configured;
}

/** The level the engine configured for a policy, when it did. */
export function configuredLevel(policy: string): EnforcementLevel | undefined {
  return levels?.get(policy);
}

let dryRun: boolean | undefined;

/**
 * Whether this run is a preview, as the engine's ConfigureStack said (@pulumi/policy keeps only its stack tags), else as
 * the language host put it in the environment; undefined when neither said. A ConfigureStack that names no stack is
 * no deployment's: the language host's policy proxy forwards an empty one when the engine sent none (as `pulumi policy
 * analyze` does), and an empty request reads as dry_run false.
 */
export function configuredDryRun(): boolean | undefined {
  if (dryRun !== undefined) return dryRun;
  const env = process.env.PULUMI_NODEJS_DRY_RUN ?? process.env.PULUMI_DRY_RUN;
  const stack = process.env.PULUMI_NODEJS_STACK ?? process.env.PULUMI_STACK;
  return env === undefined || !stack ? undefined : env === "true";
}

let installed = false;

/**
 * @pulumi/policy hands each policy only its own config, and only when it calls that policy — never
 * if the policy is disabled, and not before Remediate runs. The gate must still be read from its
 * home policy, so this reads the engine's Configure request itself (the first call after
 * GetAnalyzerInfo) by wrapping the handler @pulumi/policy registers with gRPC. Pinned to
 * @pulumi/policy 1.21; the pack's tests over gRPC fail if this stops seeing the config.
 */
export function installConfigCapture(): void {
  if (installed) return;
  const grpcPath = require.resolve("@grpc/grpc-js", { paths: [require.resolve("@pulumi/policy")] });
  const grpc = require(grpcPath) as { Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } } };
  const original = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (this: unknown, service: unknown, impl: Record<string, unknown>) {
    const configure = impl?.configure as Handler | undefined;
    if (typeof configure === "function" && typeof impl.analyzeStack === "function") {
      const configureStack = impl.configureStack as Handler | undefined;
      impl = {
        ...impl,
        ...(typeof configureStack === "function"
          ? {
              configureStack: (call: { request: { getDryRun?(): boolean; getStack?(): string } }, callback: unknown) => {
                try {
                  dryRun = call.request.getStack?.() ? call.request.getDryRun?.() : undefined;
                } catch {
                  // Left unknown: then nothing is admitted, as when the engine sends no ConfigureStack.
                }
                return configureStack(call as never, callback);
              },
            }
          : {}),
        configure: (call: { request: PolicyConfigMessage }, callback: unknown) => {
          try {
            const map = new Map<string, Record<string, unknown>>();
            const lv = new Map<string, EnforcementLevel>();
            call.request.getPolicyconfigMap().forEach((v, k) => {
              map.set(k, v.getProperties()?.toJavaScript() ?? {});
              const n = v.getEnforcementlevel?.();
              const level = n === undefined ? undefined : levelOfNumber(n);
              if (level) lv.set(k, level);
            });
            configured = map;
            levels = lv;
          } catch {
            // The request is @pulumi/policy's to judge; a shape we cannot read leaves the gate at its defaults.
          }
          return configure(call, callback);
        },
      };
    }
    return original.call(this, service, impl);
  };
  installed = true;
}
