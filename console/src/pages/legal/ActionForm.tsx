/**
 * One act on a case: its text, checked with the act's schema, then sent;
 * an irreversible act (a violation confirmed) asks first, stating the consequence.
 */
import { useState, type FormEvent } from 'react';
import type { CaseView } from '../../../../api/routes/cases.types';
import { apiPost, newIdempotencyKey } from '../../api';
import { ConfirmStep, ErrorBox } from '../../components';
import { firstIssue, useAct } from '../../forms';
import { useI18n } from '../../i18n';
import type { ActionDef } from './caseActions';

export function ActionForm({ action, c, onDone }: { action: ActionDef; c: CaseView; onDone: (c: CaseView) => void }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [days, setDays] = useState(String(action.days?.initial(c) ?? ''));
  const [issue, setIssue] = useState<string | null>(null);
  const act = useAct();
  const send = (body: unknown) =>
    act.run(async () => {
      const path = action.route.replace(':id', encodeURIComponent(c.id));
      onDone(await apiPost<CaseView>(path, body, { idempotencyKey: newIdempotencyKey() }));
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = action.schema.safeParse(action.body(text, Number(days)));
    if (!parsed.success) {
      setIssue(firstIssue(parsed.error, lang));
      return;
    }
    setIssue(null);
    if (action.confirm) act.ask(parsed.data);
    else void send(parsed.data);
  };
  return (
    <form className="action-form" onSubmit={submit} noValidate data-action={action.id}>
      {action.days && (
        <label className="field">
          <span>{t(action.days.label)}</span>
          <input type="number" min={1} max={90} step={1} value={days} onChange={(e) => setDays(e.target.value)} disabled={act.asking !== null} data-testid="action-days" />
        </label>
      )}
      <label className="field">
        <span>{t(action.field)}</span>
        <textarea rows={2} value={text} onChange={(e) => setText(e.target.value)} required={!action.optional} disabled={act.asking !== null} />
        {issue && <span className="field-error">{issue}</span>}
      </label>
      <ErrorBox error={act.error} />
      {act.asking !== null && action.confirm ? (
        <ConfirmStep
          consequence={t(action.confirm, { number: c.contract?.number ?? '' })}
          action={t(action.label)}
          busy={act.busy}
          onConfirm={() => void send(act.asking)}
          onCancel={() => act.ask(null)}
        />
      ) : (
        <button type="submit" className={`btn btn-small ${action.confirm ? 'btn-danger' : 'btn-primary'}`} disabled={act.busy}>
          {t('legal.confirm')} · {t(action.label)}
        </button>
      )}
    </form>
  );
}
