/** One knowledge base: its name and counts, and a tab per task (each tab is a route). */
import { Alert, Anchor, Badge, Group, Stack, Tabs, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRef, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useNavigate, useParams } from 'react-router';
import { QueryState } from '../components/QueryState';
import { apiJson } from '../lib/api';
import { calibrationPending } from '../lib/calibration-text';
import { useT } from '../lib/i18n-context';
import { kbModeText, modeColor } from '../lib/mode-text';
import { ROLES, roleAtLeast, useKbRole, type Role } from '../lib/roles';
import type { KnowledgeBase } from '../lib/types';
import { ConversationsPage } from './ConversationsPage';
import { DocumentsPage } from './DocumentsPage';
import { FaqsPage } from './FaqsPage';
import { IntentsPage } from './IntentsPage';
import { SettingsPage } from './SettingsPage';
import { TestConsolePage } from './TestConsolePage';
import { UnansweredPage } from './UnansweredPage';
import { UploadPage } from './UploadPage';
import { WidgetKeysPage } from './WidgetKeysPage';

const TABS = [
  'settings',
  'upload',
  'faqs',
  'documents',
  'intents',
  'test',
  'conversations',
  'unanswered',
  'widget',
] as const;
/** The role a tab needs (the others: any member). */
const TAB_ROLE: Partial<Record<(typeof TABS)[number], Role>> = {
  upload: 'editor',
  test: 'agent',
  conversations: 'agent',
};

/** How often, and for how long at most, the KB is read again while its calibration is pending. */
const CALIBRATION_POLL = { everyMs: 1500, forMs: 3 * 60_000 };

/**
 * The KB, read again while the server recalibrates it (after an FAQ edit, an upload, a new target
 * precision), so its thresholds and calibration report do not stay those of the content before the
 * change; a calibration that never comes (it failed) stops the polling after a few minutes.
 */
export function useKb(kbId: string) {
  const waiting = useRef<{ for: string; since: number } | null>(null);
  return useQuery({
    queryKey: ['kb', kbId],
    queryFn: () => apiJson<KnowledgeBase>('GET', `/api/kbs/${kbId}`),
    refetchInterval: (query) => {
      const kb = query.state.data;
      if (!kb || !calibrationPending(kb)) {
        waiting.current = null;
        return false;
      }
      const awaited = `${kb.version}/${kb.settings.targetPrecision ?? ''}/${kb.modes.faq}/${kb.modes.answer}`;
      if (waiting.current?.for !== awaited) waiting.current = { for: awaited, since: Date.now() };
      return Date.now() - waiting.current.since < CALIBRATION_POLL.forMs ? CALIBRATION_POLL.everyMs : false;
    },
  });
}

export function KbPage() {
  const { t } = useT();
  const { kbId = '' } = useParams();
  const kb = useKb(kbId);
  const role = useKbRole(kb.data ?? {});
  const location = useLocation();
  const navigate = useNavigate();
  const tab = TABS.find((name) => location.pathname.split('/')[3] === name) ?? 'settings';
  // A tab opened by its address with too low a role says which role it needs, not the API's 403.
  const gate = (name: keyof typeof TAB_ROLE, page: ReactNode) => {
    const needed = TAB_ROLE[name]!;
    if (roleAtLeast(role, needed)) return page;
    return (
      <Alert color="yellow" title={t('access.title')} role="alert" data-testid="role-needed">
        {t('access.needsRole', {
          needed: t(`access.role.${needed}`),
          current:
            role && ROLES.includes(role as Role) ? t(`access.role.${role as Role}`) : t('access.noRole'),
        })}
      </Alert>
    );
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/kbs" size="sm">
        ← {t('nav.kbs')}
      </Anchor>
      <QueryState query={kb}>
        {(data) => (
          <>
            <Group gap="sm" align="center">
              <Title order={2}>{data.name}</Title>
              <Badge variant="light" color={modeColor(data.modes)} data-testid="kb-mode">
                {kbModeText(t, data.modes)}
              </Badge>
              <Badge variant="outline" data-testid="kb-count-faqs">
                {t('kb.countFaqs', { n: data.counts.faqs })}
              </Badge>
              <Badge variant="outline" data-testid="kb-count-documents">
                {t('kb.countDocuments', { n: data.counts.documents })}
              </Badge>
              <Badge variant="outline">{t('kb.countPassages', { n: data.counts.passages })}</Badge>
            </Group>
            <Tabs value={tab} onChange={(v) => v && navigate(`/kbs/${kbId}/${v}`)} keepMounted={false}>
              {/* One row (all nine fit at 1024 px in English), scrolled sideways where narrower:
                  wrapped, a tab was left alone on a second line. */}
              <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
                {TABS.filter((name) => roleAtLeast(role, TAB_ROLE[name] ?? 'viewer')).map((name) => (
                  <Tabs.Tab key={name} value={name} px="sm" style={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
                    {t(`tab.${name}`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
            </Tabs>
            <Routes>
              <Route index element={<Navigate to="settings" replace />} />
              <Route path="settings" element={<SettingsPage kb={data} />} />
              <Route path="upload" element={gate('upload', <UploadPage kb={data} />)} />
              <Route path="faqs" element={<FaqsPage kb={data} />} />
              <Route path="documents" element={<DocumentsPage kb={data} />} />
              <Route path="intents" element={<IntentsPage kb={data} />} />
              <Route path="test" element={gate('test', <TestConsolePage kb={data} />)} />
              <Route path="conversations" element={gate('conversations', <ConversationsPage kb={data} />)} />
              <Route path="unanswered" element={<UnansweredPage kb={data} />} />
              <Route path="widget" element={<WidgetKeysPage kb={data} />} />
            </Routes>
          </>
        )}
      </QueryState>
    </Stack>
  );
}
