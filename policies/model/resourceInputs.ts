import type { ResourceInput } from "./graph";
import { unwrapSecrets } from "./values";

/**
 * A resource as the Pulumi engine describes it to a policy pack (AnalyzeStack's resources: properties, and links by
 * URN) and as a stack export holds it. The pack, the CLI and the tests all make the model's input from this one shape.
 */
export interface EngineResourceShape {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly properties: unknown;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The model's input for one resource. Given `secrets`, every secret envelope in its properties is unwrapped and its
 * plaintext recorded there (so messages can be redacted); without it the properties are taken as they are (the pack's
 * engine adapter has unwrapped them already and recorded the secrets itself).
 */
export function toResourceInput(r: EngineResourceShape, secrets?: Set<string>): ResourceInput {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    props: secrets ? unwrapSecrets(r.properties, secrets) : r.properties,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    parent: r.parent,
  };
}

export function toResourceInputs(resources: readonly EngineResourceShape[], secrets?: Set<string>): ResourceInput[] {
  return resources.map((r) => toResourceInput(r, secrets));
}
