import type { FormEvent, ReactNode } from 'react';
import { ConfirmStep, ErrorBox } from '../../../components';
import { useAct } from '../../../forms';
import { useI18n } from '../../../i18n';

/**
 * One small form of an act on the contract: its fields, then a POST. An
 * irreversible act (`confirm`: its consequence in one sentence) is checked
 * first, then asked in the danger colour; the fields stay locked while it is asked.
 */
export function ActForm({
  title,
  onSubmit,
  check,
  confirm,
  children,
  testId,
}: {
  title: string;
  onSubmit: () => Promise<void>;
  check?: () => Error | null;
  confirm?: string;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useI18n();
  const act = useAct<true>();
  const send = () => act.run(onSubmit);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    act.setError(null);
    if (!confirm) return void send();
    const problem = check?.() ?? null;
    if (problem) return act.setError(problem);
    act.ask(true);
  };
  const asking = act.asking !== null;
  return (
    <form className="form-grid act-form" onSubmit={submit} noValidate data-testid={testId}>
      <fieldset className="contents" disabled={asking || act.busy}>
        {children}
      </fieldset>
      <ErrorBox error={act.error} />
      {asking && confirm ? (
        <ConfirmStep consequence={confirm} action={title} busy={act.busy} onConfirm={() => void send()} onCancel={() => act.ask(null)} />
      ) : (
        <div className="form-actions wide">
          <button type="submit" className={`btn btn-small ${confirm ? 'btn-danger' : 'btn-primary'}`} disabled={act.busy} data-testid={testId ? `${testId}-submit` : undefined}>
            {confirm ? `${title}…` : `${t('legal.confirm')} · ${title}`}
          </button>
        </div>
      )}
    </form>
  );
}
