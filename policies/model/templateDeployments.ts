import { evaluate, evaluateEntries, TemplateScope } from "./armExpressions";
import { GraphNode, ResourceGraph } from "./graph";
import { field, isUnknownSentinel, path, present, str, UNKNOWN_AT_DEPTH } from "./values";

/** azure-native's ARM template deployments, at every scope, and deployment stacks (which deploy a template too). */
export const TEMPLATE_DEPLOYMENTS: ReadonlySet<string> = new Set(
  [
    "Deployment",
    "DeploymentAtScope",
    "DeploymentAtSubscriptionScope",
    "DeploymentAtManagementGroupScope",
    "DeploymentAtTenantScope",
    "DeploymentStackAtResourceGroup",
    "DeploymentStackAtSubscription",
    "DeploymentStackAtManagementGroup",
  ].map((t) => `azure-native:resources:${t}`),
);

/** ARM types of machines a template may declare (the typed resources hosts.ts treats as machines). */
const MACHINE_TYPE = /^microsoft\.(?:classic)?compute\/(?:virtualmachines|virtualmachinescalesets)$/i;
const NESTED_DEPLOYMENT = /^microsoft\.resources\/deployments$/i;

/** A machine a deployment's template declares, with its tags as far as they can be read. */
export interface TemplateMachine {
  readonly deployment: GraphNode;
  /** The machine's name as the template writes it, evaluated where possible. */
  readonly name: string;
  readonly armType: string;
  /** Tag name → value; a value the pack cannot evaluate is the engine's unknown sentinel, so the tag readers treat it so. */
  readonly tags: unknown;
}

/** What a deployment declares that the pack cannot see: a linked or unknown template. */
export interface OpaqueTemplate {
  readonly deployment: GraphNode;
  readonly why: string;
}

export interface TemplateReading {
  readonly machines: readonly TemplateMachine[];
  readonly opaque: readonly OpaqueTemplate[];
}

const UNKNOWN_VALUE = UNKNOWN_AT_DEPTH;

function lookup(obj: unknown, name: string): unknown {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  const hit = Object.entries(obj).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return hit?.[1];
}

function scopeOf(template: unknown, parameters: unknown, resourceGroup: string | undefined): TemplateScope {
  return {
    parameters: (name) => {
      const given = lookup(parameters, name);
      if (given !== undefined) {
        // A parameter given as { value } is that value; a Key Vault reference or an unknown one is not readable here.
        const v = field(given, "value");
        return v === undefined || isUnknownSentinel(v) ? undefined : v;
      }
      return field(lookup(field(template, "parameters"), name), "defaultValue");
    },
    variables: (name) => lookup(field(template, "variables"), name),
    resourceGroup,
  };
}

/** The resources of a template: a list, or (language version 2.0) an object of symbolic names. */
function resourcesOf(template: unknown): unknown[] | undefined {
  const r = field(template, "resources");
  if (Array.isArray(r)) return r;
  if (typeof r === "object" && r !== null && !isUnknownSentinel(r)) return Object.values(r);
  return r === undefined ? [] : undefined;
}

/**
 * The machines ARM template deployments declare, and the deployments whose template the pack cannot read (linked,
 * unknown at preview): nested inline deployments are read too. A deployed stack's outputs do not carry the template;
 * then the ids of its output resources say which machines it made (their tags unknown).
 */
export function readTemplateDeployments(graph: ResourceGraph): TemplateReading {
  const machines: TemplateMachine[] = [];
  const opaque: OpaqueTemplate[] = [];
  for (const t of TEMPLATE_DEPLOYMENTS) {
    for (const node of graph.ofType(t)) {
      const inProperties = present(field(node.props, "properties")) && !t.includes("Stack");
      const holder = inProperties ? field(node.props, "properties") : node.props;
      if (isUnknownSentinel(holder)) {
        opaque.push({ deployment: node, why: "its properties are unknown at preview" });
        continue;
      }
      const rgRead = str(field(node.props, "resourceGroupName"));
      walkTemplate(
        node,
        field(holder, "template"),
        field(holder, "templateLink"),
        field(holder, "parameters"),
        typeof rgRead === "string" ? rgRead : undefined,
        machines,
        opaque,
        0,
        path(holder, "outputResources"),
      );
    }
  }
  return { machines, opaque };
}

function walkTemplate(
  node: GraphNode,
  template: unknown,
  templateLink: unknown,
  parameters: unknown,
  resourceGroup: string | undefined,
  machines: TemplateMachine[],
  opaque: OpaqueTemplate[],
  depth: number,
  outputResources?: unknown,
): void {
  const where = depth === 0 ? "its template" : "a nested deployment's template";
  if (present(templateLink) && template === undefined) {
    opaque.push({ deployment: node, why: `${where} is linked (templateLink), which the pack cannot read` });
    return;
  }
  if (isUnknownSentinel(template)) {
    opaque.push({ deployment: node, why: `${where} is unknown at preview` });
    return;
  }
  if (template === undefined) {
    // A deployed deployment's outputs list what it made by id, not its template.
    if (depth === 0 && Array.isArray(outputResources)) {
      for (const r of outputResources) {
        const id = str(field(r, "id"));
        if (typeof id !== "string") continue;
        const parts = id.split("/").filter((p) => p !== "");
        const p = parts.map((x) => x.toLowerCase()).lastIndexOf("providers");
        const armType = p >= 0 && parts[p + 2] ? `${parts[p + 1]}/${parts[p + 2]}` : "";
        if (MACHINE_TYPE.test(armType) && parts.length === p + 4)
          machines.push({ deployment: node, name: parts[p + 3], armType, tags: UNKNOWN_VALUE });
      }
      return;
    }
    opaque.push({ deployment: node, why: `${where} cannot be read` });
    return;
  }
  const resources = resourcesOf(template);
  if (resources === undefined || depth > 8) {
    opaque.push({ deployment: node, why: `the resources of ${where} cannot be read` });
    return;
  }
  const scope = scopeOf(template, parameters, resourceGroup);
  for (const r of resources) {
    const type = evaluate(field(r, "type"), scope);
    if (!type.known || typeof type.value !== "string") {
      opaque.push({ deployment: node, why: `${where} declares a resource whose type ${type.text} the pack cannot evaluate` });
      continue;
    }
    if (NESTED_DEPLOYMENT.test(type.value)) {
      const props = field(r, "properties");
      // A nested deployment's parameters are the outer template's expressions; with outer scope evaluation they would
      // need both scopes, so the nested template is read with its own defaults only.
      walkTemplate(node, field(props, "template"), field(props, "templateLink"), undefined, resourceGroup, machines, opaque, depth + 1);
      continue;
    }
    if (!MACHINE_TYPE.test(type.value)) continue;
    const name = evaluate(field(r, "name"), scope);
    machines.push({
      deployment: node,
      name: name.known ? String(name.value) : name.text,
      armType: type.value,
      tags: tagsOf(field(r, "tags"), scope),
    });
  }
}

/** A template resource's tags as tag readers take them: unknown as a whole, or each value known or the unknown sentinel. */
function tagsOf(raw: unknown, scope: TemplateScope): unknown {
  if (raw === undefined) return undefined;
  const entries = evaluateEntries(raw, scope);
  if (entries === undefined) return UNKNOWN_VALUE;
  const out: Record<string, unknown> = {};
  for (const [k, e] of entries) out[k] = e.known && typeof e.value === "string" ? e.value : UNKNOWN_VALUE;
  return out;
}
