import { IntervalSet } from "./intervalSet";

/**
 * Items keyed by an address range, answering "which items fall in this set" in
 * O(log n + hits), so matching thousands of hosts against thousands of proxy
 * targets stays near-linear. Items whose address is unreadable match every query.
 */
export class AddressIndex<T> {
  private readonly entries: Array<{ lo: bigint; hi: bigint; item: T }> = [];
  private readonly wildcard: T[] = [];
  private sorted = true;
  private maxSpan = 0n;

  add(addr: IntervalSet | undefined, item: T): void {
    if (addr === undefined) {
      this.wildcard.push(item);
      return;
    }
    for (const [lo, hi] of addr.ranges()) {
      this.entries.push({ lo, hi, item });
      if (hi - lo > this.maxSpan) this.maxSpan = hi - lo;
    }
    this.sorted = false;
  }

  get size(): number {
    return this.entries.length + this.wildcard.length;
  }

  /** Items whose address intersects `set`, then the unreadable ones (flagged). */
  query(set: IntervalSet): Array<{ item: T; unreadable: boolean }> {
    if (!this.sorted) {
      this.entries.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
      this.sorted = true;
    }
    const out: Array<{ item: T; unreadable: boolean }> = [];
    const seen = new Set<T>();
    for (const [lo, hi] of set.ranges()) {
      // No entry spans more than maxSpan, so none starting before lo - maxSpan can overlap.
      const from = lo - this.maxSpan;
      let a = 0;
      let b = this.entries.length;
      while (a < b) {
        const mid = (a + b) >> 1;
        if (this.entries[mid].lo < from) a = mid + 1;
        else b = mid;
      }
      for (let k = a; k < this.entries.length && this.entries[k].lo <= hi; k++) {
        const e = this.entries[k];
        if (e.hi >= lo && !seen.has(e.item)) {
          seen.add(e.item);
          out.push({ item: e.item, unreadable: false });
        }
      }
    }
    for (const w of this.wildcard) out.push({ item: w, unreadable: true });
    return out;
  }
}
