import * as fc from "fast-check";
import { AddressIndex } from "../../policies/model/addressIndex";
import { IntervalSet } from "../../policies/model/intervalSet";
import { runs } from "../support/budget";

const range = fc.tuple(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 40n })).map(([lo, span]) => [lo, lo + span] as const);

describe("AddressIndex", () => {
  it("answers exactly the entries that intersect the query, then the unreadable ones (brute-force reference)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.array(range, { minLength: 1, maxLength: 3 }), { nil: undefined }), { maxLength: 25 }),
        fc.array(range, { minLength: 1, maxLength: 3 }),
        (entries, query) => {
          const index = new AddressIndex<number>();
          entries.forEach((e, i) => index.add(e === undefined ? undefined : IntervalSet.of(e), i));
          const q = IntervalSet.of(query);
          const got = index.query(q);
          const expectedKnown = entries.flatMap((e, i) => (e !== undefined && IntervalSet.of(e).intersects(q) ? [i] : []));
          const expectedUnreadable = entries.flatMap((e, i) => (e === undefined ? [i] : []));
          expect(
            got
              .filter((g) => !g.unreadable)
              .map((g) => g.item)
              .sort((a, b) => a - b),
          ).toEqual(expectedKnown);
          expect(got.filter((g) => g.unreadable).map((g) => g.item)).toEqual(expectedUnreadable);
          expect(index.size).toBe(entries.reduce((n, e) => n + (e === undefined ? 1 : IntervalSet.of(e).ranges().length), 0));
        },
      ),
      { numRuns: runs(500) },
    );
  });

  it("finds a wide entry that starts long before the query, and each item once", () => {
    const index = new AddressIndex<string>();
    index.add(IntervalSet.range(0n, 1000n), "wide");
    index.add(
      IntervalSet.of([
        [5n, 5n],
        [700n, 710n],
      ]),
      "two ranges",
    );
    index.add(IntervalSet.range(900n, 900n), "point");
    expect(index.query(IntervalSet.range(705n, 706n)).map((x) => x.item)).toEqual(["wide", "two ranges"]);
    expect(
      index
        .query(
          IntervalSet.of([
            [1n, 10n],
            [700n, 701n],
          ]),
        )
        .map((x) => x.item),
    ).toEqual(["wide", "two ranges"]);
    expect(index.query(IntervalSet.range(2000n, 3000n))).toEqual([]);
    expect(index.size).toBe(4);
  });
});
