type PolicyConfigMessage = {
  getPolicyconfigMap(): { forEach(cb: (v: { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined }, k: string) => void): void };
};
type Handler = (call: { request: PolicyConfigMessage }, callback: unknown) => unknown;

/** The properties of every policy as the engine's Configure call set them, policy name → properties. */
let configured: Map<string, Record<string, unknown>> | undefined;

export function configuredProperties(policy: string): Record<string, unknown> | undefined {
  return configured?.get(policy);
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
      impl = {
        ...impl,
        configure: (call: { request: PolicyConfigMessage }, callback: unknown) => {
          try {
            const map = new Map<string, Record<string, unknown>>();
            call.request.getPolicyconfigMap().forEach((v, k) => map.set(k, v.getProperties()?.toJavaScript() ?? {}));
            configured = map;
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
