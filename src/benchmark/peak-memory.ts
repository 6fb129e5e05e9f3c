/**
 * Peak resident memory of this process during one repeat. Linux keeps the high-water
 * mark (VmHWM in /proc/self/status) and lets a process reset it by writing 5 to
 * /proc/self/clear_refs, so the peak is exact, not sampled, and covers the worker threads
 * and the shared arena too. Elsewhere there is no reset, so no per-repeat peak: null.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const STATUS = '/proc/self/status';
const CLEAR_REFS = '/proc/self/clear_refs';

/** Starts a new measurement; false when this system cannot reset the peak. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync(CLEAR_REFS, '5');
    return true;
  } catch {
    return false;
  }
}

/** The peak RSS in MB since the last successful reset, or null when it cannot be read. */
export function peakRssMB(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync(STATUS, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Runs `work` and reports its result with the peak RSS it reached (null if unmeasurable). */
export async function withPeakRss<T>(
  work: () => Promise<T>,
): Promise<{ value: T; peakRssMB: number | null }> {
  const measurable = resetPeakRss();
  const value = await work();
  return { value, peakRssMB: measurable ? peakRssMB() : null };
}
