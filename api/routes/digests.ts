import type { Response } from 'express';
import { calendarDeadlines, latestDigest, type Digest } from '../../db/digests';
import type { User } from '../../db/users';
import type { DeadlineKind } from '../../domain/contract';
import { toIcs } from '../../domain/ics';
import { nextShanghaiClock } from '../../domain/time';
import { DIGEST_AT } from '../../workflows/renewal-digest';
import type { DigestOverview } from './digests.types';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { organisationScopeOf, ownerScopeOf } from '../policy';
import { defineRoute } from '../http';

/** Every deadline kind's name in a calendar event (a new kind does not compile without one). */
const KIND_LABELS: Record<DeadlineKind, string> = {
  signing: '签署期限',
  payment: '付款期限',
  renewal_objection: '续约异议截止',
  term_end: '合同期限届满',
  cure: '违约纠正期限',
  negotiation: '协商期限',
  outage_notice: '中断通知期限',
  violation_report: '违规报告期限',
  force_majeure_proof: '不可抗力证明期限',
  delivery_confirmation: '业务受理单确认期限',
  rectification: '整改期限',
  sms_review: '短信签名/模板审核期限',
};

/** A sales user sees their own group of the digest and their team's; the other roles see all of it. */
const scoped = (digest: Digest, user: User): Digest => {
  const owners = ownerScopeOf(user);
  return owners ? { ...digest, groups: digest.groups.filter((g) => owners.includes(g.ownerId)) } : digest;
};

/** When the schedule makes the next digest (services/workflow-starts.ts), as HH:MM Beijing time. */
const DIGEST_CLOCK_TEXT = `${String(DIGEST_AT.hour).padStart(2, '0')}:${String(DIGEST_AT.minute).padStart(2, '0')}`;

export function digestRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/digests',
      roles: ['sales', 'legal', 'finance', 'admin'],
      summary: 'the latest daily renewal digest, or none yet, and when the next one is made (09:00 Asia/Shanghai)',
      handler: async ({ user }): Promise<DigestOverview> => {
        const digest = await latestDigest(deps.db);
        return { latest: digest ? scoped(digest, user) : null, nextRunAt: nextShanghaiClock(new Date(), DIGEST_CLOCK_TEXT).toISOString() };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/digests/latest',
      roles: ['sales', 'legal', 'finance', 'admin'],
      summary: 'the latest daily renewal digest (a sales user sees their own group and their team\'s)',
      handler: async ({ user }) => {
        const digest = await latestDigest(deps.db);
        if (!digest) throw new AppError('NOT_FOUND', 'no digest has been generated yet; the schedule runs daily at 09:00 Asia/Shanghai');
        return scoped(digest, user);
      },
    }),

    defineRoute({
      method: 'get',
      path: '/api/calendar.ics',
      roles: ['sales', 'legal', 'finance', 'customer', 'operations', 'admin'],
      summary: 'every open deadline the caller may see, as an iCalendar feed (calendar apps subscribe to /api/calendar/<token>.ics instead)',
      handler: async ({ user, res, req }) => {
        sendDeadlineCalendar(res, await deadlineCalendar(deps, user, `${req.protocol}://${req.get('host')}`), 'attachment');
        return undefined;
      },
    }),
  ];
}

/** The iCalendar of every open deadline the user may see (a sales user: their contracts and their team's; a customer operator: their organisation's; others: all). */
export async function deadlineCalendar(deps: AppDeps, user: User, base: string): Promise<string> {
  const scope = user.role === 'sales' ? { ownerIds: ownerScopeOf(user) } : user.role === 'customer' ? { organisation: organisationScopeOf(user) } : {};
  const rows = await calendarDeadlines(deps.db, scope);
  return toIcs(
    '合同期限',
    rows.map((r) => ({
      uid: `${r.id}@sms-contracts`,
      due: r.dueAt,
      updatedAt: r.updatedAt,
      summary: `${KIND_LABELS[r.kind as DeadlineKind] ?? r.kind}：${r.contractNumber}（${r.partyA}）`,
      description: r.explanation,
      tentative: r.provisional,
      url: `${base}/contracts/${r.contractId}`,
    })),
    new Date().toISOString(),
  );
}

export function sendDeadlineCalendar(res: Response, ics: string, disposition: 'attachment' | 'inline'): void {
  res.status(200).type('text/calendar; charset=utf-8').set('Content-Disposition', `${disposition}; filename="deadlines.ics"`).send(ics);
}
