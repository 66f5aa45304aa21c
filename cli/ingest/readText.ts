import { promises as fs } from "fs";
import { IngestError } from "./errors";

/**
 * How the tools write their text (Test-ProxyLogon.ps1, EOMT.ps1 and MSERT, whose sources are cited in
 * testProxyLogon.ts, eomt.ts and msert.ts; Export-Csv: https://learn.microsoft.com/powershell/module/microsoft.powershell.utility/export-csv?view=powershell-5.1):
 * - Windows PowerShell 5.1 `Export-Csv`: ASCII (non-ASCII characters become `?`); `Set-Content`: the ANSI code page;
 *   `Out-File` / `>`: UTF-16LE with BOM ("Unicode", e.g. EOMT.log and msert.old.log written by EOMT).
 * - PowerShell 6+: UTF-8 without BOM.
 * - msert.log: read as "Unicode" by some scripts, plain text by others; both are accepted.
 * A copy re-saved by an editor may carry any BOM. UTF-16 without BOM is recognised by its NUL bytes.
 */
export type TextEncoding = "ascii" | "utf-8" | "utf-8 (BOM)" | "utf-16le (BOM)" | "utf-16be (BOM)" | "utf-16le" | "utf-16be" | "windows-1252";

export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
}

/** Bytes looked at to recognise BOM-less UTF-16. */
const SNIFF_BYTES = 4096;

/**
 * Decodes a text file's bytes. `label` names the file in errors.
 * Throws IngestError UNDECODABLE_FILE for binary data, truncated UTF-16 or invalid UTF-16.
 */
export function decodeText(bytes: Uint8Array, label: string): DecodedText {
  const undecodable = (why: string): IngestError =>
    new IngestError("UNDECODABLE_FILE", `${label}: cannot decode as text (${why}); expected ASCII, UTF-8 or UTF-16 as the tools write it`, label);

  let decoded: DecodedText;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    decoded = { text: strictDecode("utf-8", bytes.subarray(3), undecodable), encoding: "utf-8 (BOM)" };
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    decoded = { text: utf16(bytes.subarray(2), "le", undecodable), encoding: "utf-16le (BOM)" };
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    decoded = { text: utf16(bytes.subarray(2), "be", undecodable), encoding: "utf-16be (BOM)" };
  } else {
    const sniff = sniffUtf16(bytes);
    if (sniff === "le") decoded = { text: utf16(bytes, "le", undecodable), encoding: "utf-16le" };
    else if (sniff === "be") decoded = { text: utf16(bytes, "be", undecodable), encoding: "utf-16be" };
    else if (sniff === "binary") throw undecodable("NUL bytes that are not UTF-16");
    else if (bytes.every((b) => b < 0x80)) decoded = { text: Buffer.from(bytes).toString("latin1"), encoding: "ascii" };
    else {
      const utf8 = tryDecode("utf-8", bytes);
      // Not UTF-8: Windows PowerShell 5.1 Set-Content writes the ANSI code page (windows-1252 in the West).
      decoded =
        utf8 !== undefined ? { text: utf8, encoding: "utf-8" } : { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
    }
  }
  if (decoded.text.includes("\u0000")) throw undecodable("NUL characters in the decoded text");
  // eslint-disable-next-line no-control-regex -- counting control characters tells text from binary
  const controls = (decoded.text.match(/[\u0001-\u0008\u000e-\u001f\u007f]/g) ?? []).length;
  if (controls > 0 && controls * 50 > decoded.text.length) throw undecodable("mostly control characters: binary data");
  return decoded;
}

/** Reads and decodes one file; `label` (the path relative to the evidence folder) names it in errors. */
export async function readTextFile(absPath: string, label: string): Promise<DecodedText> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absPath);
  } catch (e) {
    throw new IngestError("UNREADABLE_FILE", `${label}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, label);
  }
  return decodeText(bytes, label);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** "le" / "be" when the NUL pattern says UTF-16 without BOM, "binary" for other NULs, "none" without NULs. */
function sniffUtf16(bytes: Uint8Array): "le" | "be" | "binary" | "none" {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) evenZeros++;
      else oddZeros++;
    }
  }
  if (evenZeros + oddZeros === 0) return bytes.includes(0) ? "binary" : "none";
  const pairs = n / 2;
  // Mostly-ASCII text in UTF-16LE has a NUL in (nearly) every high byte, i.e. at odd offsets, and none at even ones.
  if (oddZeros * 4 >= pairs && evenZeros * 20 <= oddZeros) return "le";
  if (evenZeros * 4 >= pairs && oddZeros * 20 <= evenZeros) return "be";
  return "binary";
}

function utf16(bytes: Uint8Array, order: "le" | "be", fail: (why: string) => IngestError): string {
  if (bytes.length % 2 !== 0) throw fail(`UTF-16 with an odd number of bytes (${bytes.length}): truncated`);
  let le = bytes;
  if (order === "be") {
    const swapped = Buffer.alloc(bytes.length);
    for (let i = 0; i < bytes.length; i += 2) {
      swapped[i] = bytes[i + 1];
      swapped[i + 1] = bytes[i];
    }
    le = swapped;
  }
  return strictDecode("utf-16le", le, fail);
}

function strictDecode(encoding: "utf-8" | "utf-16le", bytes: Uint8Array, fail: (why: string) => IngestError): string {
  const text = tryDecode(encoding, bytes);
  if (text === undefined) throw fail(`invalid ${encoding.toUpperCase()} sequence`);
  return text;
}

function tryDecode(encoding: "utf-8" | "utf-16le", bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Splits text into lines, whatever the line ends (CRLF from Windows, LF, CR). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
