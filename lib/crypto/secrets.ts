import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Secrets the app must use again later (a clinic's LINE channel token and secret) are stored
// encrypted with AES-256-GCM under APP_ENCRYPTION_KEY, never in plain text. The stored form is
// versioned, `v1:<iv>:<tag>:<ciphertext>` (base64url), so a later key or algorithm can be told
// apart. Each value is bound to what it is (`context`, e.g. "clinic:5:line_token") as GCM's
// additional data: a ciphertext copied onto another clinic or field does not decrypt.

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key is missing or not 32 bytes of base64: nothing can be encrypted or decrypted. */
export class EncryptionKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/** A stored value that does not decrypt: another key, another context, or damaged. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

/** APP_ENCRYPTION_KEY as 32 bytes; read on every use, so a changed environment is seen at once. */
function encryptionKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const text = env.APP_ENCRYPTION_KEY?.trim();
  if (!text) throw new EncryptionKeyError('APP_ENCRYPTION_KEY is not set');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) && !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new EncryptionKeyError('APP_ENCRYPTION_KEY is not base64');
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new EncryptionKeyError(`APP_ENCRYPTION_KEY must be 32 bytes of base64 (it is ${key.length} bytes)`);
  return key;
}

/** Why secrets cannot be stored or read here, or null when APP_ENCRYPTION_KEY is usable. */
export function encryptionKeyProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  try {
    encryptionKey(env);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export function encryptSecret(plain: string, context: string): string {
  const key = encryptionKey();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
}

export function decryptSecret(stored: string, context: string): string {
  const key = encryptionKey();
  const parts = stored.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptionError('The stored secret is not in a known format');
  const [, iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError('The stored secret is not in a known format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretDecryptionError('The stored secret does not decrypt with APP_ENCRYPTION_KEY (was it saved under another key?)');
  }
}

/** What the interface may show of a secret: its last four characters. */
export function secretHint(plain: string): string {
  return plain.slice(-4);
}
