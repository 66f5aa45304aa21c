/**
 * `host rebuild <host>` / `host rebuild --where …`: a new generation of each host, from the configured image (new VM, OS
 * disk and password; the program builds it before the old one goes), unverified until assessed. The generation that
 * goes must leave evidence: a compromised one its compromised record (the program snapshots its OS disk before the disk
 * is deleted), any other one at least an assessment record (a rebuild of a host never assessed destroys the only
 * evidence of whether it was compromised).
 */
import { generationName, osDiskName, recordGeneration, renderGateFinding } from "../../policies/model";
import { FleetConfig, judgePlan, PlannedHost } from "../../stacks/config/fleetConfig";
import { InputError } from "../errors";
import { CliIo } from "../io";
import { applyEdit, Change, EditOptions, Refusal } from "./edit";
import { loadFleet, requireHost, StackRef } from "./fleetView";
import { parseWhere, select } from "./selection";

export async function hostRebuild(
  ref: StackRef,
  name: string | undefined,
  where: readonly string[],
  opts: EditOptions,
  io: CliIo,
  clock = new Date(),
): Promise<number> {
  if ((name === undefined) === (where.length === 0)) throw new InputError("host rebuild: name one host, or select hosts with --where (not both)");
  const view = loadFleet(ref, clock);
  const notes: string[] = [];
  let hosts: readonly PlannedHost[];
  if (name !== undefined) hosts = [requireHost(view, name)];
  else {
    const selection = select(view.planned, parseWhere(where));
    hosts = selection.selected;
    notes.push(...selection.undecided.map((u) => `not selected: ${u}`));
    if (hosts.length === 0) notes.push(`no host matches --where ${where.join(" --where ")}`);
  }
  const refused = hosts.flatMap((h) => evidenceProblem(h) ?? []);
  if (refused.length > 0) throw new Refusal(refused.join("\n"));

  const changes: Change[] = [];
  for (const h of hosts) {
    const n = h.spec.name;
    view.document.set(n, "generation", h.spec.generation + 1);
    changes.push({ op: "~", host: n, field: "generation", from: String(h.spec.generation), to: String(h.spec.generation + 1) });
    if (h.spec.state !== "unverified") {
      view.document.set(n, "state", "unverified");
      changes.push({ op: "~", host: n, field: "state", from: h.spec.state, to: "unverified" });
    }
    if (h.spec.state === "remediated")
      notes.push(`${n} leaves the published pool until generation ${h.spec.generation + 1} is assessed clean and remediated`);
  }
  const check = (config: FleetConfig, after: readonly PlannedHost[]) => checkImages(config, after, view.now);
  return applyEdit(view, { verb: "rebuild", hosts: hosts.map((h) => h.spec.name), changes, records: [], notes, check }, opts, io, clock);
}

/** Why this generation may not go yet, or undefined. */
function evidenceProblem(h: PlannedHost): string | undefined {
  const n = h.spec.name;
  const g = h.spec.generation;
  const ofGeneration = h.records.filter((r) => recordGeneration(r.record) === g);
  if (h.compromisedNow && !ofGeneration.some((r) => r.view.saysCompromised))
    return (
      `${n} is marked compromised but lists no record of generation ${g} that found it so: the program snapshots the OS disk of a ` +
      `compromised generation (${osDiskName(generationName(n, g))}) only on that record, so the rebuild would delete the disk with no evidence kept; ` +
      `attach the record first (exchange-guard host record ${n} <record>)`
    );
  if (ofGeneration.length === 0)
    return (
      `${n} generation ${g} has no assessment record: a rebuild deletes its VM and OS disk, and with them the only evidence of whether it ` +
      `was compromised; assess it and record the result first (a compromised result is snapshotted before the disk goes)`
    );
  return undefined;
}

/** The new generations must be able to pass the gate's image check, or the rebuild only builds hosts that stay isolated. */
function checkImages(config: FleetConfig, rebuilt: readonly PlannedHost[], now: Date): void {
  const gates = judgePlan(config, rebuilt, now, "remediated");
  const problems = rebuilt.flatMap((p) => gates.get(p.spec.name)!.rebuiltFromScratch.map((f) => `${p.vmName}: ${renderGateFinding(f)}`));
  if (problems.length > 0) throw new Refusal(`the new generation could never be verified:\n  - ${problems.join("\n  - ")}`);
}
