/**
 * Benchmark progress on stderr: a live status line with an ETA on a terminal, one line
 * per finished configuration otherwise (so logs stay readable).
 */
import type { RunnerEvent } from '../benchmark/runner.js';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  // Rounded to the last unit shown before splitting, so 59.6 s reads 1m00s, never 60s.
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  const m = Math.round(seconds / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

const PARTS_LINE_EVERY_MS = 10 * 60 * 1000;

export class ProgressReporter {
  private configsDone = 0;
  private repeatSeconds: number[] = [];
  private current = '';
  private repeatStartedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Parts the current repeat's fit has kept, and when the last line about them went out. */
  private partsKept = 0;
  private partsLineAt = 0;

  constructor(
    private readonly totalConfigs: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** How often a log (not a terminal) gets a line on a long fit's kept parts. */
    private readonly partsLineEveryMs = PARTS_LINE_EVERY_MS,
  ) {}

  get isTty(): boolean {
    return Boolean(this.stream.isTTY);
  }

  /** Estimated seconds left: mean repeat time × an expected 2 repeats per remaining config. */
  eta(): number {
    if (this.repeatSeconds.length === 0) return Infinity;
    const mean = this.repeatSeconds.reduce((a, b) => a + b, 0) / this.repeatSeconds.length;
    return mean * 2 * Math.max(0, this.totalConfigs - this.configsDone);
  }

  handle = (e: RunnerEvent): void => {
    switch (e.type) {
      case 'dataset-loading':
        this.status(`loading ${e.dataset}…`);
        break;
      case 'dataset-ready':
        this.line(`${e.dataset}: loaded and scaled in ${e.seconds.toFixed(1)}s`);
        break;
      case 'config-start':
        this.current = `${e.key.dataset} ${e.key.classifier} ${e.key.params}`;
        if (e.resumed > 0)
          this.line(`${this.current}: ${e.resumed} repeat(s) already in the store, not rerun`);
        break;
      case 'repeat-start':
        this.current = `${e.key.dataset} ${e.key.classifier} ${e.key.params}`;
        this.repeatStartedAt = performance.now();
        this.partsKept = 0;
        this.partsLineAt = this.repeatStartedAt;
        this.startTicking(e.repeat);
        break;
      case 'fit-part-kept': {
        this.partsKept = e.kept;
        // Hour-long fits say where they are; a log gets a line at most every 10 minutes.
        const now = performance.now();
        if (!this.isTty && now - this.partsLineAt >= this.partsLineEveryMs) {
          this.partsLineAt = now;
          this.line(
            `${this.current} repeat ${e.repeat + 1}: ${formatDuration((now - this.repeatStartedAt) / 1000)} in, ${e.kept} part(s) of the fit kept (last: ${e.part}); a rerun resumes from them`,
          );
        }
        break;
      }
      case 'repeat-done':
        this.repeatSeconds.push(e.record.fitSeconds + e.record.predictSeconds);
        break;
      case 'config-done':
        this.configsDone++;
        this.line(
          `[${this.configsDone}/${this.totalConfigs}] ${e.key.dataset} ${e.key.classifier} ${e.key.params}: ${e.mean.toFixed(4)} ± ${e.std2.toFixed(4)} (${e.scores.length} repeats)`,
        );
        break;
      case 'queued':
        this.line(
          `queued ${e.jobs} job(s) on '${e.queue}'; ${e.workers} worker(s) connected${e.workers === 0 ? ' (start one: fmnist worker --queue <same URL>)' : ''}`,
        );
        break;
      case 'row-skipped':
        this.configsDone++;
        this.line(
          `[${this.configsDone}/${this.totalConfigs}] ${e.dataset} ${e.row.classifier} ${e.row.paramsText}: ${e.reason}`,
        );
        break;
    }
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.isTty) this.stream.write('\r\x1b[K');
  }

  private startTicking(repeat: number): void {
    if (!this.isTty) return;
    if (this.timer) clearInterval(this.timer);
    const tick = () => {
      const elapsed = (performance.now() - this.repeatStartedAt) / 1000;
      const kept = this.partsKept > 0 ? ` · ${this.partsKept} part(s) kept` : '';
      this.status(
        `[${this.configsDone + 1}/${this.totalConfigs}] ${this.current} repeat ${repeat + 1}: ${formatDuration(elapsed)}${kept} · ETA ${formatDuration(this.eta())}`,
      );
    };
    tick();
    this.timer = setInterval(tick, 1000);
    this.timer.unref();
  }

  private status(text: string): void {
    if (this.isTty) this.stream.write(`\r\x1b[K${text.slice(0, (this.stream.columns ?? 120) - 1)}`);
  }

  private line(text: string): void {
    if (this.isTty) this.stream.write('\r\x1b[K');
    this.stream.write(`${text}\n`);
  }
}
