import type { PolicyResource, ResourceValidationArgs } from "@pulumi/policy";
import { ResourceInput } from "../model/graph";
import { toResourceInput } from "../model/resourceInputs";
import { secretsOf } from "./secretTracking";

/** The proxy @pulumi/policy puts around properties hands out its target under this key without reading any value. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The properties as plain data, without going through the unknown-checking proxy: reading an
 * unknown through the proxy makes @pulumi/policy downgrade a mandatory policy to an advisory
 * "can't run during preview". The model reads unknown sentinels itself and fails closed.
 */
export function rawProps(props: unknown): unknown {
  if (typeof props === "object" && props !== null) {
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    if (typeof target === "object" && target !== null) return target;
  }
  return props;
}

export function stackResources(resources: readonly PolicyResource[]): { inputs: ResourceInput[]; secrets: Set<string> } {
  const secrets = new Set<string>();
  const inputs = resources.map((r) => {
    const props = rawProps(r.props);
    for (const s of secretsOf(props)) secrets.add(s);
    const propertyDependencies: Record<string, string[]> = {};
    for (const k of Object.keys(r.propertyDependencies ?? {})) propertyDependencies[k] = r.propertyDependencies[k].map((d) => d.urn);
    return toResourceInput({
      urn: r.urn,
      type: r.type,
      name: r.name,
      properties: props,
      dependencies: (r.dependencies ?? []).map((d) => d.urn),
      propertyDependencies,
      parent: r.parent?.urn,
    });
  });
  return { inputs, secrets };
}

export function resourceInput(args: ResourceValidationArgs): { input: ResourceInput; secrets: ReadonlySet<string> } {
  const props = rawProps(args.props);
  return { input: toResourceInput({ urn: args.urn, type: args.type, name: args.name, properties: props }), secrets: secretsOf(props) };
}

/** Replaces every secret plaintext in a message; longest first so a secret inside another is not half-shown. */
export function redact(message: string, secrets: ReadonlySet<string>): string {
  if (secrets.size === 0) return message;
  // Mark with a character no message contains, so a shorter secret cannot match inside a replacement.
  const MARK = "\u0000";
  let out = message;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s !== "" && out.includes(s)) out = out.split(s).join(MARK);
  }
  return out.split(MARK).join("[secret]");
}
