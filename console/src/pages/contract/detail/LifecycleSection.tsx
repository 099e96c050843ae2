/**
 * The acts of the term: supplemental agreements (proposed, then signed by
 * both), an objection to the automatic renewal, and termination. Each appears
 * only when its endpoint exists and the role may call it; bodies are checked
 * with the API's schemas (domain/lifecycle), and the irreversible ones ask first.
 */
import { useState } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { AmendmentListView } from '../../../../../api/routes/lifecycle.types';
import { ZProposeAmendmentRequest, ZRenewalObjectionRequest, ZTerminationRequest } from '../../../../../domain/lifecycle';
import { apiGet, apiPost, can, newIdempotencyKey, type Role } from '../../../api';
import { Notice, Section, useLoad } from '../../../components';
import { formatDateTime, formatDue, formatYuan, fromShanghaiInput, parseYuan } from '../../../format';
import { Field, parseError, partyWord } from '../../../forms';
import { useI18n } from '../../../i18n';
import { ActForm } from './ActForm';
import { AmendmentList } from './AmendmentList';

export function LifecycleSection({ contract, role, onChanged }: { contract: ContractDetailView; role: Role; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const canObject = can(role, 'post', '/api/contracts/:id/renewal-objections');
  const canTerminate = can(role, 'post', '/api/contracts/:id/termination');
  const canPropose = can(role, 'post', '/api/contracts/:id/amendments');
  const canSignAmendment = can(role, 'post', '/api/contracts/:id/amendments/:seq/signatures');
  const canList = can(role, 'get', '/api/contracts/:id/amendments');
  const amendments = useLoad((signal) => (canList ? apiGet<AmendmentListView>(`/api/contracts/${contract.id}/amendments`, { signal }) : Promise.resolve(null)), [contract.id, canList]);

  // a customer operator objects for Party A; staff choose the party (never assumed)
  const [party, setParty] = useState<'' | 'A' | 'B'>(role === 'customer' ? 'A' : '');
  const [reason, setReason] = useState('');
  // no default: the moment a contract ends is chosen, never assumed
  const [effective, setEffective] = useState('');
  const [description, setDescription] = useState('');
  const [fee, setFee] = useState('');
  const [sms, setSms] = useState('');
  const [permit, setPermit] = useState<'' | 'true' | 'false'>('');
  const [renewalYears, setRenewalYears] = useState('');

  const active = contract.status === 'active';
  if (!active && (amendments.data?.items.length ?? 0) === 0) return null;
  const finish = (message: string) => {
    setDone(message);
    setOpen(null);
    setReason('');
    onChanged();
    amendments.reload();
  };
  const toggle = (id: string) => setOpen(open === id ? null : id);

  return (
    <Section title={t('life.title')} id="lifecycle">
      {done && <Notice kind="ok">{done}</Notice>}
      {amendments.data && amendments.data.items.length > 0 && (
        <AmendmentList contract={contract} items={amendments.data.items} canSign={canSignAmendment} open={open} toggle={toggle} finish={finish} />
      )}
      {active && (
        <div className="case-actions">
          {canPropose && (
            <button type="button" className={`btn btn-small ${open === 'amend' ? 'active' : ''}`} onClick={() => toggle('amend')}>
              {t('life.propose')}
            </button>
          )}
          {canObject && (
            <button type="button" className={`btn btn-small ${open === 'object' ? 'active' : ''}`} onClick={() => toggle('object')}>
              {t('life.object')}
            </button>
          )}
          {canTerminate && (
            <button type="button" className={`btn btn-small btn-danger-outline ${open === 'terminate' ? 'active' : ''}`} onClick={() => toggle('terminate')} data-testid="terminate">
              {t('life.terminate')}
            </button>
          )}
        </div>
      )}
      {open === 'object' && (
        <ActForm
          title={t('life.object')}
          testId="objection-form"
          check={() => (party ? parseError(ZRenewalObjectionRequest.safeParse({ party, reason }), lang) : new Error(`${t('sign.party')}: ${t('common.choose')}`))}
          confirm={t('life.objectConsequence', { party: partyWord(t, party === 'A' ? 'A' : 'B'), end: formatDue(contract.termEndsAt, lang) })}
          onSubmit={async () => {
            const body = { party, reason };
            const err = parseError(ZRenewalObjectionRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/renewal-objections`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.objected'));
          }}
        >
          <Field label={t('sign.party')}>
            <select value={party} onChange={(e) => setParty(e.target.value as '' | 'A' | 'B')} disabled={role === 'customer'}>
              <option value="">{t('common.choose')}</option>
              <option value="A">{t('detail.partyA')}</option>
              <option value="B">{t('detail.partyB')}</option>
            </select>
          </Field>
          <Field label={t('legal.reason')} wide>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
        </ActForm>
      )}
      {open === 'terminate' && (
        <ActForm
          title={t('life.terminate')}
          testId="termination-form"
          check={() => (effective ? parseError(ZTerminationRequest.safeParse({ reason, effectiveAt: fromShanghaiInput(effective) }), lang) : new Error(`${t('life.effective')}: ${t('life.effectiveRequired')}`))}
          confirm={t('life.terminateConsequence', { number: contract.number, at: effective ? formatDateTime(fromShanghaiInput(effective), lang) : '' })}
          onSubmit={async () => {
            const body = { reason, effectiveAt: fromShanghaiInput(effective) };
            const err = parseError(ZTerminationRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/termination`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.terminated'));
          }}
        >
          <Field label={t('life.effective')}>
            <input type="datetime-local" value={effective} onChange={(e) => setEffective(e.target.value)} data-testid="termination-effective" />
          </Field>
          <Field label={t('legal.reason')} wide>
            <textarea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="termination-reason" />
          </Field>
        </ActForm>
      )}
      {open === 'amend' && (
        <ActForm
          title={t('life.propose')}
          onSubmit={async () => {
            const feeFen = fee.trim() ? parseYuan(fee) : undefined;
            if (feeFen === null) throw new Error(`${t('f.yearlyFee')}: ${lang === 'zh' ? '请输入金额（元）' : 'must be an amount in CNY'}`);
            const body = {
              description,
              changes: {
                ...(feeFen !== undefined ? { yearlyFeeFen: feeFen } : {}),
                ...(sms.trim() ? { smsPerYear: Number(sms) } : {}),
                ...(permit ? { permit24h: permit === 'true' } : {}),
                ...(renewalYears.trim() ? { renewalYears: Number(renewalYears) } : {}),
              },
            };
            const err = parseError(ZProposeAmendmentRequest.safeParse(body), lang);
            if (err) throw err;
            await apiPost(`/api/contracts/${contract.id}/amendments`, body, { idempotencyKey: newIdempotencyKey() });
            finish(t('life.proposed'));
          }}
        >
          <Field label={t('life.description')} wide>
            <textarea rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
          </Field>
          <Field label={t('f.yearlyFee')}>
            <input inputMode="decimal" value={fee} placeholder={formatYuan(contract.terms.package.yearlyFeeFen)} onChange={(e) => setFee(e.target.value)} />
          </Field>
          <Field label={t('f.smsPerYear')}>
            <input inputMode="numeric" value={sms} placeholder={String(contract.terms.package.smsPerYear)} onChange={(e) => setSms(e.target.value)} />
          </Field>
          <Field label={t('f.permit24h')}>
            <select value={permit} onChange={(e) => setPermit(e.target.value as '' | 'true' | 'false')}>
              <option value="">—</option>
              <option value="true">{t('common.yes')}</option>
              <option value="false">{t('common.no')}</option>
            </select>
          </Field>
          <Field label={t('f.renewalYears')}>
            <input inputMode="numeric" value={renewalYears} placeholder={String(contract.terms.term.renewalYears)} onChange={(e) => setRenewalYears(e.target.value)} />
          </Field>
        </ActForm>
      )}
    </Section>
  );
}
