import { IntervalSet } from "../../policies/model/intervalSet";

describe("IntervalSet", () => {
  it("merges adjacent ranges", () => {
    expect(
      IntervalSet.of([
        [1n, 2n],
        [3n, 5n],
        [9n, 9n],
      ]).ranges(),
    ).toEqual([
      [1n, 5n],
      [9n, 9n],
    ]);
  });
});
