/**
 * Art.3 §3: the delivery form (业务受理单) produced when the contract took
 * effect, the date Party A confirms it by, and the confirmation: signed and
 * sealed (signer, title, when) and/or the scan of the signed form, checked
 * with the API's schema (domain/delivery) before it is sent.
 */
import { useState, type FormEvent } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { DeliveryConfirmationView } from '../../../../../api/routes/delivery.types';
import { ZDeliveryConfirmationRequest } from '../../../../../domain/delivery';
import { apiGet, apiPost, can, newIdempotencyKey, type Role } from '../../../api';
import { Countdown, ErrorBox, Notice, Section, useLoad } from '../../../components';
import { formatDateTime, formatDue, fromShanghaiInput } from '../../../format';
import { Field, firstIssue, useAct, usePickedFile } from '../../../forms';
import { useI18n } from '../../../i18n';

function ConfirmForm({ contractId, onDone }: { contractId: string; onDone: (view: DeliveryConfirmationView) => void }) {
  const { t, lang } = useI18n();
  const [signer, setSigner] = useState('');
  const [title, setTitle] = useState('');
  const [sealed, setSealed] = useState(false);
  const [at, setAt] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const act = useAct();
  const { file, pick } = usePickedFile(act.setError);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const signed = signer.trim() || title.trim() || sealed;
    const body = {
      ...(signed ? { signer, title, ...(sealed ? { sealed: true as const } : {}) } : {}),
      ...(at ? { confirmedAt: fromShanghaiInput(at) } : {}),
      ...(file ? { document: { title: file.name.replace(/\.pdf$/i, ''), pdfBase64: file.base64 } } : {}),
    };
    const parsed = ZDeliveryConfirmationRequest.safeParse(body);
    if (!parsed.success) return setIssue(signed && !sealed ? t('delivery.sealRequired') : firstIssue(parsed.error, lang));
    setIssue(null);
    await act.run(async () => onDone(await apiPost<DeliveryConfirmationView>(`/api/contracts/${contractId}/delivery-confirmation`, parsed.data, { idempotencyKey: newIdempotencyKey() })));
  };

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="delivery-form">
      <Field label={t('delivery.signer')}>
        <input value={signer} onChange={(e) => setSigner(e.target.value)} data-testid="delivery-signer" />
      </Field>
      <Field label={t('delivery.signerTitle')}>
        <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="delivery-title" />
      </Field>
      <label className="check">
        <input type="checkbox" checked={sealed} onChange={(e) => setSealed(e.target.checked)} data-testid="delivery-sealed" /> {t('delivery.sealed')}
      </label>
      <Field label={t('delivery.confirmedAt')}>
        <input type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
      </Field>
      <Field label={t('delivery.scan')} wide>
        <input type="file" accept="application/pdf,.pdf" onChange={(e) => void pick(e)} data-testid="delivery-scan" />
      </Field>
      {issue && <span className="field-error wide">{issue}</span>}
      <ErrorBox error={act.error} />
      <div className="form-actions wide">
        <button type="submit" className="btn btn-primary" disabled={act.busy} data-testid="delivery-submit">
          {t('delivery.submit')}
        </button>
      </div>
    </form>
  );
}

export function DeliverySection({ contract: c, role, onChanged }: { contract: ContractDetailView; role: Role; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const readable = can(role, 'get', '/api/contracts/:id/delivery-confirmation') && c.effectiveAt !== null;
  const view = useLoad(
    (signal) => (readable ? apiGet<DeliveryConfirmationView>(`/api/contracts/${c.id}/delivery-confirmation`, { signal }) : Promise.resolve(null)),
    [c.id, readable, c.deadlines.length, c.documents.length],
  );
  const d = view.data;
  if (!readable || !d || d.status === 'not_delivered' || d.status === 'not_requested') return null;
  const mayConfirm = can(role, 'post', '/api/contracts/:id/delivery-confirmation') && c.status === 'active' && (d.status === 'awaiting_confirmation' || d.status === 'unconfirmed');
  const confirmation = d.confirmation;

  return (
    <Section title={t('delivery.title')} id="delivery">
      <p data-testid="delivery-status" data-status={d.status}>
        <strong>{t(`delivery.status.${d.status}`)}</strong>
        {d.form && <span className="muted small"> · {d.form.title}</span>}
      </p>
      {d.deadline && (
        <p className="muted small">
          {t('delivery.due')}: {formatDue(d.deadline.dueAt, lang)} · {lang === 'zh' ? d.deadline.explanation : d.deadline.explanationEn}
          {d.deadline.status === 'open' && <Countdown secondsLeft={Math.floor((Date.parse(d.deadline.dueAt) - view.fetchedAt) / 1000)} fetchedAt={view.fetchedAt} label={t('delivery.due')} />}
        </p>
      )}
      {d.status === 'unconfirmed' && <Notice kind="warn">{t('delivery.unconfirmedNote')}</Notice>}
      {confirmation && (
        <p data-testid="delivery-confirmation">
          {t('delivery.confirmedBy', {
            who: confirmation.signer ? `${confirmation.signer}（${confirmation.title ?? ''}）` : t('delivery.byScan'),
            at: formatDateTime(confirmation.confirmedAt, lang),
          })}
          {confirmation.sealed ? ` · ${t('delivery.sealed')}` : ''}
          {!confirmation.onTime ? ` · ${t('delivery.late')}` : ''}
        </p>
      )}
      {mayConfirm && (
        <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
          <summary>{t('delivery.confirm')}</summary>
          <ConfirmForm
            contractId={c.id}
            onDone={() => {
              setOpen(false);
              view.reload();
              onChanged();
            }}
          />
        </details>
      )}
    </Section>
  );
}
