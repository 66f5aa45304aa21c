/**
 * Reads a number that .NET formatted with a culture's "N1" pattern (Test-ProxyLogon.ps1's LogAgeDays.csv:
 * `$age.TotalDays.ToString("N1")`, https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/Test-ProxyLogon.ps1), without knowing the culture:
 *   en-US 1,234.5 · de-DE 1.234,5 · fr-FR 1 234,5 (U+202F or U+00A0) · de-CH 1’234.5 · plain 12.5 / 12,5.
 * Windows PowerShell 5.1's Export-Csv writes ASCII, so a non-ASCII group separator arrives as `?` (1?234,5).
 *
 * Rules: a decimal separator is `.` or `,`; group separators are `.`, `,`, any Unicode space, `'`, `’` or `?`
 * and must split the integer part into groups of exactly three digits. When the last `.`/`,` is followed by
 * exactly three digits and nothing tells whether it groups or separates decimals (`1,234`, `1.234`; but not
 * `1234.567` or `0,125`, which cannot be groups), the value is ambiguous and rejected: N1 always writes one decimal, so this never happens in real output.
 *
 * Returns undefined for anything else (empty, text, ambiguous, malformed grouping).
 */
export function parseLocaleNumber(raw: string): number | undefined {
  let s = raw.trim();
  let sign = 1;
  if (/^[-\u2212]/.test(s)) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith("+")) s = s.slice(1);
  // Unify the group separators that are never decimal separators.
  s = s.replace(/[\s\u00a0\u202f'\u2019?]/g, " ");
  if (!/^\d[\d., ]*$/.test(s) || /[., ]{2}/.test(s) || /[., ]$/.test(s)) return undefined;

  const seps = s.replace(/\d/g, "");
  let intPart = s;
  let decPart = "";
  const lastDot = Math.max(s.lastIndexOf("."), s.lastIndexOf(","));
  if (lastDot >= 0) {
    const last = s[lastDot];
    const after = s.slice(lastDot + 1);
    const before = seps.slice(0, -1);
    const lastIsOnlyOfItsKind = !before.includes(last);
    const othersAreGroups = before.length > 0;
    let isDecimal: boolean;
    if (!lastIsOnlyOfItsKind)
      isDecimal = false; // 1.234.567 or 1,234,567: all grouping
    else if (othersAreGroups)
      isDecimal = true; // 1,234.5 · 1.234,5 · 1 234,5
    else if (after.length !== 3)
      isDecimal = true; // 12.5 · 12,5 · 0,25
    else if (lastDot > 3 || s.startsWith("0"))
      isDecimal = true; // 1234.567 · 0,125: cannot be a thousands group
    else return undefined; // 1,234 / 1.234: ambiguous
    if (isDecimal) {
      intPart = s.slice(0, lastDot);
      decPart = after;
    }
  }
  const groups = intPart.split(/[., ]/);
  if (groups.length > 1) {
    const groupSeps = intPart.replace(/\d/g, "");
    if (new Set(groupSeps).size > 1) return undefined; // 1.234 567: mixed grouping
    if (groups[0].length < 1 || groups[0].length > 3 || groups.slice(1).some((g) => g.length !== 3)) return undefined;
  }
  const value = Number(`${groups.join("")}${decPart ? `.${decPart}` : ""}`);
  return Number.isFinite(value) ? sign * value : undefined;
}
