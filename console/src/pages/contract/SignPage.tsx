/**
 * The signing screen for one party's representative: who signs, in what
 * capacity, sealed; a contract signed on paper gives the time it was signed.
 * Validated with the API's ZSignContractRequest. The party is the one asked
 * for (?party=A|B) or chosen here, never guessed: a party that has signed is
 * told so and offered nothing to sign. Signing asks first: it cannot be undone.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ContractDetailView } from '../../../../api/routes/contracts.types';
import { ZSignContractRequest, type TSignContractRequest } from '../../../../domain/contract';
import { apiGet, apiPost, newIdempotencyKey } from '../../api';
import { ConfirmStep, ErrorBox, Loading, Notice, StatusBadge, useLoad } from '../../components';
import { formatDateTime, formatYuan, fromShanghaiInput, shanghaiInputValue } from '../../format';
import { DEFAULT_SIGNER_TITLE, FormActions, issuesOf, otherParty, partyNamed, useAct, type Issues, type Party } from '../../forms';
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';

export function SignPage({ id }: { id: string }) {
  const { t, tx, lang } = useI18n();
  const { query } = useLocation();
  const detail = useLoad((signal) => apiGet<ContractDetailView>(`/api/contracts/${id}`, { signal }), [id]);
  const c = detail.data;
  const signed = new Set(c?.signatures.map((s) => s.party) ?? []);
  const requested = query.get('party');
  const asked: Party | null = requested === 'A' || requested === 'B' ? requested : null;

  const [party, setParty] = useState<Party | null>(asked);
  const [signer, setSigner] = useState('');
  const [title, setTitle] = useState('');
  const [sealed, setSealed] = useState(false);
  const [paper, setPaper] = useState(false);
  // signed on paper: when, as the paper says (never assumed)
  const [signedAt, setSignedAt] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const [done, setDone] = useState<string | null>(null);
  const act = useAct<TSignContractRequest>();
  const { asking, ask: setAsking } = act;

  // the party asked for in the address (a link for the other party changes it)
  useEffect(() => setParty(asked), [asked]);

  // prefill from the contract's representative when the party changes
  useEffect(() => {
    if (!c || !party) return;
    setSigner(party === 'A' ? c.parties.A.representative : c.parties.B.representative);
    setTitle(DEFAULT_SIGNER_TITLE[party]);
    setSealed(false);
    setAsking(null);
  }, [c?.id, party]); // eslint-disable-line react-hooks/exhaustive-deps

  if (detail.error && !c) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (!c) return <Loading />;

  const askedSignature = asked ? c.signatures.find((x) => x.party === asked) : undefined;
  const partyName = (p: Party) => partyNamed(t, p, c.parties[p].name);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!party) {
      setErrors({ party: t('sign.chooseParty') });
      return;
    }
    if (paper && !signedAt) {
      setErrors({ signedAt: t('sign.signedAtRequired') });
      return;
    }
    const body = { party, signer, title, sealed, ...(paper ? { signedAt: fromShanghaiInput(signedAt) } : {}) };
    const parsed = ZSignContractRequest.safeParse(body);
    if (!parsed.success) {
      setErrors(issuesOf(parsed.error, lang));
      return;
    }
    if (paper && Date.parse(parsed.data.signedAt!) > Date.now()) {
      setErrors({ signedAt: lang === 'zh' ? '不能晚于现在' : 'must not be in the future' });
      return;
    }
    setErrors({});
    setAsking(parsed.data);
  };

  const send = async () => {
    if (!asking) return;
    await act.run(async () => {
      const updated = await apiPost<ContractDetailView>(`/api/contracts/${c.id}/signatures`, asking, { idempotencyKey: newIdempotencyKey() });
      setDone(partyName(asking.party));
      setAsking(null);
      if (updated.status !== 'awaiting_signatures') navigate(`/contracts/${c.id}`);
      else {
        // no switching to the other party: whoever signs next chooses it
        if (!asked) setParty(null);
        detail.reload();
      }
    });
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
      ) : asked && askedSignature ? (
        <div className="notice n-info" role="status" data-testid="already-signed">
          <p>{t('sign.alreadyNothing', { party: partyName(asked), at: formatDateTime(askedSignature.signedAt, lang), signer: askedSignature.signer })}</p>
          <p>
            {!signed.has(otherParty(asked)) && (
              <Link to={`/contracts/${c.id}/sign?party=${otherParty(asked)}`} className="btn btn-small btn-wrap" data-testid="sign-other">
                {t('sign.forOther', { party: partyName(otherParty(asked)) })}
              </Link>
            )}{' '}
            <Link to={`/contracts/${c.id}`}>{t('sign.toDetail')}</Link>
          </p>
        </div>
      ) : (
        <form className="card form-grid" onSubmit={submit} noValidate data-testid="sign-form">
          <fieldset className="contents" disabled={asking !== null}>
          <fieldset className={`field wide party-choice ${errors.party ? 'has-error' : ''}`}>
            <legend>{t('sign.party')}</legend>
            {(['A', 'B'] as const).map((p) => (
              <label key={p} className="radio">
                <input type="radio" name="party" value={p} checked={party === p} disabled={signed.has(p)} onChange={() => setParty(p)} data-testid={`party-${p}`} />
                <span>
                  {partyName(p)}
                  {signed.has(p) ? ` · ${t('sign.signedMark')}` : ''}
                </span>
              </label>
            ))}
            {errors.party && <span className="field-error">{errors.party}</span>}
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
          </fieldset>
          <ErrorBox error={act.error} />
          {asking ? (
            <ConfirmStep
              consequence={t('sign.consequence', { party: partyName(asking.party), signer: asking.signer })}
              action={`${t('sign.submit')} · ${partyName(asking.party)}`}
              busy={act.busy}
              onConfirm={() => void send()}
              onCancel={() => setAsking(null)}
            />
          ) : (
            <FormActions submit={party ? `${t('sign.submit')} · ${partyName(party)}…` : `${t('sign.submit')}…`} testId="sign-submit" disabled={act.busy || (party !== null && signed.has(party))} />
          )}
        </form>
      )}
    </div>
  );
}
