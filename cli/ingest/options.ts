import { CLOCK_SKEW_MS, formatInstant, GENERATION_RULE, isGeneration, parseExchangeBuild, parseInstant } from "../../policies/model";
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
 * An Exchange build `15.x.y.z` (https://learn.microsoft.com/exchange/new-features/build-numbers-and-release-dates), short (`15.2.792.10`) or long (`15.02.0792.010`) form;
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

/**
 * `--completed-at`: an ISO-8601 instant with a zone (`2021-04-09T15:20:00Z`, or an offset, converted to UTC), read by the
 * same parser the pack reads `completedAt` with. Impossible dates (2021-02-30) are rejected, not rolled over. Throws BAD_DATE.
 */
export function parseCompletedAt(text: unknown): Date {
  const parsed = typeof text === "string" ? parseInstant(text) : undefined;
  if (!parsed)
    throw new IngestError(
      "BAD_DATE",
      `completedAt "${String(text ?? "")}": not an ISO-8601 instant with a zone, or no such date or time; give an ISO-8601 UTC instant such as 2021-04-09T15:20:00Z`,
    );
  return parsed;
}

/** Rejects an assessment finished in the future (beyond clock drift): such a record would be refused by the pack. */
export function checkNotFuture(completedAt: Date, now: Date, source: string): void {
  if (completedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new IngestError(
      "BAD_DATE",
      `completedAt ${formatInstant(completedAt)} (${source}) is in the future (now ${formatInstant(now)}); check the clock or pass completedAt`,
    );
  }
}
