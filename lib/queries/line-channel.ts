import 'server-only';
import { eq } from 'drizzle-orm';
import { decryptSecret } from '../crypto/secrets';
import type { DbOrTx } from '../db/client';
import { clinics } from '../db/schema';

/** What each stored credential is bound to (the encryption's additional data): this clinic, this field. */
export const lineChannelContext = (clinicId: number, field: 'token' | 'secret') => `clinic:${clinicId}:line_channel_${field}`;

/**
 * The LINE channel a clinic's patients are messaged through: its own (decrypted), none (the
 * deployment's LINE_CHANNEL_ACCESS_TOKEN serves it), or its own but unreadable here (no
 * APP_ENCRYPTION_KEY, or another key than the one it was saved with).
 */
export type ClinicLineChannel =
  { kind: 'none' } | { kind: 'clinic'; accessToken: string; channelSecret: string } | { kind: 'unusable'; problem: string };

export function readLineChannel(clinicId: number, stored: { tokenEncrypted: string | null; secretEncrypted: string | null }): ClinicLineChannel {
  if (!stored.tokenEncrypted) return { kind: 'none' };
  try {
    return {
      kind: 'clinic',
      accessToken: decryptSecret(stored.tokenEncrypted, lineChannelContext(clinicId, 'token')),
      channelSecret: stored.secretEncrypted ? decryptSecret(stored.secretEncrypted, lineChannelContext(clinicId, 'secret')) : '',
    };
  } catch (err) {
    return { kind: 'unusable', problem: (err as Error).message };
  }
}

export async function clinicLineChannel(db: DbOrTx, clinicId: number): Promise<ClinicLineChannel> {
  const [row] = await db
    .select({ tokenEncrypted: clinics.lineChannelTokenEncrypted, secretEncrypted: clinics.lineChannelSecretEncrypted })
    .from(clinics)
    .where(eq(clinics.id, clinicId));
  return row ? readLineChannel(clinicId, row) : { kind: 'none' };
}
