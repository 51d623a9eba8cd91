import 'server-only';
import { eq } from 'drizzle-orm';
import { assertClinicAdmin } from '../auth/access';
import type { Caller } from '../auth/caller';
import { EncryptionKeyError, encryptionKeyProblem, encryptSecret, secretHint } from '../crypto/secrets';
import { writeAudit } from '../db/audit';
import type { DbOrTx } from '../db/client';
import { clinics } from '../db/schema';
import { inTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { loadSettingsRow, toClinicSettings, type ClinicSettingsDto } from '../queries/clinic-settings';
import { lineChannelContext } from '../queries/line-channel';
import type { LineChannelInput } from '../schemas/clinic-settings';

// The clinic's own LINE Messaging API channel. Its access token and secret are stored encrypted
// (lib/crypto/secrets.ts) and leave the server only towards LINE: answers, pages, logs and the
// audit log show whether they are set and their last four characters, nothing more.

const WHAT = 'manages the clinic settings';

/** Saves (or replaces) both credentials; refused while the server has no usable APP_ENCRYPTION_KEY. */
export async function setClinicLineChannel(db: DbOrTx, caller: Caller, input: LineChannelInput): Promise<ClinicSettingsDto> {
  assertClinicAdmin(caller, WHAT);
  const problem = encryptionKeyProblem();
  if (problem) {
    throw new AppError(
      'not_configured',
      `A LINE channel cannot be saved: ${problem}. The server's operator sets APP_ENCRYPTION_KEY (see the README).`,
    );
  }
  let token: string;
  let secret: string;
  try {
    token = encryptSecret(input.access_token, lineChannelContext(caller.clinicId, 'token'));
    secret = encryptSecret(input.channel_secret, lineChannelContext(caller.clinicId, 'secret'));
  } catch (err) {
    if (err instanceof EncryptionKeyError) throw new AppError('not_configured', `A LINE channel cannot be saved: ${err.message}`);
    throw err;
  }
  return inTransaction(db, async (tx) => {
    const before = await loadSettingsRow(tx, caller.clinicId, { forUpdate: true });
    await tx
      .update(clinics)
      .set({
        lineChannelTokenEncrypted: token,
        lineChannelSecretEncrypted: secret,
        lineChannelTokenHint: secretHint(input.access_token),
        lineChannelSecretHint: secretHint(input.channel_secret),
        updatedAt: new Date(),
      })
      .where(eq(clinics.id, caller.clinicId));
    // Never the credentials, not even their hints: only that they changed.
    await writeAudit(tx, caller, {
      action: 'clinic.line_channel_set',
      entityType: 'clinic',
      entityId: caller.clinicId,
      details: { replaced: before.tokenEncrypted !== null },
    });
    return toClinicSettings(await loadSettingsRow(tx, caller.clinicId));
  });
}

/** Forgets the clinic's channel: its patients are messaged through the deployment's channel again. */
export async function removeClinicLineChannel(db: DbOrTx, caller: Caller): Promise<ClinicSettingsDto> {
  assertClinicAdmin(caller, WHAT);
  return inTransaction(db, async (tx) => {
    const before = await loadSettingsRow(tx, caller.clinicId, { forUpdate: true });
    if (before.tokenEncrypted === null && before.secretEncrypted === null) return toClinicSettings(before);
    await tx
      .update(clinics)
      .set({
        lineChannelTokenEncrypted: null,
        lineChannelSecretEncrypted: null,
        lineChannelTokenHint: null,
        lineChannelSecretHint: null,
        updatedAt: new Date(),
      })
      .where(eq(clinics.id, caller.clinicId));
    await writeAudit(tx, caller, { action: 'clinic.line_channel_removed', entityType: 'clinic', entityId: caller.clinicId });
    return toClinicSettings(await loadSettingsRow(tx, caller.clinicId));
  });
}
