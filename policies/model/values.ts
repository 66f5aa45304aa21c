import { printedForms } from "./secretForms";

/**
 * Defensive reading of resource properties as the engine sends them: any value may be
 * missing, of the wrong type, or an unknown-value sentinel (preview). Readers never throw;
 * they return the value, `undefined` (absent), or an `Indeterminate` saying why the value
 * cannot be used, so callers can fail closed and name the cause.
 */

/** The engine's sentinel for an unknown computed value; the pack also reads anything nested past MAX_PROPERTY_DEPTH as it. */
export const UNKNOWN_AT_DEPTH = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The sentinels the Pulumi engine sends for values that are unknown during preview. */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  UNKNOWN_AT_DEPTH,
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/**
 * How deep property values are read. Nothing in an azure-native shape comes near it; what lies deeper is read as unknown
 * (never as absent), so a reference hidden under deep nesting fails closed instead of vanishing.
 */
export const MAX_PROPERTY_DEPTH = 256;

export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export class Indeterminate {
  constructor(
    readonly kind: "unknown" | "malformed",
    readonly expected?: string,
  ) {}

  describe(): string {
    return this.kind === "unknown" ? "unknown at preview" : `malformed (expected ${this.expected ?? "a value"})`;
  }
}

export const UNKNOWN = new Indeterminate("unknown");
const MALFORMED = {
  string: new Indeterminate("malformed", "a string"),
  number: new Indeterminate("malformed", "a number"),
  boolean: new Indeterminate("malformed", "a boolean"),
  array: new Indeterminate("malformed", "a list"),
  object: new Indeterminate("malformed", "an object"),
};

export type Read<T> = T | Indeterminate | undefined;

export function isIndeterminate(v: unknown): v is Indeterminate {
  return v instanceof Indeterminate;
}

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

export type RawObject = Record<string, unknown>;

/**
 * Every string anywhere in `v`, at any depth (iteratively: a reference nested deeper than a fixed limit must not go
 * unseen, and a deep value must not overflow the call stack).
 */
export function eachString(v: unknown, visit: (s: string) => void): void {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x === "string") visit(x);
    // No spread: a garbage array of a million entries would overflow the argument list.
    else if (Array.isArray(x)) for (const y of x) stack.push(y);
    else if (typeof x === "object" && x !== null) for (const k of Object.keys(x)) stack.push((x as Record<string, unknown>)[k]);
  }
}

export function isPlainObject(v: unknown): v is RawObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Own property of an object; an unknown container makes the field unknown. */
export function field(v: unknown, key: string): unknown {
  if (isUnknownSentinel(v)) return v;
  if (!isPlainObject(v)) return undefined;
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

/** Follows a path of keys; stops at the first unknown. */
export function path(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (isUnknownSentinel(cur)) return cur;
    cur = field(cur, k);
  }
  return cur;
}

export function str(v: unknown): Read<string> {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return UNKNOWN_SENTINELS.has(v) ? UNKNOWN : v;
  return MALFORMED.string;
}

/** A number, also accepting a decimal string (ARM accepts both for ports and priorities). */
export function num(v: unknown): Read<number> {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? v : MALFORMED.number;
  if (typeof v === "string") {
    if (UNKNOWN_SENTINELS.has(v)) return UNKNOWN;
    const t = v.trim();
    if (/^-?\d+$/.test(t)) return Number(t);
  }
  return MALFORMED.number;
}

export function bool(v: unknown): Read<boolean> {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (UNKNOWN_SENTINELS.has(v)) return UNKNOWN;
    const t = v.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
  }
  return MALFORMED.boolean;
}

export function arr(v: unknown): Read<unknown[]> {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v;
  if (isUnknownSentinel(v)) return UNKNOWN;
  return MALFORMED.array;
}

export function obj(v: unknown): Read<RawObject> {
  if (v === undefined || v === null) return undefined;
  if (isPlainObject(v)) return v;
  if (isUnknownSentinel(v)) return UNKNOWN;
  return MALFORMED.object;
}

/** True when the value is present (not undefined/null/empty string), whether known or not. */
export function present(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Removes secret envelopes (as found in `pulumi stack export` files and raw engine structs),
 * recording every plaintext leaf inside one so messages can redact it.
 */
export function unwrapSecrets(v: unknown, sink: Set<string>, inSecret = false, depth = 0): unknown {
  if (depth > MAX_PROPERTY_DEPTH) return UNKNOWN_AT_DEPTH;
  if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x, sink, inSecret, depth + 1));
  if (isPlainObject(v)) {
    if (v[SECRET_SIG_KEY] === SECRET_SIG) {
      const inner = Object.prototype.hasOwnProperty.call(v, "value") ? v.value : "[secret]";
      return unwrapSecrets(inner, sink, true, depth + 1);
    }
    const out: RawObject = {};
    for (const k of Object.keys(v)) out[k] = unwrapSecrets(v[k], sink, inSecret, depth + 1);
    return out;
  }
  if (inSecret) recordSecretLeaf(v, sink);
  return v;
}

/**
 * Records a secret's plaintext, and the forms a message could print it in once the model has read
 * it (trimmed, and every normalised rendering: `printedForms`), so redaction catches those too.
 */
export function recordSecretLeaf(v: unknown, sink: Set<string>): void {
  if (typeof v === "string" && !UNKNOWN_SENTINELS.has(v) && v !== "") {
    sink.add(v);
    const t = v.trim();
    if (t !== "" && t !== v) sink.add(t);
    // A secret resource id is printed by its names (a public IP by its name): record those too.
    if (t.includes("/")) {
      const parts = t.split("/").filter((p) => p !== "");
      const p = parts.findIndex((x) => x.toLowerCase() === "providers");
      const rg = parts.findIndex((x) => x.toLowerCase() === "resourcegroups");
      if (rg >= 0 && parts[rg + 1]) sink.add(parts[rg + 1]);
      if (p >= 0) for (let i = p + 3; i < parts.length; i += 2) sink.add(parts[i]);
    }
    for (const f of printedForms(t)) sink.add(f);
  } else if (typeof v === "number" || typeof v === "boolean") sink.add(String(v));
}
