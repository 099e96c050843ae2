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
};
