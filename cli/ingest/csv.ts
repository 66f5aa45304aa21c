import { parse } from "csv-parse/sync";
import { IngestError } from "./errors";

/**
 * A table written by PowerShell's Export-Csv (https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/export-csv?view=powershell-5.1): Windows PowerShell 5.1 writes a first line
 * `#TYPE <type name>` unless -NoTypeInformation is given (Test-ProxyLogon.ps1 does not give it); PowerShell 6+
 * omits it. Then a header row, then one row per object, every field in double quotes (embedded quotes doubled,
 * embedded line breaks kept, e.g. in an event message).
 */
export class CsvTable {
  /** Header names as written (trimmed). */
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The `#TYPE …` line of Windows PowerShell 5.1, when present. */
  readonly typeLine: string | undefined;
  private readonly byName: ReadonlyMap<string, number>;

  constructor(header: readonly string[], rows: readonly (readonly string[])[], typeLine: string | undefined) {
    this.header = header;
    this.rows = rows;
    this.typeLine = typeLine;
    this.byName = new Map(header.map((h, i) => [h.toLowerCase(), i]));
  }

  /** Column index by name, case-insensitively (PowerShell property names are case-insensitive); -1 when absent. */
  column(name: string): number {
    return this.byName.get(name.toLowerCase()) ?? -1;
  }

  has(name: string): boolean {
    return this.column(name) >= 0;
  }

  /** A row's value in the named column, "" when the column is absent. */
  get(row: readonly string[], name: string): string {
    const i = this.column(name);
    return i < 0 ? "" : (row[i] ?? "");
  }
}

const TYPE_LINE = /^#TYPE\b[^\r\n]*(?:\r\n|\n|\r|$)/;

/**
 * Parses Export-Csv output. `label` names the file in errors. A header row is required; every data row must
 * have as many fields as the header. Throws IngestError MALFORMED_CSV.
 */
export function parsePowerShellCsv(text: string, label: string, requiredColumns: readonly string[] = []): CsvTable {
  let body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  let typeLine: string | undefined;
  const m = TYPE_LINE.exec(body);
  if (m) {
    typeLine = m[0].trim();
    body = body.slice(m[0].length);
  }
  let records: string[][];
  try {
    records = parse(body, { skip_empty_lines: true, relax_column_count: false, relax_quotes: false, trim: false });
  } catch (e) {
    throw new IngestError("MALFORMED_CSV", `${label}: not a valid CSV file: ${(e as Error).message}`, label);
  }
  if (records.length === 0) {
    throw new IngestError("MALFORMED_CSV", `${label}: no header row (the file is empty${typeLine ? " after its #TYPE line" : ""})`, label);
  }
  const header = records[0].map((h) => h.trim());
  if (header.some((h) => h === "")) throw new IngestError("MALFORMED_CSV", `${label}: the header row has an empty column name`, label);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h.toLowerCase())) throw new IngestError("MALFORMED_CSV", `${label}: column "${h}" appears twice in the header`, label);
    seen.add(h.toLowerCase());
  }
  const table = new CsvTable(header, records.slice(1), typeLine);
  const missing = requiredColumns.filter((c) => !table.has(c));
  if (missing.length > 0) {
    throw new IngestError(
      "MALFORMED_CSV",
      `${label}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (header: ${header.join(", ")})`,
      label,
    );
  }
  return table;
}
