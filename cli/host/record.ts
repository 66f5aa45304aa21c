/** `host record <host> <file>`: attach an assessment record of the host's current generation. */
import { CliIo } from "../io";
import { applyEdit, EditOptions, Refusal } from "./edit";
import { loadFleet, requireHost, StackRef } from "./fleetView";
import { handedRecord } from "./recordFile";

export async function hostRecord(ref: StackRef, name: string, file: string, opts: EditOptions, io: CliIo, clock = new Date()): Promise<number> {
  const view = loadFleet(ref, clock);
  const host = requireHost(view, name);
  const handed = handedRecord(view, host, file);
  if (handed.alreadyListed)
    return applyEdit(
      view,
      { verb: "record", hosts: [name], changes: [], records: [], notes: [`${name} already lists this record (${handed.alreadyListed})`] },
      opts,
      io,
      clock,
    );
  if (handed.view.saysCompromised && host.spec.state === "remediated")
    // Recording it alone would leave a published host marked remediated with a compromise on record: isolate in the same edit.
    throw new Refusal(
      `${file} found ${name} compromised and ${name} is marked remediated (published): record it with \`exchange-guard host isolate ${name} --compromised ${file} --stack ${ref.stack}\`, which also takes it off every public path`,
    );
  view.document.addAssessment(name, handed.pending.entry);
  const notes =
    handed.view.saysCompromised && host.spec.state !== "compromised"
      ? [
          `the record found ${name} compromised: the program treats it so (outbound internet denied, OS disk snapshotted); mark it with \`host isolate ${name} --compromised\` so the stack file says it too`,
        ]
      : [];
  return applyEdit(
    view,
    {
      verb: "record",
      hosts: [name],
      changes: [{ op: "+", host: name, field: "assessments", to: handed.pending.entry }],
      records: [handed.pending],
      notes,
    },
    opts,
    io,
    clock,
  );
}
