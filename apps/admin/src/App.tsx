/**
 * The console's frame: sign-in gate, header (language, user, sign out), navigation, and the routes.
 * /admin/analytics is a slot for the analytics dashboard page.
 */
import { AppShell, Burger, Button, Center, Group, Loader, NavLink, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Navigate, NavLink as RouterLink, Route, Routes, useLocation } from 'react-router';
import { LanguageSwitch } from './components/LanguageSwitch';
import { QueryState } from './components/QueryState';
import { AUTH_KEY, logout, useAuth, type AuthState } from './lib/auth';
import { useT } from './lib/i18n-context';
import { roleAnywhere, type Role } from './lib/roles';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { KbListPage } from './pages/KbListPage';
import { KbPage } from './pages/KbPage';
import { LoginPage } from './pages/LoginPage';
import { MembersPage } from './pages/MembersPage';

// Loaded when first opened: the dashboard's charts and the agent console's socket client stay out of
// the first download.
const AnalyticsPage = lazy(() => import('./pages/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })));
const AgentConsolePage = lazy(() =>
  import('./pages/AgentConsolePage').then((m) => ({ default: m.AgentConsolePage })),
);

/** A 1px rule in the border colour where the navbar ends (offset 0 when the navbar is collapsed on phones). */
const NAVBAR_RULE = {
  backgroundImage: 'linear-gradient(var(--app-shell-border-color), var(--app-shell-border-color))',
  backgroundSize: '1px 100%',
  backgroundRepeat: 'no-repeat',
  backgroundPosition: 'calc(var(--app-shell-navbar-offset, 0rem) - 1px) 0',
};

export function App() {
  const auth = useAuth();
  if (auth.isPending)
    return (
      <Center mih="100vh">
        <Loader />
      </Center>
    );
  return (
    <QueryState query={auth}>
      {(state) => (state.enabled && !state.session ? <LoginPage /> : <Shell auth={state} />)}
    </QueryState>
  );
}

function Shell({ auth }: { auth: AuthState }) {
  const { t } = useT();
  const client = useQueryClient();
  const location = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  const signOut = async () => {
    await logout().catch(() => undefined);
    client.setQueryData<AuthState>(AUTH_KEY, { enabled: true, session: null });
  };
  // Only what the user's roles can use: the agent console serves customers (agent or above, in any
  // of their organisations); the KB list and the dashboard are for every member; members, API keys
  // and the audit log are for owners, and only where the server has sign-in.
  const nav: { to: string; label: string; role?: Role; signedIn?: boolean }[] = [
    { to: '/kbs', label: t('nav.kbs') },
    { to: '/agent', label: t('nav.agent'), role: 'agent' },
    { to: '/analytics', label: t('nav.analytics') },
    { to: '/members', label: t('nav.members'), role: 'owner', signedIn: true },
    { to: '/api-keys', label: t('nav.apiKeys'), role: 'owner', signedIn: true },
    { to: '/audit-log', label: t('nav.auditLog'), role: 'owner', signedIn: true },
  ];
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={4} style={{ whiteSpace: 'nowrap' }}>
              {t('app.title')}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LanguageSwitch />
            {auth.session && (
              <>
                <Text size="sm" c="dimmed" visibleFrom="sm">
                  {auth.session.user.name || auth.session.user.email}
                </Text>
                <Button size="xs" variant="default" onClick={() => void signOut()}>
                  {t('login.signOut')}
                </Button>
              </>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        {nav
          .filter((item) => (!item.role || roleAnywhere(auth, item.role)) && (!item.signedIn || auth.enabled))
          .map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              label={item.label}
              active={location.pathname.startsWith(item.to)}
              onClick={close}
            />
          ))}
      </AppShell.Navbar>
      {/* The navbar is fixed at the window's height; its border is drawn again down the whole page, so
          a long page printed or captured in full keeps the line beside it. */}
      <AppShell.Main style={NAVBAR_RULE}>
        <Suspense
          fallback={
            <Center py="xl">
              <Loader size="sm" />
            </Center>
          }
        >
          <Routes>
            <Route path="/" element={<Navigate to="/kbs" replace />} />
            <Route path="/kbs" element={<KbListPage />} />
            <Route path="/kbs/:kbId/*" element={<KbPage />} />
            <Route path="/agent" element={<AgentConsolePage />} />
            <Route path="/analytics/*" element={<AnalyticsPage />} />
            <Route path="/members" element={<MembersPage />} />
            <Route path="/api-keys" element={<ApiKeysPage />} />
            <Route path="/audit-log" element={<AuditLogPage />} />
            <Route path="*" element={<Text>{t('error.notFoundPage')}</Text>} />
          </Routes>
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}
