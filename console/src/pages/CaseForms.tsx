/**
 * The legal duties a contract's page opens: the customer's content-violation
 * report with its clock (Art.4 §10(5): within 1 hour of learning of it) and
 * the provider's finding, a force-majeure declaration (Art.9) and the filing
 * of its written proof (an uploaded PDF or the text of a statement). Bodies
 * are validated with the API's schemas (domain/legal); nothing that decides
 * the case (when it was learned of, who declares) is filled in for the person.
 */
import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { ZForceMajeureRequest, ZProofRequest, ZViolationRequest } from '../../../domain/legal';
import { apiPost, newIdempotencyKey, type Role } from '../api';
import { ConfirmStep, Countdown, ErrorBox } from '../components';
import { formatDateTime, fromShanghaiInput, shanghaiInputValue } from '../format';
import { useI18n, type Lang } from '../i18n';
import { localizeMessage } from '../zod-messages';
import type { ContractDetail } from './ContractDetail';
import type { CaseView } from './Legal';

type Issues = Record<string, string>;

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, lang: Lang): Issues {
  const out: Issues = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.')] ??= localizeMessage(issue.message, lang);
  return out;
}

const partyLabel = (t: ReturnType<typeof useI18n>['t'], contract: ContractDetail, party: 'A' | 'B') =>
  `${t(party === 'A' ? 'detail.partyA' : 'detail.partyB')}（${party === 'A' ? contract.parties.A.name : contract.parties.B.name}）`;

/** A datetime-local value as an instant, or null while it is empty or unreadable. */
function instantOf(value: string): number | null {
  if (!value) return null;
  const ms = Date.parse(fromShanghaiInput(value));
  return Number.isNaN(ms) ? null : ms;
}

/** The customer's report clock: due `hours` after learning of the violation, live. */
function ReportClock({ learnedAt, hours }: { learnedAt: number; hours: number }) {
  const { t, lang } = useI18n();
  const dueAt = learnedAt + hours * 3_600_000;
  // read once per learnedAt; the countdown moves on by itself
  const anchor = useMemo(() => ({ left: Math.floor((dueAt - Date.now()) / 1000), at: Date.now() }), [dueAt]);
  return (
    <div className={`report-clock wide ${anchor.left < 0 ? 'late' : ''}`} data-testid="report-clock" data-due-at={new Date(dueAt).toISOString()}>
      <span>{t('violation.clock', { due: formatDateTime(new Date(dueAt).toISOString(), lang), n: hours })}</span>{' '}
      <Countdown secondsLeft={anchor.left} fetchedAt={anchor.at} label={t('deadline.violation_report')} />
      {anchor.left < 0 && <span className="small block">{t('violation.willBeLate')}</span>}
    </div>
  );
}

export function ViolationReportForm({ contract, role, onDone, onCancel }: { contract: ContractDetail; role: Role; onDone: (c: CaseView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const customer = role === 'customer';
  const [reportedBy, setReportedBy] = useState<'' | 'customer' | 'provider'>(customer ? 'customer' : '');
  const [learnedAt, setLearnedAt] = useState('');
  const [description, setDescription] = useState('');
  const [messageRef, setMessageRef] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const learned = instantOf(learnedAt);
  const hours = contract.terms.legal.violationReportHours;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZViolationRequest.safeParse({ reportedBy, learnedAt: learned === null ? '' : fromShanghaiInput(learnedAt), description, ...(messageRef.trim() ? { messageRef } : {}) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!reportedBy) next.reportedBy = t('violation.chooseReporter');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await apiPost<CaseView>(`/api/contracts/${contract.id}/violations`, parsed.data, { idempotencyKey: newIdempotencyKey() }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="violation-form">
      <h3 className="wide">{t('violation.report')}</h3>
      <p className="wide muted small">{t(customer ? 'violation.introCustomer' : 'violation.introStaff', { n: hours })}</p>
      {customer ? null : (
        <fieldset className={`field wide ${errors.reportedBy ? 'has-error' : ''}`}>
          <legend>{t('violation.reportedBy')}</legend>
          <div className="segmented">
            {(['customer', 'provider'] as const).map((who) => (
              <label key={who} className="radio">
                <input type="radio" name="reportedBy" checked={reportedBy === who} onChange={() => setReportedBy(who)} data-testid={`reported-by-${who}`} />
                <span>{t(`violation.by.${who}`)}</span>
              </label>
            ))}
          </div>
          {errors.reportedBy && <span className="field-error">{errors.reportedBy}</span>}
        </fieldset>
      )}
      <div className={`field ${errors.learnedAt ? 'has-error' : ''}`}>
        <label htmlFor="violation-learned">{t('violation.learnedAt')}</label>
        <span className="input-row">
          <input id="violation-learned" type="datetime-local" value={learnedAt} max={shanghaiInputValue(new Date())} onChange={(e) => setLearnedAt(e.target.value)} data-testid="violation-learned" />
          <button type="button" className="btn btn-small" onClick={() => setLearnedAt(shanghaiInputValue(new Date()))}>
            {t('common.now')}
          </button>
        </span>
        {errors.learnedAt && <span className="field-error">{errors.learnedAt}</span>}
      </div>
      <label className="field">
        <span>{t('violation.messageRef')}</span>
        <input value={messageRef} onChange={(e) => setMessageRef(e.target.value)} />
      </label>
      {reportedBy === 'customer' && learned !== null && <ReportClock learnedAt={learned} hours={hours} />}
      <label className={`field wide ${errors.description ? 'has-error' : ''}`}>
        <span>{t('violation.description')}</span>
        <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="violation-description" />
        {errors.description && <span className="field-error">{errors.description}</span>}
      </label>
      <ErrorBox error={error} />
      <div className="form-actions wide">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('confirm.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="violation-submit">
          {t('violation.submit')}
        </button>
      </div>
    </form>
  );
}

/** The report of a violation case in words: when it was learned of, when the report was due, on time or late. */
export function ViolationReportLine({ c }: { c: CaseView }) {
  const { t, lang } = useI18n();
  const report = c.details?.report as { reportedAt: string; dueAt: string; onTime: boolean } | null | undefined;
  const learnedAt = c.details?.learnedAt as string | undefined;
  if (!learnedAt) return null;
  return (
    <div className="small" data-testid="violation-report" data-on-time={report ? String(report.onTime) : undefined}>
      {t('violation.learnedLine', { at: formatDateTime(learnedAt, lang) })}
      {report && (
        <>
          {' · '}
          {t('violation.dueLine', { at: formatDateTime(report.dueAt, lang) })}
          {' · '}
          <span className={report.onTime ? 'ok' : 'bad-text'}>
            {t(report.onTime ? 'violation.onTime' : 'violation.late', { minutes: Math.max(0, Math.round((Date.parse(report.reportedAt) - Date.parse(learnedAt)) / 60_000)) })}
          </span>
        </>
      )}
    </div>
  );
}

export function ForceMajeureForm({ contract, role, onDone, onCancel }: { contract: ContractDetail; role: Role; onDone: (c: CaseView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const customer = role === 'customer';
  const [declaredBy, setDeclaredBy] = useState<'' | 'A' | 'B'>(customer ? 'A' : '');
  const [occurredAt, setOccurredAt] = useState('');
  const [eventName, setEventName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const [asking, setAsking] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const days = contract.terms.legal.forceMajeureProofDays;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const occurred = instantOf(occurredAt);
    const parsed = ZForceMajeureRequest.safeParse({ declaredBy, occurredAt: occurred === null ? '' : fromShanghaiInput(occurredAt), description, ...(eventName.trim() ? { event: eventName } : {}) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!declaredBy) next.declaredBy = t('fm.chooseParty');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    setAsking(parsed.data);
  };
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await apiPost<CaseView>(`/api/contracts/${contract.id}/force-majeure`, asking, { idempotencyKey: newIdempotencyKey() }));
    } catch (e) {
      setError(e);
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="fm-form">
      <h3 className="wide">{t('fm.declare')}</h3>
      <p className="wide muted small">{t('fm.intro', { n: days })}</p>
      <fieldset className="contents" disabled={asking !== null}>
        <fieldset className={`field wide ${errors.declaredBy ? 'has-error' : ''}`}>
          <legend>{t('fm.declaredBy')}</legend>
          <div className="segmented">
            {(['A', 'B'] as const).map((p) => (
              <label key={p} className="radio">
                <input type="radio" name="declaredBy" checked={declaredBy === p} disabled={customer && p === 'B'} onChange={() => setDeclaredBy(p)} data-testid={`fm-party-${p}`} />
                <span>{partyLabel(t, contract, p)}</span>
              </label>
            ))}
          </div>
          {errors.declaredBy && <span className="field-error">{errors.declaredBy}</span>}
        </fieldset>
        <label className={`field ${errors.occurredAt ? 'has-error' : ''}`}>
          <span>{t('fm.occurredAt')}</span>
          <input type="datetime-local" value={occurredAt} max={shanghaiInputValue(new Date())} onChange={(e) => setOccurredAt(e.target.value)} data-testid="fm-occurred" />
          {errors.occurredAt && <span className="field-error">{errors.occurredAt}</span>}
        </label>
        <label className={`field ${errors.event ? 'has-error' : ''}`}>
          <span>{t('fm.event')}</span>
          <input value={eventName} onChange={(e) => setEventName(e.target.value)} placeholder={t('fm.eventHint')} data-testid="fm-event" />
          {errors.event && <span className="field-error">{errors.event}</span>}
        </label>
        <label className={`field wide ${errors.description ? 'has-error' : ''}`}>
          <span>{t('fm.description')}</span>
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="fm-description" />
          {errors.description && <span className="field-error">{errors.description}</span>}
        </label>
      </fieldset>
      <ErrorBox error={error} />
      {asking !== null && declaredBy ? (
        <ConfirmStep
          consequence={t('fm.consequence', { other: partyLabel(t, contract, declaredBy === 'A' ? 'B' : 'A'), party: partyLabel(t, contract, declaredBy), n: days })}
          action={t('fm.declare')}
          busy={busy}
          onConfirm={() => void send()}
          onCancel={() => setAsking(null)}
        />
      ) : (
        <div className="form-actions wide">
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('confirm.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="fm-submit">
            {t('fm.declare')}
          </button>
        </div>
      )}
    </form>
  );
}

/** base64 of a file's bytes (without the data: URL's prefix). */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** The written proof of a force-majeure event: a PDF, or the text of a written statement (rendered to a PDF by the API). */
export function ProofForm({ c, onDone }: { c: CaseView; onDone: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const [mode, setMode] = useState<'pdf' | 'text'>('pdf');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [issue, setIssue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    setIssue(null);
    if (!chosen) return setFile(null);
    try {
      setFile({ name: chosen.name, base64: await readBase64(chosen) });
    } catch (e) {
      setError(e);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const fileTitle = title.trim() || (file ? file.name.replace(/\.pdf$/i, '') : '');
    const document = mode === 'pdf' ? { ...(fileTitle ? { title: fileTitle } : {}), pdfBase64: file?.base64 ?? '' } : { ...(title.trim() ? { title } : {}), text };
    const parsed = ZProofRequest.safeParse({ document, ...(note.trim() ? { note } : {}) });
    if (!parsed.success) {
      setIssue(mode === 'pdf' && !file ? t('fm.choosePdf') : localizeMessage(parsed.error.issues[0]?.message ?? 'invalid', lang));
      return;
    }
    setIssue(null);
    setBusy(true);
    setError(null);
    try {
      onDone(await apiPost<CaseView>(`/api/force-majeure/${encodeURIComponent(c.id)}/proof`, parsed.data, { idempotencyKey: newIdempotencyKey() }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid="proof-form">
      <div className="segmented wide" role="group" aria-label={t('legal.proofText')}>
        {(['pdf', 'text'] as const).map((m) => (
          <label key={m} className="radio">
            <input type="radio" name={`proof-mode-${c.id}`} checked={mode === m} onChange={() => setMode(m)} data-testid={`proof-mode-${m}`} />
            <span>{t(m === 'pdf' ? 'fm.proofPdf' : 'fm.proofText')}</span>
          </label>
        ))}
      </div>
      {mode === 'pdf' ? (
        <label className="field">
          <span>{t('fm.proofFile')}</span>
          <input type="file" accept="application/pdf,.pdf" onChange={(e) => void pick(e)} data-testid="proof-file" />
        </label>
      ) : (
        <label className="field wide">
          <span>{t('legal.proofText')}</span>
          <textarea rows={3} value={text} onChange={(e) => setText(e.target.value)} data-testid="proof-text" />
        </label>
      )}
      <label className="field">
        <span>{t('fm.proofTitle')}</span>
        <input value={title} placeholder={file?.name.replace(/\.pdf$/i, '') ?? ''} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="field wide">
        <span>{t('legal.note')}</span>
        <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {issue && <span className="field-error wide">{issue}</span>}
      <ErrorBox error={error} />
      <div className="form-actions wide">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="proof-submit">
          {t('legal.proof')}
        </button>
      </div>
    </form>
  );
}
