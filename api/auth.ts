/**
 * Authentication (bearer tokens; the console's session tokens are bearer
 * tokens too) and the checks every route applies.
 */
import type { NextFunction, Request, Response } from 'express';
import { findUserByToken, type Role, type User } from '../db/users';
import type { Db } from '../db/pool';
import type { ContractRow } from '../db/contracts';
import { AppError } from './errors';

export function bearerTokenOf(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{16,256})$/i.exec(header.trim());
  return match ? match[1]! : null;
}

export function authenticate(db: Db) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = bearerTokenOf(req);
    if (!token) throw new AppError('UNAUTHENTICATED', 'authentication required: send Authorization: Bearer <token>');
    const user = await findUserByToken(db, token);
    if (!user) throw new AppError('UNAUTHENTICATED', 'the bearer token is unknown or revoked');
    res.locals.user = user;
    next();
  };
}

export function requireRole(user: User, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) {
    throw new AppError('FORBIDDEN', `this action needs one of the roles: ${roles.join(', ')} (you are ${user.role})`);
  }
}

/** Customer operators see only their own organisation's contracts; staff see all. */
export function canSeeContract(user: User, contract: Pick<ContractRow, 'partyAName' | 'ownerId'>): boolean {
  if (user.role === 'customer') return user.organisation !== null && user.organisation === contract.partyAName;
  return true;
}

export function assertContractAccess(user: User, contract: Pick<ContractRow, 'partyAName' | 'ownerId'>): void {
  // a contract the caller may not see is reported as absent, not as forbidden
  if (!canSeeContract(user, contract)) throw new AppError('NOT_FOUND', 'contract not found');
}
