// Order statistics for the benchmark: medians of rounds, percentiles of
// round-trip samples. Nearest-rank percentiles on a sorted copy; NaN for
// an empty sample (shown as n/a, never as 0).

export function quantile(xs: ArrayLike<number>, q: number): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Float64Array.from(xs as ArrayLike<number>).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return s[rank];
}

export const median = (xs: ArrayLike<number>): number => {
  const ok = Array.from(xs).filter((x) => Number.isFinite(x));
  if (ok.length === 0) return NaN;
  ok.sort((a, b) => a - b);
  const m = ok.length >> 1;
  return ok.length % 2 ? ok[m] : (ok[m - 1] + ok[m]) / 2;
};

export const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
};

/** `xs` rotated left by `k`: round r measures the variants in another order, so none always goes first. */
export function rotate<T>(xs: readonly T[], k: number): T[] {
  const n = xs.length;
  if (n === 0) return [];
  const s = ((k % n) + n) % n;
  return [...xs.slice(s), ...xs.slice(0, s)];
}
