/**
 * Exchange Server security-update (SU) build table: data only, with its sources. A new Patch Tuesday wave is one new
 * row of WAVE_TABLES (and a CU row when a CU ships); docs/updating-exchange-builds.md says how. The rules that read it
 * are in exchangeBuilds.ts.
 *
 * Build numbers: short `15.2.792.10` = long `15.02.0792.010`. major.minor names the product line
 * (15.0 = Exchange 2013, 15.1 = 2016, 15.2 = 2019 and, from build 15.2.2562, Exchange SE; 14.3 = 2010 SP3).
 * The third part names the cumulative update (CU), e.g. 792 = Exchange 2019 CU8; the fourth part is the
 * SU level within that CU. SUs are CU-specific and cumulative within their CU.
 *
 * Sources (stored public copies read for this table; every wave below repeats the ones it relies on):
 * - [MSDOCS]  MicrosoftDocs/OfficeDocs-Exchange `Exchange/ExchangeServer/new-features/build-numbers-and-release-dates.md`
 *             (2021-07 snapshot = https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates; the stored copies
 *             read directly here, commits 65422fcc… and 95e2f190…, are 2018/2019 snapshots used only for CU release dates).
 * - [GEBN]    microsoft/Get-ExchangeBuildNumber `ExchangeBuildNumbers.csv` @ 110255280e9134c517a56bda6ad9570f883cab11
 *             (Microsoft-maintained build list with release dates and KBs, through "Exchange SE RTM May26HU", 2026-05-07).
 * - [HC]      microsoft/CSS-Exchange `Shared/Get-ExchangeBuildVersionInformation.ps1` @ 01bad118924cbe49c50f6a5233bb04fc6010ddd2
 *             (HealthChecker's CU/SU dictionary, through Sep26SUv2); the older copy @ 5eb8cd3ebccd98b721525e000eded7de00bad3b1
 *             (through Mar24SU) has the same values for every wave it lists.
 * - [HC-CVE]  microsoft/CSS-Exchange `Diagnostics/HealthChecker/Analyzer/Security/Invoke-AnalyzerSecurityCveCheck.ps1`
 *             @ 47e2905d3e6c46bfc9d885a855270e06bb5c9011 (SU name → CVE list: which releases are security updates).
 * - [PR2574]  github.com/microsoft/CSS-Exchange/pull/2574 "Aug26 SU Release" (merged 2026-08-11).
 * - [EIGHTWONE-JUN26] eightwone.com/2026/06/09/security-updates-exchange-se-2019-2016-jun2026/ (third party).
 * - [TABLE-3P] a third-party transcription of Microsoft's build page ("Verified 2026-09-02"; search index id 68976990093,
 *             repository not shown by the index) — used only to cross-check the June–August 2026 builds and their dates.
 *
 * Policy choices (each also noted next to the data):
 * - Where sources disagree, the HIGHER build is used (2016 CU8/CU9, March 2021).
 * - Hotfix updates ("HU": Apr24HU, Apr25HU, May25HU, Sep25HU, May26HU) are not security-update waves and are not listed.
 * - A wave whose packages were re-released ("v2": Aug23SUv2, Nov24SUv2, Sep26SUv2) uses the re-released build as its
 *   minimum (the higher build; Microsoft told customers to install the re-release). The original builds are kept in
 *   `firstRelease` for reference.
 */

/** A security-update wave, "YYYY-MM" (e.g. "2021-03"). */
export type Wave = string;

/** Product key of a CU record. Exchange SE shares the 15.2 build line with Exchange 2019. */
export type ExchangeProduct = "2013" | "2016" | "2019" | "SE";

export interface CumulativeUpdateRecord {
  readonly product: ExchangeProduct;
  /** "RTM", "CU8", "SP1" (Exchange 2013 SP1 is CU4). */
  readonly cu: string;
  /** The CU's own (release) build. */
  readonly build: string;
  /** Release date, YYYY-MM-DD. */
  readonly released: string;
}

export interface WaveTable {
  readonly wave: Wave;
  /** Release date, YYYY-MM-DD; "YYYY-MM" when the day could not be sourced (then read as the month's last day: fail closed). */
  readonly released: string;
  /** KB article(s) of the wave, as sourced. */
  readonly kb?: string;
  /** Where the builds below come from (repository, path, commit). */
  readonly source: string;
  /** CU build line "major.minor.build" (e.g. "15.2.792") -> minimum build of this wave for that CU. */
  readonly builds: Readonly<Record<string, string>>;
  /** For re-released waves: the original (superseded) release builds, keyed like `builds`. */
  readonly firstRelease?: Readonly<Record<string, string>>;
}

/**
 * Every CU of Exchange 2013, 2016, 2019 and SE with its release build and date.
 * Builds: [MSDOCS] (2018/2019 snapshots for 2013/2016 and 2019 RTM–CU2), [GEBN], [HC] (all agree).
 * Dates: [GEBN] (Microsoft's page dates; HealthChecker has a few CU dates a few days earlier, e.g. 2013 CU18
 * 09/16/2017 vs 2017-09-19 — none of those differences straddles a wave).
 */
// The tables are data, each row checked by the table-driven tests; mutating every literal would only slow mutation runs.
// Stryker disable all
export const CUMULATIVE_UPDATES: readonly CumulativeUpdateRecord[] = [
  // Exchange 2013 (15.0). End of support 2023-04-11.
  { product: "2013", cu: "RTM", build: "15.0.516.32", released: "2012-12-03" },
  { product: "2013", cu: "CU1", build: "15.0.620.29", released: "2013-04-02" },
  { product: "2013", cu: "CU2", build: "15.0.712.24", released: "2013-07-09" },
  { product: "2013", cu: "CU3", build: "15.0.775.38", released: "2013-11-25" },
  { product: "2013", cu: "SP1", build: "15.0.847.32", released: "2014-02-25" }, // = CU4
  { product: "2013", cu: "CU5", build: "15.0.913.22", released: "2014-05-27" },
  { product: "2013", cu: "CU6", build: "15.0.995.29", released: "2014-08-26" },
  { product: "2013", cu: "CU7", build: "15.0.1044.25", released: "2014-12-09" },
  { product: "2013", cu: "CU8", build: "15.0.1076.9", released: "2015-03-17" },
  { product: "2013", cu: "CU9", build: "15.0.1104.5", released: "2015-06-17" },
  { product: "2013", cu: "CU10", build: "15.0.1130.7", released: "2015-09-15" },
  { product: "2013", cu: "CU11", build: "15.0.1156.6", released: "2015-12-15" },
  { product: "2013", cu: "CU12", build: "15.0.1178.4", released: "2016-03-15" },
  { product: "2013", cu: "CU13", build: "15.0.1210.3", released: "2016-06-21" },
  { product: "2013", cu: "CU14", build: "15.0.1236.3", released: "2016-09-20" },
  { product: "2013", cu: "CU15", build: "15.0.1263.5", released: "2016-12-13" },
  { product: "2013", cu: "CU16", build: "15.0.1293.2", released: "2017-03-21" },
  { product: "2013", cu: "CU17", build: "15.0.1320.4", released: "2017-06-27" },
  { product: "2013", cu: "CU18", build: "15.0.1347.2", released: "2017-09-19" },
  { product: "2013", cu: "CU19", build: "15.0.1365.1", released: "2017-12-19" },
  { product: "2013", cu: "CU20", build: "15.0.1367.3", released: "2018-03-20" },
  { product: "2013", cu: "CU21", build: "15.0.1395.4", released: "2018-06-19" },
  { product: "2013", cu: "CU22", build: "15.0.1473.3", released: "2019-02-12" },
  { product: "2013", cu: "CU23", build: "15.0.1497.2", released: "2019-06-18" },

  // Exchange 2016 (15.1). End of support 2025-10-14 (later SUs only through the Extended Security Update program).
  { product: "2016", cu: "RTM", build: "15.1.225.42", released: "2015-10-01" },
  { product: "2016", cu: "CU1", build: "15.1.396.30", released: "2016-03-15" },
  { product: "2016", cu: "CU2", build: "15.1.466.34", released: "2016-06-21" },
  { product: "2016", cu: "CU3", build: "15.1.544.27", released: "2016-09-20" },
  { product: "2016", cu: "CU4", build: "15.1.669.32", released: "2016-12-13" },
  { product: "2016", cu: "CU5", build: "15.1.845.34", released: "2017-03-21" },
  { product: "2016", cu: "CU6", build: "15.1.1034.26", released: "2017-06-27" },
  { product: "2016", cu: "CU7", build: "15.1.1261.35", released: "2017-09-19" },
  { product: "2016", cu: "CU8", build: "15.1.1415.2", released: "2017-12-19" },
  { product: "2016", cu: "CU9", build: "15.1.1466.3", released: "2018-03-20" },
  { product: "2016", cu: "CU10", build: "15.1.1531.3", released: "2018-06-19" },
  { product: "2016", cu: "CU11", build: "15.1.1591.10", released: "2018-10-16" },
  { product: "2016", cu: "CU12", build: "15.1.1713.5", released: "2019-02-12" },
  { product: "2016", cu: "CU13", build: "15.1.1779.2", released: "2019-06-18" },
  { product: "2016", cu: "CU14", build: "15.1.1847.3", released: "2019-09-17" },
  { product: "2016", cu: "CU15", build: "15.1.1913.5", released: "2019-12-17" },
  { product: "2016", cu: "CU16", build: "15.1.1979.3", released: "2020-03-17" },
  { product: "2016", cu: "CU17", build: "15.1.2044.4", released: "2020-06-16" },
  { product: "2016", cu: "CU18", build: "15.1.2106.2", released: "2020-09-15" },
  { product: "2016", cu: "CU19", build: "15.1.2176.2", released: "2020-12-15" },
  { product: "2016", cu: "CU20", build: "15.1.2242.4", released: "2021-03-16" },
  { product: "2016", cu: "CU21", build: "15.1.2308.8", released: "2021-06-29" },
  { product: "2016", cu: "CU22", build: "15.1.2375.7", released: "2021-09-28" },
  { product: "2016", cu: "CU23", build: "15.1.2507.6", released: "2022-04-20" },

  // Exchange 2019 (15.2 below 2562). End of support 2025-10-14 (later SUs only through the ESU program).
  { product: "2019", cu: "RTM", build: "15.2.221.12", released: "2018-10-22" },
  { product: "2019", cu: "CU1", build: "15.2.330.5", released: "2019-02-12" },
  { product: "2019", cu: "CU2", build: "15.2.397.3", released: "2019-06-18" },
  { product: "2019", cu: "CU3", build: "15.2.464.5", released: "2019-09-17" },
  { product: "2019", cu: "CU4", build: "15.2.529.5", released: "2019-12-17" },
  { product: "2019", cu: "CU5", build: "15.2.595.3", released: "2020-03-17" },
  { product: "2019", cu: "CU6", build: "15.2.659.4", released: "2020-06-16" },
  { product: "2019", cu: "CU7", build: "15.2.721.2", released: "2020-09-15" },
  { product: "2019", cu: "CU8", build: "15.2.792.3", released: "2020-12-15" },
  { product: "2019", cu: "CU9", build: "15.2.858.5", released: "2021-03-16" },
  { product: "2019", cu: "CU10", build: "15.2.922.7", released: "2021-06-29" },
  { product: "2019", cu: "CU11", build: "15.2.986.5", released: "2021-09-28" },
  { product: "2019", cu: "CU12", build: "15.2.1118.7", released: "2022-04-20" },
  { product: "2019", cu: "CU13", build: "15.2.1258.12", released: "2023-05-03" },
  { product: "2019", cu: "CU14", build: "15.2.1544.4", released: "2024-02-13" },
  { product: "2019", cu: "CU15", build: "15.2.1748.10", released: "2025-02-10" },

  // Exchange Server Subscription Edition (15.2 from 2562). [GEBN] "Exchange SE RTM,15.2.2562.17,7/1/2025"; [HC] RTM 15.2.2562.17.
  { product: "SE", cu: "RTM", build: "15.2.2562.17", released: "2025-07-01" },
];

const V2_NOTE = "re-released; the re-release (higher) build is the minimum";

/**
 * Security-update waves, chronological. Keys of `builds` are CU build lines ("major.minor.build").
 * A CU released after a wave contains that wave's fixes and needs no row; a CU released before a wave without a row got
 * no update in that wave (it must be upgraded).
 */
export const WAVE_TABLES: readonly WaveTable[] = [
  {
    // ProxyLogon (CVE-2021-26855/26857/26858/27065). Special builds for older CUs were shipped from March 8 on.
    // DISAGREEMENT: for Exchange 2016 CU8 / CU9, [HC] (and its 2021 analyzer) say 15.1.1415.8 / 15.1.1466.13, while
    // [MSDOCS], [GEBN] ("Exchange 2016 CU8 Mar21SU,15.1.1415.10", "CU9 Mar21SU,15.1.1466.16") and the MSRC CVE record say
    // .10 / .16. The HIGHER numbers are used. [HC] also lacks the 2019 RTM and 2013 SP1 rows, which [MSDOCS] and [GEBN] have.
    wave: "2021-03",
    released: "2021-03-02",
    kb: "KB5000871",
    source:
      "MicrosoftDocs/OfficeDocs-Exchange Exchange/ExchangeServer/new-features/build-numbers-and-release-dates.md (2021-07 snapshot); " +
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 " +
      "(disagrees for 2016 CU8/CU9: .8/.13; the higher .10/.16 are used)",
    builds: {
      "15.2.221": "15.2.221.18",
      "15.2.330": "15.2.330.11",
      "15.2.397": "15.2.397.11",
      "15.2.464": "15.2.464.15",
      "15.2.529": "15.2.529.13",
      "15.2.595": "15.2.595.8",
      "15.2.659": "15.2.659.12",
      "15.2.721": "15.2.721.13",
      "15.2.792": "15.2.792.10",
      "15.1.1415": "15.1.1415.10", // [HC] 15.1.1415.8 (lower; not used)
      "15.1.1466": "15.1.1466.16", // [HC] 15.1.1466.13 (lower; not used)
      "15.1.1531": "15.1.1531.12",
      "15.1.1591": "15.1.1591.18",
      "15.1.1713": "15.1.1713.10",
      "15.1.1779": "15.1.1779.8",
      "15.1.1847": "15.1.1847.12",
      "15.1.1913": "15.1.1913.12",
      "15.1.1979": "15.1.1979.8",
      "15.1.2044": "15.1.2044.13",
      "15.1.2106": "15.1.2106.13",
      "15.1.2176": "15.1.2176.9",
      "15.0.847": "15.0.847.64",
      "15.0.1395": "15.0.1395.12",
      "15.0.1473": "15.0.1473.6",
      "15.0.1497": "15.0.1497.12",
    },
  },
  {
    // ProxyShell part 1 (CVE-2021-34473, -34523). [MSDOCS], [GEBN], [HC] agree.
    wave: "2021-04",
    released: "2021-04-13",
    kb: "KB5001779",
    source:
      "MicrosoftDocs/OfficeDocs-Exchange build-numbers-and-release-dates.md (2021-07 snapshot); " +
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.792": "15.2.792.13",
      "15.2.858": "15.2.858.10",
      "15.1.2176": "15.1.2176.12",
      "15.1.2242": "15.1.2242.8",
      "15.0.1497": "15.0.1497.15",
    },
  },
  {
    // ProxyShell part 2 (CVE-2021-31207). [MSDOCS], [GEBN], [HC] agree.
    wave: "2021-05",
    released: "2021-05-11",
    kb: "KB5003435",
    source:
      "MicrosoftDocs/OfficeDocs-Exchange build-numbers-and-release-dates.md (2021-07 snapshot); " +
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.792": "15.2.792.15",
      "15.2.858": "15.2.858.12",
      "15.1.2176": "15.1.2176.14",
      "15.1.2242": "15.1.2242.10",
      "15.0.1497": "15.0.1497.18",
    },
  },
  {
    // ProxyNotShell (CVE-2022-41040, -41082). [GEBN], [HC] and the CVE records agree.
    wave: "2022-11",
    released: "2022-11-08",
    kb: "KB5019758",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2; " +
      "CVEProject/cvelistV5 CVE-2022-41040/-41082",
    builds: {
      "15.2.986": "15.2.986.36",
      "15.2.1118": "15.2.1118.20",
      "15.1.2375": "15.1.2375.37",
      "15.1.2507": "15.1.2507.16",
      "15.0.1497": "15.0.1497.44",
    },
  },
  {
    // [GEBN] and [HC] agree. No SU for 2016 CU22 from here on (neither source lists one).
    wave: "2023-01",
    released: "2023-01-10",
    kb: "KB5022188",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.986": "15.2.986.37",
      "15.2.1118": "15.2.1118.21",
      "15.1.2507": "15.1.2507.17",
      "15.0.1497": "15.0.1497.45",
    },
  },
  {
    wave: "2023-02",
    released: "2023-02-14",
    kb: "KB5023038",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.986": "15.2.986.41",
      "15.2.1118": "15.2.1118.25",
      "15.1.2507": "15.1.2507.21",
      "15.0.1497": "15.0.1497.47",
    },
  },
  {
    // Last SU for Exchange 2013 (end of support 2023-04-11).
    wave: "2023-03",
    released: "2023-03-14",
    kb: "KB5024296",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.986": "15.2.986.42",
      "15.2.1118": "15.2.1118.26",
      "15.1.2507": "15.1.2507.23",
      "15.0.1497": "15.0.1497.48",
    },
  },
  {
    // 2019 CU11 no longer serviced; 2019 CU13 (2023-05-03) gets its first SU.
    wave: "2023-06",
    released: "2023-06-13",
    kb: "KB5025903 (2016), KB5026261 (2019)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.1118": "15.2.1118.30",
      "15.2.1258": "15.2.1258.16",
      "15.1.2507": "15.1.2507.27",
    },
  },
  {
    // Re-released 2023-08-15 as Aug23SUv2 (KB5030524): the v2 builds are the minimum (V2_NOTE).
    wave: "2023-08",
    released: "2023-08-08",
    kb: "KB5029388; re-release KB5030524",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Aug23SU / Aug23SUv2); " +
      V2_NOTE,
    builds: {
      "15.2.1118": "15.2.1118.37",
      "15.2.1258": "15.2.1258.25",
      "15.1.2507": "15.1.2507.32",
    },
    firstRelease: {
      "15.2.1118": "15.2.1118.36",
      "15.2.1258": "15.2.1258.23",
      "15.1.2507": "15.1.2507.31",
    },
  },
  {
    wave: "2023-10",
    released: "2023-10-10",
    kb: "KB5030877",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.1118": "15.2.1118.39",
      "15.2.1258": "15.2.1258.27",
      "15.1.2507": "15.1.2507.34",
    },
  },
  {
    // Last SU for 2019 CU12.
    wave: "2023-11",
    released: "2023-11-14",
    kb: "KB5032147 (2016), KB5032146 (2019)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.1118": "15.2.1118.40",
      "15.2.1258": "15.2.1258.28",
      "15.1.2507": "15.1.2507.35",
    },
  },
  {
    // 2019 CU14 (2024-02-13) gets its first SU. (The April 2024 "Apr24HU" is a hotfix update, not a security wave.)
    wave: "2024-03",
    released: "2024-03-12",
    kb: "KB5036386",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 " +
      "(same values @5eb8cd3ebccd98b721525e000eded7de00bad3b1)",
    builds: {
      "15.2.1258": "15.2.1258.32",
      "15.2.1544": "15.2.1544.9",
      "15.1.2507": "15.1.2507.37",
    },
  },
  {
    // Re-released 2024-11-27 as Nov24SUv2 (KB5049233) after the original stopped transport rules: the v2 builds are the
    // minimum (V2_NOTE). Last SU for 2019 CU13.
    wave: "2024-11",
    released: "2024-11-12",
    kb: "KB5044062; re-release KB5049233",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Nov24SU / Nov24SUv2); " +
      V2_NOTE,
    builds: {
      "15.2.1258": "15.2.1258.39",
      "15.2.1544": "15.2.1544.14",
      "15.1.2507": "15.1.2507.44",
    },
    firstRelease: {
      "15.2.1258": "15.2.1258.38",
      "15.2.1544": "15.2.1544.13",
      "15.1.2507": "15.1.2507.43",
    },
  },
  {
    // First SU wave after 2019 CU15 (2025-02-10) and Exchange SE RTM (2025-07-01). Apr25HU/May25HU are hotfix updates.
    wave: "2025-08",
    released: "2025-08-12",
    kb: "KB5063223 (2016 CU23), KB5063222 (2019 CU14), KB5063221 (2019 CU15), KB5063224 (SE RTM)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.2562": "15.2.2562.20",
      "15.2.1748": "15.2.1748.36",
      "15.2.1544": "15.2.1544.33",
      "15.1.2507": "15.1.2507.58",
    },
  },
  {
    // Last public SU for 2016/2019 (end of support 2025-10-14); later 2016/2019 SUs only through the ESU program.
    wave: "2025-10",
    released: "2025-10-14",
    kb: "KB5066369 (2016 CU23), KB5066368 (2019 CU14), KB5066367 (2019 CU15), KB5066366 (SE RTM)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.2562": "15.2.2562.29",
      "15.2.1748": "15.2.1748.39",
      "15.2.1544": "15.2.1544.36",
      "15.1.2507": "15.1.2507.61",
    },
  },
  {
    wave: "2025-12",
    released: "2025-12-09",
    kb: "KB5071873 (2016 CU23), KB5071874 (2019 CU14), KB5071875 (2019 CU15), KB5071876 (SE RTM)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.2562": "15.2.2562.35",
      "15.2.1748": "15.2.1748.42",
      "15.2.1544": "15.2.1544.37",
      "15.1.2507": "15.1.2507.63",
    },
  },
  {
    wave: "2026-02",
    released: "2026-02-10",
    kb: "KB5074995 (2016 CU23), KB5074994 (2019 CU14), KB5074993 (2019 CU15), KB5074992 (SE RTM)",
    source:
      "microsoft/Get-ExchangeBuildNumber ExchangeBuildNumbers.csv @110255280e9134c517a56bda6ad9570f883cab11; " +
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2",
    builds: {
      "15.2.2562": "15.2.2562.37",
      "15.2.1748": "15.2.1748.43",
      "15.2.1544": "15.2.1544.39",
      "15.1.2507": "15.1.2507.66",
    },
  },
  {
    // Not yet in the stored [GEBN] copy (it ends at May26HU); [HC], eightwone and [TABLE-3P] agree.
    wave: "2026-06",
    released: "2026-06-09",
    kb: "KB5094144 (2016 CU23), KB5094142 (2019 CU14), KB5094140 (2019 CU15), KB5094139 (SE RTM) (third party)",
    source:
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Jun26SU); " +
      "cross-checked: eightwone.com/2026/06/09/security-updates-exchange-se-2019-2016-jun2026/ and a third-party copy of " +
      "Microsoft's build page verified 2026-09-02 (release date)",
    builds: {
      "15.2.2562": "15.2.2562.43",
      "15.2.1748": "15.2.1748.46",
      "15.2.1544": "15.2.1544.41",
      "15.1.2507": "15.1.2507.69",
    },
  },
  {
    wave: "2026-07",
    released: "2026-07-14",
    source:
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Jul26SU); " +
      "cross-checked: third-party copy of Microsoft's build page verified 2026-09-02 (builds and release date)",
    builds: {
      "15.2.2562": "15.2.2562.45",
      "15.2.1748": "15.2.1748.48",
      "15.2.1544": "15.2.1544.43",
      "15.1.2507": "15.1.2507.71",
    },
  },
  {
    wave: "2026-08",
    released: "2026-08-11",
    source:
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Aug26SU); " +
      "cross-checked: github.com/microsoft/CSS-Exchange/pull/2574 (merged 2026-08-11) and a third-party copy of Microsoft's " +
      "build page verified 2026-09-02",
    builds: {
      "15.2.2562": "15.2.2562.46",
      "15.2.1748": "15.2.1748.49",
      "15.2.1544": "15.2.1544.44",
      "15.1.2507": "15.1.2507.72",
    },
  },
  {
    // Single source: [HC] only (Sep26SU and Sep26SUv2). The release day and the reason for the re-release could not be
    // sourced: the month is recorded as "2026-09" (read as 2026-09-30, fail closed) and the v2 builds are the minimum.
    wave: "2026-09",
    released: "2026-09",
    source:
      "microsoft/CSS-Exchange Shared/Get-ExchangeBuildVersionInformation.ps1 @01bad118924cbe49c50f6a5233bb04fc6010ddd2 (Sep26SU / Sep26SUv2; " +
      "no second source found); " +
      V2_NOTE,
    builds: {
      "15.2.2562": "15.2.2562.53",
      "15.2.1748": "15.2.1748.53",
      "15.2.1544": "15.2.1544.48",
      "15.1.2507": "15.1.2507.75",
    },
    firstRelease: {
      "15.2.2562": "15.2.2562.49",
      "15.2.1748": "15.2.1748.51",
      "15.2.1544": "15.2.1544.46",
      "15.1.2507": "15.1.2507.73",
    },
  },
];

// Stryker restore all
