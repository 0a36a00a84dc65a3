import { createQueryId, type Compilable, type QueryResult, type RootOperationNode } from 'kysely';
import { keepPrepared } from './postgres.js';
import { dialectOf, type Tx } from './store.js';

/**
 * A query built and compiled once per engine, then run with each call's values (#13).
 *
 * Building a Kysely query (parsing every reference, freezing every node) and compiling it costs more
 * than running it on the local journal: the hot calls (a booking, a journal opened, every access-log
 * row) spent most of their time there, and a new SQL string each time also made the statement
 * cache hash it again. Here the builder runs once with a marker in place of each value; the markers'
 * places in the compiled parameters say where each call's values go, and everything else in them
 * (constants of the query) is kept.
 *
 * The builder must use its values only as values: passed to Kysely, never looked at (no `if`, no
 * text built from them, no `new Set` of an array), so that the query's shape is the same for every
 * value. An array value (a list for `in`) gets a template per length, so a builder may depend on
 * an array's length and on nothing else of it. A builder that looks at a marker produces the wrong shape; under vitest every
 * execution also builds the query from the real values and refuses a difference, so the tests of
 * each channel prove that its reusable queries are the ones it would have built.
 */
export interface ReusableQuery<A extends unknown[], O> {
  /** Every row. */
  all(tx: Tx, ...values: A): Promise<O[]>;
  /** The first row, or undefined. */
  first(tx: Tx, ...values: A): Promise<O | undefined>;
  /** A write: the rows it changed. */
  run(tx: Tx, ...values: A): Promise<number>;
}

interface Template {
  sql: string;
  query: RootOperationNode;
  /** For each bound parameter: which of the caller's values (and which element of an array value), or a constant of the query. */
  slots: ({ value: number; element: number | null } | { constant: unknown })[];
}

const MARKER = '\u0000utvag-value-';
const marker = (index: number, element: number | null) => `${MARKER}${index}${element === null ? '' : `.${element}`}\u0000`;

/** Templates kept per query: one per engine and length of its array values (a list of ids is usually short). */
const TEMPLATES_PER_QUERY = 64;

/** Set under vitest: every execution is checked against the query built from its real values. */
const CHECK_AGAINST_BUILT = Boolean(process.env.VITEST);

export function reusableQuery<A extends unknown[], O>(arity: A['length'], build: (tx: Tx, ...values: A) => Compilable<O>): ReusableQuery<A, O> {
  const templates = new Map<string, Template>();

  const compileTemplate = (tx: Tx, values: A): Template => {
    const markers: Record<string, { value: number; element: number | null }> = {};
    const placeholders = Array.from({ length: arity }, (_, index) => {
      const value = values[index];
      if (Array.isArray(value)) {
        return value.map((_element, element) => {
          markers[marker(index, element)] = { value: index, element };
          return marker(index, element);
        });
      }
      markers[marker(index, null)] = { value: index, element: null };
      return marker(index, null);
    }) as unknown as A;
    const compiled = build(tx, ...placeholders).compile();
    if (compiled.sql.includes(MARKER)) throw new Error('A reusable query put a value into its SQL text');
    const unbound = new Set(Object.keys(markers));
    const slots = compiled.parameters.map((parameter) => {
      if (typeof parameter === 'string' && parameter.includes(MARKER)) {
        const slot = markers[parameter];
        if (!slot) throw new Error('A reusable query changed a value before binding it');
        unbound.delete(parameter);
        return slot;
      }
      return { constant: parameter };
    });
    if (unbound.size > 0) throw new Error('A reusable query left a value unbound');
    return { sql: compiled.sql, query: compiled.query, slots };
  };

  const templateFor = (tx: Tx, values: A): Template => {
    const key = `${dialectOf(tx)}:${values.map((value) => (Array.isArray(value) ? value.length : '')).join(',')}`;
    let template = templates.get(key);
    if (!template) {
      template = compileTemplate(tx, values);
      // On PostgreSQL the same text is kept prepared per connection, its plan reused (postgres.ts).
      if (dialectOf(tx) === 'postgres') keepPrepared(template.sql);
      if (templates.size < TEMPLATES_PER_QUERY) templates.set(key, template);
    }
    return template;
  };

  const execute = async (tx: Tx, values: A): Promise<QueryResult<O>> => {
    if (values.length !== arity) throw new Error(`A reusable query takes ${arity} values`);
    const template = templateFor(tx, values);
    const parameters = template.slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const value = values[slot.value];
      return slot.element === null ? value : (value as unknown[])[slot.element];
    });
    if (CHECK_AGAINST_BUILT) {
      const built = build(tx, ...values).compile();
      if (built.sql !== template.sql || JSON.stringify(built.parameters) !== JSON.stringify(parameters)) {
        throw new Error(`A reusable query differs from the one built from its values:\n${template.sql}\n${built.sql}`);
      }
    }
    const queryId = createQueryId();
    // The handle's plugins see the query as for a built one: the transaction guard refuses a handle kept past its transaction.
    const query = tx.getExecutor().transformQuery(template.query, queryId);
    return tx.executeQuery<O>({ sql: template.sql, parameters, query, queryId });
  };

  return {
    async all(tx, ...values) {
      return (await execute(tx, values)).rows;
    },
    async first(tx, ...values) {
      return (await execute(tx, values)).rows[0];
    },
    async run(tx, ...values) {
      return Number((await execute(tx, values)).numAffectedRows ?? 0n);
    },
  };
}

/** A reusable query whose values are the named fields of one object (reusableQueryOf). */
export interface ReusableQueryOf<V, O> {
  all(tx: Tx, values: V): Promise<O[]>;
  first(tx: Tx, values: V): Promise<O | undefined>;
  run(tx: Tx, values: V): Promise<number>;
}

/**
 * reusableQuery for a builder that takes its values as one object (a row to insert, a search's
 * values): `names` lists the fields the query binds, in the order they are passed on; the builder
 * sees those fields only (the others are absent), each as a value as reusableQuery asks.
 */
export function reusableQueryOf<V extends object, O = unknown>(
  names: readonly (keyof V)[],
  build: (tx: Tx, values: V) => Compilable<O>,
): ReusableQueryOf<V, O> {
  const query = reusableQuery<unknown[], O>(names.length, (tx, ...values) =>
    build(tx, Object.fromEntries(names.map((name, index) => [name, values[index]])) as V),
  );
  const valuesOf = (values: V) => names.map((name) => values[name]);
  return {
    all: (tx, values) => query.all(tx, ...valuesOf(values)),
    first: (tx, values) => query.first(tx, ...valuesOf(values)),
    run: (tx, values) => query.run(tx, ...valuesOf(values)),
  };
}
