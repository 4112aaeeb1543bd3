/**
 * The console's one HTTP client: same-origin JSON, the session cookie, the CSRF header on every
 * mutation once auth is on, errors as ApiError with the server's message (and the code and values of
 * a refusal that has them), 401 reported to the app
 * (which shows the login page). Lists return their page plus the X-Total-Count header.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What was wrong as data, where the API says it (upload refusals). */
    readonly code?: string,
    readonly values?: Record<string, unknown>,
    /** A 429's Retry-After, in seconds. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onUnauthorized: () => void = () => undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** The session's CSRF token (the chat's agent socket proves it at connect), if signed in. */
export function getCsrfToken(): string | undefined {
  return csrfToken;
}

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function problem(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let code: string | undefined;
  let values: Record<string, unknown> | undefined;
  try {
    const body = (await res.json()) as { message?: string | string[]; code?: unknown; values?: unknown };
    if (body.message) message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    if (typeof body.code === 'string' && body.values && typeof body.values === 'object') {
      code = body.code;
      values = body.values as Record<string, unknown>;
    }
  } catch {
    // not JSON: keep the status line
  }
  const retryAfter = Number(res.headers.get('Retry-After') ?? NaN);
  return new ApiError(
    res.status,
    message,
    code,
    values,
    Number.isFinite(retryAfter) ? retryAfter : undefined,
  );
}

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (!res.ok) {
    const err = await problem(res);
    // The login call's own 401 is a wrong password, not an expired session.
    if (res.status === 401 && path !== '/api/auth/login') onUnauthorized();
    throw err;
  }
  return res;
}

export async function apiJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** GET of a server-paginated list: the body is the page, X-Total-Count the number of all matches. */
export async function apiPage<T>(
  path: string,
  query: Record<string, string | number | undefined>,
): Promise<Page<T>> {
  const res = await request('GET', withQuery(path, query));
  const items = (await res.json()) as T[];
  const total = Number(res.headers.get('X-Total-Count') ?? items.length);
  return { items, total };
}

export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
