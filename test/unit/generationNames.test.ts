/**
 * A host generation's names (policies/model/generationNames.ts): the VM `<host>-g<n>`, its OS disk `<vm>-osdisk` and
 * that disk's evidence snapshot `<vm>-osdisk-evidence`, written by the stacks and read back by the pack.
 */
import fc from "fast-check";
import {
  EVIDENCE_PURPOSE,
  EVIDENCE_TAG,
  evidenceSnapshotName,
  generationName,
  generationStems,
  hostOfName,
  osDiskName,
  parseGenerationName,
} from "../../policies/model/generationNames";

/** Host names as a config may spell them (letters, digits, dashes; possibly one that itself looks like a generation). */
const hostArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,14}$/);
const generationArb = fc.integer({ min: 1, max: 1_000_000 });

describe("the names of one generation", () => {
  it("ex02, generation 1", () => {
    const vm = generationName("ex02", 1);
    expect(vm).toBe("ex02-g1");
    expect(osDiskName(vm)).toBe("ex02-g1-osdisk");
    expect(evidenceSnapshotName(vm)).toBe("ex02-g1-osdisk-evidence");
  });

  it("the evidence tag is purpose: exchange-compromise-evidence", () => {
    expect({ [EVIDENCE_TAG]: EVIDENCE_PURPOSE }).toEqual({ purpose: "exchange-compromise-evidence" });
  });
});

describe("parseGenerationName", () => {
  it.each<[string, { host: string; generation: number }]>([
    ["ex02-g1", { host: "ex02", generation: 1 }],
    ["ex02-g12", { host: "ex02", generation: 12 }],
    ["mail-eu-g3", { host: "mail-eu", generation: 3 }],
    // A host whose own name looks like a generation: only the last suffix is the generation.
    ["ex-g1-g2", { host: "ex-g1", generation: 2 }],
    ["EX02-G4", { host: "EX02", generation: 4 }],
  ])("%s → %j", (name, parsed) => {
    expect(parseGenerationName(name)).toEqual(parsed);
  });

  it.each([
    ["a plain host name", "ex02"],
    ["no number", "ex02-g"],
    ["letters for the number", "ex02-gx"],
    ["no dash", "ex02g1"],
    ["no host", "-g1"],
    ["the OS disk", "ex02-g1-osdisk"],
    ["the evidence snapshot", "ex02-g1-osdisk-evidence"],
    ["a negative generation", "ex02-g-1"],
    ["a fractional generation", "ex02-g1.5"],
    ["generation 0 (generations count from 1)", "ex02-g0"],
    ["a leading zero (not a name the stacks write)", "ex02-g01"],
    ["an empty name", ""],
  ])("rejects %s (%p)", (_what, name) => {
    expect(parseGenerationName(name)).toBeUndefined();
  });

  it("reads back every VM name the stacks write", () => {
    fc.assert(
      fc.property(hostArb, generationArb, (host, generation) => {
        expect(parseGenerationName(generationName(host, generation))).toEqual({ host, generation });
      }),
    );
  });
});

describe("hostOfName", () => {
  it.each([
    ["ex02-g1", "ex02"],
    ["ex-g1-g2", "ex-g1"],
    ["ex02", "ex02"],
    // Only a VM's name is a generation's: a disk named after it is its own host.
    ["ex02-g1-osdisk", "ex02-g1-osdisk"],
  ])("%s → %s", (name, host) => {
    expect(hostOfName(name)).toBe(host);
  });

  it("is the host of every generation's VM", () => {
    fc.assert(fc.property(hostArb, generationArb, (host, generation) => expect(hostOfName(generationName(host, generation))).toBe(host)));
  });
});

describe("generationStems", () => {
  it.each<[string, string[]]>([
    ["ex02-g1", ["ex02"]],
    ["ex02-g1-osdisk", ["ex02"]],
    ["EX02-G1-osdisk-evidence", ["ex02"]],
    ["ex-g1-g2-osdisk", ["ex", "ex-g1"]],
    ["ex02", []],
    ["ex02-g1x", []],
    ["ex02-gx-osdisk", []],
    ["-g1-osdisk", []],
    ["snap-ex02-g7", ["snap-ex02"]],
  ])("%s → %j", (name, stems) => {
    expect(generationStems(name)).toEqual(stems);
  });

  it("ends with the host for each of a generation's names", () => {
    fc.assert(
      fc.property(hostArb, generationArb, (host, generation) => {
        const vm = generationName(host, generation);
        for (const name of [vm, osDiskName(vm), evidenceSnapshotName(vm)]) expect(generationStems(name).at(-1)).toBe(host.toLowerCase());
      }),
    );
  });

  /** Brute force: every dash after the first character that starts `-g<digits>` followed by a dash or the end. */
  const reference = (name: string): string[] => {
    const out: string[] = [];
    for (let i = 1; i < name.length; i++) if (/^-g\d+(-|$)/i.test(name.slice(i))) out.push(name.slice(0, i).toLowerCase());
    return out;
  };

  it("finds every stem a brute-force scan finds, in order", () => {
    const nameArb = fc
      .array(fc.constantFrom("-", "g", "G", "1", "07", "x", "ex", "-g", "-g1", "-osdisk"), { maxLength: 12 })
      .map((parts) => parts.join(""));
    fc.assert(fc.property(nameArb, (name) => expect(generationStems(name)).toEqual(reference(name))));
  });
});
