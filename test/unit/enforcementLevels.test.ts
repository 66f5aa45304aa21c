/**
 * The enforcement levels (policies/model/enforcementLevels.ts): exactly Pulumi's four, each at its number in the
 * engine's `EnforcementLevel` enum, which the pack reads off the wire and the CLI's stand-in for the engine writes.
 */
import fc from "fast-check";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { EnforcementLevel as PolicySdkLevel } from "@pulumi/policy";
import {
  blocks,
  ENFORCEMENT_LEVELS,
  EnforcementLevel,
  isEnforcementLevel,
  levelOfNumber,
  numberOfLevel,
} from "../../policies/model/enforcementLevels";

/** The engine's enum as generated from pulumi/pulumi proto/pulumi/analyzer.proto: ADVISORY → "advisory". */
const ENGINE_ENUM: ReadonlyArray<[string, number]> = Object.entries(analyzerpb.EnforcementLevel).map(([k, n]) => [k.toLowerCase(), n as number]);

describe("ENFORCEMENT_LEVELS", () => {
  it("are Pulumi's four levels, no more", () => {
    expect([...ENFORCEMENT_LEVELS].sort()).toEqual(["advisory", "disabled", "mandatory", "remediate"]);
  });

  it("each sits at the number the engine's enum gives it", () => {
    expect(ENGINE_ENUM).toHaveLength(ENFORCEMENT_LEVELS.length);
    for (const [name, n] of ENGINE_ENUM) {
      expect(ENFORCEMENT_LEVELS[n]).toBe(name);
      expect(numberOfLevel(name as EnforcementLevel)).toBe(n);
    }
  });

  it("match the levels @pulumi/policy declares (a compile-time check both ways)", () => {
    const fromModel: PolicySdkLevel[] = [...ENFORCEMENT_LEVELS];
    const toModel: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"] satisfies PolicySdkLevel[];
    expect(new Set(fromModel)).toEqual(new Set(toModel));
  });
});

describe("isEnforcementLevel", () => {
  it.each([...ENFORCEMENT_LEVELS])("accepts %s", (level) => {
    expect(isEnforcementLevel(level)).toBe(true);
  });

  it.each<[string, unknown]>([
    ["a capitalised level", "Mandatory"],
    ["an upper-case level", "ADVISORY"],
    ["a level with spaces", " advisory"],
    ["a near miss", "mandatry"],
    ["Azure Policy's effect name", "deny"],
    ["an empty string", ""],
    ["a wire number", 1],
    ["undefined", undefined],
    ["null", null],
    ["a boxed string", new String("advisory")],
    ["a list holding a level", ["advisory"]],
  ])("rejects %s", (_what, v) => {
    expect(isEnforcementLevel(v)).toBe(false);
  });

  it("accepts a string exactly when it is one of the four", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...ENFORCEMENT_LEVELS)), (s) => {
        expect(isEnforcementLevel(s)).toBe(["advisory", "mandatory", "disabled", "remediate"].includes(s));
      }),
    );
  });
});

describe("levelOfNumber / numberOfLevel", () => {
  it("round-trip every level", () => {
    for (const level of ENFORCEMENT_LEVELS) expect(levelOfNumber(numberOfLevel(level))).toBe(level);
  });

  it("reads the wire numbers 0..3", () => {
    expect([0, 1, 2, 3].map(levelOfNumber)).toEqual(["advisory", "mandatory", "disabled", "remediate"]);
  });

  it.each([-1, 4, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32])("has no level for %p", (n) => {
    expect(levelOfNumber(n)).toBeUndefined();
  });

  it("a number has a level exactly when it is an integer from 0 to 3", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 10 }), fc.double()), (n) => {
        expect(levelOfNumber(n) !== undefined).toBe(Number.isInteger(n) && n >= 0 && n <= 3);
      }),
    );
  });
});

describe("blocks", () => {
  it.each<[EnforcementLevel, boolean]>([
    ["advisory", false],
    ["mandatory", true],
    ["disabled", false],
    ["remediate", true],
  ])("%s: %p", (level, stops) => {
    expect(blocks(level)).toBe(stops);
  });
});
