/**
 * Operations' review of signature and template applications: waiting ones
 * first, soonest due first, each with its due time in Beijing time (overdue
 * flagged); approve at once, or reject with a reason after a confirmation.
 */
import { useState } from 'react';
import type { SmsReviewQueue, SmsSignatureView, SmsTemplateView } from '../../../../api/routes/sms-templates.types';
import { apiGet, apiPost } from '../../api';
import { ConfirmStep, ErrorBox, Loading, Section, Segmented, useLoad } from '../../components';
import { formatDateTime, formatDue } from '../../format';
import { useAct } from '../../forms';
import { useI18n } from '../../i18n';
import { DocumentLink, ReviewStatus } from './parts';

const FILTERS = ['applied', 'approved', 'rejected', 'all'] as const;
type Filter = (typeof FILTERS)[number];

export function SmsReviewsPage() {
  const { t, tx } = useI18n();
  const [filter, setFilter] = useState<Filter>('applied');
  const queue = useLoad((signal) => apiGet<SmsReviewQueue>(`/api/sms-reviews?status=${filter}`, { signal }), [filter]);
  return (
    <div className="page" data-testid="sms-reviews-page">
      <div className="page-head">
        <h1>{t('review.title')}</h1>
      </div>
      <p className="muted">{t('review.intro')}</p>
      <Segmented label={t('tpl.status')} options={FILTERS.map((f) => ({ value: f, text: tx(`review.filter.${f}`) }))} value={filter} onChoose={setFilter} />
      {queue.error ? <ErrorBox error={queue.error} onRetry={queue.reload} /> : null}
      {!queue.data ? (
        <Loading />
      ) : queue.data.templates.length + queue.data.signatures.length === 0 ? (
        <p className="card muted">{t('review.empty')}</p>
      ) : (
        <>
          {queue.data.templates.length > 0 && (
            <Section title={t('tpl.templates')} id="review-templates">
              {queue.data.templates.map((row) => (
                <ReviewCard key={row.id} kind="templates" row={row} title={`${row.name} · ${tx(`tpl.category.${row.category}`)}`} body={row.content} onDone={queue.reload} />
              ))}
            </Section>
          )}
          {queue.data.signatures.length > 0 && (
            <Section title={t('tpl.signatures')} id="review-signatures">
              {queue.data.signatures.map((row) => (
                <ReviewCard
                  key={row.id}
                  kind="signatures"
                  row={row}
                  title={row.text}
                  body={null}
                  document={`/api/contracts/${row.contractId}/documents/${encodeURIComponent(row.documentId)}`}
                  onDone={queue.reload}
                />
              ))}
            </Section>
          )}
        </>
      )}
    </div>
  );
}

function ReviewCard({
  kind,
  row,
  title,
  body,
  document,
  onDone,
}: {
  kind: 'templates' | 'signatures';
  row: SmsTemplateView | SmsSignatureView;
  title: string;
  body: string | null;
  document?: string;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const act = useAct<string>();
  const [reason, setReason] = useState('');
  const decide = (decision: 'approve' | 'reject') =>
    void act.run(async () => {
      await apiPost(`/api/sms-${kind}/${row.id}/review`, decision === 'approve' ? { decision } : { decision, reason: reason.trim() });
      act.ask(null);
      onDone();
    });
  return (
    <article className="card review-card" data-testid="review-item" data-id={row.id} data-kind={kind} data-status={row.status}>
      <header className="row-between">
        <strong>{title}</strong>
        <ReviewStatus row={row} />
      </header>
      <p className="small muted">
        {row.contractNumber} · {t('review.party')} {row.partyAName} · {t('tpl.appliedAt')} {formatDateTime(row.appliedAt, lang)}
      </p>
      {body && <p className="preview-text" data-testid="review-content">{body}</p>}
      {document && (
        <p className="small">
          <DocumentLink path={document} name={`${row.id}.pdf`} />
        </p>
      )}
      <p className="small" data-testid="review-due">
        {t('tpl.due')}: <strong>{formatDue(row.reviewDueAt, lang)}</strong> <span className="muted">{row.reviewExplanation}</span>
      </p>
      {row.reason && (
        <p className="small">
          {t('tpl.reason')}: {row.reason}
        </p>
      )}
      {row.status === 'applied' &&
        (act.asking ? (
          <ConfirmStep consequence={t('review.rejectConsequence', { what: title })} action={t('review.reject')} busy={act.busy} onConfirm={() => decide('reject')} onCancel={() => act.ask(null)} />
        ) : (
          <div className="form-actions">
            <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} placeholder={t('review.reasonPlaceholder')} aria-label={t('review.reasonPlaceholder')} data-testid="review-reason" />
            <button type="button" className="btn btn-danger" disabled={!reason.trim() || act.busy} onClick={() => act.ask('reject')} data-testid="review-reject">
              {t('review.reject')}
            </button>
            <button type="button" className="btn btn-primary" disabled={act.busy} onClick={() => decide('approve')} data-testid="review-approve">
              {t('review.approve')}
            </button>
          </div>
        ))}
      <ErrorBox error={act.error} />
    </article>
  );
}
