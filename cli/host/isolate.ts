/**
 * `host isolate <host> [--compromised <record>]`: take a host off every public path. Unverified by default; with a
 * record that found it compromised, that record is attached and the host marked compromised (outbound internet cut,
 * OS disk snapshotted for evidence). A compromised host is never made merely unverified.
 */
import { CliIo } from "../io";
import { applyEdit, Change, EditOptions, PendingRecord, Refusal } from "./edit";
import { loadFleet, requireHost, StackRef } from "./fleetView";
import { handedRecord } from "./recordFile";

export async function hostIsolate(
  ref: StackRef,
  name: string,
  compromisedRecord: string | undefined,
  opts: EditOptions,
  io: CliIo,
  clock = new Date(),
): Promise<number> {
  const view = loadFleet(ref, clock);
  const host = requireHost(view, name);
  const changes: Change[] = [];
  const records: PendingRecord[] = [];
  const notes: string[] = [];
  const state = host.spec.state;
  if (compromisedRecord !== undefined) {
    const handed = handedRecord(view, host, compromisedRecord);
    if (!handed.view.saysCompromised)
      throw new Refusal(
        `--compromised needs a record that found ${name} compromised; ${compromisedRecord} records it ${handed.view.verdict ?? "without a verdict"}`,
      );
    if (handed.alreadyListed) notes.push(`${name} already lists this record (${handed.alreadyListed})`);
    else {
      view.document.addAssessment(name, handed.pending.entry);
      changes.push({ op: "+", host: name, field: "assessments", to: handed.pending.entry });
      records.push(handed.pending);
    }
    if (state !== "compromised") {
      view.document.set(name, "state", "compromised");
      changes.push({ op: "~", host: name, field: "state", from: state, to: "compromised" });
    }
  } else if (state === "remediated") {
    view.document.set(name, "state", "unverified");
    changes.push({ op: "~", host: name, field: "state", from: state, to: "unverified" });
  } else {
    notes.push(`${name} is ${state}: already isolated${host.compromisedNow ? ", its outbound internet denied" : ""}`);
  }
  return applyEdit(view, { verb: "isolate", hosts: [name], changes, records, notes }, opts, io, clock);
}
