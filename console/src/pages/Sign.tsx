/**
 * The signing screen for one party's representative: who signs, in what
 * capacity, sealed; a contract signed on paper gives the time it was signed.
 * Validated with the API's ZSignContractRequest.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ZSignContractRequest } from '../../../domain/contract';
import { formatYuan } from '../../../domain/money';
import { apiGet, apiPost, newIdempotencyKey } from '../api';
import { ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../components';
import { formatDateTime, fromShanghaiInput, shanghaiInputValue } from '../format';
import { useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { localizeMessage } from '../zod-messages';
import type { ContractDetail } from './ContractDetail';

const DEFAULT_TITLE: Record<'A' | 'B', string> = { A: '授权代表', B: '负责人' };

export function SignPage({ id }: { id: string }) {
  const { t, tx, lang } = useI18n();
  const { query } = useLocation();
  const detail = useLoad((signal) => apiGet<ContractDetail>(`/api/contracts/${id}`, { signal }), [id]);
  const c = detail.data;
  const signed = new Set(c?.signatures.map((s) => s.party) ?? []);
  const requested = query.get('party');
  const firstOpen: 'A' | 'B' = requested === 'B' || (requested !== 'A' && signed.has('A')) ? 'B' : 'A';

  const [party, setParty] = useState<'A' | 'B'>(firstOpen);
  const [signer, setSigner] = useState('');
  const [title, setTitle] = useState('');
  const [sealed, setSealed] = useState(false);
  const [paper, setPaper] = useState(false);
  const [signedAt, setSignedAt] = useState(() => shanghaiInputValue(new Date()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  // prefill from the contract's representative when the party changes
  useEffect(() => {
    if (!c) return;
    setSigner(party === 'A' ? c.parties.A.representative : c.parties.B.representative);
    setTitle(DEFAULT_TITLE[party]);
    setSealed(false);
  }, [c?.id, party]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (c && signed.has(party) && !signed.has(party === 'A' ? 'B' : 'A')) setParty(party === 'A' ? 'B' : 'A');
  }, [c?.signatures.length]); // eslint-disable-line react-hooks/exhaustive-deps

  if (detail.error && !c) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!c) return <Loading />;

  const partyName = (p: 'A' | 'B') => `${t(p === 'A' ? 'detail.partyA' : 'detail.partyB')}（${p === 'A' ? c.parties.A.name : c.parties.B.name}）`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = { party, signer, title, sealed, ...(paper ? { signedAt: fromShanghaiInput(signedAt) } : {}) };
    const parsed = ZSignContractRequest.safeParse(body);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) next[issue.path.join('.')] ??= localizeMessage(issue.message, lang);
      setErrors(next);
      return;
    }
    if (paper && Date.parse(parsed.data.signedAt!) > Date.now()) {
      setErrors({ signedAt: lang === 'zh' ? '不能晚于现在' : 'must not be in the future' });
      return;
    }
    setErrors({});
    setBusy(true);
    setServerError(null);
    try {
      const updated = await apiPost<ContractDetail>(`/api/contracts/${c.id}/signatures`, parsed.data, { idempotencyKey: newIdempotencyKey() });
      setDone(partyName(party));
      if (updated.status !== 'awaiting_signatures') navigate(`/contracts/${c.id}`);
      else detail.reload();
    } catch (e) {
      setServerError(e);
    } finally {
      setBusy(false);
    }
  };

  const awaiting = c.status === 'awaiting_signatures';
  return (
    <div className="page narrow-page" data-testid="sign-page">
      <div className="page-head">
        <div>
          <h1>{t('sign.title')}</h1>
          <p className="muted">
            <Link to={`/contracts/${c.id}`} className="mono">
              {c.number}
            </Link>{' '}
            · {c.terms.title}
          </p>
        </div>
        <StatusBadge status={c.status} />
      </div>
      <div className="card">
        <p>{t('sign.intro')}</p>
        <dl className="kv">
          <dt>{t('detail.partyA')}</dt>
          <dd>{c.parties.A.name}</dd>
          <dt>{t('detail.partyB')}</dt>
          <dd>{c.parties.B.name}</dd>
          <dt>{t('detail.payment')}</dt>
          <dd>{t('detail.payTerms', { total: formatYuan(c.terms.payment.totalFen), days: c.terms.payment.dueDays, vat: c.terms.payment.vatRatePercent })}</dd>
        </dl>
        <ul className="sign-status">
          {(['A', 'B'] as const).map((p) => {
            const s = c.signatures.find((x) => x.party === p);
            return (
              <li key={p} className={s ? 'ok' : 'muted'}>
                {s ? `✓ ${t('sign.already', { party: partyName(p), at: formatDateTime(s.signedAt, lang) })}` : `○ ${partyName(p)} — ${t('detail.notSigned')}`}
              </li>
            );
          })}
        </ul>
      </div>
      {done && <Notice kind="ok">{t('sign.done', { party: done })}</Notice>}
      {!awaiting ? (
        <Notice>
          {t('sign.notAwaiting', { status: tx(`status.${c.status}`) })} <Link to={`/contracts/${c.id}`}>{t('sign.toDetail')}</Link>
        </Notice>
      ) : (
        <form className="card form-grid" onSubmit={submit} noValidate data-testid="sign-form">
          <fieldset className="field wide party-choice">
            <legend>{t('sign.party')}</legend>
            {(['A', 'B'] as const).map((p) => (
              <label key={p} className="radio">
                <input type="radio" name="party" value={p} checked={party === p} disabled={signed.has(p)} onChange={() => setParty(p)} data-testid={`party-${p}`} />
                <span>{partyName(p)}</span>
              </label>
            ))}
          </fieldset>
          <div className={`field ${errors.signer ? 'has-error' : ''}`}>
            <label htmlFor="signer">{t('sign.signer')}</label>
            <input id="signer" name="signer" value={signer} onChange={(e) => setSigner(e.target.value)} data-testid="signer" />
            {errors.signer && <span className="field-error">{errors.signer}</span>}
          </div>
          <div className={`field ${errors.title ? 'has-error' : ''}`}>
            <label htmlFor="signer-title">{t('sign.signerTitle')}</label>
            <input id="signer-title" name="title" value={title} onChange={(e) => setTitle(e.target.value)} data-testid="signer-title" />
            {errors.title && <span className="field-error">{errors.title}</span>}
          </div>
          <label className={`check field wide ${errors.sealed ? 'has-error' : ''}`}>
            <input type="checkbox" name="sealed" checked={sealed} onChange={(e) => setSealed(e.target.checked)} data-testid="sealed" />
            <span>{t('sign.sealed')}</span>
          </label>
          {errors.sealed && <span className="field-error wide">{errors.sealed}</span>}
          <label className="check field wide">
            <input type="checkbox" checked={paper} onChange={(e) => setPaper(e.target.checked)} />
            <span>{t('sign.paper')}</span>
          </label>
          {paper && (
            <div className={`field ${errors.signedAt ? 'has-error' : ''}`}>
              <label htmlFor="signed-at">{t('sign.signedAt')}</label>
              <input id="signed-at" type="datetime-local" value={signedAt} max={shanghaiInputValue(new Date())} onChange={(e) => setSignedAt(e.target.value)} />
              {errors.signedAt && <span className="field-error">{errors.signedAt}</span>}
            </div>
          )}
          <ErrorBox error={serverError} />
          <div className="form-actions wide">
            <button type="submit" className="btn btn-primary" disabled={busy || signed.has(party)} data-testid="sign-submit">
              {busy ? t('sign.submitting') : `${t('sign.submit')} · ${partyName(party)}`}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
