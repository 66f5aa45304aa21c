/**
 * `exchange-guard host record`: an assessment record attached to the host's current generation, checked as ingest and
 * the pack check it, copied under the stack's records/ with the stacks' name, never over another record.
 */
import * as fs from "fs";
import * as path from "path";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { copyStack, DRILL_DIR, ingestSample, removeCopies, writeRecord } from "../support/hostStacks";

afterAll(removeCopies);

const INCIDENT_RECORDS = path.join(STACKS_DIR, "records", "incident");
const record = (name: string) => path.join(INCIDENT_RECORDS, name);
const text = (file: string) => fs.readFileSync(file, "utf8");

describe("exchange-guard host record", () => {
  it("attaches a clean record of the current generation beside the host's other records (the stack's own folder)", async () => {
    const s = copyStack("incident-3-rebuild");
    const before = s.text();
    const r = await s.run("record", "ex02", record("ex02-g2-2026-11-19.json"));
    expect(r.code).toBe(0);
    expect(s.host("ex02").assessments).toEqual(["incident/ex02-g1-2026-11-10.json", "incident/ex02-g2-2026-11-19.json"]);
    // The bundled copy was there already, byte for byte: referenced, not written again.
    expect(r.stdout).toMatch(/= .*records\/incident\/ex02-g2-2026-11-19\.json\s+\(already there, identical to/);
    expect(
      s
        .text()
        .split("\n")
        .filter((l, i) => l !== before.split("\n")[i]),
    ).toEqual(["      assessments: [incident/ex02-g1-2026-11-10.json, incident/ex02-g2-2026-11-19.json]"]);
  });

  it("copies a record ingested from the tools' output under records/ as <host>-g<generation>-<date>.json", async () => {
    const s = copyStack("drill", "t", DRILL_DIR);
    await s.run("isolate", "exch01", "--compromised", await ingestSample("webshell-msert", { host: "exch01", generation: 1 }));
    expect((await s.run("rebuild", "exch01")).code).toBe(0);
    const clean = await ingestSample("clean-ps51", { host: "exch01", generation: 2 });
    const r = await s.run("record", "exch01", clean);
    expect(r.code).toBe(0);
    expect(s.host("exch01").assessments?.at(-1)).toBe("exch01-g2-2021-04-09.json");
    expect(text(path.join(s.dir, "records", "exch01-g2-2021-04-09.json"))).toBe(text(clean));
    expect(r.stdout).toMatch(/\+ .*records\/exch01-g2-2021-04-09\.json\s+\(copy of /);
  });

  it("a record the host already lists: nothing to change", async () => {
    const s = copyStack("incident-2-compromised");
    const before = s.text();
    const r = await s.run("record", "ex02", record("ex02-g1-2026-11-10.json"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ex02 already lists this record (incident/ex02-g1-2026-11-10.json)");
    expect(s.text()).toBe(before);
  });

  it("a compromised record for an isolated host: listed, and the program treats the host as compromised at once", async () => {
    const s = copyStack("incident-1-isolated");
    const r = await s.run("record", "ex02", record("ex02-g1-2026-11-10.json"), "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.after[0]).toMatchObject({ host: "ex02", state: "unverified", outboundInternet: "denied", evidence: ["ex02-g1-osdisk-evidence"] });
    expect(out.notes).toEqual([expect.stringContaining("mark it with `host isolate ex02 --compromised`")]);
  });

  describe("refused, exit 2, the file and records/ untouched", () => {
    const noGeneration = () => {
      const r = JSON.parse(text(record("ex02-g2-2026-11-19.json")));
      delete r.generation;
      return writeRecord(r);
    };
    /** A copy of a bundled record with its additionalData (and generation) changed. */
    const changed =
      (edit: (additionalData: Record<string, string>) => void, generation = 2, from = "ex02-g2-2026-11-19.json") =>
      () => {
        const r = JSON.parse(text(record(from)));
        edit(r.additionalData);
        return writeRecord({ ...r, generation });
      };
    it.each<[string, string, string, () => string, RegExp]>([
      [
        "a record of another host",
        "incident-3-rebuild",
        "ex01",
        () => record("ex02-g2-2026-11-19.json"),
        /is a record of host ex02, not of ex01: evidence of one host never counts for another/,
      ],
      [
        "a record of a generation that was rebuilt",
        "incident-3-rebuild",
        "ex02",
        () => record("ex02-g1-2026-11-10.json"),
        /records generation 1 of ex02, whose current generation is 2: an assessment of a generation that was rebuilt says nothing about the new VM/,
      ],
      [
        "a record of a generation not built yet",
        "incident-2-compromised",
        "ex02",
        () => record("ex02-g2-2026-11-19.json"),
        /records generation 2 of ex02, whose current generation is 1: .*does not exist yet/,
      ],
      [
        "a record that names no generation, for a rebuilt host",
        "incident-3-rebuild",
        "ex02",
        noGeneration,
        /it names no generation, which reads as 1/,
      ],
      [
        "a record completed in the future",
        "incident-3-rebuild",
        "ex02",
        changed((d) => (d.completedAt = "2026-12-01T00:00:00Z")),
        /not an assessment record the pack would accept:\n {2}- additionalData\.completedAt 2026-12-01T00:00:00Z is in the future/,
      ],
      [
        "a record whose date is not an ISO instant",
        "incident-3-rebuild",
        "ex02",
        changed((d) => (d.completedAt = "19/11/2026")),
        /additionalData\.completedAt "19\/11\/2026" is not an ISO-8601 instant with a zone/,
      ],
      [
        "a record whose evidence hash is not a hash",
        "incident-3-rebuild",
        "ex02",
        changed((d) => (d.evidenceSha256 = "n/a")),
        /evidenceSha256 is not 64 hexadecimal characters/,
      ],
      [
        "a file that is not JSON",
        "incident-3-rebuild",
        "ex02",
        () => writeRecord("{ host: ex02"),
        /not an assessment record the pack would accept:\n {2}- not JSON/,
      ],
      [
        "a clean record after the compromised one of the same generation",
        "incident-2-compromised",
        "ex02",
        changed((d) => {
          d.completedAt = "2026-11-20T10:00:00Z";
          d.verdict = "clean";
        }, 1),
        /the program would refuse the edited stack:\n {2}- ex02: incident\/ex02-g1-2026-11-20\.json records generation 1 clean after incident\/ex02-g1-2026-11-10\.json found it compromised/,
      ],
      [
        "a compromised record for a published host (isolate does both)",
        "incident-4-verified",
        "ex03",
        changed(
          (d) => {
            d.completedAt = "2026-11-23T10:00:00Z";
            d.verdict = "compromised";
          },
          1,
          "ex03-g1-2026-11-22.json",
        ),
        /found ex03 compromised and ex03 is marked remediated \(published\): record it with `exchange-guard host isolate ex03 --compromised .* --stack t`/,
      ],
    ])("%s", async (_label, from, host, file, message) => {
      const s = copyStack(from);
      const before = s.text();
      const records = s.records();
      const r = await s.run("record", host, file());
      expect([r.code, r.stdout]).toEqual([2, ""]);
      expect(r.stderr).toMatch(message);
      expect(s.text()).toBe(before);
      expect(s.records()).toEqual(records);
    });
  });
});
