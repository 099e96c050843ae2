/**
 * What the work-queue routes answer, as types only (no runtime code): the web
 * console imports them (`import type`); each is defined once, in
 * services/inbox.types.ts (types only too).
 */
import type { Inbox, WorkItem } from '../../services/inbox.types';

/** One work item (POST /api/inbox/:id/acknowledge and /close answer the item as it now is). */
export type WorkItemView = WorkItem;

/** GET /api/inbox */
export type InboxView = Inbox;

/** GET /api/inbox/unread-count: the console's badge. */
export type UnreadCountView = { unread: number };
