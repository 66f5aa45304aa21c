import * as fs from "fs";
import type { EngineResource } from "../../packDriver/analyzerClient";
import { normalizeId, T } from "../../../policies/model";
import { InputError } from "../../errors";
import { armToProps } from "./armShape";
import { assemblePages, QueryName, readPage, Row } from "./pages";

/** The live estate as the pack sees a stack: one resource per Resource Graph row, its URN the resource's ARM id. */
export interface LiveEstate {
  readonly resources: EngineResource[];
  /** Rows per query, for the report's title. */
  readonly counts: ReadonlyMap<QueryName, number>;
  /** What the estate cannot show and the reader should know (a query not given). */
  readonly notes: readonly string[];
}

/** Resource Graph writes no envelope for a resource whose provider returned none; such a row is read as having no properties. */
function bodyOf(row: Row): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (["resourceGroup", "subscriptionId", "tenantId", "exgQuery"].includes(k)) continue;
    body[k] = v;
  }
  if (body.properties === null || body.properties === undefined) body.properties = {};
  return body;
}

export function rowToResource(row: Row): EngineResource {
  const view = armToProps(bodyOf(row), { resourceGroup: typeof row.resourceGroup === "string" ? row.resourceGroup : undefined });
  return { urn: String(row.id), type: view.token, name: view.name, properties: view.props, dependencies: [], propertyDependencies: {} };
}

/**
 * Resources whose rules live in Resource Graph's NetworkResources table (which a query on Resources cannot join):
 * without that query's output their rules are unseen, and unseen DNAT or AlwaysAllow rules would pass a host.
 */
function needsNetworkResources(resources: readonly EngineResource[]): string[] {
  const out: string[] = [];
  for (const r of resources) {
    if (r.type === T.FirewallPolicy && Array.isArray(r.properties.ruleCollectionGroups) && r.properties.ruleCollectionGroups.length > 0) {
      out.push(`Firewall Policy ${r.name} (its rule collection groups)`);
    }
    if (r.type === "azure-native:network:networkmanagers") out.push(`Virtual Network Manager ${r.name} (its security admin rules)`);
  }
  return out;
}

/** Reads every file given to `audit --azure` as one estate; throws InputError (exit 2) naming the file at fault. */
export function readLiveEstate(files: readonly string[]): LiveEstate {
  if (files.length === 0) throw new InputError("--azure needs at least one file of Resource Graph output");
  const pages = files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
    }
    return readPage(file, text);
  });
  const byQuery = assemblePages(pages);
  const resources: EngineResource[] = [];
  const seen = new Map<string, string>();
  for (const [query, rows] of byQuery) {
    for (const row of rows) {
      const key = normalizeId(String(row.id));
      const before = seen.get(key);
      if (before !== undefined)
        throw new InputError(`${String(row.id)} appears twice (in the ${before} and ${query} output): pages of different runs were mixed`);
      seen.set(key, query);
      resources.push(rowToResource(row));
    }
  }
  const notes: string[] = [];
  if (!byQuery.has("network-resources")) {
    const unseen = needsNetworkResources(resources);
    if (unseen.length > 0) {
      throw new InputError(
        `the estate has ${unseen.join(", ")}, whose rules only Resource Graph's NetworkResources table holds: ` +
          `run pipelines/resource-graph/network-resources.kql and pass its output to --azure too`,
      );
    }
  }
  if (!byQuery.has("security-assessments")) {
    notes.push("no security-assessments query output was given: no host can be verified (pipelines/resource-graph/security-assessments.kql)");
  }
  return { resources, counts: new Map([...byQuery].map(([q, rows]) => [q, rows.length])), notes };
}
