import { describeAddresses, parseAddressPrefix } from "./addresses";
import { describePorts, parsePortSpec } from "./flows";

/**
 * Every form in which the pack may print a value once it has read it: a build number without its leading zeros
 * (`15.02.0792.003` → `15.2.792.3`), an address prefix in canonical CIDR form (`10.0.0.5/24` → `10.0.0.0/24`,
 * `2001:0db8::/32` → `2001:db8::/32`), a port or port range without leading zeros, a date as its ISO-8601 rendering.
 * Redaction records these beside the literal secret, so a secret cannot leak through the model's normalisation
 * (docs/threat-model.md row 37, the leak where a long-form secret build was redacted literally and printed normalised).
 */
export function printedForms(text: string): string[] {
  const t = text.trim();
  if (t === "") return [];
  const out = new Set<string>();
  // Dotted or bare numbers (builds, versions, ports, priorities) as the model prints them: each part without leading zeros.
  if (/^\d+(?:\.\d+)*$/.test(t))
    out.add(
      t
        .split(".")
        .map((p) => BigInt(p).toString())
        .join("."),
    );
  const ports = parsePortSpec(t);
  if (ports) {
    const all = describePorts(ports);
    out.add(all);
    for (const part of all.split(", ")) out.add(part);
  }
  const addrs = parseAddressPrefix(t);
  if (addrs) {
    const cidrs = describeAddresses(addrs, 64);
    out.add(cidrs);
    for (const c of cidrs.split(", ")) {
      out.add(c);
      // A single address is printed without its /32 or /128.
      out.add(c.replace(/\/(?:32|128)$/, ""));
    }
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const d = Date.parse(t);
    if (!Number.isNaN(d)) {
      const iso = new Date(d).toISOString();
      out.add(iso);
      out.add(iso.slice(0, 10));
    }
  }
  // Words a message uses for whole sets are not the secret's forms.
  for (const w of ["all ports", "any address", "the internet"]) out.delete(w);
  out.delete(t);
  return [...out].filter((s) => s !== "");
}
