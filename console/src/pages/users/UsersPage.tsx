/**
 * The admin's user screens (GET /api/users): every user with their user name,
 * role, whether a password is set and their live sessions; creating a user
 * with a role and first password (POST /api/users), changing a staff
 * member's role (PUT /api/users/:id/role) and resetting a password
 * (PUT /api/users/:id/password).
 */
import { useState, type FormEvent } from 'react';
import type { CreatedUserView, UserAccountView } from '../../../../api/routes/users.types';
import { apiGet, apiPost, apiPut, newIdempotencyKey, type Role } from '../../api';
import { useAuth } from '../../auth';
import { DataTable, ErrorBox, ListBody, Notice, Section, useLoad, type Column } from '../../components';
import { formatDateTime } from '../../format';
import { Field, FormActions } from '../../forms';
import { useI18n } from '../../i18n';

const ROLES: Role[] = ['sales', 'legal', 'finance', 'operations', 'admin', 'customer'];
const STAFF_ROLES = ROLES.filter((r) => r !== 'customer');
const PASSWORD_MIN_LENGTH = 10;

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', username: '', role: 'sales' as Role, password: '', organisation: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<CreatedUserView | null>(null);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const body = {
        name: form.name.trim(),
        role: form.role,
        username: form.username.trim(),
        password: form.password,
        ...(form.role === 'customer' ? { organisation: form.organisation.trim() } : {}),
      };
      const answer = await apiPost<CreatedUserView>('/api/users', body, { idempotencyKey: newIdempotencyKey() });
      setCreated(answer);
      setForm({ name: '', username: '', role: form.role, password: '', organisation: '' });
      onCreated();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('users.create')} id="create-user">
      <form className="form-grid" onSubmit={submit} data-testid="create-user-form">
        <Field label={t('users.name')}>
          <input name="name" value={form.name} onChange={set('name')} required maxLength={64} />
        </Field>
        <Field label={t('users.username')}>
          <input name="username" value={form.username} onChange={set('username')} required maxLength={64} autoCapitalize="none" spellCheck={false} autoComplete="off" />
        </Field>
        <Field label={t('users.role')}>
          <select name="role" value={form.role} onChange={set('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('users.password')}>
          <input name="password" type="password" value={form.password} onChange={set('password')} placeholder={t('users.passwordHint', { n: PASSWORD_MIN_LENGTH })} required autoComplete="new-password" />
        </Field>
        {form.role === 'customer' && (
          <Field label={t('users.organisation')} wide>
            <input name="organisation" value={form.organisation} onChange={set('organisation')} required maxLength={128} />
          </Field>
        )}
        <div className="wide">
          <ErrorBox error={error} />
        </div>
        <FormActions submit={t('users.create')} testId="create-user" disabled={busy} />
      </form>
      {created && (
        <Notice kind="ok">
          <span data-testid="user-created">{t('users.created', { name: created.user.name, username: created.user.username ?? '' })}</span>
          {created.token && (
            <>
              {' '}
              {t('users.createdToken')} <code>{created.token}</code>
            </>
          )}
        </Notice>
      )}
    </Section>
  );
}

function RoleCell({ account, onSaved }: { account: UserAccountView; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const [role, setRole] = useState<Role>(account.role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (account.role === 'customer' || account.id === user.id || account.deactivatedAt) return <>{t(`role.${account.role}`)}</>;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiPut(`/api/users/${encodeURIComponent(account.id)}/role`, { role });
      onSaved(t('users.roleSaved', { name: account.name, role: t(`role.${role}`) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline-form">
      <select aria-label={t('users.role')} value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="role-select">
        {STAFF_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`role.${r}`)}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-small" disabled={busy || role === account.role} onClick={() => void save()} data-testid="save-role">
        {t('users.saveRole')}
      </button>
      <ErrorBox error={error} />
    </div>
  );
}

function PasswordCell({ account, onSaved }: { account: UserAccountView; onSaved: (message: string) => void }) {
  const { t } = useI18n();
  const [password, setPassword] = useState('');
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (account.deactivatedAt) return null;
  const reset = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await apiPut<{ sessionsEnded: number }>(`/api/users/${encodeURIComponent(account.id)}/password`, {
        password,
        ...(account.username ? {} : { username: username.trim() }),
      });
      setPassword('');
      onSaved(t('users.passwordReset', { name: account.name, n: answer.sessionsEnded }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={reset} data-testid="reset-password-form">
      {!account.username && (
        <input aria-label={t('users.username')} placeholder={t('users.username')} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
      )}
      <input type="password" aria-label={t('users.newPassword')} placeholder={t('users.newPassword')} value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
      <button type="submit" className="btn btn-small" disabled={busy || !password} data-testid="reset-password">
        {t('users.resetPassword')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

export function UsersPage() {
  const { t, lang } = useI18n();
  const list = useLoad((signal) => apiGet<{ items: UserAccountView[] }>('/api/users', { signal }), []);
  const [message, setMessage] = useState<string | null>(null);
  const saved = (text: string) => {
    setMessage(text);
    list.reload();
  };
  const columns: Column<UserAccountView>[] = [
    { head: t('users.name'), cell: (u) => u.name },
    { head: t('users.username'), cell: (u) => u.username ?? '—', className: 'mono' },
    { head: t('users.role'), cell: (u) => <RoleCell key={`${u.id}:${u.role}`} account={u} onSaved={saved} /> },
    { head: t('users.password'), cell: (u) => (u.hasPassword ? t('users.hasPassword') : t('users.noPassword')) },
    { head: t('users.sessions'), cell: (u) => u.liveSessions, num: true },
    { head: t('users.lastSeen'), cell: (u) => (u.lastSeenAt ? formatDateTime(u.lastSeenAt, lang) : t('users.never')) },
    { head: t('users.status'), cell: (u) => (u.deactivatedAt ? t('users.deactivated') : t('users.active')) },
    { head: t('users.actions'), cell: (u) => <PasswordCell account={u} onSaved={saved} /> },
  ];
  return (
    <div className="page" data-testid="users-page">
      <div className="page-head">
        <h1>{t('users.title')}</h1>
        <p className="muted">{t('users.intro')}</p>
      </div>
      <CreateUserForm onCreated={list.reload} />
      {message && (
        <Notice kind="ok">
          <span data-testid="users-message">{message}</span>
        </Notice>
      )}
      <ListBody list={list} empty={(list.data?.items.length ?? 0) === 0} emptyText={t('users.empty')}>
        <DataTable rows={list.data?.items ?? []} columns={columns} rowKey={(u) => u.id} rowProps={(u) => ({ 'data-user': u.username ?? u.id })} testId="users" responsive card />
      </ListBody>
    </div>
  );
}
