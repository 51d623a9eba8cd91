import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Db } from '@/lib/db/client';
import { accounts, googleConnections, outboxJobs } from '@/lib/db/schema';
import { deliverDueJobs, type DeliveryReport } from '@/lib/outbox/delivery';
import { outboxHandlers } from '@/lib/outbox/handlers';
import { FakeGoogleCalendar } from '../fakes/google-calendar';

const CLIENT = { id: 'test-google-client', secret: 'test-google-secret' };

/**
 * A fake Google (token endpoint + Calendar v3) for the file, with the real googleapis client
 * pointed at it through GOOGLE_API_ROOT_URL and GOOGLE_OAUTH_TOKEN_URL.
 */
export function useFakeGoogle(options: ConstructorParameters<typeof FakeGoogleCalendar>[0] = {}): () => FakeGoogleCalendar {
  const fake = new FakeGoogleCalendar({ client: CLIENT, ...options });
  beforeAll(async () => {
    await fake.start();
    process.env.GOOGLE_API_ROOT_URL = fake.url;
    process.env.GOOGLE_OAUTH_TOKEN_URL = fake.tokenUrl;
    process.env.AUTH_GOOGLE_ID = CLIENT.id;
    process.env.AUTH_GOOGLE_SECRET = CLIENT.secret;
    process.env.APP_BASE_URL = 'http://127.0.0.1:9/unreachable-in-tests';
  });
  afterEach(() => fake.settled());
  afterAll(() => fake.close());
  return () => fake;
}

/**
 * The practitioner signed in with Google and connected their calendar: the grant in `accounts`
 * (as Auth.js stores it) and a connected connection, without the connect job (tests run it when
 * they need it).
 */
export async function connectPractitioner(
  db: Db,
  fake: FakeGoogleCalendar,
  user: { id: number; clinicId: number; email: string },
  o: { countBusy?: boolean } = {},
) {
  const { refreshToken } = fake.addAccount(user.email);
  await db.insert(accounts).values({
    userId: user.id,
    type: 'oidc',
    provider: 'google',
    providerAccountId: `g-${user.id}`,
    refreshToken,
    scope: 'openid email https://www.googleapis.com/auth/calendar',
  });
  const [connection] = await db
    .insert(googleConnections)
    .values({ userId: user.id, clinicId: user.clinicId, googleEmail: user.email, state: 'connected', countBusy: o.countBusy ?? false })
    .returning();
  return { connection: connection!, refreshToken };
}

/** Runs the outbox until nothing more is due now, moving a manual clock past each backoff. */
export async function drainOutbox(db: Db, o: { rounds?: number; kinds?: string[] } = {}): Promise<DeliveryReport> {
  const total: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  let t = Date.now();
  const handlers = Object.fromEntries(Object.entries(outboxHandlers()).filter(([k]) => !o.kinds || o.kinds.includes(k)));
  for (let i = 0; i < (o.rounds ?? 8); i += 1) {
    const r = await deliverDueJobs(db, { handlers, clock: () => new Date(t), timeoutMs: 5_000 });
    total.delivered += r.delivered;
    total.retried += r.retried;
    total.failed += r.failed;
    if (r.delivered + r.retried + r.failed === 0) break;
    t += 16_000; // past the longest backoff
  }
  return total;
}

export async function jobsOf(db: Db, clinicId: number) {
  return db.select().from(outboxJobs).where(eq(outboxJobs.clinicId, clinicId));
}
