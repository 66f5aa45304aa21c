import { IngestError } from "./errors";

/**
 * Binds evidence to the host it is recorded for. One host's clean evidence must never release another host from
 * isolation, so every server name the tools wrote is read (the `<COMPUTERNAME>-…` prefix of Test-ProxyLogon's
 * files, the computer and machine names inside them, the computer EOMT.log says it ran on) and each must be the
 * host given on the command line.
 */
export interface ServerName {
  /** The name as the tool wrote it: a NetBIOS name (`EXCH01`) or an FQDN (`EXCH01.contoso.local`). */
  readonly name: string;
  /** Where it was read, e.g. `EXCH01-LogAgeDays.csv (file name)`. */
  readonly source: string;
}

/** NetBIOS names stop at 15 characters; `$env:COMPUTERNAME` is that name. */
const NETBIOS_MAX = 15;

/**
 * The NetBIOS form of a host or computer name, lower-cased: its first DNS label cut to 15 characters. Two names
 * denote the same server when these agree (`EXCH01`, `exch01.contoso.local`, `EXCHANGE-SERVER-01` vs
 * `EXCHANGE-SERVER`). Windows names are case-insensitive.
 */
export function netbiosName(name: string): string {
  return name.trim().toLowerCase().split(".")[0].slice(0, NETBIOS_MAX);
}

/** Whether a name a tool wrote denotes `host` (NetBIOS vs FQDN, case-insensitive). */
export function namesHost(computer: string, host: string): boolean {
  return netbiosName(computer) !== "" && netbiosName(computer) === netbiosName(host);
}

/**
 * Refuses evidence of another server, or of several servers mixed in one folder. `folder` names the folder in the
 * message; each refusal says what was found and what to do.
 */
export function checkHostBinding(host: string, found: readonly ServerName[], folder: string): void {
  const servers = new Map<string, ServerName[]>();
  for (const f of found) {
    const key = netbiosName(f.name);
    if (key === "") continue;
    servers.set(key, [...(servers.get(key) ?? []), f]);
  }
  const describe = (names: readonly ServerName[]) => `${names[0].name} (${[...new Set(names.map((n) => n.source))].join(", ")})`;
  if (servers.size > 1) {
    const list = [...servers.values()].map(describe).join("; ");
    throw new IngestError(
      "MIXED_HOSTS",
      `${folder}: reports of ${servers.size} servers in one folder: ${list}. An assessment record is of one host: ` +
        `put each server's reports (Test-ProxyLogon files, msert.log, EOMT files) in a folder of its own and ingest the one of host "${host}"`,
      folder,
    );
  }
  const [only] = [...servers.values()];
  if (only && !namesHost(only[0].name, host)) {
    throw new IngestError(
      "HOST_MISMATCH",
      `${folder}: the reports are of server ${describe(only)}, not of host "${host}". ` +
        `Ingest the reports the tools wrote on ${host} (its computer name is ${host.split(".")[0].slice(0, NETBIOS_MAX).toUpperCase()} or its FQDN), ` +
        `or pass --host ${only[0].name.split(".")[0].toLowerCase()} if these are that host's reports`,
      folder,
    );
  }
}

const EOMT_ON = /\bon\s+([A-Za-z0-9][A-Za-z0-9-]{0,62}(?:\.[A-Za-z0-9-]+)*)\s*(?:$|,|::|\s+No known)/;
const EOMT_VULNERABLE = /:\s*([A-Za-z0-9][A-Za-z0-9.-]*)\s+is (?:not )?vulnerable\b/;

/** The computer names EOMT.log says it ran on (`… complete on EXCH01`, `EXCH01 is vulnerable: …`). */
export function eomtServerNames(text: string, label: string): ServerName[] {
  const out: ServerName[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    const m = EOMT_ON.exec(line) ?? EOMT_VULNERABLE.exec(line);
    if (m) out.push({ name: m[1], source: label });
  }
  return out;
}
