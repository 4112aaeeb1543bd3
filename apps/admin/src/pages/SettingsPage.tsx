/**
 * KB settings: name, language, the FAQ and answer thresholds (empty = automatic; the effective
 * values and where each comes from are shown beside them), fallback message, chunking, target
 * precision (empty = the default, shown as the placeholder; a value out of range is refused with
 * its range, never clamped); deleting the KB.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { DeleteButton } from '../components/DeleteButton';
import { PlainFieldset } from '../components/PlainFieldset';
import { ApiError, apiJson } from '../lib/api';
import { calibrationPending, calibrationText } from '../lib/calibration-text';
import { formatScore } from '../lib/decision-text';
import { useT } from '../lib/i18n-context';
import { roleAtLeast, useKbRole } from '../lib/roles';
import { thresholdRowText, thresholdRows } from '../lib/threshold-rows';
import {
  fallbackPlaceholder,
  settingRows,
  SETTING_RANGES,
  settingsPatch,
  settingsProblems,
  type NumberField,
  type SettingsFormValues,
} from '../lib/settings-form';
import type { KnowledgeBase, Language, ThresholdName } from '../lib/types';
import { notify } from '../lib/notify';
import { deleteErrorText, settingsSaveErrorText } from '../lib/request-error-text';

export function SettingsPage({ kb }: { kb: KnowledgeBase }) {
  const { t } = useT();
  const client = useQueryClient();
  const navigate = useNavigate();
  const role = useKbRole(kb);
  const [name, setName] = useState(kb.name);
  const [language, setLanguage] = useState<Language>(kb.language);
  const [values, setValues] = useState<SettingsFormValues>({
    faqThreshold: kb.faqThreshold ?? '',
    answerThreshold: kb.answerThreshold ?? '',
    targetPrecision: kb.settings.targetPrecision ?? '',
    chunkTargetLength: kb.settings.chunkTargetLength ?? '',
    chunkMaxLength: kb.settings.chunkMaxLength ?? '',
    chunkOverlap: kb.settings.chunkOverlap ?? '',
    fallbackMessage: kb.settings.fallbackMessage ?? '',
  });
  // Problems show from the first save on, and then as the admin corrects them.
  const [checked, setChecked] = useState(false);
  const problems = settingsProblems(values, kb.settingDefaults);
  const set = (field: keyof SettingsFormValues) => (value: NumberField) =>
    setValues((v) => ({ ...v, [field]: value }));
  /** A number field's range, the API's, and what is wrong with its value; out-of-range text is kept as typed. */
  const numberField = (field: Exclude<keyof SettingsFormValues, 'fallbackMessage'>) => {
    const { min, max, integer } = SETTING_RANGES[field];
    const problem = checked ? problems[field] : undefined;
    return {
      min,
      max,
      clampBehavior: 'none' as const,
      allowDecimal: !integer,
      value: values[field],
      onChange: set(field),
      error: problem && t(problem.key, problem.values),
    };
  };

  const save = useMutation({
    mutationFn: () =>
      apiJson<KnowledgeBase>('PATCH', `/api/kbs/${kb.id}`, {
        name: name.trim(),
        language,
        ...settingsPatch(values),
      }),
    onSuccess: (saved) => {
      client.setQueryData(['kb', kb.id], saved);
      void client.invalidateQueries({ queryKey: ['kbs'] });
      notify('success', t('settings.saved'));
    },
  });
  const remove = useMutation({
    mutationFn: () => apiJson<void>('DELETE', `/api/kbs/${kb.id}`),
    onSuccess: () => {
      // Said as the list's own delete says it: the page it was done on is gone.
      notify('success', t('kb.deleted', { name: kb.name }));
      void client.invalidateQueries({ queryKey: ['kbs'] });
      navigate('/kbs');
    },
    onError: (err) => {
      notify('error', deleteErrorText(err, t, 'kb', kb.name));
      // Gone meanwhile: this page has nothing left to show; the notice says the list was refreshed.
      if (err instanceof ApiError && err.status === 404) {
        void client.invalidateQueries({ queryKey: ['kbs'] });
        navigate('/kbs');
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (Object.keys(problems).length === 0) save.mutate();
  };
  // What an empty threshold means, said under the field (inside it, the placeholder was cut off): the
  // value in force and its source while the KB leaves it unset.
  const autoHint = (name: ThresholdName) =>
    kb.thresholdSources[name].source === 'admin'
      ? t('settings.thresholdHint')
      : t('settings.autoHint', {
          value: formatScore(kb.effectiveThresholds[name]),
          source: t(`source.${kb.thresholdSources[name].source}`),
        });

  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Card withBorder>
        {!roleAtLeast(role, 'editor') ? (
          <SettingsText kb={kb} />
        ) : (
          <form onSubmit={submit}>
            <PlainFieldset>
              <Stack>
                <TextInput
                  label={t('kb.name')}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  required
                />
                <Select
                  label={t('kb.language')}
                  description={t('settings.languageHint')}
                  value={language}
                  onChange={(v) => setLanguage((v as Language) ?? language)}
                  data={(['zh', 'en', 'mixed'] as const).map((l) => ({ value: l, label: t(`lang.${l}`) }))}
                  allowDeselect={false}
                />
                <LanguageMismatch kb={kb} />
                <Group grow align="flex-start">
                  {(
                    [
                      ['faq', 'faqThreshold', 'settings.faqThreshold'],
                      ['answer', 'answerThreshold', 'settings.answerThreshold'],
                    ] as const
                  ).map(([name, field, label]) => (
                    <NumberInput
                      key={name}
                      label={t(label)}
                      description={autoHint(name)}
                      placeholder={formatScore(kb.effectiveThresholds[name])}
                      step={0.01}
                      decimalScale={3}
                      {...numberField(field)}
                    />
                  ))}
                </Group>
                <NumberInput
                  label={t('settings.targetPrecision')}
                  description={t('settings.targetPrecisionHint')}
                  placeholder={String(kb.settingDefaults.targetPrecision)}
                  step={0.01}
                  decimalScale={2}
                  {...numberField('targetPrecision')}
                />
                <Textarea
                  label={t('settings.fallbackMessage')}
                  description={t('settings.defaultHint')}
                  placeholder={fallbackPlaceholder(kb.settingDefaults, t)}
                  autosize
                  minRows={2}
                  value={values.fallbackMessage}
                  onChange={(e) => set('fallbackMessage')(e.currentTarget.value)}
                />
                <Group grow align="flex-start">
                  {(
                    [
                      ['chunkTargetLength', 'settings.chunkTarget'],
                      ['chunkMaxLength', 'settings.chunkMax'],
                      ['chunkOverlap', 'settings.chunkOverlap'],
                    ] as const
                  ).map(([field, label]) => (
                    <NumberInput
                      key={field}
                      label={t(label)}
                      description={t('settings.defaultHint')}
                      placeholder={String(kb.settingDefaults[field])}
                      {...numberField(field)}
                    />
                  ))}
                </Group>
                {save.isError && (
                  <Alert color="red" role="alert">
                    {settingsSaveErrorText(save.error, t)}
                  </Alert>
                )}
                <Group justify="space-between">
                  {roleAtLeast(role, 'owner') ? (
                    <DeleteButton
                      label={t('kb.deleteTitle')}
                      title={t('kb.deleteTitle')}
                      message={t('kb.deleteConfirm', { name: kb.name })}
                      onConfirm={() => remove.mutate()}
                    />
                  ) : (
                    <span />
                  )}
                  <Button type="submit" loading={save.isPending}>
                    {t('action.save')}
                  </Button>
                </Group>
              </Stack>
            </PlainFieldset>
          </form>
        )}
      </Card>
      <Card withBorder>
        <Stack>
          <Title order={4}>{t('settings.inForce')}</Title>
          <Table data-testid="thresholds">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settings.threshold')}</Table.Th>
                <Table.Th>{t('settings.value')}</Table.Th>
                <Table.Th>{t('settings.source')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {thresholdRows(kb).map((name) => {
                const row = thresholdRowText(t, kb, name);
                const source = kb.thresholdSources[name]?.source ?? 'default';
                return (
                  <Table.Tr key={name} data-testid={`threshold-${name}`}>
                    <Table.Td>
                      {row.label}
                      {row.hint && (
                        <Text size="xs" c="dimmed">
                          {row.hint}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{row.value}</Table.Td>
                    <Table.Td>
                      <Badge
                        variant="light"
                        color={{ admin: 'blue', calibrated: 'teal', default: 'gray' }[source]}
                      >
                        {t(`source.${source}`)}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          <Text size="sm" c="dimmed" data-testid="calibration">
            {calibrationText(t, kb.calibration)}
          </Text>
          {calibrationPending(kb) && (
            <Group gap="xs" wrap="nowrap" data-testid="calibration-pending">
              <Loader size="xs" />
              <Text size="sm" c="dimmed">
                {t('settings.recalibrating')}
              </Text>
            </Group>
          )}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}

/**
 * The settings as a viewer or an agent reads them: text in full contrast, not disabled fields, and
 * no Save (as the FAQ and intent drawers show them to those who may not change them).
 */
function SettingsText({ kb }: { kb: KnowledgeBase }) {
  const { t } = useT();
  return (
    <Stack gap="sm" data-testid="settings-read-only">
      {settingRows(kb, t).map((row) => (
        <div key={row.label}>
          <Text size="sm" fw={500}>
            {row.label}
          </Text>
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <Text size="sm" style={{ whiteSpace: 'pre-line', overflowWrap: 'anywhere' }}>
              {row.value}
            </Text>
            {row.source && row.source !== 'admin' && (
              <Badge
                variant="light"
                size="sm"
                color={row.source === 'calibrated' ? 'teal' : 'gray'}
                style={{ flexShrink: 0 }}
              >
                {t(`source.${row.source}`)}
              </Badge>
            )}
          </Group>
        </div>
      ))}
      <LanguageMismatch kb={kb} />
    </Stack>
  );
}

/** The warning that the KB's content is in another language than the one it is set to. */
function LanguageMismatch({ kb }: { kb: KnowledgeBase }) {
  const { t } = useT();
  if (!kb.contentLanguage || kb.contentLanguage === kb.language) return null;
  return (
    <Alert color="yellow" p="xs" data-testid="language-mismatch">
      {t('settings.languageMismatch', {
        content: t(`lang.${kb.contentLanguage}`),
        language: t(`lang.${kb.language}`),
      })}
    </Alert>
  );
}
