import { useState, type FormEvent, type ReactNode } from 'react';
import type { SessionView } from '../../../../api/routes/users.types';
import { apiGet, apiPost, ApiError, cookieSession, session, type User } from '../../api';
import { ErrorBox } from '../../components';
import { useI18n } from '../../i18n';

/** Signing in: a user name and password (a cookie session), or, for those who have one, an API token. */
export function SignInPage({ onSignedIn, langToggle }: { onSignedIn: (user: User) => void; langToggle: ReactNode }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState<'password' | 'token' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tokenError, setTokenError] = useState<unknown>(null);

  const signInWithPassword = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) return;
    setBusy('password');
    setError(null);
    try {
      const answer = await apiPost<SessionView>('/api/session', { username: username.trim(), password }, { expectUnauthenticated: true });
      session.clear();
      cookieSession.begin(answer.csrfToken!);
      onSignedIn(answer.user);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const signInWithToken = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, '');
    if (!value) return;
    setBusy('token');
    setTokenError(null);
    try {
      const me = await apiGet<User>('/api/me', { token: value });
      session.save(value, remember);
      onSignedIn(me);
    } catch (e) {
      setTokenError(e instanceof ApiError && e.status === 401 ? new Error(t('signin.invalid')) : e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="signin">
      <div className="signin-lang">{langToggle}</div>
      <div className="card signin-card">
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
        <form onSubmit={signInWithPassword} data-testid="password-form">
          <label className="field">
            <span>{t('signin.username')}</span>
            <input
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
              data-testid="username-input"
            />
          </label>
          <label className="field">
            <span>{t('signin.password')}</span>
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="password-input" />
          </label>
          <ErrorBox error={error} />
          <button type="submit" className="btn btn-primary" disabled={busy !== null || !username.trim() || !password} data-testid="password-submit">
            {busy === 'password' ? t('signin.checking') : t('signin.submit')}
          </button>
        </form>
        <form className="signin-token" onSubmit={signInWithToken}>
          <h3>{t('signin.withToken')}</h3>
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
          <ErrorBox error={tokenError} />
          <button type="submit" className="btn" disabled={busy !== null || !token.trim()} data-testid="signin-submit">
            {busy === 'token' ? t('signin.checking') : t('signin.submitToken')}
          </button>
        </form>
      </div>
    </div>
  );
}
