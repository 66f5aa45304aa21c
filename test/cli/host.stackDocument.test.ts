/**
 * The stack file as the `host` commands edit it: in place through the YAML document model (comments and layout kept),
 * replaced atomically, and never over a file that changed since it was read.
 */
import * as fs from "fs";
import * as path from "path";
import { StackDocument } from "../../cli/host/stackDocument";
import { InputError } from "../../cli/errors";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { removeCopies, tmpDir } from "../support/hostStacks";

afterAll(removeCopies);

function copy(stack: string): string {
  const f = path.join(tmpDir("doc"), `Pulumi.${stack}.yaml`);
  fs.copyFileSync(path.join(STACKS_DIR, `Pulumi.${stack}.yaml`), f);
  return f;
}

describe("StackDocument", () => {
  it.each(fs.readdirSync(STACKS_DIR).filter((f) => /^Pulumi\..+\.yaml$/.test(f)))("%s is written back byte for byte when nothing is edited", (f) => {
    const doc = StackDocument.read(path.join(STACKS_DIR, f));
    expect(doc.toString()).toBe(doc.text);
    expect(doc.untouchedLinesRewritten()).toBe(0);
  });

  it("edits only the lines it changes: a scalar in place, a record appended to a flow list, a new list written [a]", () => {
    const file = copy("incident-2-compromised");
    const doc = StackDocument.read(file);
    doc.set("ex02", "generation", 2);
    doc.set("ex02", "state", "unverified");
    doc.addAssessment("ex02", "incident/ex02-g2-2026-11-19.json");
    doc.addAssessment("ex03", "ex03-g1-2026-11-22.json");
    const before = doc.text.split("\n");
    const after = doc.toString().split("\n");
    const removed = before.filter((l) => !after.includes(l));
    const added = after.filter((l) => !before.includes(l));
    expect(removed).toEqual(["      state: compromised", "      assessments: [incident/ex02-g1-2026-11-10.json]"]);
    expect(added).toEqual([
      "      generation: 2",
      "      assessments: [incident/ex02-g1-2026-11-10.json, incident/ex02-g2-2026-11-19.json]",
      "      assessments: [ex03-g1-2026-11-22.json]",
    ]);
    expect(after.filter((l) => l.startsWith("#"))).toEqual(before.filter((l) => l.startsWith("#")));
  });

  it("a generation absent from the file (default 1) is added under the host", () => {
    const file = copy("incident-1-isolated");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("    - name: ex03\n      generation: 1\n", "    - name: ex03\n"));
    const doc = StackDocument.read(file);
    doc.set("ex03", "generation", 2);
    expect(doc.toString()).toContain("    - name: ex03\n      state: unverified\n      generation: 2\n");
  });

  it("writes atomically: the new text replaces the file, its mode is kept, no temporary file stays", () => {
    const file = copy("incident-1-isolated");
    fs.chmodSync(file, 0o640);
    const doc = StackDocument.read(file);
    doc.set("ex01", "state", "compromised");
    doc.write(doc.toString());
    expect(fs.readFileSync(file, "utf8")).toBe(doc.toString());
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it("refuses to write over a file that changed since it was read, and leaves the other writer's change", () => {
    const file = copy("incident-1-isolated");
    const doc = StackDocument.read(file);
    doc.set("ex01", "state", "compromised");
    const theirs = fs.readFileSync(file, "utf8").replace("# Step 1", "# Edited meanwhile: step 1");
    fs.writeFileSync(file, theirs);
    expect(() => doc.write(doc.toString())).toThrow(InputError);
    expect(() => doc.write(doc.toString())).toThrow(/changed since it was read .*nothing was written: run the command again/);
    expect(fs.readFileSync(file, "utf8")).toBe(theirs);
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it("an assessments value that is not a list is not guessed at", () => {
    const file = copy("incident-2-compromised");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace("assessments: [incident/ex02-g1-2026-11-10.json]", "assessments: incident/ex02-g1-2026-11-10.json"),
    );
    const doc = StackDocument.read(file);
    expect(() => doc.addAssessment("ex02", "x.json")).toThrow(/ex02\.assessments is not a list; fix it by hand first/);
  });

  it("a file that is not YAML is bad input", () => {
    const file = path.join(tmpDir("doc"), "Pulumi.bad.yaml");
    fs.writeFileSync(file, "config:\n  a: [1\n");
    expect(() => StackDocument.read(file)).toThrow(/cannot read stack config .*Pulumi\.bad\.yaml/);
  });
});
