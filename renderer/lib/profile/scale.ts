/**
 * The heat scale for timings on the graph: a domain from the node times, a linear or log mapping to [0, 1], a
 * colour per value from a colour-blind-safe sequential palette (viridis), and legend ticks with formatted times.
 *
 * Log mode and zeros: a log scale cannot place 0, so its domain starts at the smallest positive time and anything
 * at or below it (zeros included) maps to the bottom colour. When every time is zero the whole graph gets the
 * bottom colour and the legend has one tick.
 */
import { formatUs } from './format.js';

export type ScaleMode = 'linear' | 'log';

/** A legend tick: the time, its label, and its position along the legend in [0, 1]. */
export interface Tick {
  readonly us: number;
  readonly label: string;
  readonly t: number;
}

/** A heat scale over a set of times (see the file header). */
export interface HeatScale {
  readonly mode: ScaleMode;
  /** Domain in microseconds: [0, max] for linear; [smallest positive, max] for log. */
  readonly min: number;
  readonly max: number;
  /** Position of a time in [0, 1]. */
  norm(us: number): number;
  /** Hex colour of a time. */
  colour(us: number): string;
  readonly ticks: readonly Tick[];
  /** Colour stops for drawing the legend gradient (bottom to top). */
  readonly stops: readonly string[];
}

/** Viridis (matplotlib) sampled at 0, 0.1, ..., 1: perceptually uniform, readable with the common colour-vision deficiencies and in greyscale. */
export const VIRIDIS: readonly string[] = [
  '#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725',
];

/** The palette colour at `t` in [0, 1] (clamped), interpolated between the viridis stops. */
export function paletteAt(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return mixHex(VIRIDIS[i]!, VIRIDIS[i + 1]!, x - i);
}

/** Black or white, whichever reads better on `hex` (for badge text on a heat colour). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const [r, g, b] = rgb(hex);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 ? '#000000' : '#ffffff';
}

/** Builds the scale for `times` (negative and non-finite values are ignored). */
export function heatScale(times: Iterable<number>, mode: ScaleMode = 'linear'): HeatScale {
  const valid = [...times].filter((t) => Number.isFinite(t) && t >= 0);
  const max = valid.length ? Math.max(...valid) : 0;
  const positive = valid.filter((t) => t > 0);
  const min = mode === 'log' && positive.length ? Math.min(...positive) : 0;
  const norm = mode === 'log' ? logNorm(min, max) : linearNorm(max);
  const ticks = (mode === 'log' ? logTicks(min, max) : linearTicks(max)).map((us) => ({ us, label: formatUs(us), t: norm(us) }));
  return { mode, min, max, norm, colour: (us) => paletteAt(norm(us)), ticks, stops: VIRIDIS };
}

function linearNorm(max: number): (us: number) => number {
  return (us) => (max > 0 && Number.isFinite(us) ? clamp01(us / max) : 0);
}

function logNorm(min: number, max: number): (us: number) => number {
  if (!(min > 0) || max <= min) return (us) => (max > 0 && us >= max ? 1 : 0);
  const lo = Math.log10(min);
  const span = Math.log10(max) - lo;
  return (us) => (us > min && Number.isFinite(us) ? clamp01((Math.log10(us) - lo) / span) : 0);
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** 0, then "nice" steps (1, 2 or 5 times a power of ten) up to max, then max itself if it is not a step. */
export function linearTicks(max: number, target = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) ticks.push(Number(v.toPrecision(12)));
  if (max - ticks[ticks.length - 1]! > step * 0.25) ticks.push(max);
  return ticks;
}

/** The domain's ends and every power of ten between them. */
export function logTicks(min: number, max: number): number[] {
  if (!(max > 0)) return [0];
  if (!(min > 0) || min >= max) return [max];
  const ticks = [min];
  for (let e = Math.ceil(Math.log10(min)); 10 ** e < max; e++) if (10 ** e > min * 1.5 && 10 ** e < max / 1.5) ticks.push(10 ** e);
  ticks.push(max);
  return ticks;
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mixHex(a: string, b: string, f: number): string {
  const [ar, ag, ab] = rgb(a);
  const [br, bg, bb] = rgb(b);
  const c = (x: number, y: number) => Math.round(x + (y - x) * f).toString(16).padStart(2, '0');
  return `#${c(ar, br)}${c(ag, bg)}${c(ab, bb)}`;
}
