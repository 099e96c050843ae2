/**
 * A staff member's contact details outside the console: the e-mail address
 * and mobile number their work items and daily digest are sent to
 * (activities/staff-deliveries.ts). Set by an admin, audited with the values
 * masked.
 */
import { appendAudit } from '../../db/audit';
import { setStaffContact } from '../../db/staff-contacts';
import { refusal } from '../../domain/error-reasons';
import { maskStaffContact, ZStaffContactRequest } from '../../domain/staff-notices';
import type { AppDeps } from '../deps';
import { defineRoute } from '../http';

export function staffContactRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'put',
      path: '/api/users/:id/contact',
      roles: ['admin'],
      summary:
        "set a staff member's e-mail address and mobile number (E.164; any written shape of a mainland mobile), where their work items and daily digest are e-mailed and texted; a field left out is kept, null clears it",
      body: ZStaffContactRequest,
      handler: async ({ params, body, user, requestId }) => {
        const changed = await deps.db.withTransaction(async (tx) => {
          const result = await setStaffContact(tx, { userId: params.id!, email: body.email, phone: body.phone });
          if (result) {
            await appendAudit(tx, {
              type: 'user.contact_set',
              actor: { id: user.id, role: user.role, requestId },
              before: maskStaffContact(result.before),
              after: maskStaffContact(result.after),
              data: { userId: result.after.id },
            });
          }
          return result;
        });
        if (!changed) throw refusal('record.not_found', { kind: 'user' }, `no active staff user ${params.id}`);
        return changed.after;
      },
    }),
  ];
}
