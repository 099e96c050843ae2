/**
 * Declaring a service interruption (Art.5 §8) over the contracts chosen by
 * customer name or number, or every contract in service; validated with the
 * API's schema (domain/legal) and sent only after the person confirms how
 * many customers it reaches.
 */
import { useState, type FormEvent } from 'react';
import type { OutageDetailView } from '../../../../api/routes/cases.types';
import type { ContractListView } from '../../../../api/routes/contracts.types';
import { OUTAGE_CAUSES, ZOutageRequest } from '../../../../domain/legal';
import { apiGet, apiPost, newIdempotencyKey } from '../../api';
import { ConfirmStep, ErrorBox, useLoad } from '../../components';
import { fromShanghaiInput, shanghaiInputValue } from '../../format';
import { Field, FormActions, issuesOf, useAct, type Issues } from '../../forms';
import { useI18n } from '../../i18n';
import { ContractPicker } from './ContractPicker';

export function DeclareOutageForm({ onDeclared }: { onDeclared: (o: OutageDetailView) => void }) {
  const { t, tx, lang } = useI18n();
  // how many contracts are in service (every one of them, when the outage is declared for all)
  const inService = useLoad((signal) => apiGet<ContractListView>('/api/contracts?status=active&limit=1', { signal }), []);
  const [startedAt, setStartedAt] = useState('');
  const [learnedAt, setLearnedAt] = useState('');
  const [cause, setCause] = useState('');
  const [description, setDescription] = useState('');
  const [scope, setScope] = useState<'' | 'listed' | 'all'>('');
  const [picked, setPicked] = useState<string[]>([]);
  const [hold, setHold] = useState(false);
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct();

  const total = inService.data?.total ?? 0;
  const count = scope === 'all' ? total : picked.length;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      startedAt: startedAt ? fromShanghaiInput(startedAt) : '',
      learnedAt: learnedAt ? fromShanghaiInput(learnedAt) : '',
      cause,
      description,
      ...(scope === 'all' ? { all: true as const } : { contractIds: picked }),
      ...(hold ? { holdForReview: true } : {}),
    };
    const parsed = ZOutageRequest.safeParse(body);
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (scope === '') next.contractIds = t('outage.scopeRequired');
    else if (scope === 'listed' && picked.length === 0) next.contractIds = t('outage.pickOne');
    if (!cause) next.cause = t('outage.causeRequired');
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    act.ask(parsed.data);
  };

  const send = () => act.run(async () => onDeclared(await apiPost<OutageDetailView>('/api/outages', act.asking, { idempotencyKey: newIdempotencyKey() })));

  return (
    <form className="card form-grid" onSubmit={submit} noValidate data-testid="outage-form">
      <h2 className="wide">{t('outage.declare')}</h2>
      <p className="wide muted small">{t('outage.declareIntro')}</p>
      <fieldset className="contents" disabled={act.asking !== null}>
        <Field label={t('outage.startedAt')} error={errors.startedAt}>
          <input type="datetime-local" value={startedAt} onChange={(e) => setStartedAt(e.target.value)} data-testid="outage-started" />
        </Field>
        <Field label={t('outage.learnedAt')} error={errors.learnedAt}>
          <input type="datetime-local" value={learnedAt} max={shanghaiInputValue(new Date())} onChange={(e) => setLearnedAt(e.target.value)} data-testid="outage-learned" />
        </Field>
        <Field label={t('outage.cause')} error={errors.cause}>
          <select value={cause} onChange={(e) => setCause(e.target.value)} data-testid="outage-cause">
            <option value="">{t('common.choose')}</option>
            {OUTAGE_CAUSES.map((c) => (
              <option key={c} value={c}>
                {tx(`outageCause.${c}`, c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('outage.description')} error={errors.description} wide>
          <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="outage-description" />
        </Field>
        <fieldset className={`field ${errors.contractIds ? 'has-error' : ''} wide`}>
          <legend>{t('outage.affected')}</legend>
          <div className="segmented">
            <label className="radio">
              <input type="radio" name="scope" checked={scope === 'listed'} onChange={() => setScope('listed')} data-testid="scope-listed" />
              <span>{t('outage.scopeListed')}</span>
            </label>
            <label className="radio">
              <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} data-testid="scope-all" />
              <span>{t('outage.scopeAll', { n: inService.data ? total : '…' })}</span>
            </label>
          </div>
          {errors.contractIds && <span className="field-error">{errors.contractIds}</span>}
          <ErrorBox error={inService.error} onRetry={inService.reload} />
        </fieldset>
        {scope === 'listed' && <ContractPicker picked={picked} setPicked={setPicked} />}
        <label className="check field wide">
          <input type="checkbox" checked={hold} onChange={(e) => setHold(e.target.checked)} data-testid="outage-hold" />
          <span>{t('outage.holdForReview')}</span>
        </label>
      </fieldset>
      <ErrorBox error={act.error} />
      {act.asking !== null ? (
        <ConfirmStep
          consequence={t(hold ? 'outage.confirmHeld' : 'outage.confirmSend', { n: count })}
          action={t('outage.confirmDeclare', { n: count })}
          busy={act.busy}
          onConfirm={() => void send()}
          onCancel={() => act.ask(null)}
        />
      ) : (
        <FormActions submit={t('outage.declareSubmit')} testId="outage-submit" />
      )}
    </form>
  );
}
