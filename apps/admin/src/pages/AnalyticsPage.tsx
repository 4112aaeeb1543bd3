/** The analytics dashboard's slot at /admin/analytics (the dashboard page goes here). */
import { Text, Title } from '@mantine/core';
import { useT } from '../lib/i18n-context';

export function AnalyticsPage() {
  const { t } = useT();
  return (
    <>
      <Title order={2} mb="md">
        {t('nav.analytics')}
      </Title>
      <Text c="dimmed">{t('analytics.placeholder')}</Text>
    </>
  );
}
