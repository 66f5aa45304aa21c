import { CLOCK_SKEW_MS, GENERATION_RULE, isGeneration, parseExchangeBuild } from "../../policies/model";
import { IngestError } from "./errors";

/**
 * The host name the record is for, as the stack config names it. Trimmed; must be non-empty, without
 * whitespace or control characters.
 */
export function validateHost(host: unknown): string {
  if (typeof host !== "string" || host.trim() === "")
    throw new IngestError("BAD_HOST", "host: a host name is required (the name the stack config gives the host)");
  const h = host.trim();
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(h)) throw new IngestError("BAD_HOST", `host "${h}": no whitespace or control characters allowed`);
  return h;
}

export function validateGeneration(generation: unknown): number | undefined {
  if (generation === undefined) return undefined;
  if (!isGeneration(generation)) {
    throw new IngestError(
      "BAD_GENERATION",
      `generation ${String(generation)}: must be ${GENERATION_RULE} (the host generation the assessment is of)`,
    );
  }
  return generation;
}

/**
 * An Exchange build `15.x.y.z` (exchange-facts §1.5), short (`15.2.792.10`) or long (`15.02.0792.010`) form;
 * returned in the short form. The tools do not all record the build, so the caller states it (e.g. from
 * `Get-Command ExSetup.exe | ForEach {$_.FileVersionInfo}` or HealthChecker).
 */
export function validateBuild(build: unknown): string {
  const text = typeof build === "string" ? build.trim() : "";
  const b = parseExchangeBuild(text);
  if (!b || b.major !== 15) {
    throw new IngestError(
      "BAD_BUILD",
      `exchangeBuild "${String(build ?? "")}": not an Exchange 2013/2016/2019 build number 15.x.y.z (e.g. 15.2.792.10); read it with HealthChecker or ExSetup.exe's file version`,
    );
  }
  return b.text;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * An ISO-8601 instant with seconds and a zone (`2021-04-09T15:20:00Z`, or an offset, converted to UTC).
 * Impossible dates (2021-02-30) are rejected, not rolled over. Throws BAD_DATE.
 */
export function parseCompletedAt(text: unknown): Date {
  const s = typeof text === "string" ? text.trim() : "";
  const m = INSTANT.exec(s);
  const bad = (why: string): IngestError =>
    new IngestError("BAD_DATE", `completedAt "${String(text ?? "")}": ${why}; give an ISO-8601 UTC instant such as 2021-04-09T15:20:00Z`);
  if (!m) throw bad("not an ISO-8601 instant with seconds and a zone");
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || se > 59) throw bad("no such date or time");
  const ms = Date.parse(s.toUpperCase());
  if (Number.isNaN(ms)) throw bad("not a valid instant");
  return new Date(ms);
}

/** Rejects an assessment finished in the future (beyond clock drift): such a record would be refused by the pack. */
export function checkNotFuture(completedAt: Date, now: Date, source: string): void {
  if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new IngestError(
      "BAD_DATE",
      `completedAt ${isoInstant(completedAt)} (${source}) is in the future (now ${isoInstant(now)}); check the clock or pass completedAt`,
    );
  }
}

/** `2021-04-09T15:20:00Z`: UTC, whole seconds (milliseconds kept only when present). */
export function isoInstant(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}
