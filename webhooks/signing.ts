/**
 * Webhook signatures as the Standard Webhooks specification defines them
 * (https://www.standardwebhooks.com), computed by its maintained library
 * (`standardwebhooks`), not by our own code:
 *   - headers `webhook-id` (the event id, the same on every attempt),
 *     `webhook-timestamp` (Unix seconds of the attempt) and
 *     `webhook-signature` (`v1,<base64 HMAC-SHA256>`; space-separated when
 *     several secrets sign, as during a rotation);
 *   - the signed content is `${id}.${timestamp}.${body}`;
 *   - the key is the base64-decoded part of the `whsec_…` secret.
 * A subscriber verifies with the same library: `new Webhook(secret).verify(body, headers)`.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
  /** ours, beside the specification's: the event type and the attempt number */
  event: 'webhook-event',
  attempt: 'webhook-attempt',
} as const;

/** random key bytes in a secret; the specification asks for 24 to 64 */
export const WEBHOOK_SECRET_BYTES = 32;

/** A secret in the specification's format: `whsec_` + base64 of 32 random bytes. */
export const generateWebhookSecret = () => `whsec_${randomBytes(WEBHOOK_SECRET_BYTES).toString('base64')}`;

/**
 * The `webhook-signature` header for one attempt: `v1,<base64>` per secret,
 * space-separated (the specification's zero-downtime rotation signs with the
 * old and the new secret at once).
 */
export function signWebhook(secrets: string | readonly string[], id: string, timestampSeconds: number, body: string): string {
  const at = new Date(timestampSeconds * 1000);
  return (typeof secrets === 'string' ? [secrets] : secrets).map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}
