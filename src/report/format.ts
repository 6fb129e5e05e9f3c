/** Number formatting shared by the Markdown and HTML renderings, so both read the same. */

/** 0.8974 → "0.897" (the paper's three decimals). */
export function formatAccuracy(x: number): string {
  return x.toFixed(3);
}

/** +0.0123 → "+0.012", −0.004 → "−0.004" (a true minus sign), 0 → "±0.000". */
export function formatDelta(d: number): string {
  const r = Number(d.toFixed(3));
  if (r === 0) return '±0.000';
  return r > 0 ? `+${r.toFixed(3)}` : `\u2212${Math.abs(r).toFixed(3)}`;
}

/** Seconds in a unit a person reads at a glance: 0.42 s, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—';
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
  }
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.round((s - h * 3600) / 60)).padStart(2, '0')} min`;
}
