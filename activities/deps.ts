import type { Client } from '@temporalio/client';
import type { BillingSystem } from '../billing';
import type { Db } from '../db/pool';
import type { Logger } from '../platform/logger';

export type ActivityDeps = {
  db: Db;
  /** defaults to the built-in ledger */
  billing?: BillingSystem;
  logger?: Logger;
  /** to start and cancel the workflows a contract spawns */
  temporal?: Client;
};
