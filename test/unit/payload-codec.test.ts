/**
 * The payload codec (platform/payload-codec.ts): AES-256-GCM over each whole
 * payload, the key id in its metadata; the current key encrypts, any known key
 * decrypts; plain payloads (recorded before the codec) pass through; an
 * altered or relabelled payload, or one under an unknown key, is refused.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createPayloadCodec, ENCRYPTED_ENCODING, isEncryptedPayload, METADATA_KEY_ID, PayloadDecryptionError } from '../../platform/payload-codec';

const k = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

const VALUE = { partyA: { name: '内蒙古自治区地震局', contact: { name: '李联系', phone: '13800000001' } } };
const plain = (): Payload => defaultPayloadConverter.toPayload(VALUE);

describe('the payload codec', () => {
  it('encrypts a payload whole (its metadata too) under the current key id, and decrypts it back exactly', async () => {
    const codec = createPayloadCodec({ current: k('k1', 1), previous: [] });
    const [encrypted] = await codec.encode([plain()]);
    expect(text(encrypted!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata![METADATA_KEY_ID])).toBe('k1');
    expect(text(encrypted!.metadata!['encryption-cipher'])).toBe('AES-256-GCM');
    expect(Object.keys(encrypted!.metadata!)).not.toContain('json');
    const bytes = Buffer.from(encrypted!.data!);
    for (const secret of ['内蒙古自治区地震局', '李联系', '13800000001', 'json/plain']) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    const [decrypted] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decrypted!)).toEqual(VALUE);
    expect(text(decrypted!.metadata!.encoding)).toBe('json/plain');
  });

  it('uses a fresh IV each time: the same payload never encrypts the same twice', async () => {
    const codec = createPayloadCodec({ current: k('k1', 1), previous: [] });
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('passes payloads without the encryption marker through (histories recorded before the codec)', async () => {
    const codec = createPayloadCodec({ current: k('k1', 1), previous: [] });
    const p = plain();
    const [out] = await codec.decode([p]);
    expect(out).toBe(p);
    expect(isEncryptedPayload(p)).toBe(false);
    expect(await codec.decode([])).toEqual([]);
  });

  it('rotates: a new current key encrypts, the previous one still decrypts, and a key dropped from the ring is named', async () => {
    const before = createPayloadCodec({ current: k('k1', 1), previous: [] });
    const [old] = await before.encode([plain()]);
    const rotated = createPayloadCodec({ current: k('k2', 2), previous: [k('k1', 1)] });
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old!]))[0]!)).toEqual(VALUE);
    const [fresh] = await rotated.encode([plain()]);
    expect(text(fresh!.metadata![METADATA_KEY_ID])).toBe('k2');
    const after = createPayloadCodec({ current: k('k2', 2), previous: [] });
    expect(defaultPayloadConverter.fromPayload((await after.decode([fresh!]))[0]!)).toEqual(VALUE);
    await expect(after.decode([old!])).rejects.toThrow(PayloadDecryptionError);
    await expect(after.decode([old!])).rejects.toThrow(/key id "k1", which is neither PAYLOAD_KEY's \(k2\) nor among PAYLOAD_PREVIOUS_KEYS/);
  });

  it('refuses an altered payload, one relabelled with another known key id, and another key under the same id', async () => {
    const codec = createPayloadCodec({ current: k('k1', 1), previous: [k('k0', 0)] });
    const [encrypted] = await codec.encode([plain()]);
    const altered = Buffer.from(encrypted!.data!);
    altered[20] = altered[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data: altered }])).rejects.toThrow(/does not authenticate/);
    const relabelled = { ...encrypted!, metadata: { ...encrypted!.metadata, [METADATA_KEY_ID]: Buffer.from('k0') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/does not authenticate/);
    const impostor = createPayloadCodec({ current: k('k1', 7), previous: [] });
    await expect(impostor.decode([encrypted!])).rejects.toThrow(/does not authenticate/);
    await expect(codec.decode([{ ...encrypted!, data: Buffer.alloc(10) }])).rejects.toThrow(/too short/);
  });

  it('refuses a ring with a short key or an id used twice', () => {
    expect(() => createPayloadCodec({ current: { id: 'k1', key: Buffer.alloc(16) }, previous: [] })).toThrow(/32 bytes/);
    expect(() => createPayloadCodec({ current: k('k1', 1), previous: [k('k1', 2)] })).toThrow(/used twice/);
  });
});
