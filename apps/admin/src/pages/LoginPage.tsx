/** Sign-in form (POST /api/auth/login); a refusal is worded in the console's language. */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AUTH_KEY, login, type AuthState } from '../lib/auth';
import { useT } from '../lib/i18n-context';
import { loginErrorText } from '../lib/login-error-text';
import { LanguageSwitch } from '../components/LanguageSwitch';

export function LoginPage() {
  const { t } = useT();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({
    mutationFn: () => login(email.trim(), password),
    onSuccess: (session) => {
      client.setQueryData<AuthState>(AUTH_KEY, { enabled: true, session });
      void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate();
  };
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" w={380} radius="md">
        <form onSubmit={submit}>
          <Stack>
            <div>
              <Text c="teal" fw={700}>
                问道 Wendao
              </Text>
              <Title order={3}>{t('login.title')}</Title>
            </div>
            {mutation.isError && (
              <Alert color="red" role="alert">
                {loginErrorText(mutation.error, t)}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={mutation.isPending}>
              {t('login.submit')}
            </Button>
            <LanguageSwitch />
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
