/**
 * Serving a breach notice: nothing about its object is chosen for the person
 * (no contract — unless they came from that contract's page —, no serving
 * party, no clause), and it is served only after they confirm. The contract is
 * found by typing part of its number or the customer's name.
 */
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import { ZBreachNoticeRequest, type TBreachNoticeRequest } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey } from '../../api';
import { ConfirmStep, ErrorBox } from '../../components';
import { ContractSelect, useContractSearch } from '../../contract-search';
import { Field, FormActions, issuesOf, partyNamed, useAct, type Issues } from '../../forms';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';

export function ServeBreachForm({ onServed }: { onServed: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const { query } = useLocation();
  // only the contract page's own "serve a breach notice" link names the contract (?serve=1&contract=…)
  const contracts = useContractSearch({ initialId: query.get('serve') === '1' ? (query.get('contract') ?? '') : '' });
  const [servedBy, setServedBy] = useState<'' | 'A' | 'B'>('');
  const [clause, setClause] = useState('');
  const [description, setDescription] = useState('');
  const [evidence, setEvidence] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct<TBreachNoticeRequest>();
  const chosen = contracts.chosen;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZBreachNoticeRequest.safeParse({ servedBy, clause, description, ...(evidence.trim() ? { evidence } : {}) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!chosen) next.contract = t('legal.chooseContract');
    if (!servedBy) next.servedBy = t('legal.chooseServedBy');
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    act.ask(parsed.data);
  };

  const send = async () => {
    const body = act.asking;
    if (!chosen || !body) return;
    await act.run(async () => {
      onServed(await apiPost<CaseView>(`/api/contracts/${chosen.id}/breach-notices`, body, { idempotencyKey: newIdempotencyKey() }));
      setDescription('');
      setEvidence('');
      act.ask(null);
    });
  };

  const notified = servedBy === 'B' ? partyNamed(t, 'A', chosen?.partyA ?? '') : partyNamed(t, 'B', chosen?.partyB ?? '');
  return (
    <form className="card form-grid" onSubmit={submit} noValidate data-testid="breach-form">
      <h2 className="wide">{t('legal.serve')}</h2>
      <fieldset className="contents" disabled={act.asking !== null}>
        <ContractSelect search={contracts} label={t('legal.contract')} error={errors.contract} testId="breach-contract" placeholder />
        <Field label={t('legal.servedBy')} error={errors.servedBy}>
          <select value={servedBy} onChange={(e) => setServedBy(e.target.value as '' | 'A' | 'B')} data-testid="breach-served-by">
            <option value="">{t('common.choose')}</option>
            <option value="B">{t('detail.partyB')}</option>
            <option value="A">{t('detail.partyA')}</option>
          </select>
        </Field>
        <Field label={t('legal.clause')} error={errors.clause}>
          <input value={clause} onChange={(e) => setClause(e.target.value)} placeholder={t('legal.clauseHint')} data-testid="breach-clause" />
        </Field>
        <Field label={t('legal.description')} error={errors.description} wide>
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="breach-description" />
        </Field>
        <Field label={t('legal.evidence')} wide>
          <textarea rows={2} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        </Field>
      </fieldset>
      <ErrorBox error={act.error} />
      {act.asking && chosen ? (
        <ConfirmStep
          consequence={t('legal.serveConsequence', { number: chosen.number, party: notified, clause: act.asking.clause })}
          action={t('legal.submit')}
          busy={act.busy}
          onConfirm={() => void send()}
          onCancel={() => act.ask(null)}
        />
      ) : (
        <FormActions submit={t('legal.submit')} testId="breach-submit" disabled={act.busy} />
      )}
    </form>
  );
}
