/**
 * Who sends an update to a workflow is proven, not claimed: the API signs
 * each update it sends (workflow id, update name, the moment, and the
 * arguments, which carry the actor) with a key only the API and the worker
 * hold, in the update's `actor-assertion` header; the workflow's inbound
 * interceptor (workflows/interceptors.ts) refuses an update whose header is
 * missing, forged, for another workflow or update, for other arguments, or
 * older than a few minutes. Someone who reaches the Temporal frontend can
 * still send updates, but none of them is accepted.
 *
 * HMAC-SHA256 from @noble/hashes: pure JavaScript, so the same code runs in
 * the API and inside the workflow sandbox (no Node built-ins there).
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { hexToBytes } from '@noble/hashes/utils';
import { stableStringify } from './stable-json';

export const ACTOR_ASSERTION_HEADER = 'actor-assertion';

/** How far the moment of an assertion may lie from the workflow's clock. */
export const ASSERTION_MAX_SKEW_MS = 5 * 60_000;

/** The smallest key accepted: 32 bytes (256 bits), as HMAC-SHA256 wants. */
export const ASSERTION_KEY_BYTES = 32;

export type ActorAssertion = { issuedAt: number; mac: string };

type Signed = { workflowId: string; updateName: string; args: readonly unknown[]; issuedAt: number };

const encoder = new TextEncoder();

const message = ({ workflowId, updateName, args, issuedAt }: Signed) => encoder.encode(`v1\n${workflowId}\n${updateName}\n${issuedAt}\n${stableStringify(args)}`);

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** The key from its hex form (as platform/actor-key.ts hands it to the API and the worker's bundle). */
export function assertionKeyFromHex(hex: string): Uint8Array {
  const key = hex.length > 0 && /^[0-9a-f]+$/i.test(hex) && hex.length % 2 === 0 ? hexToBytes(hex) : new Uint8Array();
  if (key.length < ASSERTION_KEY_BYTES) throw new RangeError(`the actor assertion key must be at least ${ASSERTION_KEY_BYTES} bytes`);
  return key;
}

export function signAssertion(key: Uint8Array, signed: Signed): ActorAssertion {
  return { issuedAt: signed.issuedAt, mac: toHex(hmac(sha256, key, message(signed))) };
}

/** Why the assertion is refused, or null when it holds. Constant-time comparison of the MAC. */
export function checkAssertion(key: Uint8Array, assertion: unknown, signed: Omit<Signed, 'issuedAt'>, now: number): string | null {
  if (!assertion || typeof assertion !== 'object') return 'the update carries no actor assertion';
  const { issuedAt, mac } = assertion as Partial<ActorAssertion>;
  if (typeof issuedAt !== 'number' || typeof mac !== 'string') return 'the actor assertion is malformed';
  if (Math.abs(now - issuedAt) > ASSERTION_MAX_SKEW_MS) return 'the actor assertion has expired';
  const expected = signAssertion(key, { ...signed, issuedAt }).mac;
  let diff = expected.length ^ mac.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (mac.charCodeAt(i) || 0);
  return diff === 0 ? null : 'the actor assertion does not match this update';
}
