/**
 * The payload codec: every payload the worker and the API's client send to
 * Temporal (workflow and activity inputs and results, updates, signals,
 * queries, their results, schedules' arguments) is encrypted with AES-256-GCM
 * before it leaves the process, so Temporal's history, its database and
 * whoever reads them through port 7233 or the web UI see ciphertext: the
 * contract's terms, contact names and phones, bank accounts, SMS recipients.
 *
 * - Encrypted payload: metadata `encoding: binary/encrypted`,
 *   `encryption-cipher: AES-256-GCM`, `encryption-key-id: <id>`; data is a
 *   12-byte random IV, the ciphertext of the original payload (its protobuf
 *   encoding, metadata included) and the 16-byte tag. The key id and the
 *   encoding are authenticated data: a payload cannot be relabelled.
 * - Keys (platform/config.ts PAYLOAD_KEY, PAYLOAD_PREVIOUS_KEYS;
 *   platform/payload-key.ts): the current key encrypts, any known key decrypts
 *   what carries its id, so keys rotate without breaking a running workflow.
 * - A payload without the `binary/encrypted` encoding decodes as it is:
 *   histories recorded before the codec (test/histories/) and workflows started
 *   then still replay and run on.
 *
 * The codec runs outside the workflow sandbox (the worker decodes activations
 * before they reach it, encodes completions after), so the workflows and their
 * determinism are untouched. Not encrypted (no codec sees them): workflow ids
 * and types, activity types, timer and task queue names, search attributes
 * (none are used), headers (the actor assertion: an HMAC and a moment) and
 * failure messages and stack traces (docs/security.md).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from './config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const PAYLOAD_CIPHER = 'AES-256-GCM';
export const METADATA_CIPHER = 'encryption-cipher';
export const METADATA_KEY_ID = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export type PayloadKeyRing = { current: PayloadKey; previous: PayloadKey[] };

/** A payload the codec cannot decrypt: an unknown key id, or ciphertext that does not authenticate. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export const isEncryptedPayload = (payload: Payload): boolean => text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;

const additionalData = (keyId: string) => Buffer.from(`${ENCRYPTED_ENCODING};${PAYLOAD_CIPHER};${keyId}`, 'utf8');

export function createPayloadCodec(ring: PayloadKeyRing): PayloadCodec {
  const keys = new Map<string, Buffer>();
  for (const k of [ring.current, ...ring.previous]) {
    if (k.key.length !== 32) throw new Error(`payload key "${k.id}" must be 32 bytes (AES-256), not ${k.key.length}`);
    if (keys.has(k.id)) throw new Error(`payload key id "${k.id}" is used twice`);
    keys.set(k.id, k.key);
  }
  const current = ring.current;

  const encrypt = (payload: Payload): Payload => {
    const plaintext = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(current.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [METADATA_CIPHER]: utf8(PAYLOAD_CIPHER), [METADATA_KEY_ID]: utf8(current.id) },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  };

  const decrypt = (payload: Payload): Payload => {
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const cipherName = text(payload.metadata?.[METADATA_CIPHER]);
    if (cipherName !== undefined && cipherName !== PAYLOAD_CIPHER) throw new PayloadDecryptionError(`payload encrypted with ${cipherName}; this codec knows ${PAYLOAD_CIPHER} only`);
    const key = keyId === undefined ? undefined : keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `payload encrypted with key id "${keyId ?? '(none)'}", which is neither PAYLOAD_KEY's (${current.id}) nor among PAYLOAD_PREVIOUS_KEYS: add that key to PAYLOAD_PREVIOUS_KEYS`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`encrypted payload (key id "${keyId}") is too short to hold an IV and a tag`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(keyId!));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`encrypted payload (key id "${keyId}") does not authenticate: it was altered, or encrypted with another key under the same id`);
    }
    return temporal.api.common.v1.Payload.decode(plaintext);
  };

  return {
    encode: async (payloads) => payloads.map(encrypt),
    decode: async (payloads) => payloads.map((p) => (isEncryptedPayload(p) ? decrypt(p) : p)),
  };
}

/** The data converter of every client and worker of the product: the default payload converter, then the codec. */
export function encryptingDataConverter(ring: PayloadKeyRing): DataConverter {
  return { payloadCodecs: [createPayloadCodec(ring)] };
}
