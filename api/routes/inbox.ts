/**
 * The work queue (domain/work-items.ts): a person's inbox of the
 * alerts and decisions waiting for them or their role, its unread count (the
 * console's badge), and acknowledging and closing an item. Items are raised
 * and closed by what happens in the system (db/work-items.ts); here a person
 * only reads and acts, each act audited (services/inbox.ts).
 */
import { z } from 'zod';
import type { Actor } from '../../domain/contract';
import { refusal } from '../../domain/error-reasons';
import { WORK_ITEM_FILTERS, type WorkItemAction } from '../../domain/work-items';
import type { User } from '../../db/users';
import { actOnWorkItem, inboxOf, unreadCountOf } from '../../services/inbox';
import type { AppDeps } from '../deps';
import { defineRoute } from '../http';
import type { InboxView, UnreadCountView, WorkItemView } from './inbox.types';

const ALL = ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'] as const;
const STAFF = ['sales', 'legal', 'finance', 'operations', 'admin'] as const;

const ZInboxQuery = z.strictObject({
  state: z.enum(WORK_ITEM_FILTERS).default('unfinished'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const ownerOf = (user: User) => ({ userId: user.id, role: user.role });
const actorOf = (user: User, requestId: string): Actor => ({ id: user.id, role: user.role, requestId });

/** The path's item id: a positive whole number, or no such item. */
function itemIdOf(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) throw refusal('record.not_found', { kind: 'work_item' }, `work item ${raw ?? ''} not found in your inbox`);
  return id;
}

export function inboxRoutes(deps: AppDeps) {
  const act = (action: WorkItemAction, summary: string) =>
    defineRoute({
      method: 'post',
      path: `/api/inbox/:id/${action === 'acknowledge' ? 'acknowledge' : 'close'}`,
      roles: STAFF,
      summary,
      // nothing to send: no body, or an empty object
      body: z.strictObject({}).optional(),
      handler: async ({ params, user, requestId }): Promise<WorkItemView> =>
        actOnWorkItem(deps.db, { id: itemIdOf(params.id), action, actor: actorOf(user, requestId), at: new Date().toISOString() }),
    });

  return [
    defineRoute({
      method: 'get',
      path: '/api/inbox',
      roles: ALL,
      summary: "the caller's work items and their role's (state: unfinished (default), open, acknowledged, done, all), soonest due first, with the unread count; a customer operator's is empty",
      query: ZInboxQuery,
      handler: async ({ user, query }): Promise<InboxView> => inboxOf(deps.db, ownerOf(user), query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/inbox/unread-count',
      roles: ALL,
      summary: "how many of the caller's work items (theirs and their role's) are open and not yet acknowledged",
      handler: async ({ user }): Promise<UnreadCountView> => ({ unread: await unreadCountOf(deps.db, ownerOf(user)) }),
    }),
    act('acknowledge', 'acknowledges an open work item addressed to the caller or their role (404 if it is not; 409 INVALID_STATE unless it is open)'),
    act('close', 'closes a work item addressed to the caller or their role as done (404 if it is not; 409 INVALID_STATE when it is done already)'),
  ];
}
