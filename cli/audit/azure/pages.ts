import { InputError } from "../../errors";

/**
 * Resource Graph output as the tools write it, read into pages. `az graph query -q … --first 1000` writes
 * `{"count": n, "data": [rows], "skip_token": "…", "total_records": N}` (`skip_token` only while rows remain);
 * `Search-AzGraph … | ConvertTo-Json -Depth 100` writes the response object `{"Data": [rows], "SkipToken": "…", …}`
 * (older module versions wrote the rows alone, as an array). A row is one resource: `id`, lower-case `type`, `name`,
 * `resourceGroup`, `subscriptionId`, `properties`, `tags`, and whatever else the query projects.
 */

export type Row = Record<string, unknown>;

export const LOCK_TYPE = "microsoft.authorization/locks";

/** Which query a page answers: the `exgQuery` column the shipped queries add, else what its rows are. */
export type QueryName = "resources" | "security-assessments" | "network-resources" | "locks";
export const QUERY_NAMES: readonly QueryName[] = ["resources", "security-assessments", "network-resources", "locks"];

export interface Page {
  readonly file: string;
  readonly rows: readonly Row[];
  readonly query: QueryName | undefined;
  /** The total the query announced (`total_records` / `TotalRecords`), when the tool wrote one. */
  readonly total?: number;
  /** Set while more pages follow. */
  readonly skipToken?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A key of `o` in any case (PowerShell writes `Data`, the CLI `data`). */
function pick(o: Record<string, unknown>, ...names: string[]): unknown {
  for (const k of Object.keys(o)) if (names.includes(k.toLowerCase())) return o[k];
  return undefined;
}

function queryOf(file: string, rows: readonly Row[]): QueryName | undefined {
  const named = new Set<string>();
  for (const r of rows)
    named.add(
      typeof r.exgQuery === "string"
        ? r.exgQuery
        : String(r.type).toLowerCase().startsWith("microsoft.security/")
          ? "security-assessments"
          : // Resource Graph does not list management locks; `az lock list` does, as a plain array.
            String(r.type).toLowerCase() === LOCK_TYPE
            ? "locks"
            : "resources",
    );
  if (named.size > 1)
    throw new InputError(`${file} mixes rows of several queries (${[...named].sort().join(", ")}): give each query's pages in their own files`);
  const only = [...named][0];
  if (only !== undefined && !QUERY_NAMES.includes(only as QueryName)) {
    throw new InputError(`${file}: rows say they answer the query "${only}", which is none of ${QUERY_NAMES.join(", ")}`);
  }
  return only as QueryName | undefined;
}

function checkRow(file: string, i: number, r: unknown): Row {
  const where = `${file}: row ${i + 1}`;
  if (!isObj(r)) throw new InputError(`${where} is not an object: not Resource Graph output`);
  if (typeof r.id !== "string" || r.id.trim() === "") throw new InputError(`${where} has no id: the query must project the id column`);
  if (typeof r.type !== "string" || r.type.trim() === "")
    throw new InputError(`${where} (${r.id}) has no type: the query must project the type column`);
  if (r.properties !== undefined && r.properties !== null && !isObj(r.properties)) {
    throw new InputError(`${where} (${r.id}) has properties that are not an object`);
  }
  return r;
}

/** One file of Resource Graph output, checked for shape; throws InputError naming the file. */
export function readPage(file: string, text: string): Page {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not JSON: ${(e as Error).message}`);
  }
  let rows: unknown;
  let total: unknown;
  let skipToken: unknown;
  if (Array.isArray(doc)) rows = doc;
  else if (isObj(doc)) {
    rows = pick(doc, "data");
    total = pick(doc, "total_records", "totalrecords");
    skipToken = pick(doc, "skip_token", "skiptoken");
  }
  if (!Array.isArray(rows)) {
    throw new InputError(
      `${file} is not Resource Graph output: expected \`az graph query\` JSON ({"data": [...], "total_records": N}) or \`Search-AzGraph | ConvertTo-Json\` ({"Data": [...]})`,
    );
  }
  if (total !== undefined && total !== null && (typeof total !== "number" || !Number.isInteger(total) || total < 0)) {
    throw new InputError(`${file}: total_records is not a count`);
  }
  if (skipToken !== undefined && skipToken !== null && typeof skipToken !== "string") throw new InputError(`${file}: skip_token is not a string`);
  const checked = rows.map((r, i) => checkRow(file, i, r));
  return {
    file,
    rows: checked,
    query: queryOf(file, checked),
    total: typeof total === "number" ? total : undefined,
    skipToken: typeof skipToken === "string" && skipToken !== "" ? skipToken : undefined,
  };
}

/**
 * The pages of one run, as one estate: per query, every page announces the same total, the rows add up to it, and
 * exactly one page (the last) has no skip token. Anything else means a page is missing or was given twice, and an
 * estate with a page missing would pass hosts nobody looked at.
 */
export function assemblePages(pages: readonly Page[]): Map<QueryName, Row[]> {
  const byQuery = new Map<QueryName, Page[]>();
  for (const p of pages) {
    if (p.query === undefined) {
      if ((p.total ?? 0) > 0) throw new InputError(`${p.file} holds no rows but announces ${p.total}: a page of another run, or cut short`);
      if (p.skipToken) throw new InputError(`${p.file} holds no rows but has a skip token: the pages after it are missing`);
      continue;
    }
    const list = byQuery.get(p.query) ?? [];
    list.push(p);
    byQuery.set(p.query, list);
  }
  const out = new Map<QueryName, Row[]>();
  for (const [query, list] of byQuery) {
    const files = list.map((p) => p.file).join(", ");
    const rows = list.flatMap((p) => p.rows);
    const totals = new Set(list.map((p) => p.total).filter((t): t is number => t !== undefined));
    if (totals.size > 1)
      throw new InputError(`the ${query} pages (${files}) announce different totals (${[...totals].join(", ")}): pages of different runs`);
    const total = [...totals][0];
    if (total !== undefined && rows.length < total) {
      throw new InputError(`the ${query} pages (${files}) hold ${rows.length} of the ${total} rows the query announced: a page is missing`);
    }
    if (total !== undefined && rows.length > total) {
      throw new InputError(
        `the ${query} pages (${files}) hold ${rows.length} rows but the query announced ${total}: a page was given twice, or pages of different runs were mixed`,
      );
    }
    const last = list.filter((p) => p.skipToken === undefined);
    if (last.length === 0) {
      throw new InputError(
        `every ${query} page (${files}) has a skip token: the page after ${list[list.length - 1].file} is missing (run az graph query again with --skip-token)`,
      );
    }
    if (last.length > 1) {
      throw new InputError(`${last.map((p) => p.file).join(" and ")} are each the last page of a ${query} run: pages of different runs were mixed`);
    }
    out.set(query, rows);
  }
  return out;
}
