import { useState, type FormEvent, type ReactNode } from 'react';
import { apiGet, ApiError, session, type User } from '../../api';
import { ErrorBox } from '../../components';
import { useI18n } from '../../i18n';

export function SignInPage({ onSignedIn, langToggle }: { onSignedIn: (user: User) => void; langToggle: ReactNode }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!value) return;
    setBusy(true);
    setError(null);
    try {
      const me = await apiGet<User>('/api/me', { token: value });
      session.save(value, remember);
      onSignedIn(me);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? new Error(t('signin.invalid')) : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <div className="signin-lang">{langToggle}</div>
      <form className="card signin-card" onSubmit={submit}>
        <div className="brand">
          <span className="logo" aria-hidden="true">
            合
          </span>
          <div>
            <h1 className="brand-title">{t('app.title')}</h1>
            <div className="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <h2>{t('signin.title')}</h2>
        <p className="muted">{t('signin.intro')}</p>
        <label className="field">
          <span>{t('signin.token')}</span>
          <input
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder="smsc_…"
            required
            data-testid="token-input"
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
          <span>{t('signin.remember')}</span>
        </label>
        <ErrorBox error={error} />
        <button type="submit" className="btn btn-primary" disabled={busy || !token.trim()} data-testid="signin-submit">
          {busy ? t('signin.checking') : t('signin.submit')}
        </button>
      </form>
    </div>
  );
}
