/**
 * What the digest routes answer, as types only (no runtime code): the web
 * console imports them (`import type`).
 */
import type { Digest } from '../../db/digests';

/** GET /api/digests/latest: the latest renewal digest as stored (a sales user gets their own group only). */
export type DigestView = Digest;

/** GET /api/digests: the latest digest the caller may see (null before the first one) and when the next is made. */
export type DigestOverview = { latest: DigestView | null; nextRunAt: string };
