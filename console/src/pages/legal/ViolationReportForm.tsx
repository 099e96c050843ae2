/**
 * The content-violation report a contract's page opens: the customer's
 * report with its clock (Art.4 §10(5): within 1 hour of learning of it), or
 * the provider's own. Validated with the API's schema (domain/legal); when
 * it was learned of and who reports are never filled in for the person.
 */
import { useMemo, useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import type { ContractDetailView } from '../../../../api/routes/contracts.types';
import { ZViolationRequest } from '../../../../domain/legal';
import { apiPost, newIdempotencyKey, type Role } from '../../api';
import { Countdown, ErrorBox } from '../../components';
import { formatDateTime, fromShanghaiInput, instantOf, shanghaiInputValue } from '../../format';
import { Field, FormActions, issuesOf, useAct, type Issues } from '../../forms';
import { useI18n } from '../../i18n';

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

export function ViolationReportForm({ contract, role, onDone, onCancel }: { contract: ContractDetailView; role: Role; onDone: (c: CaseView) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const customer = role === 'customer';
  const [reportedBy, setReportedBy] = useState<'' | 'customer' | 'provider'>(customer ? 'customer' : '');
  const [learnedAt, setLearnedAt] = useState('');
  const [description, setDescription] = useState('');
  const [messageRef, setMessageRef] = useState('');
  const [errors, setErrors] = useState<Issues>({});
  const act = useAct();
  const learned = instantOf(learnedAt);
  const hours = contract.terms.legal.violationReportHours;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZViolationRequest.safeParse({ reportedBy, learnedAt: learned === null ? '' : fromShanghaiInput(learnedAt), description, ...(messageRef.trim() ? { messageRef } : {}) });
    const next = parsed.success ? {} : issuesOf(parsed.error, lang);
    if (!reportedBy) next.reportedBy = t('violation.chooseReporter');
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await act.run(async () => onDone(await apiPost<CaseView>(`/api/contracts/${contract.id}/violations`, parsed.data, { idempotencyKey: newIdempotencyKey() })));
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
      <Field label={t('violation.messageRef')}>
        <input value={messageRef} onChange={(e) => setMessageRef(e.target.value)} />
      </Field>
      {reportedBy === 'customer' && learned !== null && <ReportClock learnedAt={learned} hours={hours} />}
      <Field label={t('violation.description')} error={errors.description} wide>
        <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="violation-description" />
      </Field>
      <ErrorBox error={act.error} />
      <FormActions submit={t('violation.submit')} testId="violation-submit" disabled={act.busy} onCancel={onCancel} />
    </form>
  );
}
