/**
 * A staff member's contact details outside the console (users.email,
 * users.phone): where their work items and digest are e-mailed and texted
 * (db/staff-deliveries.ts). Customer operators have none: nothing is
 * addressed to Party A's staff.
 */
import type { StaffContact } from '../domain/staff-notices';
import type { Queryable } from './pool';

export type StaffContactRow = StaffContact & { id: string; name: string; role: string };

/**
 * Sets the fields given (undefined keeps one, null clears it) of an active
 * staff user; null when there is no such user. Returns the contact before and after.
 */
export async function setStaffContact(
  db: Queryable,
  input: { userId: string; email?: string | null | undefined; phone?: string | null | undefined },
): Promise<{ before: StaffContact; after: StaffContactRow } | null> {
  const { rows } = await db.query(
    `UPDATE users u SET email = CASE WHEN $2::boolean THEN $3 ELSE u.email END, phone = CASE WHEN $4::boolean THEN $5 ELSE u.phone END
       FROM users old
      WHERE u.id = $1 AND old.id = u.id AND u.role <> 'customer' AND u.deactivated_at IS NULL
     RETURNING u.id, u.name, u.role, u.email, u.phone, old.email AS old_email, old.phone AS old_phone`,
    [input.userId, input.email !== undefined, input.email ?? null, input.phone !== undefined, input.phone ?? null],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    before: { email: row.old_email ?? null, phone: row.old_phone ?? null },
    after: { id: row.id, name: row.name, role: row.role, email: row.email ?? null, phone: row.phone ?? null },
  };
}

export async function findStaffContact(db: Queryable, userId: string): Promise<StaffContactRow | null> {
  const { rows } = await db.query(`SELECT id, name, role, email, phone FROM users WHERE id = $1`, [userId]);
  const row = rows[0];
  return row ? { id: row.id, name: row.name, role: row.role, email: row.email ?? null, phone: row.phone ?? null } : null;
}
