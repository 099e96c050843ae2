/**
 * The contract's supplemental agreements: what each changes, who signed it,
 * and the signature of a party still missing (asked first: it cannot be undone).
 */
import { useState } from 'react';
import type { ContractDetailView } from '../../../../../api/routes/contracts.types';
import type { AmendmentView } from '../../../../../api/routes/lifecycle.types';
import { ZSignContractRequest } from '../../../../../domain/contract';
import { apiPost, newIdempotencyKey } from '../../../api';
import { StatusBadge } from '../../../components';
import { formatDate, formatYuan } from '../../../format';
import { DEFAULT_SIGNER_TITLE, Field, parseError, partyWord, type Party } from '../../../forms';
import { useI18n } from '../../../i18n';
import { ActForm } from './ActForm';

function signaturesOf(value: unknown): { party: string; signer: string }[] {
  const list = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value as Record<string, unknown>) : [];
  return list.filter((s): s is { party: string; signer: string } => !!s && typeof s === 'object' && 'party' in s);
}

export function AmendmentList({
  contract,
  items,
  canSign,
  open,
  toggle,
  finish,
}: {
  contract: ContractDetailView;
  items: AmendmentView[];
  canSign: boolean;
  /** the form open in the lifecycle section (one at a time) */
  open: string | null;
  toggle: (id: string) => void;
  finish: (message: string) => void;
}) {
  const { t, lang } = useI18n();
  const [signer, setSigner] = useState('');
  const [signerTitle, setSignerTitle] = useState('');
  const active = contract.status === 'active';
  const representative = (p: Party) => contract.parties[p].representative;
  return (
    <ul className="deadlines" data-testid="amendments">
      {items.map((a) => {
        const signed = signaturesOf(a.signatures);
        return (
          <li key={a.seq} className="deadline">
            <div className="deadline-main">
              <strong>{t('life.amendmentNo', { n: a.seq })}</strong>
              <StatusBadge status={a.status} kind="amendmentStatus" />
              <span className="small">{a.description}</span>
            </div>
            <div className="muted small">
              {[
                a.changes.yearlyFeeFen !== undefined ? `${t('f.yearlyFee')} ${formatYuan(a.changes.yearlyFeeFen)}` : null,
                a.changes.smsPerYear !== undefined ? `${t('f.smsPerYear')} ${a.changes.smsPerYear.toLocaleString()}` : null,
                a.changes.permit24h !== undefined ? `${t('f.permit24h')}: ${a.changes.permit24h ? t('common.yes') : t('common.no')}` : null,
                a.changes.renewalYears !== undefined ? `${t('f.renewalYears')} ${a.changes.renewalYears}` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
              {signed.length > 0 && ` · ${signed.map((s) => `${s.party}: ${s.signer}`).join('，')}`}
              {a.signed_at ? ` · ${formatDate(a.signed_at, lang)}` : ''}
            </div>
            {a.status === 'proposed' && active && canSign && (
              <div className="case-actions">
                {(['A', 'B'] as const)
                  .filter((p) => !signed.some((s) => s.party === p))
                  .map((p) => (
                    <button key={p} type="button" className="btn btn-small" onClick={() => toggle(`sign-${a.seq}-${p}`)}>
                      {t('life.signAmendment', { party: partyWord(t, p) })}
                    </button>
                  ))}
              </div>
            )}
            {(['A', 'B'] as const).map(
              (p) =>
                open === `sign-${a.seq}-${p}` && (
                  <ActForm
                    key={p}
                    title={t('sign.submit')}
                    confirm={t('life.signAmendmentConsequence', { party: partyWord(t, p), n: a.seq })}
                    testId={`amendment-sign-${a.seq}-${p}`}
                    onSubmit={async () => {
                      const body = { party: p, signer: signer || representative(p), title: signerTitle || DEFAULT_SIGNER_TITLE[p], sealed: true as const };
                      const err = parseError(ZSignContractRequest.omit({ signedAt: true }).safeParse(body), lang);
                      if (err) throw err;
                      await apiPost(`/api/contracts/${contract.id}/amendments/${a.seq}/signatures`, body, { idempotencyKey: newIdempotencyKey() });
                      finish(t('sign.done', { party: partyWord(t, p) }));
                    }}
                  >
                    <Field label={t('sign.signer')}>
                      <input value={signer} placeholder={representative(p)} onChange={(e) => setSigner(e.target.value)} />
                    </Field>
                    <Field label={t('sign.signerTitle')}>
                      <input value={signerTitle} placeholder={DEFAULT_SIGNER_TITLE[p]} onChange={(e) => setSignerTitle(e.target.value)} />
                    </Field>
                  </ActForm>
                ),
            )}
          </li>
        );
      })}
    </ul>
  );
}
