/**
 * Who is signed in (GET /api/auth/me). 404 means this server has no auth (the console works
 * without it); 401, or any later 401, shows the login page. The CSRF token from me/login goes on
 * every mutation.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, apiJson, setCsrfToken, setUnauthorizedHandler } from './api';
import type { AuthSession } from './types';

export interface AuthState {
  /** false when the server has no /api/auth (404). */
  enabled: boolean;
  session: AuthSession | null;
}

export const AUTH_KEY = ['auth', 'me'] as const;

async function fetchMe(): Promise<AuthState> {
  try {
    const session = await apiJson<AuthSession>('GET', '/api/auth/me');
    setCsrfToken(session.csrfToken);
    return { enabled: true, session };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { enabled: false, session: null };
    if (err instanceof ApiError && err.status === 401) return { enabled: true, session: null };
    throw err;
  }
}

export function useAuth() {
  const client = useQueryClient();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(undefined);
      client.setQueryData<AuthState>(AUTH_KEY, { enabled: true, session: null });
    });
  }, [client]);
  return useQuery({ queryKey: AUTH_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false });
}

export async function login(email: string, password: string): Promise<AuthSession> {
  const session = await apiJson<AuthSession>('POST', '/api/auth/login', { email, password });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function logout(): Promise<void> {
  try {
    await apiJson<void>('POST', '/api/auth/logout');
  } finally {
    setCsrfToken(undefined);
  }
}
