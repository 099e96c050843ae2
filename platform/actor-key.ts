/**
 * The key the API signs updates with and the worker's workflows check them
 * with (domain/actor-assertion.ts): ACTOR_ASSERTION_KEY (base64, ≥ 32 bytes),
 * required in production. Elsewhere, when unset, a random key kept in
 * DATA_DIR/actor-assertion.key (created once, mode 0600), which every process
 * of one checkout shares.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSERTION_KEY_BYTES } from '../domain/actor-assertion';
import { ConfigError, type Config } from './config';

/** The key as hex. */
export function loadActorAssertionKey(config: Pick<Config, 'env' | 'dataDir' | 'actorAssertionKey'>): string {
  if (config.actorAssertionKey) return config.actorAssertionKey;
  if (config.env === 'production') {
    throw new ConfigError('Invalid configuration:\n  ACTOR_ASSERTION_KEY: required in production (base64 of 32 random bytes, the same for the API and the worker: openssl rand -base64 32)');
  }
  const file = join(config.dataDir, 'actor-assertion.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(ASSERTION_KEY_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
