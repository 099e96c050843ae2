/**
 * Webhook signatures: HMAC-SHA256 with the subscription's secret over
 * `${timestamp}.${body}` (timestamp in Unix seconds, body the exact bytes
 * sent), hex-encoded, sent as `Webhook-Signature: v1=<hex>` beside
 * `Webhook-Timestamp` and `Webhook-Id` (the event id to deduplicate on).
 * Receivers recompute it, compare in constant time and refuse timestamps
 * older than their tolerance (replays).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  event: 'webhook-event',
  attempt: 'webhook-attempt',
} as const;

export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export type VerifyWebhookOptions = { toleranceSeconds?: number; now?: number };

/** True when the signature matches and the timestamp is within the tolerance (5 minutes by default). */
export function verifyWebhook(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, options: VerifyWebhookOptions = {}): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  return headers.signature
    .split(/\s*,\s*|\s+/)
    .map((candidate) => Buffer.from(candidate))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}
