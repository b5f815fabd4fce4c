import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { createHashRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router';
import { LoaderCircle, PlugZap } from 'lucide-react';
import type { AppInfo, AppStatus } from '../../../shared/contract';
import { DatabaseAttention } from '../components/database-attention';
import { DemoBanner } from '../components/demo-banner';
import { Sidebar } from '../components/sidebar';
import { StatusBar } from '../components/status-bar';
import { AccountsPage } from '../pages/accounts/accounts-page';
import { DemoPage } from '../pages/demo/demo-page';
import { DiagnosticsPage } from '../pages/diagnostics/diagnostics-page';
import { InboxPage } from '../pages/inbox/inbox-page';
import { QueuePage } from '../pages/queue/queue-page';
import { ReportsPage } from '../pages/reports-page';
import { RulesPage } from '../pages/rules/rules-page';
import { SettingsPage } from '../pages/settings-page';
import { useContractQuery, useEvent } from './client-context';
import { ErrorBoundary } from './error-boundary';
import { NotificationToasts } from './notification-toasts';
import { useSectionShortcuts } from './use-section-shortcuts';

/** Marks the root for tests and automation: they wait for `data-app-state="ready"`, never for a fixed time. */
function useAppState(state: 'loading' | 'ready' | 'error'): void {
  useEffect(() => {
    document.getElementById('root')?.setAttribute('data-app-state', state);
  }, [state]);
}

function Frame(props: { info: AppInfo; status: AppStatus }) {
  const location = useLocation();
  useSectionShortcuts();
  const databaseBlocked =
    props.status.database.state === 'needs_attention' || props.status.database.state === 'unreachable';
  return (
    <div className={`frame${props.info.demo ? ' frame--demo' : ''}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {props.info.demo && <DemoBanner />}
      <Sidebar demo={props.info.demo} />
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          {databaseBlocked && location.pathname !== '/settings' ? (
            <DatabaseAttention database={props.status.database} />
          ) : (
            <Outlet />
          )}
        </ErrorBoundary>
      </main>
      <StatusBar status={props.status} info={props.info} />
      {/* The desktop app shows OS notifications instead (the shell); a browser gets in-app toasts. */}
      {props.info.shell === 'headless' && <NotificationToasts />}
    </div>
  );
}

function Loading() {
  return (
    <div className="splash" role="status">
      <LoaderCircle className="spin" size={28} aria-hidden />
      <p>Starting Switchboard…</p>
    </div>
  );
}

function Unreachable(props: { message: string }) {
  return (
    <div className="splash" role="alert">
      <PlugZap size={30} aria-hidden />
      <h1>Switchboard is not reachable</h1>
      <p>{props.message}</p>
    </div>
  );
}

export function App() {
  const [info] = useContractQuery('app.getInfo', {});
  const [statusQuery] = useContractQuery('app.getStatus', {});
  const [liveStatus, setLiveStatus] = useState<AppStatus | null>(null);
  useEvent('app.statusChanged', setLiveStatus);

  const status = liveStatus ?? (statusQuery.status === 'ok' ? statusQuery.value : null);
  const failure =
    info.status === 'error' ? info.error : statusQuery.status === 'error' ? statusQuery.error : null;
  useAppState(failure ? 'error' : info.status === 'ok' && status ? 'ready' : 'loading');

  if (failure) return <Unreachable message={failure.message} />;
  if (info.status !== 'ok' || !status) return <Loading />;
  return <Routes info={info.value} status={status} />;
}

const AppDataContext = createContext<{ info: AppInfo; status: AppStatus } | null>(null);

/** App-wide data (info, live status) for the routed screens; the router itself is created once. */
function useAppData(): { info: AppInfo; status: AppStatus } {
  const data = useContext(AppDataContext);
  if (!data) throw new Error('useAppData outside AppDataContext');
  return data;
}

function RoutedFrame() {
  const { info, status } = useAppData();
  return <Frame info={info} status={status} />;
}

function RoutedAccounts() {
  const { status } = useAppData();
  return <AccountsPage status={status} />;
}

function RoutedSettings() {
  const { info, status } = useAppData();
  return <SettingsPage info={info} status={status} />;
}

function Routes(props: { info: AppInfo; status: AppStatus }) {
  const [router] = useState(() =>
    createHashRouter([
      {
        path: '/',
        element: <RoutedFrame />,
        children: [
          { index: true, element: <Navigate to="/inbox" replace /> },
          { path: 'inbox/:conversationId?', element: <InboxPage /> },
          { path: 'rules/:accountId?/:ruleId?', element: <RulesPage /> },
          { path: 'accounts/:accountId?', element: <RoutedAccounts /> },
          { path: 'reports', element: <ReportsPage /> },
          // Reached from an account and from the status bar: the outbox per account.
          { path: 'queue/:accountId?', element: <QueuePage /> },
          { path: 'settings', element: <RoutedSettings /> },
          // Reached from Settings (not a main section): receiving health, deliveries, refusals.
          { path: 'diagnostics', element: <DiagnosticsPage /> },
          // Only in demo mode: outside it there is no sandbox to play the customer in.
          ...(props.info.demo ? [{ path: 'demo', element: <DemoPage /> }] : []),
          { path: '*', element: <Navigate to="/inbox" replace /> },
        ],
      },
    ]),
  );
  const { info, status } = props;
  const value = useMemo(() => ({ info, status }), [info, status]);
  return (
    <AppDataContext.Provider value={value}>
      <RouterProvider router={router} />
    </AppDataContext.Provider>
  );
}
