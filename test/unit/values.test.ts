import {
  arr,
  bool,
  eachString,
  MAX_PROPERTY_DEPTH,
  field,
  Indeterminate,
  isIndeterminate,
  isUnknownSentinel,
  num,
  obj,
  path,
  present,
  recordSecretLeaf,
  SECRET_SIG,
  SECRET_SIG_KEY,
  str,
  UNKNOWN,
  UNKNOWN_SENTINELS,
  unwrapSecrets,
} from "../../policies/model/values";
import { UNKNOWN as SENTINEL } from "../support/estate";

const ALL_SENTINELS = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];
const envelope = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG, value });
const malformed = (v: unknown) => (isIndeterminate(v) && v.kind === "malformed" ? v.describe() : `not malformed: ${String(v)}`);

describe("unknown sentinels and Indeterminate", () => {
  it("knows every sentinel the engine sends, and nothing else", () => {
    expect([...UNKNOWN_SENTINELS].sort()).toEqual([...ALL_SENTINELS].sort());
    for (const s of ALL_SENTINELS) expect(isUnknownSentinel(s)).toBe(true);
    expect(isUnknownSentinel(SENTINEL.toUpperCase())).toBe(false);
    expect(isUnknownSentinel(` ${SENTINEL}`)).toBe(false);
    expect(isUnknownSentinel("00000000-0000-0000-0000-000000000000")).toBe(false);
    expect(isUnknownSentinel(undefined)).toBe(false);
    expect(isUnknownSentinel({ id: SENTINEL })).toBe(false);
  });

  it("describes itself in words", () => {
    expect(UNKNOWN.kind).toBe("unknown");
    expect(UNKNOWN.describe()).toBe("unknown at preview");
    expect(new Indeterminate("malformed", "a port").describe()).toBe("malformed (expected a port)");
    expect(new Indeterminate("malformed").describe()).toBe("malformed (expected a value)");
  });

  it("isIndeterminate only accepts Indeterminate instances", () => {
    expect(isIndeterminate(UNKNOWN)).toBe(true);
    expect(isIndeterminate(new Indeterminate("malformed"))).toBe(true);
    expect(isIndeterminate({ kind: "unknown", describe: () => "x" })).toBe(false);
    expect(isIndeterminate(SENTINEL)).toBe(false);
    expect(isIndeterminate(undefined)).toBe(false);
  });
});

describe("field and path", () => {
  it("reads own properties of plain objects only", () => {
    expect(field({ a: 1 }, "a")).toBe(1);
    expect(field({ a: null }, "a")).toBeNull();
    expect(field({ a: 1 }, "b")).toBeUndefined();
    expect(field({}, "toString")).toBeUndefined();
    expect(field(Object.create({ inherited: 1 }), "inherited")).toBeUndefined();
    expect(field(["x"], "0")).toBeUndefined();
    expect(field(["x"], "length")).toBeUndefined();
    expect(field("abc", "length")).toBeUndefined();
    expect(field(null, "a")).toBeUndefined();
    expect(field(undefined, "a")).toBeUndefined();
    expect(field(7, "a")).toBeUndefined();
  });

  it("keeps an unknown container unknown", () => {
    expect(field(SENTINEL, "a")).toBe(SENTINEL);
    expect(field("not-a-sentinel", "a")).toBeUndefined();
  });

  it("follows a path and stops at the first unknown", () => {
    const v = { a: { b: { c: 3 } }, u: SENTINEL, n: null };
    expect(path(v, "a", "b", "c")).toBe(3);
    expect(path(v, "a", "b")).toEqual({ c: 3 });
    expect(path(v)).toBe(v);
    expect(path(v, "a", "x", "c")).toBeUndefined();
    expect(path(v, "n", "x")).toBeUndefined();
    expect(path(v, "u", "x", "y")).toBe(SENTINEL);
    expect(path(SENTINEL, "a")).toBe(SENTINEL);
  });
});

describe("str", () => {
  it("reads strings, absent and unknown values", () => {
    expect(str("abc")).toBe("abc");
    expect(str("")).toBe("");
    expect(str(" x ")).toBe(" x ");
    expect(str(undefined)).toBeUndefined();
    expect(str(null)).toBeUndefined();
    for (const s of ALL_SENTINELS) expect(str(s)).toBe(UNKNOWN);
  });

  it("calls anything else malformed", () => {
    for (const v of [1, true, {}, [], ["a"]]) expect(malformed(str(v))).toBe("malformed (expected a string)");
  });
});

describe("num", () => {
  it("reads finite numbers and integer strings", () => {
    expect(num(0)).toBe(0);
    expect(num(443)).toBe(443);
    expect(num(-1.5)).toBe(-1.5);
    expect(num("443")).toBe(443);
    expect(num(" 100 ")).toBe(100);
    expect(num("-7")).toBe(-7);
    expect(num("007")).toBe(7);
  });

  it("keeps absent and unknown apart from malformed", () => {
    expect(num(undefined)).toBeUndefined();
    expect(num(null)).toBeUndefined();
    expect(num(SENTINEL)).toBe(UNKNOWN);
  });

  it("rejects non-finite numbers, non-integer strings and other types", () => {
    for (const v of [NaN, Infinity, -Infinity, "", " ", "4.5", "1e3", "0x10", "+5", "12a", "a12", "1 2", true, {}, [443]]) {
      expect(malformed(num(v))).toBe("malformed (expected a number)");
    }
  });
});

describe("bool", () => {
  it("reads booleans and their strings in any case", () => {
    expect(bool(true)).toBe(true);
    expect(bool(false)).toBe(false);
    expect(bool("true")).toBe(true);
    expect(bool(" TRUE ")).toBe(true);
    expect(bool("False")).toBe(false);
    expect(bool(" false")).toBe(false);
  });

  it("keeps absent and unknown apart from malformed", () => {
    expect(bool(undefined)).toBeUndefined();
    expect(bool(null)).toBeUndefined();
    expect(bool(SENTINEL)).toBe(UNKNOWN);
  });

  it("rejects anything else", () => {
    for (const v of ["yes", "1", "", "truee", 1, 0, {}, []]) expect(malformed(bool(v))).toBe("malformed (expected a boolean)");
  });
});

describe("arr and obj", () => {
  it("arr reads lists", () => {
    const a = [1, 2];
    expect(arr(a)).toBe(a);
    expect(arr([])).toEqual([]);
    expect(arr(undefined)).toBeUndefined();
    expect(arr(null)).toBeUndefined();
    expect(arr(SENTINEL)).toBe(UNKNOWN);
    for (const v of ["x", "", 1, {}, { 0: "a", length: 1 }]) expect(malformed(arr(v))).toBe("malformed (expected a list)");
  });

  it("obj reads plain objects", () => {
    const o = { a: 1 };
    expect(obj(o)).toBe(o);
    expect(obj(undefined)).toBeUndefined();
    expect(obj(null)).toBeUndefined();
    expect(obj(SENTINEL)).toBe(UNKNOWN);
    for (const v of ["x", 1, true, [], [{ a: 1 }]]) expect(malformed(obj(v))).toBe("malformed (expected an object)");
  });
});

describe("present", () => {
  it("is false for absent and empty values", () => {
    for (const v of [undefined, null, "", "   ", []]) expect(present(v)).toBe(false);
  });
  it("is true for anything with content, known or not", () => {
    for (const v of ["x", " x ", [0], 0, false, {}, SENTINEL, { id: SENTINEL }]) expect(present(v)).toBe(true);
  });
});

describe("unwrapSecrets", () => {
  it("leaves plain values alone and records nothing", () => {
    const sink = new Set<string>();
    const v = { a: "x", b: [1, { c: true }], d: null };
    expect(unwrapSecrets(v, sink)).toEqual(v);
    expect(sink.size).toBe(0);
  });

  it("replaces an envelope by its value and records the plaintext", () => {
    const sink = new Set<string>();
    expect(unwrapSecrets({ password: envelope("hunter2"), user: "admin" }, sink)).toEqual({ password: "hunter2", user: "admin" });
    expect([...sink]).toEqual(["hunter2"]);
  });

  it("unwraps envelopes inside lists and nested envelopes, recording every leaf inside", () => {
    const sink = new Set<string>();
    const out = unwrapSecrets([envelope({ prefix: "203.0.113.0/24", port: 3389, on: false, inner: envelope("deep") }), "public"], sink);
    expect(out).toEqual([{ prefix: "203.0.113.0/24", port: 3389, on: false, inner: "deep" }, "public"]);
    expect([...sink].sort()).toEqual(["203.0.113.0/24", "3389", "deep", "false"].sort());
  });

  it("an envelope without a value stands for a redacted secret", () => {
    const sink = new Set<string>();
    expect(unwrapSecrets({ k: { [SECRET_SIG_KEY]: SECRET_SIG } }, sink)).toEqual({ k: "[secret]" });
  });

  it("an object with the key but the wrong signature is not an envelope", () => {
    const sink = new Set<string>();
    const fake = { [SECRET_SIG_KEY]: "nope", value: "v" };
    expect(unwrapSecrets(fake, sink)).toEqual(fake);
    expect(sink.size).toBe(0);
  });

  it("does not record unknown or empty secrets", () => {
    const sink = new Set<string>();
    expect(unwrapSecrets([envelope(SENTINEL), envelope(""), envelope(null)], sink)).toEqual([SENTINEL, "", null]);
    expect(sink.size).toBe(0);
  });

  it("reads 256 levels deep; what lies deeper is unknown, never absent", () => {
    const nest = (n: number): unknown => (n === 0 ? "leaf" : [nest(n - 1)]);
    const bottom = (v: unknown): unknown => (Array.isArray(v) ? bottom(v[0]) : v);
    expect(bottom(unwrapSecrets(nest(256), new Set()))).toBe("leaf");
    expect(bottom(unwrapSecrets(nest(257), new Set()))).toBe(SENTINEL);
    expect(() => unwrapSecrets(nest(5000), new Set())).not.toThrow();
  });
});

describe("recordSecretLeaf", () => {
  const rec = (v: unknown) => {
    const sink = new Set<string>();
    recordSecretLeaf(v, sink);
    return [...sink].sort();
  };

  it("records a string and its trimmed form", () => {
    expect(rec("pw")).toEqual(["pw"]);
    expect(rec("  pw  ")).toEqual(["  pw  ", "pw"]);
    expect(rec("   ")).toEqual(["   "]);
  });

  it("records numbers and booleans as text, ignores the rest", () => {
    expect(rec(3389)).toEqual(["3389"]);
    expect(rec(true)).toEqual(["true"]);
    expect(rec(null)).toEqual([]);
    expect(rec(undefined)).toEqual([]);
    expect(rec({ a: "b" })).toEqual([]);
    expect(rec("")).toEqual([]);
    expect(rec(SENTINEL)).toEqual([]);
  });

  it("records the resource group and resource names of a secret ARM id", () => {
    const id = "/subscriptions/sub-1/resourceGroups/rg-Secret/providers/Microsoft.Network/loadBalancers/lb-hidden/backendAddressPools/pool-x";
    expect(rec(id)).toEqual([id, "lb-hidden", "pool-x", "rg-Secret"].sort());
    const top = "subscriptions/s/RESOURCEGROUPS/rg2/PROVIDERS/Microsoft.Network/publicIPAddresses/pip-ex01";
    expect(rec(top)).toEqual([top, "pip-ex01", "rg2"].sort());
  });

  it("records a path that is not an ARM id only as itself", () => {
    expect(rec("a/b/c")).toEqual(["a/b/c"]);
    expect(rec("/subscriptions/s/resourceGroups")).toEqual(["/subscriptions/s/resourceGroups"]);
    expect(rec("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network")).toEqual([
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network",
      "rg",
    ]);
  });

  it("records a date in the forms a message prints it", () => {
    expect(rec("2024-03-05")).toEqual(["2024-03-05", "2024-03-05T00:00:00.000Z"]);
    expect(rec("2024-03-05T10:00:00+02:00")).toEqual(["2024-03-05", "2024-03-05T08:00:00.000Z", "2024-03-05T10:00:00+02:00"]);
    expect(rec("2024-13-45")).toEqual(["2024-13-45"]);
    expect(rec("24-03-05")).toEqual(["24-03-05"]);
  });
});

describe("eachString", () => {
  const all = (v: unknown) => {
    const out: string[] = [];
    eachString(v, (s) => out.push(s));
    return out.sort();
  };

  it("visits every string in objects and arrays, keys excluded, other leaves skipped", () => {
    expect(all({ a: "x", b: [1, "y", { c: "z", d: null, e: true }], f: undefined })).toEqual(["x", "y", "z"]);
    expect(all("only")).toEqual(["only"]);
    expect(all(42)).toEqual([]);
  });

  it("finds a string nested far deeper than the readers' depth limit, without overflowing the stack", () => {
    let v: unknown = "10.0.1.4";
    for (let i = 0; i < MAX_PROPERTY_DEPTH * 100; i++) v = i % 2 ? [v] : { next: v };
    expect(all(v)).toEqual(["10.0.1.4"]);
  });

  it("walks a very long array", () => {
    const big = Array.from({ length: 200_000 }, (_, i) => (i === 199_999 ? "last" : i));
    expect(all(big)).toEqual(["last"]);
  });
});
