/**
 * Time formatting for the profile views: microseconds (the profiler's unit) as a short readable label in us, ms or
 * s, with three significant digits, so a badge, a legend tick and a table cell all read the same way.
 */

/**
 * Formats a duration given in microseconds: `0 us`, `12.3 us`, `4.56 ms`, `1.20 s`. Non-finite or negative input
 * reads as `-` (a missing time never shows as a number).
 */
export function formatUs(us: number): string {
  if (!Number.isFinite(us) || us < 0) return '-';
  if (us === 0) return '0 us';
  if (us < 1000) return `${sig3(us)} us`;
  if (us < 1e6) return `${sig3(us / 1000)} ms`;
  return `${sig3(us / 1e6)} s`;
}

/** Three significant digits without exponent notation or trailing zeros past the first decimal. */
function sig3(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return String(Number(x.toPrecision(3)));
}

/** Formats a ratio as `1.50x` (speed-ups and slow-downs). */
export function formatRatio(r: number): string {
  if (Number.isNaN(r)) return '-';
  if (!Number.isFinite(r)) return r > 0 ? 'inf' : '-inf';
  return `${r.toFixed(2)}x`;
}
