/**
 * The payload codec's keys (platform/payload-codec.ts): PAYLOAD_KEY (id:base64
 * of 32 bytes), required in production, and PAYLOAD_PREVIOUS_KEYS. Elsewhere,
 * when PAYLOAD_KEY is unset, a random key kept in DATA_DIR/payload.key
 * (created once, mode 0600, a random id), which every process of one checkout
 * shares.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, PAYLOAD_KEY_BYTES, type Config } from './config';
import type { PayloadKeyRing } from './payload-codec';

export function loadPayloadKeys(config: Pick<Config, 'env' | 'dataDir' | 'payloadKeys'>): PayloadKeyRing {
  const { current, previous } = config.payloadKeys;
  if (current) return { current, previous };
  if (config.env === 'production') {
    throw new ConfigError(
      'Invalid configuration:\n  PAYLOAD_KEY: required in production (the key every Temporal payload is encrypted with, the same for the API and the worker: <key id>:<base64 of 32 bytes>, e.g. k1:$(openssl rand -base64 32))',
    );
  }
  const file = join(config.dataDir, 'payload.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    try {
      writeFileSync(file, `dev-${randomBytes(4).toString('hex')}:${randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  // the file's content read as PAYLOAD_KEY would be: one parser, one set of errors
  const fromFile = loadConfig({ PAYLOAD_KEY: readFileSync(file, 'utf8').trim() }).payloadKeys.current;
  if (!fromFile) throw new ConfigError(`Invalid configuration:\n  PAYLOAD_KEY: unset, and ${file} holds no key`);
  return { current: fromFile, previous };
}
