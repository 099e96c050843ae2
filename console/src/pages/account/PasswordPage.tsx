/**
 * Changing one's own password (PUT /api/me/password): the current one is
 * asked; every other session of the user's ends, this one goes on.
 */
import { useState, type FormEvent } from 'react';
import { apiPut } from '../../api';
import { ErrorBox, Notice, Section } from '../../components';
import { Field, FormActions } from '../../forms';
import { useI18n } from '../../i18n';

const PASSWORD_MIN_LENGTH = 10;

export function PasswordPage() {
  const { t } = useI18n();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [ended, setEnded] = useState<number | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setEnded(null);
    try {
      const answer = await apiPut<{ sessionsEnded: number }>('/api/me/password', { currentPassword, newPassword });
      setCurrentPassword('');
      setNewPassword('');
      setEnded(answer.sessionsEnded);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page" data-testid="password-page">
      <div className="page-head">
        <h1>{t('account.title')}</h1>
        <p className="muted">{t('account.intro')}</p>
      </div>
      <Section title={t('account.title')}>
        <form className="form-grid" onSubmit={submit} data-testid="password-change-form">
          <Field label={t('account.current')}>
            <input name="currentPassword" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} required />
          </Field>
          <Field label={t('account.new')}>
            <input
              name="newPassword"
              type="password"
              autoComplete="new-password"
              placeholder={t('users.passwordHint', { n: PASSWORD_MIN_LENGTH })}
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
              required
            />
          </Field>
          <div className="wide">
            <ErrorBox error={error} />
          </div>
          <FormActions submit={t('account.submit')} testId="password-change" disabled={busy || !currentPassword || !newPassword} />
        </form>
        {ended !== null && (
          <Notice kind="ok">
            <span data-testid="password-changed">{t('account.changed', { n: ended })}</span>
          </Notice>
        )}
      </Section>
    </div>
  );
}
