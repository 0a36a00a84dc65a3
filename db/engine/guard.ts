import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * Keeps a transaction handle from outliving its transaction. A handle kept past the callback (a
 * stored reference, a promise nobody awaited) would otherwise run its query outside the
 * transaction, or on SQLite inside the next caller's: refused instead, loudly.
 */
export class TransactionGuard implements KyselyPlugin {
  private open = true;

  close(): void {
    this.open = false;
  }

  /** Throws once the transaction has ended: for work sent on its connection without a query of Kysely's. */
  check(): void {
    if (!this.open) throw new Error('This transaction has ended; its handle can no longer run queries');
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.check();
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
