/**
 * The rule "does build B include security-update wave W" (`includesWave`) over the build table in
 * exchangeBuildTable.ts, and the build-number parsing it needs.
 */
import { CUMULATIVE_UPDATES, CumulativeUpdateRecord, ExchangeProduct, Wave, WAVE_TABLES, WaveTable } from "./exchangeBuildTable";

export type { Wave } from "./exchangeBuildTable";

/** Every wave the pack knows, chronological. */
export const WAVES: readonly Wave[] = WAVE_TABLES.map((w) => w.wave);

/** The newest wave in the table: the default `securityBaseline`. */
export const DEFAULT_BASELINE: Wave = WAVES[WAVES.length - 1];

export function isKnownWave(w: string): boolean {
  return typeof w === "string" && WAVES.includes(w);
}

// ---------------------------------------------------------------------------------------------------------------------
// Builds

export interface ExchangeBuild {
  major: number;
  minor: number;
  build: number;
  revision: number;
  /** Normalized short form, e.g. "15.2.792.10". */
  text: string;
}

/** The one definition of a build number: major.minor.build.revision, short or long (zero-padded) form, as Exchange writes them. */
const BUILD_RE = /^(\d{1,2})\.(\d{1,2})\.(\d{1,5})\.(\d{1,5})$/;

/** Parses a short (`15.2.792.10`) or long (`15.02.0792.010`) build number; anything else gives undefined. Never throws. */
export function parseExchangeBuild(text: string): ExchangeBuild | undefined {
  if (typeof text !== "string") return undefined;
  const m = BUILD_RE.exec(text.trim());
  if (!m) return undefined;
  const [major, minor, build, revision] = [m[1], m[2], m[3], m[4]].map((p) => Number.parseInt(p, 10));
  return { major, minor, build, revision, text: `${major}.${minor}.${build}.${revision}` };
}

/** First build of the 15.2 line that is Exchange SE rather than Exchange 2019 ([HC]: 15.2 with build >= 2562). */
const SE_FIRST_BUILD = 2562;

interface ProductLine {
  readonly major: number;
  readonly minor: number;
  readonly name: string;
}
const LINES: readonly ProductLine[] = [
  { major: 15, minor: 0, name: "Exchange 2013" },
  { major: 15, minor: 1, name: "Exchange 2016" },
  { major: 15, minor: 2, name: "Exchange 2019" },
];

/** End of (extended) support per product ([HC]; Microsoft's product lifecycle pages). */
const END_OF_SUPPORT: Readonly<Record<ExchangeProduct, string>> = {
  "2013": "2023-04-11",
  "2016": "2025-10-14",
  "2019": "2025-10-14",
  SE: "2035-12-31",
};

interface CuInfo {
  readonly record: CumulativeUpdateRecord;
  readonly build: ExchangeBuild;
  readonly key: string;
  readonly label: string;
}

function lineKey(b: { major: number; minor: number; build: number }): string {
  return `${b.major}.${b.minor}.${b.build}`;
}

function cuLabel(r: CumulativeUpdateRecord): string {
  return r.product === "SE" ? `Exchange SE ${r.cu}` : `Exchange ${r.product} ${r.cu}`;
}

const CUS: readonly CuInfo[] = CUMULATIVE_UPDATES.flatMap((record) => {
  const build = parseExchangeBuild(record.build);
  return build ? [{ record, build, key: lineKey(build), label: cuLabel(record) }] : [];
});
const CU_BY_KEY = new Map(CUS.map((c) => [c.key, c] as const));
const WAVE_BY_NAME = new Map(WAVE_TABLES.map((w) => [w.wave, w] as const));

function productOf(b: ExchangeBuild): ExchangeProduct | undefined {
  if (b.major !== 15) return undefined;
  if (b.minor === 0) return "2013";
  if (b.minor === 1) return "2016";
  if (b.minor === 2) return b.build >= SE_FIRST_BUILD ? "SE" : "2019";
  return undefined;
}

/** e.g. "Exchange 2019 CU8", "Exchange 2016 (unknown CU 1234)", "Exchange SE RTM", "Exchange 2010 SP3". */
export function productName(b: ExchangeBuild): string {
  const cu = CU_BY_KEY.get(lineKey(b));
  if (cu) return cu.label;
  if (b.major === 14 && b.minor === 3) return "Exchange 2010 SP3";
  const p = productOf(b);
  if (p) return `${p === "SE" ? "Exchange SE" : `Exchange ${p}`} (unknown CU ${b.build})`;
  return `Unknown Exchange version ${b.major}.${b.minor}`;
}

/** A date "YYYY-MM-DD", or "YYYY-MM" read as the month's last possible day (so a same-month CU is not assumed to be later). */
function dayOf(date: string): string {
  return date.length === 7 ? `${date}-31` : date;
}

/** True when the CU was released after the wave and therefore already contains its fixes. */
function cuContainsWave(cu: CumulativeUpdateRecord, w: WaveTable): boolean {
  return cu.released > dayOf(w.released);
}

function listLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

/**
 * The CUs of one build line that a wave served, compactly: "Exchange 2016 CU8 to CU19", "Exchange 2019 CU8/CU9",
 * "Exchange 2019 CU14/CU15 and Exchange SE RTM". Empty when none.
 */
function servedCuText(line: readonly CuInfo[], served: (c: CuInfo) => boolean): string {
  const groups: string[] = [];
  for (const product of [...new Set(line.map((c) => c.record.product))]) {
    const cus = line.filter((c) => c.record.product === product);
    const idx = cus.flatMap((c, i) => (served(c) ? [i] : []));
    if (idx.length === 0) continue;
    const prefix = product === "SE" ? "Exchange SE" : `Exchange ${product}`;
    const contiguous = idx[idx.length - 1] - idx[0] === idx.length - 1;
    const names = idx.map((i) => cus[i].record.cu);
    groups.push(contiguous && names.length > 2 ? `${prefix} ${names[0]} to ${names[names.length - 1]}` : `${prefix} ${names.join("/")}`);
  }
  return listLabels(groups);
}

function shown(text: unknown): string {
  const s = typeof text === "string" ? text : String(text);
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

export interface WaveVerdict {
  readonly patched: boolean;
  /** e.g. "Exchange 2019 CU8" or "Exchange 2016 (unknown CU 1234)" */
  readonly product: string;
  /** One sentence, user-facing: why patched / not patched, naming the minimum build needed when one exists. */
  readonly reason: string;
  /** The minimum build that includes the wave for this CU, when one exists. */
  readonly minimumBuild?: string;
}

/**
 * Does `buildText` include security-update wave `wave`? Never throws.
 * - The CU is the one whose release build has the same major.minor.build.
 * - A CU released after the wave contains the fix; otherwise the wave's SU build for that CU is the minimum
 *   (compared on all four parts); a CU released before the wave without an SU in it fails (upgrade the CU).
 * - An unknown CU fails (fail closed), unless it is newer than every CU the pack knows for its build line and the
 *   newest known CU already contains the wave.
 * Reasons are single sentences without a final full stop (callers append their own punctuation).
 */
export function includesWave(buildText: string, wave: Wave): WaveVerdict {
  const b = parseExchangeBuild(buildText);
  if (!b) {
    return {
      patched: false,
      product: "Unknown",
      reason: `${shown(buildText)} is not an Exchange build number (expected four numbers such as 15.2.792.10 or 15.02.0792.010)`,
    };
  }
  const product = productName(b);
  const w = typeof wave === "string" ? WAVE_BY_NAME.get(wave) : undefined;
  if (!w) {
    return {
      patched: false,
      product,
      reason: `${shown(wave)} is not a security-update wave this pack knows (known waves: ${WAVES.join(", ")})`,
    };
  }
  if (b.major === 14 && b.minor === 3) {
    return {
      patched: false,
      product,
      reason: `build ${b.text} is Exchange 2010 SP3, which this pack does not cover (it judges Exchange 2013, 2016, 2019 and SE builds only), so it is treated as not patched: migrate to a supported Exchange version`,
    };
  }
  const line = LINES.find((l) => l.major === b.major && l.minor === b.minor);
  if (!line) {
    return {
      patched: false,
      product,
      reason: `build ${b.text} is not an Exchange 2013, 2016, 2019 or SE build (major.minor ${b.major}.${b.minor}), so this pack cannot tell whether it includes the ${w.wave} security update`,
    };
  }

  const cu = CU_BY_KEY.get(lineKey(b));
  if (!cu) return unknownCu(b, product, w);

  if (b.revision < cu.build.revision) {
    return {
      patched: false,
      product,
      reason: `build ${b.text} is below the released build of ${cu.label} (${cu.build.text}), so it is a pre-release build that cannot be shown to include the ${w.wave} security update`,
    };
  }
  if (cuContainsWave(cu.record, w)) {
    return {
      patched: true,
      product,
      minimumBuild: cu.build.text,
      reason: `${cu.label} was released on ${cu.record.released}, after the ${w.wave} security update (${w.released}), so it already contains those fixes`,
    };
  }
  const suText = w.builds[cu.key];
  const su = suText === undefined ? undefined : parseExchangeBuild(suText);
  if (su) {
    const esu =
      (cu.record.product === "2016" || cu.record.product === "2019") && dayOf(w.released) > END_OF_SUPPORT[cu.record.product]
        ? ` (Exchange ${cu.record.product} is past end of support, so this update is distributed only through Microsoft's Extended Security Update program)`
        : "";
    const reissue = w.firstRelease?.[cu.key] ? ` (the re-released update; the original release was ${w.firstRelease[cu.key]})` : "";
    // The wave's update for a CU shares the CU's major.minor.build (the table is keyed by it): the revision decides.
    if (b.revision >= su.revision) {
      return {
        patched: true,
        product,
        minimumBuild: su.text,
        reason: `build ${b.text} is at or above ${su.text}, the ${w.wave} security update for ${cu.label}${reissue}`,
      };
    }
    return {
      patched: false,
      product,
      minimumBuild: su.text,
      reason: `build ${b.text} is below ${su.text}, the ${w.wave} security update for ${cu.label}${reissue}${esu}`,
    };
  }
  return noUpdateForCu(cu, product, w);
}

/** A CU released before the wave that got no update in it. */
function noUpdateForCu(cu: CuInfo, product: string, w: WaveTable): WaveVerdict {
  const p = cu.record.product;
  const lineName = LINES.find((l) => l.major === cu.build.major && l.minor === cu.build.minor)?.name ?? product;
  const served = servedCuText(
    CUS.filter((c) => c.build.major === cu.build.major && c.build.minor === cu.build.minor),
    (c) => w.builds[c.key] !== undefined,
  );
  const eos = END_OF_SUPPORT[p];
  if (served === "") {
    const past = dayOf(w.released) > eos ? ` (Exchange ${p} reached end of support on ${eos})` : "";
    return {
      patched: false,
      product,
      reason: `there is no security update for ${cu.label} in the ${w.wave} wave, which shipped no update for ${lineName} at all${past}: migrate to a supported Exchange version`,
    };
  }
  return {
    patched: false,
    product,
    reason: `there is no security update for ${cu.label} in the ${w.wave} wave (it shipped only for ${served}): upgrade to a supported CU and install that wave's update`,
  };
}

/** A build whose third part is not a CU the table knows. */
function unknownCu(b: ExchangeBuild, product: string, w: WaveTable): WaveVerdict {
  const sameLine = CUS.filter((c) => c.build.major === b.major && c.build.minor === b.minor);
  const newest = sameLine.reduce<CuInfo | undefined>((best, c) => (!best || c.build.build > best.build.build ? c : best), undefined);
  if (newest && b.build > newest.build.build) {
    if (cuContainsWave(newest.record, w)) {
      return {
        patched: true,
        product,
        reason: `build ${b.text} is newer than any CU this pack knows (the newest, ${newest.label}, was released on ${newest.record.released}, after the ${w.wave} security update), so it contains those fixes`,
      };
    }
    return {
      patched: false,
      product,
      reason: `build ${b.text} is newer than any CU this pack knows (newest: ${newest.label}), but the pack cannot tell whether it includes the ${w.wave} security update: update the pack's Exchange build table`,
    };
  }
  return {
    patched: false,
    product,
    reason: `build ${b.text} is not a cumulative update this pack knows (CU build ${b.build}), so it cannot be shown to include the ${w.wave} security update`,
  };
}
