import * as fc from "fast-check";
import { IntervalSet } from "../../policies/model/intervalSet";
import { runs } from "../support/budget";

/** Brute force over a small universe: a set is the list of its members. */
const U = 40n;
const members = (s: IntervalSet) => {
  const out: bigint[] = [];
  for (let x = -2n; x <= U + 2n; x++) if (s.has(x)) out.push(x);
  return out;
};
const fromMembers = (xs: bigint[]) => IntervalSet.of(xs.map((x) => [x, x] as const));
const rangesArb = fc.array(fc.tuple(fc.bigInt({ min: 0n, max: U }), fc.bigInt({ min: 0n, max: U })), { maxLength: 6 });

describe("IntervalSet", () => {
  it("merges adjacent and overlapping ranges given in any order, and drops empty ones", () => {
    expect(
      IntervalSet.of([
        [9n, 9n],
        [3n, 5n],
        [1n, 2n],
        [4n, 7n],
        [20n, 10n],
      ]).ranges(),
    ).toEqual([
      [1n, 7n],
      [9n, 9n],
    ]);
    expect(IntervalSet.range(5n, 4n).isEmpty).toBe(true);
    expect(IntervalSet.range(4n, 4n).ranges()).toEqual([[4n, 4n]]);
  });

  it("behaves like the set of its members (property, brute-force reference)", () => {
    fc.assert(
      fc.property(rangesArb, rangesArb, (ra, rb) => {
        const a = IntervalSet.of(ra);
        const b = IntervalSet.of(rb);
        const ma = members(a);
        const mb = members(b);
        const expected = new Set<bigint>();
        for (const [lo, hi] of ra) for (let x = lo; x <= hi; x++) expected.add(x);
        expect(ma).toEqual([...expected].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
        expect(members(a.union(b))).toEqual([...new Set([...ma, ...mb])].sort((x, y) => (x < y ? -1 : 1)));
        expect(members(a.intersect(b))).toEqual(ma.filter((x) => mb.includes(x)));
        expect(members(a.subtract(b))).toEqual(ma.filter((x) => !mb.includes(x)));
        expect(a.intersects(b)).toBe(ma.some((x) => mb.includes(x)));
        expect(a.covers(b)).toBe(mb.every((x) => ma.includes(x)));
        expect(a.size()).toBe(BigInt(ma.length));
        expect(a.isEmpty).toBe(ma.length === 0);
        expect(a.equals(b)).toBe(ma.length === mb.length && ma.every((x, i) => x === mb[i]));
        expect(a.equals(fromMembers(ma))).toBe(true);
        expect(a.key() === b.key()).toBe(a.equals(b));
        // Canonical form: sorted, disjoint, non-adjacent ranges.
        const r = a.union(b).ranges();
        for (let i = 1; i < r.length; i++) expect(r[i][0] > r[i - 1][1] + 1n).toBe(true);
      }),
      { numRuns: runs(1000) },
    );
  });

  it("equals is false for a set and its superset, and for equal sizes with other members", () => {
    const a = IntervalSet.of([[1n, 2n]]);
    const superset = IntervalSet.of([
      [1n, 2n],
      [5n, 6n],
    ]);
    const sameSize = IntervalSet.of([
      [1n, 1n],
      [3n, 3n],
    ]);
    expect(a.equals(superset)).toBe(false);
    expect(superset.equals(a)).toBe(false);
    expect(a.equals(sameSize)).toBe(false);
  });

  it("operations with the empty set", () => {
    const a = IntervalSet.of([[1n, 5n]]);
    const e = IntervalSet.EMPTY;
    expect(a.union(e)).toBe(a);
    expect(e.union(a)).toBe(a);
    expect(a.intersect(e).isEmpty).toBe(true);
    expect(e.intersect(a).isEmpty).toBe(true);
    expect(a.subtract(e)).toBe(a);
    expect(e.subtract(a).isEmpty).toBe(true);
    expect(a.covers(e)).toBe(true);
    expect(e.covers(a)).toBe(false);
  });
});
