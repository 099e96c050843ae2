import type { Db } from '../db/pool';
import type { Logger } from '../platform/logger';

export type ActivityDeps = {
  db: Db;
  logger?: Logger;
};
