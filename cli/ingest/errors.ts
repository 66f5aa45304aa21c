import { InputError } from "../errors";

/**
 * Every way an assessment input can be rejected. Ingestion never falls back to a `clean` record when an
 * input is missing, unreadable or not understood: it throws an {@link IngestError} with one of these codes.
 */
export type IngestErrorCode =
  /** `from` does not exist. */
  | "INPUT_NOT_FOUND"
  /** `from` exists but is not a folder. */
  | "INPUT_NOT_FOLDER"
  /** A symlink, socket, device… inside the evidence folder: the bundle must be plain files. */
  | "UNSUPPORTED_ENTRY"
  /** The file system refused to read a file (permissions, vanished while reading). */
  | "UNREADABLE_FILE"
  /** The bytes of a text input are neither UTF-8, UTF-16 nor a single-byte Windows code page text. */
  | "UNDECODABLE_FILE"
  /** A PowerShell Export-Csv file that csv-parse rejects, lacks its header or a required column. */
  | "MALFORMED_CSV"
  /** A report file that parses but cannot be right (a hit list with nothing in it, two data rows where one is written). */
  | "MALFORMED_REPORT"
  /** A LogAgeDays.csv value that is not a number of days in any culture's N1 format. */
  | "BAD_LOG_AGE"
  /** No `<COMPUTER>-…` file of Test-ProxyLogon.ps1 in the folder. */
  | "NO_TEST_PROXYLOGON_OUTPUT"
  /** Test-ProxyLogon output without `<COMPUTER>-LogAgeDays.csv`: log coverage unknown. */
  | "LOG_AGE_MISSING"
  /** The server named by the reports (file-name prefix or a name inside them) is not the host. */
  | "HOST_MISMATCH"
  /** Reports of several servers in one folder. */
  | "MIXED_HOSTS"
  /** No tool timestamp dates the assessment (file modification times are never evidence). */
  | "NO_TOOL_TIMESTAMP"
  /** The same report twice (two msert.log, two LogAgeDays.csv of one computer). */
  | "DUPLICATE_REPORT"
  /** No msert.log and no finding of compromise: a clean verdict needs MSERT (CISA ED 21-02 supplemental direction v1: MSERT full scan). */
  | "MSERT_LOG_MISSING"
  /** msert.log has no Microsoft Safety Scanner run in it. */
  | "MSERT_LOG_UNRECOGNIZED"
  /** The MSERT run never finished (no "Finished On" / "Return code" line). */
  | "MSERT_SCAN_INCOMPLETE"
  /** The MSERT run returned non-zero without naming a threat: not a clean result. */
  | "MSERT_SCAN_FAILED"
  | "BAD_HOST"
  | "BAD_GENERATION"
  | "BAD_BUILD"
  | "BAD_DATE";

export class IngestError extends InputError {
  readonly code: IngestErrorCode;
  /** The file or folder the error is about, when there is one (also named in the message). */
  readonly file: string | undefined;

  constructor(code: IngestErrorCode, message: string, file?: string) {
    super(message);
    this.name = "IngestError";
    this.code = code;
    this.file = file;
  }
}
