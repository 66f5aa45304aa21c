/**
 * ARM resource ids as Azure compares them: case-insensitive, with or without the leading
 * slash. Parsing yields the provider type chain and names, so a reference to a child
 * (`.../loadBalancers/lb1/backendAddressPools/pool1`) can be matched to its parent resource.
 */
export interface ArmId {
  /** Lower-cased, no leading or trailing slash. */
  readonly normalized: string;
  readonly subscription?: string;
  readonly resourceGroup?: string;
  /** e.g. "microsoft.network/loadbalancers/backendaddresspools" (lower case). */
  readonly type?: string;
  /** Names along the type chain, original case: ["lb1", "pool1"]. */
  readonly names: readonly string[];
}

export function normalizeId(id: string): string {
  return id
    .trim()
    .replace(/^\/+|\/+$/g, "")
    .replace(/\/{2,}/g, "/")
    .toLowerCase();
}

export function parseArmId(id: string): ArmId {
  const normalized = normalizeId(id);
  const parts = id
    .trim()
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .filter((p) => p !== "");
  let subscription: string | undefined;
  let resourceGroup: string | undefined;
  let i = 0;
  if (parts[i]?.toLowerCase() === "subscriptions" && parts[i + 1] !== undefined) {
    subscription = parts[i + 1].toLowerCase();
    i += 2;
  }
  if (parts[i]?.toLowerCase() === "resourcegroups" && parts[i + 1] !== undefined) {
    resourceGroup = parts[i + 1].toLowerCase();
    i += 2;
  }
  // Take the last provider segment: extension resources nest one provider under another.
  let p = -1;
  for (let k = parts.length - 1; k >= i; k--) {
    if (parts[k].toLowerCase() === "providers") {
      p = k;
      break;
    }
  }
  if (p < 0 || parts[p + 1] === undefined) return { normalized, subscription, resourceGroup, names: [] };
  const namespace = parts[p + 1].toLowerCase();
  const types: string[] = [];
  const names: string[] = [];
  for (let k = p + 2; k + 1 < parts.length; k += 2) {
    types.push(parts[k].toLowerCase());
    names.push(parts[k + 1]);
  }
  return { normalized, subscription, resourceGroup, type: [namespace, ...types].join("/"), names };
}

/** The id of the top-level resource a child id belongs to (the first type/name pair after the provider). */
export function topLevelId(id: ArmId): string | undefined {
  if (!id.type || id.names.length === 0) return undefined;
  const idx = id.normalized.lastIndexOf("/providers/");
  if (idx < 0) return undefined;
  const rest = id.normalized.slice(idx + "/providers/".length).split("/");
  // namespace / type / name
  if (rest.length < 3) return undefined;
  return id.normalized.slice(0, idx) + "/providers/" + rest.slice(0, 3).join("/");
}

/** The child path below the top-level resource: [["backendaddresspools", "pool1"]]. */
export function childPath(id: ArmId): Array<[string, string]> {
  if (!id.type) return [];
  const types = id.type.split("/").slice(2);
  return types.map((t, k) => [t, id.names[k + 1]]);
}
