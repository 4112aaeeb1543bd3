/**
 * Upload: drop several files; each goes up on its own (one bad file does not hold back the rest)
 * and gets a progress bar fed by its job's server-sent events (/api/jobs/:id/events). The server's
 * reason for a failure and its warnings (worded in the console's language from their codes) and
 * duplicates are shown; the KB's counts refresh when a job ends.
 */
import { Alert, Badge, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { apiJson } from '../lib/api';
import { useT } from '../lib/i18n-context';
import { ingestErrorText, jobErrorText, refusalOf, type IngestFailureView } from '../lib/ingest-error-text';
import { duplicateNoteText, jobWarningTexts } from '../lib/ingest-warning-text';
import { isFinished, jobOutcome, jobPercent } from '../lib/job-progress';
import type { Job, KnowledgeBase } from '../lib/types';

interface FileRow {
  key: string;
  name: string;
  job?: Job;
  /** The upload request itself was refused (415, 413, 400): the server's message, code and values. */
  error?: IngestFailureView;
}

const OUTCOME_COLOR = { waiting: 'gray', working: 'blue', added: 'teal', duplicate: 'yellow', failed: 'red' };

export function UploadPage({ kb }: { kb: KnowledgeBase }) {
  const { t } = useT();
  const client = useQueryClient();
  const [rows, setRows] = useState<FileRow[]>([]);
  const sources = useRef(new Map<string, EventSource>());
  useEffect(() => {
    const open = sources.current;
    return () => open.forEach((source) => source.close());
  }, []);

  const update = (key: string, change: Partial<FileRow>) =>
    setRows((all) => all.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const follow = (key: string, job: Job) => {
    const source = new EventSource(`/api/jobs/${job.id}/events`);
    sources.current.set(key, source);
    source.addEventListener('job', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as Job;
      update(key, { job: next });
      if (isFinished(next)) {
        source.close();
        sources.current.delete(key);
        for (const queryKey of [
          ['kb', kb.id],
          ['kbs'],
          ['faqs', kb.id],
          ['documents', kb.id],
          ['jobs', kb.id],
        ])
          void client.invalidateQueries({ queryKey });
      }
    });
    // The stream ends after the last event; an error before that means the connection broke.
    source.onerror = () => {
      if (sources.current.has(key)) {
        source.close();
        sources.current.delete(key);
        void apiJson<Job>('GET', `/api/jobs/${job.id}`).then(
          (latest) => (isFinished(latest) ? update(key, { job: latest }) : follow(key, latest)),
          (err: Error) => update(key, { error: refusalOf(err) }),
        );
      }
    };
  };

  const upload = (files: File[]) => {
    const added = files.map((file) => ({
      key: `${Date.now()}-${Math.random()}-${file.name}`,
      name: file.name,
      file,
    }));
    setRows((all) => [...added.map(({ key, name }) => ({ key, name })), ...all]);
    for (const { key, file } of added) {
      const form = new FormData();
      form.append('files', file, file.name);
      apiJson<{ jobs: Job[] }>('POST', `/api/kbs/${kb.id}/documents`, form).then(
        ({ jobs }) => {
          update(key, { job: jobs[0] });
          follow(key, jobs[0]);
        },
        (err: Error) => update(key, { error: refusalOf(err) }),
      );
    }
  };

  return (
    <Stack>
      <Dropzone onDrop={upload} multiple data-testid="dropzone">
        <Stack align="center" gap={4} py="xl" style={{ pointerEvents: 'none' }}>
          <Text size="lg" fw={600}>
            {t('upload.drop')}
          </Text>
          <Text size="sm" c="dimmed">
            {t('upload.types')}
          </Text>
        </Stack>
      </Dropzone>
      {rows.length === 0 ? (
        <Text c="dimmed" ta="center">
          {t('upload.none')}
        </Text>
      ) : (
        <Stack gap="xs" data-testid="upload-list">
          {rows.map((row) => (
            <UploadRow key={row.key} row={row} />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function UploadRow({ row }: { row: FileRow }) {
  const { t } = useT();
  const outcome = row.error ? 'failed' : row.job ? jobOutcome(row.job) : 'waiting';
  const percent = row.error ? 100 : row.job ? jobPercent(row.job) : 0;
  const message = row.error ? ingestErrorText(t, row.error) : row.job && jobErrorText(t, row.job);
  return (
    <Card withBorder padding="sm" data-testid="upload-row" data-file={row.name} data-outcome={outcome}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={600} size="sm" truncate>
          {row.name}
        </Text>
        <Badge color={OUTCOME_COLOR[outcome]} variant="light">
          {t(`job.${outcome}`)}
        </Badge>
      </Group>
      <Progress
        value={percent}
        color={OUTCOME_COLOR[outcome]}
        animated={outcome === 'working'}
        aria-label={row.name}
      />
      {row.job && outcome === 'added' && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('job.counts', { faqs: row.job.counts.faqs, passages: row.job.counts.passages })}
        </Text>
      )}
      {row.job && outcome === 'duplicate' && (
        <Text size="xs" c="yellow.8" mt={4}>
          {duplicateNoteText(t, row.job)}
        </Text>
      )}
      {message && (
        <Alert color="red" mt="xs" p="xs" role="alert">
          {message}
        </Alert>
      )}
      {row.job &&
        outcome !== 'duplicate' &&
        jobWarningTexts(t, row.job).map((w, i) => (
          <Text key={i} size="xs" c="orange.8" mt={4} data-testid="upload-warning">
            {w}
          </Text>
        ))}
    </Card>
  );
}
