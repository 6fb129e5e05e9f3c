/**
 * The results store: one SQLite row per finished repeat, keyed by dataset, classifier,
 * parameters, protocol and repeat number. A repeat is written in its own transaction the
 * moment it finishes, so a run killed at any point resumes without redoing it; the
 * finished parts of a long fit are kept the same way until their repeat is recorded.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { FmnistError } from '../errors.js';
import { unpackPart, type FitParts } from '../ml/fit-parts.js';

export interface RepeatKey {
  readonly dataset: string;
  readonly classifier: string;
  /** Canonical parameter text (keys sorted), see canonicalParamsText. */
  readonly params: string;
  /** Canonical protocol text, e.g. "seed=0 train=60000 test=10000". */
  readonly protocol: string;
}

export interface RepeatRecord extends RepeatKey {
  readonly repeat: number;
  readonly accuracy: number;
  readonly fitSeconds: number;
  readonly predictSeconds: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly nTrain: number;
  readonly nTest: number;
  /** Anything a reader should know, e.g. "neighbours reused from k=9 (p=2)". */
  readonly note: string | null;
  /** Peak resident memory of the process during the repeat, MB; null where unmeasurable. */
  readonly peakRssMB: number | null;
}

/** A repeat whose fit has kept parts in the store (see ResultsStore.fitParts). */
export interface UnfinishedRepeat extends RepeatKey {
  readonly repeat: number;
  /** The parts' names, oldest saved first (e.g. "class 3", "class 1 state"). */
  readonly parts: string[];
  /**
   * The solver checkpoints ("… state") of subproblems not finished yet (a finished one's
   * part, e.g. "pair 0-2", supersedes its state), with the iteration each reached when
   * its header says (null otherwise).
   */
  readonly checkpoints: { part: string; iteration: number | null }[];
  /** The fit's wall-clock seconds when its latest part was saved. */
  seconds: number;
  /** When the latest part was saved (ISO 8601). */
  savedAt: string;
}

/** A fit part as the store keeps it: which repeat, which part, which data, and its bytes. */
export interface KeptFitPart extends RepeatKey {
  readonly repeat: number;
  readonly part: string;
  /** The training data the part belongs to (ResultsStore.fitParts hands out only matching ones). */
  readonly dataId: string;
  readonly seconds: number;
  readonly bytes: Uint8Array;
  readonly savedAt: string;
}

/** What ResultsStore.addFitParts did with the parts it was given. */
export interface AddedFitParts {
  readonly added: number;
  /** Not added: the store has recorded their repeat, so they would help nobody. */
  readonly ofRecordedRepeats: number;
  /** Not added: the store holds the same part saved at the same time or later. */
  readonly keptNewer: number;
}

const SCHEMA_VERSION = '1';
/** How a solver checkpoint's part name ends ("pair 0-2 state", "class 1 state"). */
const STATE_SUFFIX = ' state';

/**
 * A protocol text as the store keys it. fmnist before 2026-12-07 wrote the run's repeat cap
 * into it ("repeats<=5 seed=0 …"), which changes no repeat's result: it is dropped, so
 * repeats recorded under any cap count for every run on the same seed and data.
 */
export function canonicalProtocol(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => w !== '' && !/^repeats<=\d+$/.test(w))
    .join(' ');
}

/** `$FMNIST_HOME/results.sqlite`, default `~/.cache/fmnist/results.sqlite`. */
export function defaultStorePath(): string {
  const home = process.env.FMNIST_HOME || join(homedir(), '.cache', 'fmnist');
  return join(home, 'results.sqlite');
}

export class ResultsStore {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {}

  /** Opens the store at `path` for reading what is there; never creates one. */
  static openExisting(path: string): ResultsStore {
    if (path !== ':memory:' && !existsSync(path)) {
      throw new FmnistError(
        'INVALID_INPUT',
        `No results store at ${path}. Run 'fmnist benchmark' first, or pass --store with the path of an existing store.`,
      );
    }
    return ResultsStore.open(path);
  }

  /** Opens (creating if needed) the store at `path`; ':memory:' works for tests. */
  static open(path: string = defaultStorePath()): ResultsStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS repeats (
        dataset TEXT NOT NULL,
        classifier TEXT NOT NULL,
        params TEXT NOT NULL,
        protocol TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        accuracy REAL NOT NULL,
        fit_seconds REAL NOT NULL,
        predict_seconds REAL NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        n_train INTEGER NOT NULL,
        n_test INTEGER NOT NULL,
        note TEXT,
        peak_rss_mb REAL,
        PRIMARY KEY (dataset, classifier, params, protocol, repeat)
      );
      CREATE TABLE IF NOT EXISTS fit_parts (
        dataset TEXT NOT NULL,
        classifier TEXT NOT NULL,
        params TEXT NOT NULL,
        protocol TEXT NOT NULL,
        repeat INTEGER NOT NULL,
        part TEXT NOT NULL,
        data_id TEXT NOT NULL,
        seconds REAL NOT NULL,
        bytes BLOB NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (dataset, classifier, params, protocol, repeat, part)
      );
    `);
    const version = db.prepare('SELECT value FROM meta WHERE key = ?').get('schema_version') as
      { value: string } | undefined;
    if (version === undefined) {
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
        'schema_version',
        SCHEMA_VERSION,
      );
    } else if (version.value !== SCHEMA_VERSION) {
      db.close();
      throw new Error(
        `The results store ${path} has schema version ${version.value}; this fmnist reads version ${SCHEMA_VERSION}. Use another --store path.`,
      );
    }
    addMissingColumns(db);
    canonicalizeProtocols(db);
    setAsideCappedSvcRepeats(db);
    dropPartsOfRecordedRepeats(db);
    return new ResultsStore(db, path);
  }

  close(): void {
    this.db.close();
  }

  /** The finished repeats of one configuration, in repeat order. */
  repeatsOf(key: RepeatKey): RepeatRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM repeats WHERE dataset = ? AND classifier = ? AND params = ? AND protocol = ?
         ORDER BY repeat`,
      )
      .all(key.dataset, key.classifier, key.params, canonicalProtocol(key.protocol)) as DbRow[];
    return rows.map(fromDb);
  }

  /** Every finished repeat in the store. */
  allRepeats(): RepeatRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM repeats ORDER BY dataset, classifier, params, protocol, repeat')
      .all() as DbRow[];
    return rows.map(fromDb);
  }

  /**
   * Records a finished repeat; recording the same repeat twice is an error, never an
   * overwrite. The repeat's fit parts (see fitParts) go in the same transaction.
   */
  record(record: RepeatRecord): void {
    const r = { ...record, protocol: canonicalProtocol(record.protocol) };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO repeats (dataset, classifier, params, protocol, repeat, accuracy, fit_seconds,
             predict_seconds, started_at, finished_at, n_train, n_test, note, peak_rss_mb)
           VALUES (@dataset, @classifier, @params, @protocol, @repeat, @accuracy, @fitSeconds,
             @predictSeconds, @startedAt, @finishedAt, @nTrain, @nTest, @note, @peakRssMB)`,
        )
        .run(r);
      this.db
        .prepare(
          `DELETE FROM fit_parts WHERE dataset = ? AND classifier = ? AND params = ?
             AND protocol = ? AND repeat = ?`,
        )
        .run(r.dataset, r.classifier, r.params, r.protocol, r.repeat);
    })();
  }

  /**
   * The finished parts of a repeat's fit (ml/fit-parts.ts), each saved in its own
   * transaction the moment it is finished, so that a killed run resumes the fit where it
   * was. `dataId` says which training data they belong to (computed on first use); parts
   * saved for other data are not handed out.
   */
  fitParts(key: RepeatKey, repeat: number, dataId: () => string): FitParts {
    const protocol = canonicalProtocol(key.protocol);
    const where = [key.dataset, key.classifier, key.params, protocol, repeat] as const;
    let id: string | null = null;
    const currentId = (): string => (id ??= dataId());
    return {
      load: (part) => {
        const row = this.db
          .prepare(
            `SELECT seconds, bytes FROM fit_parts WHERE dataset = ? AND classifier = ?
               AND params = ? AND protocol = ? AND repeat = ? AND part = ? AND data_id = ?`,
          )
          .get(...where, part, currentId()) as { seconds: number; bytes: Buffer } | undefined;
        return row === undefined
          ? null
          : { seconds: row.seconds, bytes: new Uint8Array(row.bytes) };
      },
      save: (part, stored) => {
        this.db
          .prepare(
            `INSERT OR REPLACE INTO fit_parts (dataset, classifier, params, protocol, repeat,
               part, data_id, seconds, bytes, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            ...where,
            part,
            currentId(),
            stored.seconds,
            Buffer.from(stored.bytes.buffer, stored.bytes.byteOffset, stored.bytes.length),
            new Date().toISOString(),
          );
      },
    };
  }

  /**
   * The repeats whose fit keeps parts here: runs in progress, or killed ones a rerun will
   * resume (`fmnist results unfinished`). Ordered by key and repeat.
   */
  unfinishedRepeats(): UnfinishedRepeat[] {
    const rows = this.db
      .prepare(
        `SELECT dataset, classifier, params, protocol, repeat, part, seconds, saved_at, bytes
           FROM fit_parts ORDER BY dataset, classifier, params, protocol, repeat, saved_at, part`,
      )
      .all() as (RepeatKey & {
      repeat: number;
      part: string;
      seconds: number;
      saved_at: string;
      bytes: Uint8Array;
    })[];
    const byRepeat = new Map<string, UnfinishedRepeat>();
    const states = new Map<UnfinishedRepeat, Map<string, number | null>>();
    for (const r of rows) {
      const { dataset, classifier, params, protocol, repeat } = r;
      const id = JSON.stringify([dataset, classifier, params, protocol, repeat]);
      let u = byRepeat.get(id);
      if (u === undefined) {
        u = {
          dataset,
          classifier,
          params,
          protocol,
          repeat,
          parts: [],
          checkpoints: [],
          seconds: 0,
          savedAt: '',
        };
        byRepeat.set(id, u);
        states.set(u, new Map());
      }
      u.parts.push(r.part);
      u.seconds = Math.max(u.seconds, r.seconds);
      if (r.saved_at > u.savedAt) u.savedAt = r.saved_at;
      if (r.part.endsWith(STATE_SUFFIX)) {
        const iteration = unpackPart(r.bytes)?.header.iter;
        states.get(u)?.set(r.part, typeof iteration === 'number' ? iteration : null);
      }
    }
    for (const [u, kept] of states) {
      for (const [part, iteration] of kept) {
        if (!u.parts.includes(part.slice(0, -STATE_SUFFIX.length)))
          u.checkpoints.push({ part, iteration });
      }
    }
    return [...byRepeat.values()];
  }

  /** Every fit part the store keeps, ordered by key, repeat and name (see parts-file.ts). */
  allFitParts(): KeptFitPart[] {
    const rows = this.db
      .prepare(
        `SELECT dataset, classifier, params, protocol, repeat, part, data_id, seconds, bytes,
           saved_at FROM fit_parts ORDER BY dataset, classifier, params, protocol, repeat, part`,
      )
      .all() as FitPartRow[];
    return rows.map((r) => ({
      dataset: r.dataset,
      classifier: r.classifier,
      params: r.params,
      protocol: r.protocol,
      repeat: r.repeat,
      part: r.part,
      dataId: r.data_id,
      seconds: r.seconds,
      bytes: new Uint8Array(r.bytes),
      savedAt: r.saved_at,
    }));
  }

  /**
   * Adds fit parts kept elsewhere (another machine's store), in one transaction. A part
   * of a repeat this store has recorded is not added; where the store holds the same part,
   * the copy saved later stays, so an import never moves a run back to an older checkpoint.
   */
  addFitParts(parts: readonly KeptFitPart[]): AddedFitParts {
    const recorded = this.db.prepare(
      `SELECT 1 FROM repeats WHERE dataset = ? AND classifier = ? AND params = ?
         AND protocol = ? AND repeat = ?`,
    );
    const held = this.db.prepare(
      `SELECT saved_at FROM fit_parts WHERE dataset = ? AND classifier = ? AND params = ?
         AND protocol = ? AND repeat = ? AND part = ?`,
    );
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO fit_parts (dataset, classifier, params, protocol, repeat, part,
         data_id, seconds, bytes, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction((ps: readonly KeptFitPart[]): AddedFitParts => {
      let added = 0;
      let ofRecordedRepeats = 0;
      let keptNewer = 0;
      for (const p of ps) {
        const protocol = canonicalProtocol(p.protocol);
        const repeat = [p.dataset, p.classifier, p.params, protocol, p.repeat] as const;
        if (recorded.get(...repeat) !== undefined) {
          ofRecordedRepeats++;
          continue;
        }
        const existing = held.get(...repeat, p.part) as { saved_at: string } | undefined;
        if (existing !== undefined && existing.saved_at >= p.savedAt) {
          keptNewer++;
          continue;
        }
        const bytes = Buffer.from(p.bytes.buffer, p.bytes.byteOffset, p.bytes.length);
        put.run(...repeat, p.part, p.dataId, p.seconds, bytes, p.savedAt);
        added++;
      }
      return { added, ofRecordedRepeats, keptNewer };
    })(parts);
  }

  /** How many fit parts the store holds for a repeat (for tests and diagnostics). */
  fitPartCount(key: RepeatKey, repeat: number): number {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM fit_parts WHERE dataset = ? AND classifier = ? AND params = ?
           AND protocol = ? AND repeat = ?`,
      )
      .get(key.dataset, key.classifier, key.params, canonicalProtocol(key.protocol), repeat) as {
      n: number;
    };
    return row.n;
  }

  /**
   * Moves repeats made by a solver fmnist has since found unfaithful to `superseded_repeats`
   * (today: SVC fits cut by upstream libsvm's iteration cap). Opening a store does this;
   * an import calls it again for the repeats it brought in. Returns how many moved.
   */
  setAsideSuperseded(): number {
    return setAsideCappedSvcRepeats(this.db);
  }

  /** Records many repeats in one transaction: all of them, or none if one is refused. */
  recordAll(records: readonly RepeatRecord[]): void {
    this.db.transaction((rs: readonly RepeatRecord[]) => {
      for (const r of rs) this.record(r);
    })(records);
  }
}

interface FitPartRow extends RepeatKey {
  repeat: number;
  part: string;
  data_id: string;
  seconds: number;
  bytes: Buffer;
  saved_at: string;
}

interface DbRow {
  dataset: string;
  classifier: string;
  params: string;
  protocol: string;
  repeat: number;
  accuracy: number;
  fit_seconds: number;
  predict_seconds: number;
  started_at: string;
  finished_at: string;
  n_train: number;
  n_test: number;
  note: string | null;
  peak_rss_mb: number | null;
}

/**
 * Columns added after schema version 1 shipped, all nullable: a store written by an
 * older fmnist gains them in place (its repeats read as null there), nothing is rewritten.
 */
function addMissingColumns(db: Database.Database): void {
  const have = new Set(
    (db.prepare('PRAGMA table_info(repeats)').all() as { name: string }[]).map((c) => c.name),
  );
  if (!have.has('peak_rss_mb')) db.exec('ALTER TABLE repeats ADD COLUMN peak_rss_mb REAL');
}

/**
 * Rewrites protocols stored by an older fmnist in canonical form (canonicalProtocol), in
 * one transaction. A repeat stored under two repeat caps is one repeat, and a fit part
 * saved under two is one part: the copy saved last stays.
 */
function canonicalizeProtocols(db: Database.Database): void {
  // Each table's key besides the protocol, and the column saying which copy is later.
  const tables = [
    { table: 'repeats', key: ['dataset', 'classifier', 'params', 'repeat'], time: 'finished_at' },
    {
      table: 'fit_parts',
      key: ['dataset', 'classifier', 'params', 'repeat', 'part'],
      time: 'saved_at',
    },
  ];
  db.transaction(() => {
    for (const { table, key, time } of tables) {
      const old = db
        .prepare(`SELECT rowid AS id, * FROM ${table} WHERE protocol LIKE '%repeats<=%'`)
        .all() as (Record<string, string | number> & { id: number; protocol: string })[];
      const clashOf = db.prepare(
        `SELECT rowid AS id, ${time} AS time FROM ${table}
           WHERE protocol = ? AND ${key.map((c) => `${c} = ?`).join(' AND ')}`,
      );
      const drop = db.prepare(`DELETE FROM ${table} WHERE rowid = ?`);
      const update = db.prepare(`UPDATE ${table} SET protocol = ? WHERE rowid = ?`);
      for (const row of old) {
        const protocol = canonicalProtocol(row.protocol);
        const clash = clashOf.get(protocol, ...key.map((c) => row[c])) as
          { id: number; time: string } | undefined;
        if (clash !== undefined) {
          const keepOld = String(row[time]) > clash.time;
          drop.run(keepOld ? clash.id : row.id);
          if (!keepOld) continue;
        }
        update.run(protocol, row.id);
      }
    }
  })();
}

/** SVC notes that only a fit cut by upstream libsvm's iteration cap wrote (fmnist ≤ stop 22). */
const CAPPED_SVC_NOTES = [
  "%solver terminated early (libsvm's cap%",
  '%solver terminated early (max_iter=-1)%',
];

/**
 * SVC repeats whose pairs an older fmnist cut at upstream libsvm's cap of max(10⁷, 100·l)
 * iterations, which scikit-learn's libsvm does not have (max_iter=-1 is no limit): they
 * move, in one transaction, to `superseded_repeats` (nothing is deleted), so the benchmark
 * reruns them with the uncapped solver.
 */
function setAsideCappedSvcRepeats(db: Database.Database): number {
  const columns =
    'dataset, classifier, params, protocol, repeat, accuracy, fit_seconds, predict_seconds, ' +
    'started_at, finished_at, n_train, n_test, note, peak_rss_mb';
  // The repeats table's columns (types taken from it), then why and when a row moved.
  db.exec(`
    CREATE TABLE IF NOT EXISTS superseded_repeats AS
      SELECT ${columns}, '' AS reason, '' AS superseded_at FROM repeats WHERE 0
  `);
  const capped = `classifier = 'SVC' AND (${CAPPED_SVC_NOTES.map(() => 'note LIKE ?').join(' OR ')})`;
  return db.transaction(() => {
    db.prepare(
      `INSERT INTO superseded_repeats (${columns}, reason, superseded_at)
         SELECT ${columns}, ?, ? FROM repeats WHERE ${capped}`,
    ).run(
      "SVC pairs cut at upstream libsvm's max(10⁷, 100·l) iterations; scikit-learn has no such cap",
      new Date().toISOString(),
      ...CAPPED_SVC_NOTES,
    );
    return db.prepare(`DELETE FROM repeats WHERE ${capped}`).run(...CAPPED_SVC_NOTES).changes;
  })();
}

/**
 * Fit parts of a repeat that is recorded help nobody (recording drops them; a copy can
 * outlive that when two runs computed the same repeat under older protocol texts).
 */
function dropPartsOfRecordedRepeats(db: Database.Database): void {
  db.exec(`
    DELETE FROM fit_parts WHERE EXISTS (
      SELECT 1 FROM repeats r WHERE r.dataset = fit_parts.dataset
        AND r.classifier = fit_parts.classifier AND r.params = fit_parts.params
        AND r.protocol = fit_parts.protocol AND r.repeat = fit_parts.repeat)
  `);
}

function fromDb(r: DbRow): RepeatRecord {
  return {
    dataset: r.dataset,
    classifier: r.classifier,
    params: r.params,
    protocol: r.protocol,
    repeat: r.repeat,
    accuracy: r.accuracy,
    fitSeconds: r.fit_seconds,
    predictSeconds: r.predict_seconds,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    nTrain: r.n_train,
    nTest: r.n_test,
    note: r.note,
    peakRssMB: r.peak_rss_mb ?? null,
  };
}
