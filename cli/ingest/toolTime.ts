import { IngestError } from "./errors";

/**
 * The tools' own timestamps: the only evidence of when an assessment was made (a file's modification time changes
 * with every copy, so it is never used). MSERT and EOMT write the server's local wall-clock time without a zone;
 * Test-ProxyLogon's HttpProxy hit rows carry UTC instants.
 */
export interface ToolTime {
  /** Milliseconds of the time as written, read as if UTC. */
  readonly ms: number;
  /** True when the tool wrote the server's local time (no zone); false for a UTC instant. */
  readonly local: boolean;
  /** e.g. `msert.log: Microsoft Safety Scanner Finished On Fri Apr 09 15:02:11 2021`. */
  readonly source: string;
}

/** The widest UTC offsets in use: UTC−12:00 and UTC+14:00. */
const MIN_OFFSET_MIN = -12 * 60;
const MAX_OFFSET_MIN = 14 * 60;

/**
 * `--utc-offset`: the server's offset from UTC when the tools ran (`+02:00`, `-05:00`, `Z`), in minutes.
 * Throws BAD_DATE.
 */
export function parseUtcOffset(text: string): number {
  const t = text.trim();
  if (/^(z|utc)$/i.test(t)) return 0;
  const m = /^(?:UTC)?([+-])(\d{1,2}):?(\d{2})$/i.exec(t);
  const minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : NaN;
  if (!m || Number(m[3]) > 59 || minutes < MIN_OFFSET_MIN || minutes > MAX_OFFSET_MIN) {
    throw new IngestError("BAD_DATE", `utc offset "${text}": not an offset from UTC between -12:00 and +14:00 such as +02:00 or -05:00`);
  }
  return minutes;
}

/**
 * The UTC instants a tool time can denote: exact for a UTC stamp or a local one with a known offset; for a local
 * time of an unknown zone, every instant from UTC+14 (earliest) to UTC−12 (latest).
 */
export function instantBounds(t: ToolTime, offsetMinutes: number | undefined): { earliest: number; latest: number } {
  if (!t.local) return { earliest: t.ms, latest: t.ms };
  if (offsetMinutes !== undefined) return { earliest: t.ms - offsetMinutes * 60000, latest: t.ms - offsetMinutes * 60000 };
  return { earliest: t.ms - MAX_OFFSET_MIN * 60000, latest: t.ms - MIN_OFFSET_MIN * 60000 };
}

export interface Dating {
  /** The date recorded: never later than the tools say (freshness is never overstated). */
  readonly completedAt: Date;
  /** Human-readable: which timestamp, and how its zone was read. */
  readonly source: string;
}

/**
 * `completedAt` from the tools' timestamps (`dating`, newest wins), or the explicit value, which may not be later
 * than the newest of them. `what` says in words what the dating timestamps are, for the messages.
 */
export function dateAssessment(
  dating: readonly ToolTime[],
  given: Date | undefined,
  offsetMinutes: number | undefined,
  what: string,
  folder: string,
): Dating {
  const zone = (t: ToolTime) =>
    !t.local ? "UTC" : offsetMinutes !== undefined ? `server time at UTC${fmtOffset(offsetMinutes)}` : "server time, zone unknown";
  if (dating.length === 0) {
    if (given) return { completedAt: given, source: "as given (no tool timestamp to check it against)" };
    throw new IngestError(
      "NO_TOOL_TIMESTAMP",
      `${folder}: ${what} states no time, so the assessment cannot be dated (file modification times are not evidence: a copy changes them); ` +
        `add the tool's log that states it, or pass --completed-at with the instant the assessment finished`,
      folder,
    );
  }
  const newest = dating.reduce((a, t) => (instantBounds(t, offsetMinutes).latest > instantBounds(a, offsetMinutes).latest ? t : a));
  const bounds = instantBounds(newest, offsetMinutes);
  if (given) {
    if (given.getTime() > bounds.latest) {
      throw new IngestError(
        "BAD_DATE",
        `completedAt ${iso(given)} (as given) is later than the newest tool timestamp, ${newest.source} (${zone(newest)}: ` +
          `${offsetMinutes === undefined && newest.local ? `at the latest ${iso(new Date(bounds.latest))}` : iso(new Date(bounds.latest))}); ` +
          `an assessment cannot finish after its tools did: leave --completed-at out, or give the instant the tools finished` +
          (newest.local && offsetMinutes === undefined ? " (or the server's --utc-offset)" : ""),
      );
    }
    return { completedAt: given, source: `as given; newest tool timestamp ${newest.source}` };
  }
  const latestEarliest = dating.reduce((a, t) => (instantBounds(t, offsetMinutes).earliest > instantBounds(a, offsetMinutes).earliest ? t : a));
  const at = instantBounds(latestEarliest, offsetMinutes).earliest;
  const how =
    latestEarliest.local && offsetMinutes === undefined
      ? "server time of unknown zone, read as UTC+14, the earliest instant it can be; pass --utc-offset for the exact one"
      : zone(latestEarliest);
  return { completedAt: new Date(Math.floor(at / 1000) * 1000), source: `${latestEarliest.source} (${how})` };
}

function fmtOffset(min: number): string {
  const a = Math.abs(min);
  return `${min < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

function iso(d: Date): string {
  return d.toISOString().replace(".000Z", "Z");
}
