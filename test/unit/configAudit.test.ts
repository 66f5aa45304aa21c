import { configMistakes, configReporter, didYouMean, editDistance, PolicyShape } from "../../policies/model/configAudit";
import { GATE_HOME } from "../../policies/model/config";
import { RULES } from "../../policies/rules";

const SHAPES: PolicyShape[] = RULES.map((r) => ({ name: r.name, keys: r.schemas.flatMap((s) => Object.keys(s.properties)) }));

describe("configMistakes: what the engine lets pass silently", () => {
  it("a valid config has none", () => {
    expect(
      configMistakes(
        { [GATE_HOME]: { maxAssessmentAgeDays: 14, hostTag: "role" }, "exchange-unverified-isolated": { forensicsSourcePrefixes: [] }, all: {} },
        SHAPES,
      ),
    ).toEqual([]);
  });

  it("an unknown policy name, with the close one", () => {
    const [m] = configMistakes({ "exchange-unverfied-isolated": { forensicsSourcePrefixes: ["10.0.0.0/24"] } }, SHAPES);
    expect(m.policy).toBe("exchange-unverfied-isolated");
    expect(m.message).toContain('did you mean "exchange-unverified-isolated"?');
    expect(m.message).toContain("never apply");
  });

  it("an unknown policy name far from any lists the policies", () => {
    const [m] = configMistakes({ "my-policy": {} }, SHAPES);
    expect(m.message).toContain("the policies are exchange-remediated-requires-assessment");
  });

  it("an unknown key, with the close one", () => {
    const [m] = configMistakes({ [GATE_HOME]: { maxAsessmentAgeDays: 14 } }, SHAPES);
    expect(m).toMatchObject({ policy: GATE_HOME, key: "maxAsessmentAgeDays" });
    expect(m.message).toContain('did you mean "maxAssessmentAgeDays"?');
  });

  it("a gate key on another policy names the gate home", () => {
    const [m] = configMistakes({ "exchange-evidence-preserved": { hostTag: "role" } }, SHAPES);
    expect(m).toMatchObject({ policy: "exchange-evidence-preserved", key: "hostTag" });
    expect(m.message).toContain(`set it once on ${GATE_HOME}`);
  });

  it("a key of another policy says whose it is", () => {
    const [m] = configMistakes({ "exchange-build-patched": { forensicsSourcePrefixes: [] } }, SHAPES);
    expect(m.message).toContain("it is a setting of exchange-unverified-isolated");
  });
});

describe("configMistakes: each message in full", () => {
  const shapes: PolicyShape[] = [
    { name: GATE_HOME, keys: ["hostTag", "maxAssessmentAgeDays"] },
    { name: "exchange-unverified-isolated", keys: ["forensicsSourcePrefixes"] },
    { name: "exchange-evidence-preserved", keys: [] },
  ];

  it.each<[string, Record<string, Record<string, unknown>>, string]>([
    [
      "an unknown policy with a close name",
      { "exchange-unverfied-isolated": {} },
      '"exchange-unverfied-isolated" is not a policy of this pack, so its settings would never apply; did you mean "exchange-unverified-isolated"?',
    ],
    [
      "the gate home's own key on it is fine; on another policy it is a gate setting",
      { [GATE_HOME]: { hostTag: "r" }, "exchange-unverified-isolated": { hostTag: "r" } },
      `exchange-unverified-isolated: hostTag is a gate setting: set it once on ${GATE_HOME}, which every policy reads the gate from (here it would be ignored)`,
    ],
    [
      "a key no policy has, on a policy with settings",
      { "exchange-unverified-isolated": { colour: "red" } },
      "exchange-unverified-isolated: colour is not a setting of exchange-unverified-isolated; its settings are forensicsSourcePrefixes",
    ],
    [
      "a key no policy has, on a policy without settings",
      { "exchange-evidence-preserved": { colour: "red" } },
      "exchange-evidence-preserved: colour is not a setting of exchange-evidence-preserved; it has no settings",
    ],
    [
      "a key of another policy",
      { "exchange-evidence-preserved": { forensicsSourcePrefixes: [] } },
      "exchange-evidence-preserved: forensicsSourcePrefixes is not a setting of exchange-evidence-preserved; it is a setting of exchange-unverified-isolated",
    ],
  ])("%s", (_label, given, message) => {
    expect(configMistakes(given, shapes).map((m) => m.message)).toEqual([message]);
  });
});

describe("didYouMean", () => {
  it.each<[string, string[], string | undefined]>([
    ["hosttag", ["hostTag", "stateTag"], "hostTag"],
    ["statTag", ["hostTag", "stateTag"], "stateTag"],
    ["zzz", ["hostTag", "stateTag"], undefined],
    ["x", [], undefined],
    // The closest wins, not the first close one; ties keep the first.
    ["hostTagz", ["hostTagsX", "hostTag"], "hostTag"],
    ["ab", ["ax", "ay"], "ax"],
    // The limit grows with the longer word (a quarter of it, at least 2): 3 edits pass when the longer has 13 letters, not 8.
    ["maxAgeDaysX", ["maxAgeDaysABC"], "maxAgeDaysABC"],
    ["abcdefgh", ["abcdexyz"], undefined],
    ["abcdefgh", ["abcdefxy"], "abcdefxy"],
  ])("%s among %p → %p", (word, candidates, expected) => {
    expect(didYouMean(word, candidates)).toBe(expected);
  });

  it("edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});

describe("configReporter: a mistake blocks whatever the level of the policy it concerns", () => {
  it("the first blocking stack policy", () => {
    expect(
      configReporter([
        { name: "a", level: "advisory" },
        { name: "b", level: "mandatory" },
      ]),
    ).toBe("b");
  });
  it("none blocks: the first that runs", () => {
    expect(
      configReporter([
        { name: "a", level: "disabled" },
        { name: "b", level: "advisory" },
      ]),
    ).toBe("b");
    expect(configReporter([{ name: "a", level: "disabled" }])).toBeUndefined();
  });
});
