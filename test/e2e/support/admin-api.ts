/**
 * The HTTP API of a running Warren, driven with fetch as an operator's script
 * would: users, permissions, vhosts and limits, as guest (the administrator) or
 * as any user. Answers are checked by the caller.
 */
export interface AdminApi {
  /** Any request; `body` is sent as JSON. */
  call(method: string, path: string, body?: unknown, as?: { user: string; password: string }): Promise<{ status: number; body: unknown }>;
  /** The same, failing the test unless the status is 2xx. */
  ok(method: string, path: string, body?: unknown): Promise<unknown>;
  putUser(name: string, password: string, tags?: string): Promise<void>;
  permit(vhost: string, user: string, permissions: { configure: string; write: string; read: string }): Promise<void>;
}

export function adminApi(httpPort: () => number, admin = { user: 'guest', password: 'guest' }, host = '127.0.0.1'): AdminApi {
  const call: AdminApi['call'] = async (method, path, body, as = admin) => {
    const response = await fetch(`http://${host}:${httpPort()}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${as.user}:${as.password}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok: AdminApi['ok'] = async (method, path, body) => {
    const { status, body: answer } = await call(method, path, body);
    if (status < 200 || status > 299) throw new Error(`${method} ${path} answered ${status}: ${JSON.stringify(answer)}`);
    return answer;
  };
  return {
    call,
    ok,
    putUser: async (name, password, tags = '') => void (await ok('PUT', `/api/users/${encodeURIComponent(name)}`, { password, tags })),
    permit: async (vhost, user, permissions) => void (await ok('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, permissions)),
  };
}
