/** A list row's title with one dimmed line under it (an FAQ's answer, an intent's description). */
import { Stack, Text } from '@mantine/core';

export function TitleCell({ title, detail }: { title: string; detail?: string | null }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      {detail && (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {detail}
        </Text>
      )}
    </Stack>
  );
}
