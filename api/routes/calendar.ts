/**
 * The legal calendar: the years with their status and provenance, a year's
 * days, and a State Council notice entered (or previewed with ?dryRun=true)
 * in our shape or in the community's per-year holiday-cn JSON.
 */
import { z } from 'zod';
import { fromHolidayCn, type Notice } from '../../domain/calendar-notice';
import { AppError } from '../../domain/errors';
import { ROLES } from '../../db/users';
import { enterCalendarNotice, getCalendarYear, listCalendarYears } from '../../services/calendar';
import type { AppDeps } from '../deps';
import { defineRoute, parseWith } from '../http';

const ZLocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const ZName = z.string().trim().min(1, 'must not be empty').max(32, 'must be at most 32 characters');

const ZNoticeBody = z.strictObject({
  source: z.strictObject({
    title: z.string().trim().min(1, 'must name the notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知').max(200),
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500).optional(),
    documentNumber: z.string().trim().min(1).max(64).optional(),
    publishedAt: ZLocalDate,
  }),
  days: z.array(z.strictObject({ date: ZLocalDate, kind: z.enum(['rest', 'work']), name: ZName })).min(1, 'a notice names at least one day').max(120),
});

const ZHolidayCnBody = z.object({
  year: z.number().int(),
  papers: z.array(z.string().max(500)).max(10),
  days: z.array(z.object({ name: ZName, date: ZLocalDate, isOffDay: z.boolean() })).min(1, 'a notice names at least one day').max(120),
});

const ZYearParam = z.coerce.number({ error: 'must be a year' }).int('must be a year').min(2004, 'the calendar starts with 2004').max(2100, 'the calendar ends with 2100');

const ZNoticeQuery = z.object({
  dryRun: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
  /** for a holiday-cn body, which does not carry it */
  publishedAt: ZLocalDate.optional(),
});

const yearOf = (params: Record<string, string>): number => {
  const parsed = ZYearParam.safeParse(params.year);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `path is invalid`, { issues: [{ path: 'path.year', message: parsed.error.issues[0]!.message }] });
  return parsed.data;
};

function noticeOf(year: number, body: Record<string, unknown>, publishedAt: string | undefined): Notice {
  if (!('papers' in body)) return parseWith(ZNoticeBody, body, 'body');
  const file = parseWith(ZHolidayCnBody, body, 'body');
  if (file.year !== year) throw new AppError('VALIDATION_FAILED', 'body is invalid', { issues: [{ path: 'body.year', message: `is ${file.year}, but the path is for ${year}` }] });
  return fromHolidayCn(file, publishedAt);
}

export function calendarRoutes(deps: AppDeps) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/holiday-calendar',
      roles: ROLES,
      summary: 'the calendar years: official (a State Council notice, or the bundled data) or provisional (statutory holidays only), with provenance',
      handler: async () => ({ years: await listCalendarYears(deps, Date.now()) }),
    }),

    defineRoute({
      method: 'get',
      path: '/api/holiday-calendar/:year',
      roles: ROLES,
      summary: "a calendar year's rest days and make-up working days, its provenance and its recounts",
      handler: async ({ params }) => getCalendarYear(deps, yearOf(params)),
    }),

    defineRoute({
      method: 'put',
      path: '/api/holiday-calendar/:year',
      roles: ['legal', 'admin'],
      summary: "enter a year's State Council notice (or preview its moves with ?dryRun=true): every open deadline counted over it is recounted",
      body: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }),
      query: ZNoticeQuery,
      handler: async ({ params, body, query, user, requestId }) => {
        const year = yearOf(params);
        return enterCalendarNotice(deps, {
          year,
          notice: noticeOf(year, body, query.publishedAt),
          actor: { id: user.id, role: user.role, requestId },
          dryRun: query.dryRun === 'true',
        });
      },
    }),
  ];
}
