import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../../db/audit';
import { issueToken, ROLES, upsertUser } from '../../db/users';
import type { AppDeps } from '../deps';
import { defineRoute } from '../http';

export const ZCreateUserRequest = z
  .strictObject({
    name: z.string().trim().min(1).max(64),
    role: z.enum(ROLES),
    /** customer operators: the party A organisation they act for (its exact name) */
    organisation: z.string().trim().min(1).max(128).optional(),
  })
  .refine((u) => u.role !== 'customer' || u.organisation, { path: ['organisation'], message: 'is required for a customer operator' });

export function userRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/me',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      summary: 'who the token belongs to',
      handler: async ({ user }) => user,
    }),
    defineRoute({
      method: 'post',
      path: '/api/users',
      roles: ['admin'],
      summary: 'create a user and issue its first API token (shown once)',
      body: ZCreateUserRequest,
      secrets: ['token'],
      handler: async ({ body, user, res, requestId }) => {
        const id = `u-${randomUUID()}`;
        const created = { id, name: body.name, role: body.role, organisation: body.organisation ?? null };
        const token = await deps.db.withTransaction(async (tx) => {
          await upsertUser(tx, created);
          await appendAudit(tx, { type: 'user.created', actor: { id: user.id, role: user.role, requestId }, after: created });
          return issueToken(tx, id, 'issued on creation');
        });
        res.status(201);
        return { user: created, token };
      },
    }),
  ];
}
