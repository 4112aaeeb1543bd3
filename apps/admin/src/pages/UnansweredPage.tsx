/**
 * Unanswered inbox: questions the bot fell back on or customers voted down, grouped by similarity,
 * biggest group first. "Create FAQ" opens the FAQ form with the group's questions (the first as
 * the question, the rest as alternates); once saved, the bot answers them and the group leaves.
 */
import { Badge, Button, Card, Drawer, Group, List, Select, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Pager } from '../components/Pager';
import { QueryState } from '../components/QueryState';
import { apiPage } from '../lib/api';
import { formatTime } from '../lib/dates';
import { useT } from '../lib/i18n-context';
import { pageQuery } from '../lib/paging';
import { roleAtLeast, useKbRole } from '../lib/roles';
import type { KnowledgeBase, UnansweredGroup } from '../lib/types';
import { FaqForm } from './FaqsPage';

const PAGE_SIZE = 10;

export function UnansweredPage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const client = useQueryClient();
  const [page, setPage] = useState(1);
  const [days, setDays] = useState('30');
  const [converting, setConverting] = useState<UnansweredGroup | null>(null);
  const canEdit = roleAtLeast(useKbRole(kb), 'editor');
  const groups = useQuery({
    queryKey: ['unanswered', kb.id, days, page],
    queryFn: () =>
      apiPage<UnansweredGroup>(`/api/kbs/${kb.id}/unanswered`, { days, ...pageQuery(page, PAGE_SIZE) }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" maw={640}>
          {t('unanswered.intro')}
        </Text>
        <Select
          label={t('unanswered.period')}
          value={days}
          onChange={(v) => {
            setDays(v ?? '30');
            setPage(1);
          }}
          allowDeselect={false}
          data={['7', '30', '90', '365'].map((d) => ({ value: d, label: t('unanswered.days', { n: d }) }))}
          w={140}
        />
      </Group>
      <QueryState query={groups} isEmpty={(d) => d.total === 0} empty={t('unanswered.empty')}>
        {(data) => (
          <Stack gap="sm" data-testid="unanswered-groups">
            {data.items.map((g) => (
              <Card key={g.id} withBorder data-testid="unanswered-group">
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Group gap="xs">
                      <Text fw={600}>{g.representative}</Text>
                      <Badge variant="filled" color="red">
                        {t('unanswered.asked', { n: g.count })}
                      </Badge>
                      {g.thumbsDown > 0 && (
                        <Badge variant="light" color="orange">
                          {t('unanswered.thumbsDown', { n: g.thumbsDown })}
                        </Badge>
                      )}
                    </Group>
                    <List size="sm" c="dimmed">
                      {g.examples.slice(1).map((q) => (
                        <List.Item key={q}>{q}</List.Item>
                      ))}
                    </List>
                    {g.questions.length > g.examples.length && (
                      <Text size="xs" c="dimmed">
                        {t('unanswered.more', { n: g.questions.length - g.examples.length })}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {t('unanswered.last', { time: formatTime(g.lastAskedAt, lang) })}
                    </Text>
                  </Stack>
                  {canEdit && (
                    <Button size="xs" onClick={() => setConverting(g)} style={{ flexShrink: 0 }}>
                      {t('unanswered.toFaq')}
                    </Button>
                  )}
                </Group>
              </Card>
            ))}
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} />
          </Stack>
        )}
      </QueryState>
      <Drawer
        opened={converting !== null}
        onClose={() => setConverting(null)}
        position="right"
        size="lg"
        title={t('unanswered.toFaq')}
      >
        {converting && (
          <FaqForm
            key={converting.id}
            kbId={kb.id}
            entry={null}
            initial={{ question: converting.questions[0], alternates: converting.questions.slice(1) }}
            onSaved={() => {
              setConverting(null);
              for (const queryKey of [
                ['unanswered', kb.id],
                ['faqs', kb.id],
                ['kb', kb.id],
              ])
                void client.invalidateQueries({ queryKey });
            }}
          />
        )}
      </Drawer>
    </Stack>
  );
}
