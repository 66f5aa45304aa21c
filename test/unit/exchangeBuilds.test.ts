import { CUMULATIVE_UPDATES, WAVE_TABLES } from "../../policies/model/exchangeBuildTable";
import { DEFAULT_BASELINE, includesWave, isKnownWave, parseExchangeBuild, productName, WAVES } from "../../policies/model/exchangeBuilds";

/** [product as the pack names it, the CU's release build, the wave's minimum (SU) build for that CU] */
type SuRow = readonly [product: string, cuBuild: string, suBuild: string];

/** One revision below a build ("15.2.792.10" -> "15.2.792.9"). */
function below(build: string): string {
  const p = build.split(".").map(Number);
  p[3] -= 1;
  return p.join(".");
}
function above(build: string): string {
  const p = build.split(".").map(Number);
  p[3] += 1;
  return p.join(".");
}
/** "15.2.792.10" -> "15.02.0792.010" */
function longForm(build: string): string {
  const [a, b, c, d] = build.split(".");
  return `${a}.${b.padStart(2, "0")}.${c.padStart(4, "0")}.${d.padStart(3, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Expected data, written out independently of the module (Microsoft's build-numbers page, 2021-07 snapshot, then the later sources named in exchangeBuildTable.ts).

/** March 2021 SU (ProxyLogon), Microsoft's build-numbers page. 2016 CU8/CU9 use Microsoft's higher numbers (.10/.16). */
const MARCH_2021: readonly SuRow[] = [
  ["Exchange 2019 RTM", "15.2.221.12", "15.2.221.18"],
  ["Exchange 2019 CU1", "15.2.330.5", "15.2.330.11"],
  ["Exchange 2019 CU2", "15.2.397.3", "15.2.397.11"],
  ["Exchange 2019 CU3", "15.2.464.5", "15.2.464.15"],
  ["Exchange 2019 CU4", "15.2.529.5", "15.2.529.13"],
  ["Exchange 2019 CU5", "15.2.595.3", "15.2.595.8"],
  ["Exchange 2019 CU6", "15.2.659.4", "15.2.659.12"],
  ["Exchange 2019 CU7", "15.2.721.2", "15.2.721.13"],
  ["Exchange 2019 CU8", "15.2.792.3", "15.2.792.10"],
  ["Exchange 2016 CU8", "15.1.1415.2", "15.1.1415.10"],
  ["Exchange 2016 CU9", "15.1.1466.3", "15.1.1466.16"],
  ["Exchange 2016 CU10", "15.1.1531.3", "15.1.1531.12"],
  ["Exchange 2016 CU11", "15.1.1591.10", "15.1.1591.18"],
  ["Exchange 2016 CU12", "15.1.1713.5", "15.1.1713.10"],
  ["Exchange 2016 CU13", "15.1.1779.2", "15.1.1779.8"],
  ["Exchange 2016 CU14", "15.1.1847.3", "15.1.1847.12"],
  ["Exchange 2016 CU15", "15.1.1913.5", "15.1.1913.12"],
  ["Exchange 2016 CU16", "15.1.1979.3", "15.1.1979.8"],
  ["Exchange 2016 CU17", "15.1.2044.4", "15.1.2044.13"],
  ["Exchange 2016 CU18", "15.1.2106.2", "15.1.2106.13"],
  ["Exchange 2016 CU19", "15.1.2176.2", "15.1.2176.9"],
  ["Exchange 2013 SP1", "15.0.847.32", "15.0.847.64"],
  ["Exchange 2013 CU21", "15.0.1395.4", "15.0.1395.12"],
  ["Exchange 2013 CU22", "15.0.1473.3", "15.0.1473.6"],
  ["Exchange 2013 CU23", "15.0.1497.2", "15.0.1497.12"],
];

/** April 2021 SU (ProxyShell, part 1), Microsoft's build-numbers page. */
const APRIL_2021: readonly SuRow[] = [
  ["Exchange 2019 CU8", "15.2.792.3", "15.2.792.13"],
  ["Exchange 2019 CU9", "15.2.858.5", "15.2.858.10"],
  ["Exchange 2016 CU19", "15.1.2176.2", "15.1.2176.12"],
  ["Exchange 2016 CU20", "15.1.2242.4", "15.1.2242.8"],
  ["Exchange 2013 CU23", "15.0.1497.2", "15.0.1497.15"],
];
const MAY_2021: readonly SuRow[] = [
  ["Exchange 2019 CU8", "15.2.792.3", "15.2.792.15"],
  ["Exchange 2019 CU9", "15.2.858.5", "15.2.858.12"],
  ["Exchange 2016 CU19", "15.1.2176.2", "15.1.2176.14"],
  ["Exchange 2016 CU20", "15.1.2242.4", "15.1.2242.10"],
  ["Exchange 2013 CU23", "15.0.1497.2", "15.0.1497.18"],
];

/** November 2022 SU (ProxyNotShell), with the CVE records. */
const NOVEMBER_2022: readonly SuRow[] = [
  ["Exchange 2013 CU23", "15.0.1497.2", "15.0.1497.44"],
  ["Exchange 2016 CU22", "15.1.2375.7", "15.1.2375.37"],
  ["Exchange 2016 CU23", "15.1.2507.6", "15.1.2507.16"],
  ["Exchange 2019 CU11", "15.2.986.5", "15.2.986.36"],
  ["Exchange 2019 CU12", "15.2.1118.7", "15.2.1118.20"],
];

const E13_23 = ["Exchange 2013 CU23", "15.0.1497.2"] as const;
const E16_23 = ["Exchange 2016 CU23", "15.1.2507.6"] as const;
const E19_11 = ["Exchange 2019 CU11", "15.2.986.5"] as const;
const E19_12 = ["Exchange 2019 CU12", "15.2.1118.7"] as const;
const E19_13 = ["Exchange 2019 CU13", "15.2.1258.12"] as const;
const E19_14 = ["Exchange 2019 CU14", "15.2.1544.4"] as const;
const E19_15 = ["Exchange 2019 CU15", "15.2.1748.10"] as const;
const SE_RTM = ["Exchange SE RTM", "15.2.2562.17"] as const;
const row = (cu: readonly [string, string], su: string): SuRow => [cu[0], cu[1], su];

/**
 * Later waves: microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e and microsoft/CSS-Exchange
 * Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118 (2026-06..09 from the latter, cross-checked where noted in
 * the module). Re-released waves use the v2 build.
 */
const LATER_WAVES: Readonly<Record<string, readonly SuRow[]>> = {
  "2023-01": [row(E13_23, "15.0.1497.45"), row(E16_23, "15.1.2507.17"), row(E19_11, "15.2.986.37"), row(E19_12, "15.2.1118.21")],
  "2023-02": [row(E13_23, "15.0.1497.47"), row(E16_23, "15.1.2507.21"), row(E19_11, "15.2.986.41"), row(E19_12, "15.2.1118.25")],
  "2023-03": [row(E13_23, "15.0.1497.48"), row(E16_23, "15.1.2507.23"), row(E19_11, "15.2.986.42"), row(E19_12, "15.2.1118.26")],
  "2023-06": [row(E16_23, "15.1.2507.27"), row(E19_12, "15.2.1118.30"), row(E19_13, "15.2.1258.16")],
  "2023-08": [row(E16_23, "15.1.2507.32"), row(E19_12, "15.2.1118.37"), row(E19_13, "15.2.1258.25")],
  "2023-10": [row(E16_23, "15.1.2507.34"), row(E19_12, "15.2.1118.39"), row(E19_13, "15.2.1258.27")],
  "2023-11": [row(E16_23, "15.1.2507.35"), row(E19_12, "15.2.1118.40"), row(E19_13, "15.2.1258.28")],
  "2024-03": [row(E16_23, "15.1.2507.37"), row(E19_13, "15.2.1258.32"), row(E19_14, "15.2.1544.9")],
  "2024-11": [row(E16_23, "15.1.2507.44"), row(E19_13, "15.2.1258.39"), row(E19_14, "15.2.1544.14")],
  "2025-08": [row(E16_23, "15.1.2507.58"), row(E19_14, "15.2.1544.33"), row(E19_15, "15.2.1748.36"), row(SE_RTM, "15.2.2562.20")],
  "2025-10": [row(E16_23, "15.1.2507.61"), row(E19_14, "15.2.1544.36"), row(E19_15, "15.2.1748.39"), row(SE_RTM, "15.2.2562.29")],
  "2025-12": [row(E16_23, "15.1.2507.63"), row(E19_14, "15.2.1544.37"), row(E19_15, "15.2.1748.42"), row(SE_RTM, "15.2.2562.35")],
  "2026-02": [row(E16_23, "15.1.2507.66"), row(E19_14, "15.2.1544.39"), row(E19_15, "15.2.1748.43"), row(SE_RTM, "15.2.2562.37")],
  "2026-06": [row(E16_23, "15.1.2507.69"), row(E19_14, "15.2.1544.41"), row(E19_15, "15.2.1748.46"), row(SE_RTM, "15.2.2562.43")],
  "2026-07": [row(E16_23, "15.1.2507.71"), row(E19_14, "15.2.1544.43"), row(E19_15, "15.2.1748.48"), row(SE_RTM, "15.2.2562.45")],
  "2026-08": [row(E16_23, "15.1.2507.72"), row(E19_14, "15.2.1544.44"), row(E19_15, "15.2.1748.49"), row(SE_RTM, "15.2.2562.46")],
  "2026-09": [row(E16_23, "15.1.2507.75"), row(E19_14, "15.2.1544.48"), row(E19_15, "15.2.1748.53"), row(SE_RTM, "15.2.2562.53")],
};

/** Original releases of re-released waves: a server on one of these builds is below the minimum. */
const FIRST_RELEASES: ReadonlyArray<readonly [wave: string, build: string, minimum: string]> = [
  ["2023-08", "15.1.2507.31", "15.1.2507.32"],
  ["2023-08", "15.2.1118.36", "15.2.1118.37"],
  ["2023-08", "15.2.1258.23", "15.2.1258.25"],
  ["2024-11", "15.1.2507.43", "15.1.2507.44"],
  ["2024-11", "15.2.1258.38", "15.2.1258.39"],
  ["2024-11", "15.2.1544.13", "15.2.1544.14"],
  ["2026-09", "15.1.2507.73", "15.1.2507.75"],
  ["2026-09", "15.2.1544.46", "15.2.1544.48"],
  ["2026-09", "15.2.1748.51", "15.2.1748.53"],
  ["2026-09", "15.2.2562.49", "15.2.2562.53"],
];

const ALL_SU_WAVES: ReadonlyArray<readonly [string, readonly SuRow[]]> = [
  ["2021-03", MARCH_2021],
  ["2021-04", APRIL_2021],
  ["2021-05", MAY_2021],
  ["2022-11", NOVEMBER_2022],
  ...Object.entries(LATER_WAVES),
];

const SU_CASES = ALL_SU_WAVES.flatMap(([wave, rows]) => rows.map(([product, cuBuild, suBuild]) => ({ wave, product, cuBuild, suBuild })));

// ---------------------------------------------------------------------------------------------------------------------

describe("waves", () => {
  it("lists every wave chronologically, and the default baseline is the newest", () => {
    expect(WAVES).toEqual([
      "2021-03",
      "2021-04",
      "2021-05",
      "2022-11",
      "2023-01",
      "2023-02",
      "2023-03",
      "2023-06",
      "2023-08",
      "2023-10",
      "2023-11",
      "2024-03",
      "2024-11",
      "2025-08",
      "2025-10",
      "2025-12",
      "2026-02",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
    ]);
    expect([...WAVES].sort()).toEqual([...WAVES]);
    expect(new Set(WAVES).size).toBe(WAVES.length);
    expect(DEFAULT_BASELINE).toBe(WAVES[WAVES.length - 1]);
    expect(DEFAULT_BASELINE).toBe("2026-09");
  });

  it.each([...WAVES])("knows wave %s", (w) => expect(isKnownWave(w)).toBe(true));
  it.each(["2021-02", "2099-01", "", "latest", "2021-3", " 2021-03"])("does not know wave %j", (w) => expect(isKnownWave(w)).toBe(false));

  it("expects a table row for every wave (the test tables cover all waves)", () => {
    expect(ALL_SU_WAVES.map(([w]) => w)).toEqual([...WAVES]);
  });

  it.each(WAVE_TABLES.map((t) => [t.wave, t] as const))("wave %s carries a source and a release date in its month", (wave, t) => {
    expect(t.source.length).toBeGreaterThan(20);
    expect(t.source).toMatch(/microsoft\/|MicrosoftDocs\//);
    expect(t.released.startsWith(wave)).toBe(true);
  });
});

describe("data consistency", () => {
  const cuByKey = new Map(CUMULATIVE_UPDATES.map((c) => [c.build.split(".").slice(0, 3).join("."), c] as const));

  it("has unique CU build lines, ascending with release dates within each build line", () => {
    expect(cuByKey.size).toBe(CUMULATIVE_UPDATES.length);
    for (const line of ["15.0", "15.1", "15.2"]) {
      const cus = CUMULATIVE_UPDATES.filter((c) => c.build.startsWith(`${line}.`));
      for (let i = 1; i < cus.length; i++) {
        expect(parseExchangeBuild(cus[i].build)!.build).toBeGreaterThan(parseExchangeBuild(cus[i - 1].build)!.build);
        expect(cus[i].released > cus[i - 1].released).toBe(true);
      }
    }
  });

  it.each(WAVE_TABLES.map((t) => [t.wave, t] as const))(
    "wave %s: every SU row belongs to a CU released before the wave, above its release build",
    (_w, t) => {
      for (const [key, su] of Object.entries(t.builds)) {
        const cu = cuByKey.get(key);
        expect(cu).toBeDefined();
        expect(su.startsWith(`${key}.`)).toBe(true);
        expect(parseExchangeBuild(su)!.revision).toBeGreaterThan(parseExchangeBuild(cu!.build)!.revision);
        expect(cu!.released < t.released).toBe(true);
        const first = t.firstRelease?.[key];
        if (first) expect(parseExchangeBuild(first)!.revision).toBeLessThan(parseExchangeBuild(su)!.revision);
      }
    },
  );

  it.each(WAVE_TABLES.map((t) => [t.wave, t] as const))(
    "wave %s: in every build line it serves, the newest CU released before it has an SU",
    (_w, t) => {
      for (const line of ["15.0", "15.1", "15.2"]) {
        const served = Object.keys(t.builds).filter((k) => k.startsWith(`${line}.`));
        if (served.length === 0) continue;
        const before = CUMULATIVE_UPDATES.filter((c) => c.build.startsWith(`${line}.`) && c.released < t.released);
        const newest = before[before.length - 1];
        expect(served).toContain(newest.build.split(".").slice(0, 3).join("."));
      }
    },
  );
});

describe("parseExchangeBuild", () => {
  it.each([
    ["15.2.792.10", [15, 2, 792, 10], "15.2.792.10"],
    ["15.02.0792.010", [15, 2, 792, 10], "15.2.792.10"],
    ["15.01.2507.044", [15, 1, 2507, 44], "15.1.2507.44"],
    ["15.00.1497.002", [15, 0, 1497, 2], "15.0.1497.2"],
    ["14.03.0513.000", [14, 3, 513, 0], "14.3.513.0"],
    [" 15.2.2562.17 ", [15, 2, 2562, 17], "15.2.2562.17"],
  ])("parses %j", (text, [major, minor, build, revision], normalized) => {
    expect(parseExchangeBuild(text)).toEqual({ major, minor, build, revision, text: normalized });
  });

  const GARBAGE: unknown[] = [
    "",
    " ",
    "abc",
    "15",
    "15.2",
    "15.2.792",
    "15.2.792.10.1",
    "-15.2.792.10",
    "15.2.-792.10",
    "15.2.792.-1",
    "15.2.792.1a",
    "15..792.10",
    "15.2.792.",
    ".15.2.792.10",
    "15.2.792.10a",
    "v15.2.792.10",
    "15,2,792,10",
    "15.2.792.1e3",
    "15.2.792.0x1",
    "Version 15.2 (Build 792.10)",
    "1234567890.2.792.10",
    undefined,
    null,
    15.2,
    {},
    [],
  ];
  it.each(GARBAGE.map((g) => [g]))("rejects %j", (g) => {
    expect(parseExchangeBuild(g as string)).toBeUndefined();
  });
});

describe("productName", () => {
  it.each([
    ["15.2.792.10", "Exchange 2019 CU8"],
    ["15.2.221.18", "Exchange 2019 RTM"],
    ["15.2.2562.17", "Exchange SE RTM"],
    ["15.0.847.64", "Exchange 2013 SP1"],
    ["15.1.1234.5", "Exchange 2016 (unknown CU 1234)"],
    ["15.2.800.1", "Exchange 2019 (unknown CU 800)"],
    ["15.2.2700.3", "Exchange SE (unknown CU 2700)"],
    ["14.3.513.0", "Exchange 2010 SP3"],
    ["16.0.1.1", "Unknown Exchange version 16.0"],
  ])("%s is %s", (text, name) => expect(productName(parseExchangeBuild(text)!)).toBe(name));
});

describe("includesWave: CUs with a security update in the wave", () => {
  it.each(SU_CASES)("$wave $product: the CU's release build $cuBuild fails", ({ wave, product, cuBuild, suBuild }) => {
    const v = includesWave(cuBuild, wave);
    expect(v).toMatchObject({ patched: false, product, minimumBuild: suBuild });
    expect(v.reason).toContain(suBuild);
  });

  it.each(SU_CASES)("$wave $product: one revision below $suBuild fails", ({ wave, product, suBuild }) => {
    expect(includesWave(below(suBuild), wave)).toMatchObject({ patched: false, product, minimumBuild: suBuild });
  });

  it.each(SU_CASES)("$wave $product: $suBuild (short and long form) and later revisions pass", ({ wave, product, suBuild }) => {
    expect(includesWave(suBuild, wave)).toMatchObject({ patched: true, product, minimumBuild: suBuild });
    expect(includesWave(longForm(suBuild), wave)).toMatchObject({ patched: true, product, minimumBuild: suBuild });
    expect(includesWave(above(suBuild), wave)).toMatchObject({ patched: true, product });
  });
});

describe("includesWave: CUs without a security update in the wave", () => {
  const NO_SU: ReadonlyArray<readonly [wave: string, build: string, product: string]> = [
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): 2016 RTM–CU7, 2013 RTM, CU1–CU3, CU5–CU20 got no March 2021 SU.
    ["2021-03", "15.1.225.42", "Exchange 2016 RTM"],
    ["2021-03", "15.1.396.30", "Exchange 2016 CU1"],
    ["2021-03", "15.1.466.34", "Exchange 2016 CU2"],
    ["2021-03", "15.1.544.27", "Exchange 2016 CU3"],
    ["2021-03", "15.1.669.32", "Exchange 2016 CU4"],
    ["2021-03", "15.1.845.34", "Exchange 2016 CU5"],
    ["2021-03", "15.1.1034.26", "Exchange 2016 CU6"],
    ["2021-03", "15.1.1261.35", "Exchange 2016 CU7"],
    ["2021-03", "15.1.1261.39", "Exchange 2016 CU7"], // CU7 with its Mar18SU
    ["2021-03", "15.0.516.32", "Exchange 2013 RTM"],
    ["2021-03", "15.0.620.29", "Exchange 2013 CU1"],
    ["2021-03", "15.0.712.24", "Exchange 2013 CU2"],
    ["2021-03", "15.0.775.38", "Exchange 2013 CU3"],
    ["2021-03", "15.0.913.22", "Exchange 2013 CU5"],
    ["2021-03", "15.0.995.29", "Exchange 2013 CU6"],
    ["2021-03", "15.0.1044.25", "Exchange 2013 CU7"],
    ["2021-03", "15.0.1076.9", "Exchange 2013 CU8"],
    ["2021-03", "15.0.1104.5", "Exchange 2013 CU9"],
    ["2021-03", "15.0.1130.7", "Exchange 2013 CU10"],
    ["2021-03", "15.0.1156.6", "Exchange 2013 CU11"],
    ["2021-03", "15.0.1178.4", "Exchange 2013 CU12"],
    ["2021-03", "15.0.1210.3", "Exchange 2013 CU13"],
    ["2021-03", "15.0.1236.3", "Exchange 2013 CU14"],
    ["2021-03", "15.0.1263.5", "Exchange 2013 CU15"],
    ["2021-03", "15.0.1293.2", "Exchange 2013 CU16"],
    ["2021-03", "15.0.1320.4", "Exchange 2013 CU17"],
    ["2021-03", "15.0.1347.5", "Exchange 2013 CU18"],
    ["2021-03", "15.0.1365.7", "Exchange 2013 CU19"],
    ["2021-03", "15.0.1367.9", "Exchange 2013 CU20"],
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): any CU older than 2019 CU8 / 2016 CU19 / 2013 CU23 got no April or May 2021 SU, even with its March SU.
    ["2021-04", "15.2.721.13", "Exchange 2019 CU7"],
    ["2021-04", "15.2.221.18", "Exchange 2019 RTM"],
    ["2021-04", "15.1.2106.13", "Exchange 2016 CU18"],
    ["2021-04", "15.1.1415.10", "Exchange 2016 CU8"],
    ["2021-04", "15.0.1473.6", "Exchange 2013 CU22"],
    ["2021-04", "15.0.847.64", "Exchange 2013 SP1"],
    ["2021-05", "15.2.721.13", "Exchange 2019 CU7"],
    ["2021-05", "15.1.2106.13", "Exchange 2016 CU18"],
    ["2021-05", "15.0.1395.12", "Exchange 2013 CU21"],
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): only 2019 CU11/CU12, 2016 CU22/CU23, 2013 CU23 got the November 2022 SU.
    ["2022-11", "15.2.922.27", "Exchange 2019 CU10"],
    ["2022-11", "15.2.858.15", "Exchange 2019 CU9"],
    ["2022-11", "15.1.2308.27", "Exchange 2016 CU21"],
    ["2022-11", "15.1.2242.12", "Exchange 2016 CU20"],
    // later waves: CUs that fell out of servicing
    ["2023-01", "15.1.2375.37", "Exchange 2016 CU22"],
    ["2023-06", "15.2.986.42", "Exchange 2019 CU11"],
    ["2024-03", "15.2.1118.40", "Exchange 2019 CU12"],
    ["2025-08", "15.2.1258.39", "Exchange 2019 CU13"],
    ["2026-09", "15.2.1258.39", "Exchange 2019 CU13"],
  ];

  it.each(NO_SU)("%s: %s (%s) fails with 'no security update'", (wave, build, product) => {
    const v = includesWave(build, wave);
    expect(v.patched).toBe(false);
    expect(v.product).toBe(product);
    expect(v.minimumBuild).toBeUndefined();
    expect(v.reason).toMatch(/no security update/);
    expect(v.reason).toContain(wave);
  });

  it("names the CUs the wave shipped for and asks for a CU upgrade", () => {
    const v = includesWave("15.2.721.13", "2021-04");
    expect(v.reason).toContain("it shipped only for Exchange 2019 CU8/CU9");
    expect(v.reason).toMatch(/upgrade to a supported CU/);
    expect(includesWave("15.1.1261.35", "2021-03").reason).toContain("it shipped only for Exchange 2016 CU8 to CU19");
    expect(includesWave("15.0.1367.9", "2021-03").reason).toContain("it shipped only for Exchange 2013 SP1/CU21/CU22/CU23");
    expect(includesWave("15.2.721.13", "2021-04").reason).not.toContain("Exchange SE");
    expect(includesWave("15.2.1258.39", "2025-08").reason).toContain("it shipped only for Exchange 2019 CU14/CU15 and Exchange SE RTM");
  });

  it.each(["2023-06", "2023-08", "2024-11", DEFAULT_BASELINE])("Exchange 2013 CU23 after end of support gets no %s update and is told so", (wave) => {
    const v = includesWave("15.0.1497.48", wave);
    expect(v).toMatchObject({ patched: false, product: "Exchange 2013 CU23" });
    expect(v.reason).toMatch(/no security update/);
    expect(v.reason).toContain("end of support on 2023-04-11");
  });

  it("Exchange 2013 CU23 with Mar23SU still passes the waves the table has rows for", () => {
    for (const w of ["2021-03", "2021-04", "2021-05", "2022-11", "2023-01", "2023-02", "2023-03"])
      expect(includesWave("15.0.1497.48", w).patched).toBe(true);
  });
});

describe("includesWave: CUs released after the wave contain its fixes", () => {
  const AFTER: ReadonlyArray<readonly [wave: string, build: string, product: string]> = [
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): 2019 CU9+ and 2016 CU20+ contain the March 2021 fixes.
    ["2021-03", "15.2.858.5", "Exchange 2019 CU9"],
    ["2021-03", "15.2.922.7", "Exchange 2019 CU10"],
    ["2021-03", "15.2.986.5", "Exchange 2019 CU11"],
    ["2021-03", "15.2.1118.7", "Exchange 2019 CU12"],
    ["2021-03", "15.2.1258.12", "Exchange 2019 CU13"],
    ["2021-03", "15.2.1544.4", "Exchange 2019 CU14"],
    ["2021-03", "15.2.1748.10", "Exchange 2019 CU15"],
    ["2021-03", "15.2.2562.17", "Exchange SE RTM"],
    ["2021-03", "15.1.2242.4", "Exchange 2016 CU20"],
    ["2021-03", "15.1.2308.8", "Exchange 2016 CU21"],
    ["2021-03", "15.1.2375.7", "Exchange 2016 CU22"],
    ["2021-03", "15.1.2507.6", "Exchange 2016 CU23"],
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): 2019 CU10+ and 2016 CU21+ contain the April and May 2021 fixes.
    ["2021-04", "15.2.922.7", "Exchange 2019 CU10"],
    ["2021-04", "15.1.2308.8", "Exchange 2016 CU21"],
    ["2021-05", "15.2.922.7", "Exchange 2019 CU10"],
    ["2021-05", "15.1.2308.8", "Exchange 2016 CU21"],
    ["2021-05", "15.1.2507.6", "Exchange 2016 CU23"],
    // Per Microsoft's build-number page (the sources of policies/model/exchangeBuildTable.ts): 2019 CU13 (2023-05-03) contains the November 2022 fixes.
    ["2022-11", "15.2.1258.12", "Exchange 2019 CU13"],
    // later waves
    ["2023-03", "15.2.1258.12", "Exchange 2019 CU13"],
    ["2023-11", "15.2.1544.4", "Exchange 2019 CU14"],
    ["2024-11", "15.2.1748.10", "Exchange 2019 CU15"],
    ["2024-11", "15.2.2562.17", "Exchange SE RTM"],
  ];

  it.each(AFTER)("%s: %s (%s) passes", (wave, build, product) => {
    const v = includesWave(build, wave);
    expect(v).toMatchObject({ patched: true, product, minimumBuild: build });
    expect(v.reason).toMatch(/already contains/);
  });

  it("a pre-release build of a CU (below its release build) does not pass", () => {
    const v = includesWave("15.2.858.2", "2021-03");
    expect(v).toMatchObject({ patched: false, product: "Exchange 2019 CU9" });
    expect(v.reason).toMatch(/pre-release/);
    expect(includesWave("15.1.225.16", "2021-03").patched).toBe(false); // Exchange 2016 Preview shares 225 with RTM
  });
});

describe("includesWave: the 2016 CU8/CU9 March 2021 disagreement uses Microsoft's higher builds", () => {
  it.each([
    ["15.1.1415.8", false],
    ["15.1.1415.9", false],
    ["15.1.1415.10", true],
    ["15.1.1466.13", false],
    ["15.1.1466.15", false],
    ["15.1.1466.16", true],
  ] as const)("%s patched for 2021-03: %s", (build, patched) => {
    expect(includesWave(build, "2021-03").patched).toBe(patched);
  });

  it("HealthChecker's 15.1.1415.8 fails and names the minimum", () => {
    expect(includesWave("15.1.1415.8", "2021-03")).toMatchObject({ patched: false, product: "Exchange 2016 CU8", minimumBuild: "15.1.1415.10" });
  });
});

describe("includesWave: re-released waves require the re-release", () => {
  it.each(FIRST_RELEASES)("%s: original release %s fails, the minimum is %s", (wave, build, minimum) => {
    const v = includesWave(build, wave);
    expect(v).toMatchObject({ patched: false, minimumBuild: minimum });
    expect(v.reason).toMatch(/re-released/);
    expect(includesWave(minimum, wave).patched).toBe(true);
  });
});

describe("includesWave: cumulative SUs", () => {
  it.each([
    ["15.2.792.15", ["2021-03", "2021-04", "2021-05"]],
    ["15.1.2176.14", ["2021-03", "2021-04", "2021-05"]],
    ["15.0.1497.18", ["2021-03", "2021-04", "2021-05"]],
    ["15.1.2507.16", ["2021-03", "2021-04", "2021-05", "2022-11"]],
  ] as const)("a 2021-05 or later SU build %s also passes the earlier waves", (build, waves) => {
    for (const w of waves) expect(includesWave(build, w).patched).toBe(true);
  });

  it("the 2021-03 SU alone does not pass 2021-04", () => {
    expect(includesWave("15.2.792.10", "2021-04")).toMatchObject({ patched: false, minimumBuild: "15.2.792.13" });
  });

  it("the newest builds pass every wave of their CU and the default baseline", () => {
    for (const build of ["15.1.2507.75", "15.2.1544.48", "15.2.1748.53", "15.2.2562.53"]) {
      for (const w of ["2024-11", "2025-08", "2025-10", "2025-12", "2026-02", "2026-06", "2026-07", "2026-08", DEFAULT_BASELINE]) {
        if (build.startsWith("15.2.1748") && w === "2024-11") continue; // CU15 came after 2024-11 (tested elsewhere)
        expect(includesWave(build, w).patched).toBe(true);
      }
    }
  });

  it("2016 and 2019 updates after end of support are flagged as Extended Security Update only", () => {
    expect(includesWave("15.1.2507.61", "2025-12").reason).toMatch(/Extended Security Update/);
    expect(includesWave("15.2.2562.29", "2025-12").reason).not.toMatch(/Extended Security Update/);
    expect(includesWave("15.1.2507.58", "2025-10").reason).not.toMatch(/Extended Security Update/);
  });
});

describe("includesWave: unknown CUs", () => {
  it("an unknown CU between known ones fails closed", () => {
    const v = includesWave("15.1.1234.5", "2021-03");
    expect(v).toMatchObject({ patched: false, product: "Exchange 2016 (unknown CU 1234)" });
    expect(v.minimumBuild).toBeUndefined();
    expect(v.reason).toMatch(/not a cumulative update this pack knows/);
  });

  it("a 15.2 build between Exchange 2019 CU15 and Exchange SE fails closed", () => {
    expect(includesWave("15.2.2000.1", "2021-03")).toMatchObject({ patched: false, product: "Exchange 2019 (unknown CU 2000)" });
  });

  it("a build below the first known CU fails closed", () => {
    expect(includesWave("15.2.196.0", "2021-03").patched).toBe(false); // Exchange 2019 Preview
  });

  it("a CU newer than every known CU passes waves that the newest known CU already contains", () => {
    const v = includesWave("15.2.2700.3", "2021-03");
    expect(v).toMatchObject({ patched: true, product: "Exchange SE (unknown CU 2700)" });
    expect(v.reason).toMatch(/newer than any CU this pack knows/);
    expect(includesWave("15.1.2600.1", "2022-04" as string).patched).toBe(false); // unknown wave still fails
    expect(includesWave("15.1.2600.1", "2021-05").patched).toBe(true);
  });

  it("a CU newer than every known CU fails waves released after the newest known CU", () => {
    for (const [build, wave] of [
      ["15.2.2700.3", "2025-08"],
      ["15.2.2700.3", DEFAULT_BASELINE],
      ["15.1.2600.1", "2022-11"],
    ] as const) {
      const v = includesWave(build, wave);
      expect(v.patched).toBe(false);
      expect(v.reason).toMatch(/newer than any CU this pack knows/);
    }
  });
});

describe("includesWave: inputs it cannot judge", () => {
  it.each(["", "garbage", "15.2.792", "15.2.792.10.1", "-15.2.792.10", "15.2.792.x", "15..792.10"])("%j is not a build number", (text) => {
    const v = includesWave(text, "2021-03");
    expect(v.patched).toBe(false);
    expect(v.reason).toMatch(/not an Exchange build number/);
    expect(v.minimumBuild).toBeUndefined();
  });

  it.each([undefined, null, 42, {}])("never throws on a non-string build (%j)", (bad) => {
    expect(() => includesWave(bad as unknown as string, "2021-03")).not.toThrow();
    expect(includesWave(bad as unknown as string, "2021-03").patched).toBe(false);
  });

  it("truncates a very long input in the reason", () => {
    expect(includesWave("x".repeat(500), "2021-03").reason.length).toBeLessThan(200);
  });

  it.each(["2021-02", "2099-01", "", "latest", "2021-3"])("unknown wave %j fails and lists the known waves", (wave) => {
    const v = includesWave("15.2.792.15", wave);
    expect(v).toMatchObject({ patched: false, product: "Exchange 2019 CU8" });
    expect(v.reason).toMatch(/not a security-update wave this pack knows/);
    expect(v.reason).toContain("2021-03");
  });

  it.each([undefined, null, 7])("never throws on a non-string wave (%j)", (bad) => {
    expect(() => includesWave("15.2.792.15", bad as unknown as string)).not.toThrow();
    expect(includesWave("15.2.792.15", bad as unknown as string).patched).toBe(false);
  });

  it.each(["14.3.513.0", "14.03.0513.000", "14.3.123.4"])("Exchange 2010 SP3 (%s) is not covered and not patched", (build) => {
    const v = includesWave(build, "2021-03");
    expect(v).toMatchObject({ patched: false, product: "Exchange 2010 SP3" });
    expect(v.reason).toMatch(/Exchange 2010 SP3/);
    expect(v.reason).toMatch(/does not cover/);
  });

  it.each(["8.3.517.0", "14.2.390.3", "16.0.1.1", "15.3.1.1"])("other versions (%s) are not patched", (build) => {
    const v = includesWave(build, "2021-03");
    expect(v.patched).toBe(false);
    expect(v.reason).toMatch(/not an Exchange 2013, 2016, 2019 or SE build/);
  });
});

describe("reasons", () => {
  const samples = [
    ...SU_CASES.flatMap(({ wave, cuBuild, suBuild }) => [includesWave(cuBuild, wave), includesWave(suBuild, wave)]),
    includesWave("15.1.1261.35", "2021-03"),
    includesWave("15.0.1497.48", "2023-06"),
    includesWave("15.2.858.5", "2021-03"),
    includesWave("15.1.1234.5", "2021-03"),
    includesWave("15.2.2700.3", "2021-03"),
    includesWave("15.2.2700.3", "2026-09"),
    includesWave("garbage", "2021-03"),
    includesWave("15.2.792.10", "nope"),
    includesWave("14.3.513.0", "2021-03"),
  ];
  it("are single sentences without a final full stop (callers add punctuation)", () => {
    for (const v of samples) {
      expect(v.reason.length).toBeGreaterThan(20);
      expect(v.reason).not.toMatch(/[.]\s*$/);
      expect(v.reason).not.toMatch(/\.\s+[A-Z]/);
    }
  });
});

describe("includesWave: the reasons, word for word", () => {
  it.each<[string, string, ReturnType<typeof includesWave>]>([
    [
      "15.2.792.3",
      "2021-03",
      {
        patched: false,
        product: "Exchange 2019 CU8",
        minimumBuild: "15.2.792.10",
        reason: "build 15.2.792.3 is below 15.2.792.10, the 2021-03 security update for Exchange 2019 CU8",
      },
    ],
    [
      "15.2.1118.40",
      "2023-08",
      {
        patched: true,
        product: "Exchange 2019 CU12",
        minimumBuild: "15.2.1118.37",
        reason:
          "build 15.2.1118.40 is at or above 15.2.1118.37, the 2023-08 security update for Exchange 2019 CU12 (the re-released update; the original release was 15.2.1118.36)",
      },
    ],
    [
      "15.2.1544.33",
      "2025-12",
      {
        patched: false,
        product: "Exchange 2019 CU14",
        minimumBuild: "15.2.1544.37",
        reason:
          "build 15.2.1544.33 is below 15.2.1544.37, the 2025-12 security update for Exchange 2019 CU14 (Exchange 2019 is past end of support, so this update is distributed only through Microsoft's Extended Security Update program)",
      },
    ],
    [
      "15.2.922.7",
      "2021-03",
      {
        patched: true,
        product: "Exchange 2019 CU10",
        minimumBuild: "15.2.922.7",
        reason: "Exchange 2019 CU10 was released on 2021-06-29, after the 2021-03 security update (2021-03-02), so it already contains those fixes",
      },
    ],
    [
      "15.0.1497.48",
      "2024-11",
      {
        patched: false,
        product: "Exchange 2013 CU23",
        reason:
          "there is no security update for Exchange 2013 CU23 in the 2024-11 wave, which shipped no update for Exchange 2013 at all (Exchange 2013 reached end of support on 2023-04-11): migrate to a supported Exchange version",
      },
    ],
    [
      "15.1.2600.1",
      "2021-05",
      {
        patched: true,
        product: "Exchange 2016 (unknown CU 2600)",
        reason:
          "build 15.1.2600.1 is newer than any CU this pack knows (the newest, Exchange 2016 CU23, was released on 2022-04-20, after the 2021-05 security update), so it contains those fixes",
      },
    ],
    [
      "15.2.2700.3",
      "2025-08",
      {
        patched: false,
        product: "Exchange SE (unknown CU 2700)",
        reason:
          "build 15.2.2700.3 is newer than any CU this pack knows (newest: Exchange SE RTM), but the pack cannot tell whether it includes the 2025-08 security update: update the pack's Exchange build table",
      },
    ],
    [
      "15.0.1000.1",
      "2021-03",
      {
        patched: false,
        product: "Exchange 2013 (unknown CU 1000)",
        reason:
          "build 15.0.1000.1 is not a cumulative update this pack knows (CU build 1000), so it cannot be shown to include the 2021-03 security update",
      },
    ],
  ])("%s against %s", (build, wave, expected) => {
    expect(includesWave(build, wave)).toEqual(expected);
  });

  it("an unknown wave: the reason quotes it and lists the known waves", () => {
    expect(includesWave("15.2.792.15", "2021-02").reason).toBe(
      `"2021-02" is not a security-update wave this pack knows (known waves: ${WAVES.join(", ")})`,
    );
    expect(includesWave("15.2.792.15", 7 as unknown as string).reason).toMatch(/^"7" is not a security-update wave/);
  });

  it("a long bad build is quoted and cut at 57 characters plus an ellipsis; 60 are shown whole", () => {
    expect(includesWave("x".repeat(61), "2021-03").reason).toBe(
      `"${"x".repeat(57)}..." is not an Exchange build number (expected four numbers such as 15.2.792.10 or 15.02.0792.010)`,
    );
    expect(includesWave("x".repeat(60), "2021-03").reason).toBe(
      `"${"x".repeat(60)}" is not an Exchange build number (expected four numbers such as 15.2.792.10 or 15.02.0792.010)`,
    );
    expect(includesWave(42 as unknown as string, "2021-03")).toEqual({
      patched: false,
      product: "Unknown",
      reason: '"42" is not an Exchange build number (expected four numbers such as 15.2.792.10 or 15.02.0792.010)',
    });
  });

  it("Exchange 2010 and other major versions are not judged", () => {
    expect(includesWave("14.3.513.0", "2021-03").reason).toMatch(/^build 14\.3\.513\.0 is Exchange 2010 SP3, which this pack does not cover/);
    expect(includesWave("15.3.1.1", "2021-03")).toEqual({
      patched: false,
      product: "Unknown Exchange version 15.3",
      reason:
        "build 15.3.1.1 is not an Exchange 2013, 2016, 2019 or SE build (major.minor 15.3), so this pack cannot tell whether it includes the 2021-03 security update",
    });
    expect(productName(parseExchangeBuild("14.2.1.1")!)).toBe("Unknown Exchange version 14.2");
    expect(productName(parseExchangeBuild("15.3.1.1")!)).toBe("Unknown Exchange version 15.3");
  });

  it("a pre-release build names the CU's release build", () => {
    expect(includesWave("15.2.792.2", "2021-03").reason).toBe(
      "build 15.2.792.2 is below the released build of Exchange 2019 CU8 (15.2.792.3), so it is a pre-release build that cannot be shown to include the 2021-03 security update",
    );
  });
});
