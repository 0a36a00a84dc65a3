/**
 * Statements per call: over a network each statement is a round trip, so every channel must run a
 * small number of them whatever the journal's size. The bench counts, for each call it measures,
 * the statements that call ran — every execution of a prepared statement on the journal's
 * connection (Kysely's and the SQLite engine's own, such as a backup's copy), begin, commit and the
 * idle checkpoint not counted — and reports the most any one call of that kind needed.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import type { Figure, Section } from './figures.js';

let executed = 0;
let installed = false;

/** Counts every execution of every statement prepared from now on, in this process (the bench only). */
export function countStatements(): void {
  if (installed) return;
  installed = true;
  const prototype = Database.prototype as unknown as { prepare: (this: unknown, ...args: unknown[]) => Record<string, unknown> };
  const prepare = prototype.prepare;
  prototype.prepare = function countedPrepare(this: unknown, ...args: unknown[]) {
    const statement = prepare.apply(this, args);
    for (const method of ['run', 'get', 'all', 'iterate'] as const) {
      const original = statement[method] as (...values: unknown[]) => unknown;
      statement[method] = function counted(this: { source?: string }, ...values: unknown[]) {
        // The store's checkpoint after an idle moment is no part of the call it happens to fall in.
        if (!this.source?.startsWith('PRAGMA wal_checkpoint')) executed += 1;
        return original.apply(this, values);
      };
    }
    return statement;
  };
}

/** The statements run so far; the difference around a call is that call's count. */
export function statementsSoFar(): number {
  return executed;
}

/** The most statements one call of each kind ran, by the bench's name for the call. */
export class StatementTally {
  private readonly most = new Map<string, number>();

  note(call: string, statements: number): void {
    this.most.set(call, Math.max(this.most.get(call) ?? 0, statements));
  }

  async around<T>(call: string, work: () => Promise<T>): Promise<T> {
    const before = executed;
    try {
      return await work();
    } finally {
      this.note(call, executed - before);
    }
  }

  /** { weekView: 3, booking: 8, … } for the JSON's figures.statements. */
  toObject(): Record<string, number> {
    return Object.fromEntries([...this.most].sort(([a], [b]) => a.localeCompare(b)));
  }

  section(): Section {
    const figures: Figure[] = [...this.most]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([call, count]) => ({
        key: `statements.${call}`,
        label: `Statements per call: ${call}, most in one call`,
        value: count,
        unit: 'statements' as const,
      }));
    return { title: 'Statements per call (each one a round trip over a network)', figures };
  }
}
