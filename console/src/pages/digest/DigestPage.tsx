/**
 * The latest renewal digest (GET /api/digests: renewal windows, terms
 * ending, payment and cure deadlines ahead, grouped by owner) and the
 * calendar export of every open deadline the user may see (GET /api/calendar.ics).
 */
import { useState } from 'react';
import type { DigestOverview } from '../../../../api/routes/digests.types';
import { apiBlob, apiGet, can } from '../../api';
import { useAuth } from '../../auth';
import { Countdown, ErrorBox, Loading, Section, StatusBadge, useLoad } from '../../components';
import { saveFile } from '../../download';
import { formatDateTime, formatDue, formatYuan } from '../../format';
import { useI18n, type MessageKey } from '../../i18n';
import { Link } from '../../router';

const LISTS: { key: 'renewalWindows' | 'termsEnding' | 'payments' | 'cures'; label: MessageKey }[] = [
  { key: 'renewalWindows', label: 'digest.renewalWindows' },
  { key: 'termsEnding', label: 'digest.termsEnding' },
  { key: 'payments', label: 'digest.payments' },
  { key: 'cures', label: 'digest.cures' },
];

function CalendarLink() {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setError(null);
    try {
      saveFile(await apiBlob('/api/calendar.ics'), 'text/calendar', 'deadlines.ics');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('digest.calendar')} id="calendar">
      <p className="muted">{t('digest.calendarHint')}</p>
      <p>
        <button type="button" className="btn btn-primary" onClick={() => void download()} data-testid="calendar-download">
          {t('digest.calendarDownload')}
        </button>
      </p>
      <ErrorBox error={error} />
    </Section>
  );
}

export function DigestPage() {
  const { t, tx, lang } = useI18n();
  const { user } = useAuth();
  const canDigest = can(user.role, 'get', '/api/digests');
  // before the first 09:00 there is no digest yet: the overview says so (and when it comes) instead of a 404
  const overview = useLoad(async (signal) => (canDigest ? apiGet<DigestOverview>('/api/digests', { signal }) : null), [canDigest]);
  const digest = { ...overview, data: overview.data?.latest ?? null };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t(canDigest ? 'digest.title' : 'nav.calendar')}</h1>
      </div>
      {can(user.role, 'get', '/api/calendar.ics') && <CalendarLink />}
      {canDigest && (
        <Section title={digest.data ? t('digest.of', { date: digest.data.id, days: digest.data.horizonDays }) : t('digest.title')} id="digest">
          <ErrorBox error={digest.error} onRetry={digest.reload} />
          {digest.loading && !digest.data ? (
            <Loading />
          ) : !digest.data ? (
            <p className="muted" data-testid="digest-none">
              {t('digest.none', { next: overview.data ? formatDateTime(overview.data.nextRunAt, lang) : '09:00' })}
            </p>
          ) : (
            <div data-testid="digest">
              <p className="muted small">{t('digest.generated', { at: formatDateTime(digest.data.generatedAt, lang) })}</p>
              {digest.data.groups.length === 0 && <p className="muted">{t('digest.empty')}</p>}
              {digest.data.groups.map((group) => (
                <div key={group.ownerId} className="digest-group">
                  <h3>{group.ownerName}</h3>
                  {LISTS.filter((l) => group[l.key].length > 0).map((l) => (
                    <div key={l.key}>
                      <h4>
                        {t(l.label)} <span className="badge">{group[l.key].length}</span>
                      </h4>
                      <ul className="deadlines">
                        {group[l.key].map((item) => (
                          <li key={`${item.contractId}:${item.kind}:${item.dueAt}`} className="deadline">
                            <div className="deadline-main">
                              <Link to={`/contracts/${item.contractId}`} className="mono">
                                {item.contractNumber}
                              </Link>
                              <span>{item.partyA}</span>
                              <span className="muted small">{tx(`deadline.${item.kind}`)}</span>
                              {item.invoice && (
                                <span className="small" data-invoice={item.invoice.number} data-invoice-status={item.invoice.status}>
                                  <StatusBadge status={item.invoice.status} kind="invoiceStatus" />{' '}
                                  {t('digest.invoiceOwed', { owed: formatYuan(item.invoice.outstandingFen), amount: formatYuan(item.invoice.amountFen) })}
                                </span>
                              )}
                              <Countdown secondsLeft={Math.floor((Date.parse(item.dueAt) - digest.fetchedAt) / 1000)} fetchedAt={digest.fetchedAt} />
                            </div>
                            <div className="muted small">
                              {formatDue(item.dueAt, lang)} · {item.explanation}
                            </div>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </div>
              ))}
            </div>
          )}
        </Section>
      )}
    </div>
  );
}
