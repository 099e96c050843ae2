/**
 * A force-majeure declaration (Art.9) from a contract's page: who declares,
 * when the event occurred and what it is, validated with the API's schema
 * (domain/legal); declared only after the person confirms the consequence.
 */
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import type { ContractDetailView } from '../../../../api/routes/contracts.types';
import { ZForceMajeureRequest } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey, type Role } from '../../api';
import { ConfirmStep, ErrorBox } from '../../components';
import { fromShanghaiInput, instantOf, shanghaiInputValue } from '../../format';
import { Field, FormActions, issuesOf, otherParty, partyNamed, useAct, type Issues, type Party } from '../../forms';
import { useI18n } from '../../i18n';

export function ForceMajeureForm({ contract, role, onDone, onCancel }: { contract: ContractDetailView; role: Role; onDone: (c: CaseView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const customer = role === 'customer';
  const [declaredBy, setDeclaredBy] = useState<'' | Party>(customer ? 'A' : '');
  const [occurredAt, setOccurredAt] = useState('');
  const [eventName, setEventName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct();
  const days = contract.terms.legal.forceMajeureProofDays;
  const partyLabel = (party: Party) => partyNamed(t, party, contract.parties[party].name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const occurred = instantOf(occurredAt);
    const parsed = ZForceMajeureRequest.safeParse({ declaredBy, occurredAt: occurred === null ? '' : fromShanghaiInput(occurredAt), description, ...(eventName.trim() ? { event: eventName } : {}) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!declaredBy) next.declaredBy = t('fm.chooseParty');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    act.ask(parsed.data);
  };
  const send = () => act.run(async () => onDone(await apiPost<CaseView>(`/api/contracts/${contract.id}/force-majeure`, act.asking, { idempotencyKey: newIdempotencyKey() })));

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="fm-form">
      <h3 className="wide">{t('fm.declare')}</h3>
      <p className="wide muted small">{t('fm.intro', { n: days })}</p>
      <fieldset className="contents" disabled={act.asking !== null}>
        <fieldset className={`field wide ${errors.declaredBy ? 'has-error' : ''}`}>
          <legend>{t('fm.declaredBy')}</legend>
          <div className="segmented">
            {(['A', 'B'] as const).map((p) => (
              <label key={p} className="radio">
                <input type="radio" name="declaredBy" checked={declaredBy === p} disabled={customer && p === 'B'} onChange={() => setDeclaredBy(p)} data-testid={`fm-party-${p}`} />
                <span>{partyLabel(p)}</span>
              </label>
            ))}
          </div>
          {errors.declaredBy && <span className="field-error">{errors.declaredBy}</span>}
        </fieldset>
        <Field label={t('fm.occurredAt')} error={errors.occurredAt}>
          <input type="datetime-local" value={occurredAt} max={shanghaiInputValue(new Date())} onChange={(e) => setOccurredAt(e.target.value)} data-testid="fm-occurred" />
        </Field>
        <Field label={t('fm.event')} error={errors.event}>
          <input value={eventName} onChange={(e) => setEventName(e.target.value)} placeholder={t('fm.eventHint')} data-testid="fm-event" />
        </Field>
        <Field label={t('fm.description')} error={errors.description} wide>
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="fm-description" />
        </Field>
      </fieldset>
      <ErrorBox error={act.error} />
      {act.asking !== null && declaredBy ? (
        <ConfirmStep
          consequence={t('fm.consequence', { other: partyLabel(otherParty(declaredBy)), party: partyLabel(declaredBy), n: days })}
          action={t('fm.declare')}
          busy={act.busy}
          onConfirm={() => void send()}
          onCancel={() => act.ask(null)}
        />
      ) : (
        <FormActions submit={t('fm.declare')} testId="fm-submit" onCancel={onCancel} />
      )}
    </form>
  );
}
