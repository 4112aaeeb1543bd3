/**
 * Test console: ask the KB as a customer would and see how the answer was decided — the path
 * (FAQ, extracted by the reader, clarification, fallback), the confidence against the threshold in
 * force, the answer span marked inside its passage, FAQ candidates and passages read with their
 * scores, per-stage timings, and the rewritten question when there is one. Asked as a trial: the
 * admin's questions stay out of the analytics and the unanswered inbox.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Mark,
  Progress,
  SimpleGrid,
  Spoiler,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { apiJson } from '../lib/api';
import { confidenceAgainstThreshold, highlight } from '../lib/answer-view';
import { correctionsText, decisionText } from '../lib/decision-text';
import { answerModeText } from '../lib/mode-text';
import { useT } from '../lib/i18n-context';
import { askErrorText } from '../lib/request-error-text';
import type { AskResponse, KnowledgeBase } from '../lib/types';

const PATH_COLOR = { faq: 'teal', extracted: 'blue', clarify: 'yellow', fallback: 'red' };
const STAGES = ['cache', 'index', 'embed', 'faq', 'retrieve', 'read'] as const;
/** Three lines of sm text (line height 1.45 × 14 px). */
const ALTERNATIVE_MAX_HEIGHT = 61;

export function TestConsolePage({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useT();
  const [question, setQuestion] = useState('');
  // The console's language is the asker's: a mixed KB answers a question without letters (48) in it.
  const ask = useMutation({
    mutationFn: (q: string) =>
      apiJson<AskResponse>('POST', `/api/kbs/${kb.id}/ask`, { question: q, trial: true, language: lang }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (question.trim()) ask.mutate(question.trim());
  };
  return (
    <Stack>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            label={t('test.question')}
            placeholder={t('test.placeholder')}
            value={question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
          />
          <Button type="submit" loading={ask.isPending} disabled={!question.trim()}>
            {t('test.ask')}
          </Button>
        </Group>
      </form>
      {ask.isError && (
        <Alert color="red" role="alert">
          {askErrorText(ask.error, t)}
        </Alert>
      )}
      {ask.isIdle && (
        <Text c="dimmed" ta="center" py="lg">
          {t('test.idle')}
        </Text>
      )}
      {ask.data && <AnswerView res={ask.data} onAsk={(q) => (setQuestion(q), ask.mutate(q))} />}
    </Stack>
  );
}

function AnswerView({ res, onAsk }: { res: AskResponse; onAsk(q: string): void }) {
  const { t } = useT();
  const verdict = confidenceAgainstThreshold(res);
  const source = res.source;
  const marked = source ? highlight(source.text, source.start, source.end) : null;
  return (
    <Stack data-testid="answer" data-type={res.type}>
      <Card withBorder>
        <Stack gap="sm">
          <Group gap="xs">
            <Badge color={PATH_COLOR[res.type]} size="lg" data-testid="answer-path">
              {t(`path.${res.type}`)}
            </Badge>
            <Badge variant="outline" color="gray" data-testid="answer-mode">
              {answerModeText(t, res)}
            </Badge>
            {res.cached && <Badge variant="outline">{t('test.cached')}</Badge>}
            <Text size="xs" c="dimmed">
              {t('test.kbVersion', { v: res.kbVersion })}
            </Text>
          </Group>
          {res.rewrittenQuestion && (
            <Text size="sm">
              {t('test.rewritten')}: <b>{res.rewrittenQuestion}</b>
            </Text>
          )}
          <Text size="lg" data-testid="answer-text" style={{ whiteSpace: 'pre-wrap' }}>
            {res.answer}
          </Text>
          {res.options.length > 0 && (
            <Group gap="xs">
              {res.options.map((o) => (
                <Button key={o.faqId} size="xs" variant="light" onClick={() => onAsk(o.question)}>
                  {o.question} ({o.confidence.toFixed(2)})
                </Button>
              ))}
            </Group>
          )}
          {res.suggestions.length > 0 && (
            <Text size="sm" c="dimmed">
              {t('test.suggestions')}: {res.suggestions.join(' · ')}
            </Text>
          )}
          <div>
            <Group justify="space-between" mb={4}>
              <Text size="sm">
                {t('test.confidence', {
                  value: verdict.value.toFixed(3),
                  threshold: t(`threshold.${verdict.threshold}`),
                  limit: verdict.limit.toFixed(3),
                })}
              </Text>
              <Badge color={verdict.passed ? 'teal' : 'red'} variant="light">
                {verdict.passed ? t('test.passed') : t('test.below')}
              </Badge>
            </Group>
            <div style={{ position: 'relative' }}>
              <Progress value={verdict.value * 100} color={verdict.passed ? 'teal' : 'red'} size="lg" />
              <div
                title={`${t(`threshold.${verdict.threshold}`)} ${verdict.limit}`}
                style={{
                  position: 'absolute',
                  top: -3,
                  bottom: -3,
                  left: `${Math.min(100, verdict.limit * 100)}%`,
                  width: 2,
                  background: 'var(--mantine-color-dark-6)',
                }}
              />
            </div>
          </div>
          <Text size="sm" c="dimmed" data-testid="answer-reason">
            {t('test.reason', { reason: decisionText(t, res.evidence) })}
          </Text>
          {res.evidence.corrections?.length ? (
            <Text size="sm" c="dimmed" data-testid="answer-corrections">
              {correctionsText(t, res.evidence)}
            </Text>
          ) : null}
        </Stack>
      </Card>
      {source && marked && (
        <Card withBorder>
          <Text size="sm" fw={600} mb="xs">
            {source.kind === 'passage'
              ? t('test.sourcePassage', { file: source.fileName ?? '', ordinal: (source.ordinal ?? 0) + 1 })
              : t('test.sourceFaq', { question: source.question ?? '' })}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="source-text">
            {marked.before}
            {marked.span && (
              <Mark color="yellow" data-testid="answer-span">
                {marked.span}
              </Mark>
            )}
            {marked.after}
          </Text>
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder>
          <Title order={5} mb="xs">
            {t('test.faqCandidates')}
          </Title>
          {res.evidence.faqCandidates.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('test.none')}
            </Text>
          ) : (
            <Table fz="sm" data-testid="faq-candidates">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('faq.question')}</Table.Th>
                  <Table.Th>{t('test.score')}</Table.Th>
                  <Table.Th>{t('test.lexical')}</Table.Th>
                  <Table.Th>BM25</Table.Th>
                  {res.mode === 'neural' && <Table.Th>{t('test.vector')}</Table.Th>}
                  <Table.Th>{t('test.phrasing')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {res.evidence.faqCandidates.map((c) => (
                  <Table.Tr key={c.faqId}>
                    <Table.Td>{c.question}</Table.Td>
                    <Table.Td>{c.score.toFixed(3)}</Table.Td>
                    <Table.Td>{c.lexical.toFixed(3)}</Table.Td>
                    <Table.Td>{c.bm25 === undefined ? '—' : c.bm25.toFixed(3)}</Table.Td>
                    {res.mode === 'neural' && (
                      <Table.Td>{c.vector === undefined ? '—' : c.vector.toFixed(3)}</Table.Td>
                    )}
                    <Table.Td>
                      {c.phrasing === 0 ? t('test.mainQuestion') : t('test.alternate', { n: c.phrasing })}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Title order={5} mt="md" mb="xs">
            {t('test.passagesRead')}
          </Title>
          {res.evidence.passages.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('test.none')}
            </Text>
          ) : (
            <Table fz="sm">
              <Table.Tbody>
                {res.evidence.passages.map((p) => (
                  <Table.Tr key={`${p.kind}-${p.id}`}>
                    <Table.Td>{t(`test.kind.${p.kind}`)}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" c="dimmed">
                        {p.id.slice(0, 8)}
                      </Text>
                    </Table.Td>
                    {/* Lexical mode ranks by BM25 alone: one number, named. Hybrid: the fused rank
                        score, then each list's own. */}
                    <Table.Td>
                      {p.vector === undefined ? `BM25 ${p.score.toFixed(2)}` : p.score.toFixed(4)}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {p.vector === undefined
                          ? null
                          : [
                              p.bm25 !== undefined ? `BM25 ${p.bm25.toFixed(2)}` : null,
                              `${t('test.vector')} ${p.vector.toFixed(3)}`,
                            ]
                              .filter(Boolean)
                              .join(' · ')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {res.evidence.readerConfidence !== undefined && (
            <Text size="sm" mt="xs">
              {t('test.readerConfidence', { value: res.evidence.readerConfidence.toFixed(3) })}
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Title order={5} mb="xs">
            {t('test.timings')}
          </Title>
          <Table fz="sm" data-testid="timings">
            <Table.Tbody>
              {STAGES.filter((s) => res.timings[s] !== undefined).map((stage) => (
                <Table.Tr key={stage}>
                  <Table.Td w={110}>{t(`stage.${stage}`)}</Table.Td>
                  <Table.Td>
                    <Progress
                      value={res.timings.total ? (res.timings[stage] / res.timings.total) * 100 : 0}
                      size="sm"
                    />
                  </Table.Td>
                  <Table.Td w={90} ta="right">
                    {res.timings[stage].toFixed(1)} ms
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td fw={600}>{t('stage.total')}</Table.Td>
                <Table.Td />
                <Table.Td ta="right" fw={600}>
                  {res.timings.total.toFixed(1)} ms
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          {res.alternatives.length > 0 && (
            <>
              <Title order={5} mt="md" mb="xs">
                {t('test.alternatives')}
              </Title>
              {/* An answer may be pages long (a 3,000-character policy made the page ~2,500 px tall):
                  three lines each, the rest on demand. */}
              <Stack gap={6}>
                {res.alternatives.map((a, i) => (
                  <Spoiler
                    key={i}
                    maxHeight={ALTERNATIVE_MAX_HEIGHT}
                    showLabel={t('test.alternativeMore', { n: a.answer.length })}
                    hideLabel={t('test.alternativeLess')}
                    styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}
                    data-testid="alternative"
                  >
                    <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                      {t(`path.${a.type}`)} · {a.confidence.toFixed(3)} · {a.answer}
                    </Text>
                  </Spoiler>
                ))}
              </Stack>
            </>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
