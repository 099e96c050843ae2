/**
 * Suspending a contract's service pending rectification (Art.4 §9), from its
 * page: the reason, what it rests on (a notice from the authorities, a
 * report, Party B's own finding) and the rectification period in days (the
 * terms' by default), validated with the API's schema (domain/legal). Nothing
 * is chosen for the person but the period; the suspension is sent only after
 * they confirm its consequence.
 */
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import type { ContractDetailView } from '../../../../api/routes/contracts.types';
import { rectificationDaysOf, SUSPENSION_SOURCE_LABELS, SUSPENSION_SOURCES, ZSuspensionRequest, type SuspensionSource } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey } from '../../api';
import { ConfirmStep, ErrorBox } from '../../components';
import { Field, FormActions, issuesOf, useAct, type Issues } from '../../forms';
import { useI18n } from '../../i18n';

export function SuspendForm({ contract, onDone, onCancel }: { contract: ContractDetailView; onDone: (c: CaseView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const [reason, setReason] = useState('');
  const [source, setSource] = useState<'' | SuspensionSource>('');
  const [days, setDays] = useState(String(rectificationDaysOf(contract.terms)));
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZSuspensionRequest.safeParse({ reason, source, rectificationDays: Number(days) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!source) next.source = t('suspend.chooseSource');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    act.ask(parsed.data);
  };
  const send = () => act.run(async () => onDone(await apiPost<CaseView>(`/api/contracts/${contract.id}/suspensions`, act.asking, { idempotencyKey: newIdempotencyKey() })));

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="suspend-form">
      <h3 className="wide">{t('suspend.title')}</h3>
      <p className="wide muted small">{t('suspend.intro')}</p>
      <fieldset className="contents" disabled={act.asking !== null}>
        <fieldset className={`field wide ${errors.source ? 'has-error' : ''}`}>
          <legend>{t('suspend.source')}</legend>
          <div className="segmented">
            {SUSPENSION_SOURCES.map((s) => (
              <label key={s} className="radio">
                <input type="radio" name="source" checked={source === s} onChange={() => setSource(s)} data-testid={`suspend-source-${s}`} />
                <span>{SUSPENSION_SOURCE_LABELS[s][lang]}</span>
              </label>
            ))}
          </div>
          {errors.source && <span className="field-error">{errors.source}</span>}
        </fieldset>
        <Field label={t('suspend.reason')} error={errors.reason} wide>
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="suspend-reason" />
        </Field>
        <Field label={t('suspend.days')} error={errors.rectificationDays}>
          <input type="number" min={1} max={90} step={1} value={days} onChange={(e) => setDays(e.target.value)} data-testid="suspend-days" />
        </Field>
      </fieldset>
      <ErrorBox error={act.error} />
      {act.asking !== null ? (
        <ConfirmStep
          consequence={t('suspend.consequence', { number: contract.number, n: days })}
          action={t('suspend.title')}
          busy={act.busy}
          onConfirm={() => void send()}
          onCancel={() => act.ask(null)}
        />
      ) : (
        <FormActions submit={t('suspend.title')} testId="suspend-submit" onCancel={onCancel} />
      )}
    </form>
  );
}
