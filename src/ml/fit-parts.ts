/**
 * Finished parts of a long fit, kept by the caller somewhere durable (the benchmark keeps
 * them in its results store), so that a fit killed after hours resumes from the parts it
 * had finished instead of from nothing. The parts are the independent subproblems some
 * estimators solve: libsvm's one-vs-one class pairs (SVC), liblinear's one-vs-rest classes
 * (LogisticRegression, LinearSVC); and, for a solver that runs long (Crammer–Singer's one
 * joint problem, newGLMNET's classes, SVC's pairs), a checkpoint of its state replaced
 * every few minutes. A part restored is the part the fit would have
 * computed: its seed is drawn up front like every other part's, so nothing else changes.
 * The caller must hand an estimator only the parts of the same training data, parameters
 * and seed.
 */

/**
 * One finished part: its bytes, and the fit's wall-clock seconds from its start (over
 * every interrupted run before) to the moment this part was finished.
 */
export interface StoredPart {
  readonly bytes: Uint8Array;
  readonly seconds: number;
}

export interface FitParts {
  /** The part stored under `name`, or null. */
  load(name: string): StoredPart | null;
  /** Stores (or replaces) a part; called as soon as the part is finished. */
  save(name: string, part: StoredPart): void;
  /**
   * How often a long solver (Crammer–Singer, newGLMNET, an SVC class pair) replaces the
   * checkpoint of its whole state, in seconds. @default 120
   */
  readonly checkpointSeconds?: number;
}

/** What the last fit took from its FitParts. */
export interface ResumedParts {
  readonly restored: number;
  readonly total: number;
  /** Parts whose solver continued from a checkpoint instead of starting afresh. */
  readonly continued: number;
  /** The wall-clock fit seconds the interrupted runs had spent up to their last finished part. */
  readonly seconds: number;
}

/** An estimator that can keep its finished parts in a FitParts and resume from them. */
export interface ResumableFit {
  /** The parts for the next fit (null: keep none). */
  useFitParts(parts: FitParts | null): void;
  /** What the last fit restored, or null when it had no FitParts. */
  readonly resumedParts: ResumedParts | null;
}

export function isResumableFit(e: object): e is ResumableFit {
  return typeof (e as Partial<ResumableFit>).useFitParts === 'function';
}

const MAGIC = 0x31504d46; // "FMP1", little-endian

/**
 * A part as bytes: a JSON header (which must not hold the arrays) and float64 arrays.
 * Layout: magic, header byte length (u32 each), the header, zero padding to 8 bytes, the
 * arrays back to back.
 */
export function packPart(
  header: Record<string, unknown>,
  arrays: readonly Float64Array[],
): Uint8Array {
  const text = new TextEncoder().encode(
    JSON.stringify({ ...header, lengths: arrays.map((a) => a.length) }),
  );
  const start = Math.ceil((8 + text.length) / 8) * 8;
  const total = start + 8 * arrays.reduce((s, a) => s + a.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, text.length, true);
  bytes.set(text, 8);
  let o = start;
  for (const a of arrays) {
    new Float64Array(bytes.buffer, o, a.length).set(a);
    o += 8 * a.length;
  }
  return bytes;
}

/** The header and arrays of packPart's bytes, or null when they are not such bytes. */
export function unpackPart(
  bytes: Uint8Array,
): { header: Record<string, unknown>; arrays: Float64Array[] } | null {
  if (bytes.length < 8) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.getUint32(0, true) !== MAGIC) return null;
  const n = view.getUint32(4, true);
  if (8 + n > bytes.length) return null;
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      unknown
    >;
  } catch {
    return null;
  }
  const lengths = header.lengths;
  if (!Array.isArray(lengths) || !lengths.every((l) => Number.isInteger(l) && l >= 0)) return null;
  let o = Math.ceil((8 + n) / 8) * 8;
  if (o + 8 * (lengths as number[]).reduce((s, l) => s + l, 0) !== bytes.length) return null;
  // Copied out: the stored bytes may sit at any offset.
  const copy = bytes.slice();
  const arrays = (lengths as number[]).map((l) => {
    const a = new Float64Array(copy.buffer, o, l);
    o += 8 * l;
    return a;
  });
  return { header, arrays };
}

/**
 * Counts what a fit restored (ResumableFit.resumedParts) and times the fit for the parts
 * it saves: parts are solved in parallel, so a fit's time is wall-clock time, carried
 * over from run to run, never a sum of the parts' times.
 */
export class ResumeTally {
  restored = 0;
  continued = 0;
  /** Seconds the interrupted runs had spent: the latest among the parts and checkpoints used. */
  seconds = 0;
  private readonly start = performance.now();

  constructor(readonly total: number) {}

  add(part: StoredPart): void {
    this.restored++;
    this.seconds = Math.max(this.seconds, part.seconds);
  }

  /**
   * A solver checkpoint saved `seconds` into the fit is about to be continued from: its time
   * counts at once, so the checkpoints this run saves carry it on (a run killed twice keeps
   * the first run's time too).
   */
  carry(seconds: number): void {
    this.seconds = Math.max(this.seconds, seconds);
  }

  /** A part whose solver continued from a checkpoint (whose time `carry` counted). */
  addContinued(): void {
    this.continued++;
  }

  /** The fit's seconds so far, over this run and the interrupted ones (for a part saved now). */
  elapsed(): number {
    return this.seconds + (performance.now() - this.start) / 1000;
  }

  result(): ResumedParts {
    return {
      restored: this.restored,
      total: this.total,
      continued: this.continued,
      seconds: this.seconds,
    };
  }
}

/** The benchmark note's words on restored parts ('' when none were restored). */
export function resumedNote(r: ResumedParts | null, what: string): string {
  if (r === null || r.restored + r.continued === 0) return '';
  const restored = r.restored > 0 ? `${r.restored} of ${r.total} ${what} restored` : '';
  const continued =
    r.continued > 0
      ? `${r.continued} ${r.restored > 0 ? '' : `of ${r.total} ${what} `}continued from a solver checkpoint`
      : '';
  const parts = [restored, continued].filter(Boolean).join(' and ');
  return `; ${parts} from an interrupted fit (its ${r.seconds.toFixed(1)} s counted in the fit time)`;
}
