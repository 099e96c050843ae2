/**
 * The shell: who is signed in, the navigation their role allows, and the page
 * for the current path. Each entry appears only when its endpoint exists in
 * the API's route table and the role may call it (features.ts; the server
 * enforces it anyway). Pages read the signed-in user with useAuth (auth.tsx)
 * and never import the shell.
 */
import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import type { SessionView } from '../../api/routes/users.types';
import { apiDelete, apiGet, apiPost, can, cookieSession, session, setUnauthenticatedHandler, type Role, type User } from './api';
import { AuthContext } from './auth';
import { ErrorBox, Loading } from './components';
import { features } from './features';
import { InboxBadge } from './inbox-badge';
import { useI18n, type MessageKey } from './i18n';
import { Link, matchPath, navigate, Redirect, useLocation } from './router';
import { ContractsPage } from './pages/contract/ContractsPage';
import { SignInPage } from './pages/signin/SignInPage';

/** A page loaded with its own chunk the first time it is opened (the sign-in and the contract list come with the shell). */
function lazyPage<K extends string, P>(load: () => Promise<Record<K, ComponentType<P>>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const ComposePage = lazyPage(() => import('./pages/compose/ComposePage'), 'ComposePage');
const ContractImportPage = lazyPage(() => import('./pages/contract-import/ContractImportPage'), 'ContractImportPage');
const ContractDetailPage = lazyPage(() => import('./pages/contract/detail/ContractDetailPage'), 'ContractDetailPage');
const NewContractPage = lazyPage(() => import('./pages/contract/new/NewContractPage'), 'NewContractPage');
const SignPage = lazyPage(() => import('./pages/contract/SignPage'), 'SignPage');
const DigestPage = lazyPage(() => import('./pages/digest/DigestPage'), 'DigestPage');
const FinancePage = lazyPage(() => import('./pages/finance/FinancePage'), 'FinancePage');
const HolidayCalendarPage = lazyPage(() => import('./pages/holidays/HolidayCalendarPage'), 'HolidayCalendarPage');
const LegalPage = lazyPage(() => import('./pages/legal/LegalPage'), 'LegalPage');
const OutagesPage = lazyPage(() => import('./pages/outages/OutagesPage'), 'OutagesPage');
const InboxPage = lazyPage(() => import('./pages/inbox/InboxPage'), 'InboxPage');
const SmsTemplatesPage = lazyPage(() => import('./pages/sms-templates/SmsTemplatesPage'), 'SmsTemplatesPage');
const SmsReviewsPage = lazyPage(() => import('./pages/sms-templates/SmsReviewsPage'), 'SmsReviewsPage');
const UsersPage = lazyPage(() => import('./pages/users/UsersPage'), 'UsersPage');
const PasswordPage = lazyPage(() => import('./pages/account/PasswordPage'), 'PasswordPage');

type NavItem = { to: string; label: MessageKey | ((role: Role) => MessageKey); show: (role: Role) => boolean };
const NAV: NavItem[] = [
  { to: '/contracts', label: 'nav.contracts', show: features.contracts },
  { to: '/contracts/new', label: 'nav.new', show: features.createContract },
  { to: '/contract-imports', label: 'nav.import', show: features.importContracts },
  { to: '/finance', label: 'nav.finance', show: features.finance },
  { to: '/legal', label: (role) => (role === 'legal' || role === 'admin' ? 'nav.legal' : 'nav.cases'), show: features.legal },
  { to: '/outages', label: 'nav.outages', show: features.outages },
  { to: '/compose', label: 'nav.compose', show: features.compose },
  { to: '/sms-templates', label: 'nav.smsTemplates', show: features.smsTemplates },
  { to: '/sms-reviews', label: 'nav.smsReviews', show: features.smsReviews },
  { to: '/digest', label: (role) => (can(role, 'get', '/api/digests/latest') ? 'nav.digest' : 'nav.calendar'), show: features.digest },
  { to: '/holiday-calendar', label: 'nav.holidays', show: features.holidayCalendar },
  { to: '/users', label: 'nav.users', show: features.users },
];

type PageDef = { pattern: string; show: (role: Role) => boolean; render: (params: Record<string, string>) => ReactNode };
const PAGES: PageDef[] = [
  { pattern: '/contracts', show: features.contracts, render: () => <ContractsPage /> },
  { pattern: '/contracts/new', show: features.createContract, render: () => <NewContractPage /> },
  { pattern: '/contracts/:id', show: features.contracts, render: (p) => <ContractDetailPage id={p.id!} /> },
  { pattern: '/contracts/:id/sign', show: features.sign, render: (p) => <SignPage id={p.id!} /> },
  { pattern: '/contract-imports', show: features.importContracts, render: () => <ContractImportPage /> },
  { pattern: '/finance', show: features.finance, render: () => <FinancePage /> },
  { pattern: '/legal', show: features.legal, render: () => <LegalPage /> },
  { pattern: '/outages', show: features.outages, render: () => <OutagesPage /> },
  { pattern: '/compose', show: features.compose, render: () => <ComposePage /> },
  { pattern: '/digest', show: features.digest, render: () => <DigestPage /> },
  { pattern: '/holiday-calendar', show: features.holidayCalendar, render: () => <HolidayCalendarPage /> },
  { pattern: '/inbox', show: features.inbox, render: () => <InboxPage /> },
  { pattern: '/sms-templates', show: features.smsTemplates, render: () => <SmsTemplatesPage /> },
  { pattern: '/sms-reviews', show: features.smsReviews, render: () => <SmsReviewsPage /> },
  { pattern: '/users', show: features.users, render: () => <UsersPage /> },
  { pattern: '/password', show: features.changeOwnPassword, render: () => <PasswordPage /> },
];

function LangToggle() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="btn btn-ghost lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={t('lang.switchLabel')} data-testid="lang-toggle">
      {t('lang.switch')}
    </button>
  );
}

function Shell({ user, signOut, signOutEverywhere, children }: { user: User; signOut: () => void; signOutEverywhere: (() => void) | null; children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const items = NAV.filter((item) => item.show(user.role));
  const active = (to: string) => path === to || (to === '/contracts' && path.startsWith('/contracts/') && path !== '/contracts/new');
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            合
          </span>
          <div>
            <div className="brand-title">{t('app.title')}</div>
            <div className="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <div className="who">
          <span className="user-name" data-testid="user-name">
            {user.name}
          </span>
          <span className="badge role" data-testid="user-role">
            {t(`role.${user.role}`)}
          </span>
          {features.inbox(user.role) && <InboxBadge />}
          <LangToggle />
          {signOutEverywhere && features.changeOwnPassword(user.role) && (
            <Link to="/password" className="btn btn-ghost" data-testid="change-password">
              {t('account.title')}
            </Link>
          )}
          {signOutEverywhere && (
            <button type="button" className="btn btn-ghost" onClick={signOutEverywhere} data-testid="sign-out-everywhere">
              {t('nav.signOutEverywhere')}
            </button>
          )}
          <button type="button" className="btn btn-ghost" onClick={signOut} data-testid="sign-out">
            {t('nav.signOut')}
          </button>
        </div>
      </header>
      <nav className="nav" aria-label={t('nav.menu')}>
        {items.map((item) => (
          <Link key={item.to} to={item.to} className={active(item.to) ? 'active' : undefined} aria-current={active(item.to) ? 'page' : undefined}>
            {t(typeof item.label === 'function' ? item.label(user.role) : item.label)}
          </Link>
        ))}
      </nav>
      <main className="main">{children}</main>
    </div>
  );
}

export function App() {
  const { t } = useI18n();
  const { path } = useLocation();
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState<boolean>(() => session.token() !== null || cookieSession.begun());
  const [error, setError] = useState<unknown>(null);

  /** forgets the sign-in in this browser and shows the sign-in page */
  const signedOut = useCallback(() => {
    session.clear();
    cookieSession.end();
    setUser(null);
    navigate('/signin', { replace: true });
  }, []);

  useEffect(() => setUnauthenticatedHandler(signedOut), [signedOut]);

  const signOut = useCallback(() => {
    if (session.token() || !cookieSession.begun()) return signedOut();
    // the session ends on the server; whatever it answers, this browser forgets it
    void apiDelete('/api/session').then(signedOut, signedOut);
  }, [signedOut]);

  const signOutEverywhere = useCallback(() => {
    void apiPost('/api/session/sign-out-everywhere', {}).then(signedOut, setError);
  }, [signedOut]);

  const loadMe = useCallback(() => {
    const token = session.token();
    if (!token && !cookieSession.begun()) {
      setChecking(false);
      return;
    }
    setChecking(true);
    setError(null);
    const who: Promise<User> = token
      ? apiGet<User>('/api/me')
      : apiGet<SessionView>('/api/session').then((answer) => {
          cookieSession.csrfToken = answer.csrfToken;
          return answer.user;
        });
    who.then(
      (me) => {
        setUser(me);
        setChecking(false);
      },
      (e: unknown) => {
        setError(e);
        setChecking(false);
      },
    );
  }, []);
  useEffect(loadMe, [loadMe]);

  if (checking) return <Loading />;
  if (!user) {
    if (error && (session.token() || cookieSession.begun())) return <ErrorBox error={error} onRetry={loadMe} />;
    if (path !== '/signin') {
      const next = path === '/' ? '' : `?next=${encodeURIComponent(path + location.search)}`;
      return <Redirect to={`/signin${next}`} />;
    }
    return (
      <SignInPage
        onSignedIn={(me) => {
          setError(null);
          setUser(me);
          const next = new URLSearchParams(location.search).get('next');
          navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/contracts', { replace: true });
        }}
        langToggle={<LangToggle />}
      />
    );
  }
  if (path === '/' || path === '/signin') return <Redirect to={features.contracts(user.role) ? '/contracts' : '/compose'} />;

  let page: ReactNode = <p className="card">{t('common.notFound')}</p>;
  for (const def of PAGES) {
    const params = matchPath(def.pattern, path);
    if (params) {
      page = def.show(user.role) ? def.render(params) : <p className="card">{t('common.forbidden')}</p>;
      break;
    }
  }
  return (
    <AuthContext.Provider value={{ user, signOut }}>
      <Shell user={user} signOut={signOut} signOutEverywhere={session.token() ? null : signOutEverywhere}>
        {error !== null && <ErrorBox error={error} />}
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </Shell>
    </AuthContext.Provider>
  );
}
