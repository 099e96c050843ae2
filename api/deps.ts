import type { Client } from '@temporalio/client';
import type { Db } from '../db/pool';
import type { Logger } from '../platform/logger';

export type AppDeps = {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  bodyLimit: string;
  /** how long GET /api/contracts/:id waits for a live workflow query before serving the read model */
  queryTimeoutMs: number;
  /** the key (hex) every update the API sends is signed with (platform/actor-key.ts, domain/actor-assertion.ts) */
  actorAssertionKey: string;
  /** how long a token issued through the API works (TOKEN_TTL_DAYS); 90 days when unset */
  tokenTtlMs?: number;
  /** the Temporal server's clock, when it is not the wall clock (the time-skipping test server) */
  temporalClock?: () => Promise<number>;
};
