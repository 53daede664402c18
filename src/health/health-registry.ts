/**
 * What `/api/health` asks. Each part of the broker that must be up (the database,
 * each listener) registers a check; a check resolves to null when healthy and to
 * a short reason otherwise.
 */
export type HealthCheck = () => Promise<string | null>;

export interface HealthReport {
  healthy: boolean;
  checks: Record<string, { status: 'ok' | 'failing'; reason?: string }>;
}

const CHECK_TIMEOUT_MS = 2000;

export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(part: string, check: HealthCheck): void {
    this.checks.set(part, check);
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([part, check]) => [part, await runWithTimeout(check)] as const),
    );
    const checks: HealthReport['checks'] = {};
    for (const [part, reason] of entries) checks[part] = reason === null ? { status: 'ok' } : { status: 'failing', reason };
    return { healthy: entries.length > 0 && entries.every(([, reason]) => reason === null), checks };
  }
}

async function runWithTimeout(check: HealthCheck): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((done) => {
    timer = setTimeout(() => done(`no answer within ${CHECK_TIMEOUT_MS} ms`), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().catch((error: Error) => error.message || String(error)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
