/** Estate sizes in hosts, from BENCH_SIZES or the three. */
export const SIZES: readonly number[] = (process.env.BENCH_SIZES ?? "1000,5000,20000").split(",").map(Number);

/** The two largest sizes, when there are two. */
export function largestPair(): [number, number] | undefined {
  const [a, b] = [...new Set(SIZES)].sort((x, y) => x - y).slice(-2);
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

/** Scaling exponent of a time between two sizes: log(t_b / t_a) / log(b / a). */
export function scalingExponent(times: Readonly<Record<number, number>>, [a, b]: [number, number]): string {
  return (Math.log(times[b] / times[a]) / Math.log(b / a)).toFixed(2);
}
