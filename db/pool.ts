/**
 * The single database module: a pool, `query`, and `withTransaction(fn)` over
 * one checked-out client. Every repository takes a `Queryable`, so the same
 * function runs inside or outside a transaction.
 */
import pg from 'pg';

// DATE columns stay 'YYYY-MM-DD' strings: a due date never shifts by a time zone.
pg.types.setTypeParser(1082, (value) => value);
// BIGINT counts fit in a JS number here (fen amounts and row counts).
pg.types.setTypeParser(20, (value) => Number(value));

export type Queryable = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
};

export type Db = Queryable & {
  pool: pg.Pool;
  withTransaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

export type DbOptions = {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** run every session as this role (the `role` setting at connection start): the application's own, least-privileged role; a plain identifier */
  role?: string;
  /**
   * Told how long each wait for a pooled connection and each statement took
   * (ms): what the API's request timings add up (api/request-timing.ts).
   */
  onTiming?: (phase: 'db-wait' | 'db', ms: number) => void;
};

export function createDb(options: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'sms-contracts',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // every session acts as the application's role from its first statement on
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => undefined);


  const onTiming = options.onTiming;
  /** a pooled connection, with the wait for it told */
  const checkout = async () => {
    if (!onTiming) return pool.connect();
    const t = performance.now();
    const client = await pool.connect();
    onTiming('db-wait', performance.now() - t);
    return client;
  };
  const timed = async <R extends pg.QueryResultRow>(run: () => Promise<pg.QueryResult<R>>) => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      onTiming!('db', performance.now() - t);
    }
  };

  return {
    pool,
    query: onTiming
      ? async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
          // pool.query's own steps (check out, run, release), with the wait and the statement told apart
          const client = await checkout();
          let broken: Error | undefined;
          try {
            return await timed(() => client.query<R>(text, values));
          } catch (error) {
            if (isDatabaseUnavailable(error)) broken = error as Error;
            throw error;
          } finally {
            client.release(broken);
          }
        }
      : (text, values) => pool.query(text, values),
    async withTransaction(fn) {
      const client = await checkout();
      // A connection lost while checked out (a server restart between two statements) is an 'error'
      // event on the client, not on the pool: without a listener it would crash the process. The next
      // statement fails instead, the transaction is abandoned, and the broken client is destroyed.
      const lost = () => undefined;
      client.on('error', lost);
      let broken: Error | undefined;
      const tx: Queryable = onTiming ? { query: (text, values) => timed(() => client.query(text, values)) } : client;
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (error) {
        if (isDatabaseUnavailable(error)) broken = error as Error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', lost);
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

/** True for errors that mean "the database is not reachable right now" (→ 503, retry). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006'].includes(e.code)) {
    return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e.message ?? '');
}

/** True for a transaction Postgres ended to resolve a conflict (deadlock, serialization failure): the same request may simply be retried (→ 503). */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}
