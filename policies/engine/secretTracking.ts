import { unwrapSecrets } from "../model/values";

/** Plaintexts of values the engine sent as secrets, attached to the deserialized properties object. */
export const SECRETS = Symbol.for("exchange-compromise-guard.secrets");

type Struct = { toJavaScript(): Record<string, unknown> };
type Deserializer = (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;

interface DeserializeModule {
  deserializeProperties: Deserializer;
}

/** The secret plaintexts recorded for a properties object (empty when none, or when it came from elsewhere). */
export function secretsOf(props: unknown): ReadonlySet<string> {
  if (typeof props === "object" && props !== null) {
    const s = (props as Record<symbol, unknown>)[SECRETS];
    if (s instanceof Set) return s as Set<string>;
  }
  return EMPTY;
}
const EMPTY: ReadonlySet<string> = new Set();

let installed = false;

/**
 * @pulumi/policy unwraps secrets to plaintext before policies see them, so a policy cannot tell
 * which values it must never print. This replaces its validate-path deserializer with one that
 * produces the same plain data (unknown sentinels kept, secrets unwrapped) and records each
 * secret's plaintext on the result, and that deserializes each resource once per request
 * instead of once per policy. The remediation path (which keeps Secret wrappers) is untouched.
 * Pinned to @pulumi/policy 1.21; startup fails loudly if the module no longer has this shape.
 */
export function installSecretTracking(mod: DeserializeModule = require("@pulumi/policy/deserialize") as DeserializeModule): void {
  if (installed) return;
  const original = mod.deserializeProperties;
  if (typeof original !== "function") {
    throw new Error(
      "exchange-compromise-guard: @pulumi/policy/deserialize.deserializeProperties not found; this pack requires @pulumi/policy 1.21.x",
    );
  }
  const memo = new WeakMap<object, Record<string, unknown>>();
  mod.deserializeProperties = (struct: Struct, proxySecrets: boolean) => {
    if (proxySecrets) {
      // @pulumi/policy's Remediate handler deserializes outside its try: a throw here would leave the engine waiting
      // forever. A value it cannot deserialize gets no remediation (empty properties); Analyze still judges it.
      try {
        return original(struct, proxySecrets);
      } catch {
        return {};
      }
    }
    const cached = memo.get(struct);
    if (cached) return cached;
    const raw = struct.toJavaScript();
    const secrets = new Set<string>();
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(raw)) {
      // Like @pulumi/policy: a property whose value is undefined does not exist.
      if (raw[k] !== undefined) out[k] = unwrapSecrets(raw[k], secrets);
    }
    Object.defineProperty(out, SECRETS, { value: secrets, enumerable: false });
    memo.set(struct, out);
    return out;
  };
  installed = true;
}
