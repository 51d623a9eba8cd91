import { sql } from 'drizzle-orm';
import { json } from '@/lib/api/route';
import { getDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

/** One database round trip: 200 only when the database answers. */
export async function GET(): Promise<Response> {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return json({ status: 'ok' });
  } catch (err) {
    console.error('Health check: database unreachable', err);
    return json({ status: 'unavailable' }, 503);
  }
}
