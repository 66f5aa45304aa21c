/**
 * How a host generation's resources are named, in one place: the stacks name them so, the runbook commands and reports
 * show the names, and the pack reads them back to tie a disk, snapshot or image source to the host it came from
 * (docs/contract.md#remediation-states-and-transitions). A generation's VM is `<host>-g<generation>` (`ex02-g1`), its OS disk `<vm>-osdisk`, the
 * evidence snapshot of that disk `<vm>-osdisk-evidence`.
 */

/** The VM of one generation of a host; also the name the reports print for the host. */
export function generationName(host: string, generation: number): string {
  return `${host}-g${generation}`;
}

/** The OS disk of a generation, named after its VM so evidence can name it before the VM exists. */
export function osDiskName(vmName: string): string {
  return `${vmName}-osdisk`;
}

/** The snapshot that keeps a compromised generation's OS disk as evidence. */
export function evidenceSnapshotName(vmName: string): string {
  return `${osDiskName(vmName)}-evidence`;
}

/** The tag every evidence snapshot carries (`purpose: exchange-compromise-evidence`), and its value. */
export const EVIDENCE_TAG = "purpose";
export const EVIDENCE_PURPOSE = "exchange-compromise-evidence";

// Generations count from 1 and are written without leading zeros, so `-g0` and `-g01` are not a generation's names.
const GENERATION_SUFFIX = /-g([1-9]\d*)$/i;

/** A generation's VM name split into host and generation (`ex02-g1` → ex02, 1); undefined for another name. */
export function parseGenerationName(name: string): { host: string; generation: number } | undefined {
  const m = GENERATION_SUFFIX.exec(name);
  if (!m || m.index === 0) return undefined;
  return { host: name.slice(0, m.index), generation: Number(m[1]) };
}

/** The host a name is of: `ex02` for `ex02-g1`; a name that is not a generation's is its own host. */
export function hostOfName(name: string): string {
  return parseGenerationName(name)?.host ?? name;
}

/**
 * Every host a resource name may belong to, lower case: each `<stem>` the name carries as `<stem>-g<n>` or
 * `<stem>-g<n>-…` (`ex02-g1-osdisk` → ex02). A stem is a candidate, not proof: the caller matches it to hosts.
 */
export function generationStems(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(/-g\d+(?=-|$)/gi)) if (m.index > 0) out.push(name.slice(0, m.index).toLowerCase());
  return out;
}
