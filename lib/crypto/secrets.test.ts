import { afterEach, describe, expect, it } from 'vitest';
import { decryptSecret, EncryptionKeyError, encryptionKeyProblem, encryptSecret, SecretDecryptionError, secretHint } from './secrets';

const KEY = process.env.APP_ENCRYPTION_KEY!;
const OTHER_KEY = Buffer.alloc(32, 7).toString('base64');
const TOKEN = 'channel-access-token-0123456789abcdef+/=4f2a';

describe('secrets at rest (AES-256-GCM under APP_ENCRYPTION_KEY)', () => {
  afterEach(() => {
    process.env.APP_ENCRYPTION_KEY = KEY;
  });

  it('round-trips through the versioned form v1:<iv>:<tag>:<ciphertext>, a fresh IV each time, the text nowhere in it', () => {
    const a = encryptSecret(TOKEN, 'clinic:1:line_channel_token');
    const b = encryptSecret(TOKEN, 'clinic:1:line_channel_token');
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(TOKEN);
    expect(a).not.toContain(Buffer.from(TOKEN).toString('base64url'));
    expect(decryptSecret(a, 'clinic:1:line_channel_token')).toBe(TOKEN);
    expect(decryptSecret(b, 'clinic:1:line_channel_token')).toBe(TOKEN);
    expect(decryptSecret(encryptSecret('王小明的頻道😀', 'x'), 'x')).toBe('王小明的頻道😀');
  });

  it('refuses a value moved to another clinic or field, altered, or in an unknown format', () => {
    const stored = encryptSecret(TOKEN, 'clinic:1:line_channel_token');
    expect(() => decryptSecret(stored, 'clinic:2:line_channel_token')).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(stored, 'clinic:1:line_channel_secret')).toThrow(SecretDecryptionError);
    const [v, iv, tag, ct] = stored.split(':') as [string, string, string, string];
    const flipped = Buffer.from(ct, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptSecret([v, iv, tag, flipped.toString('base64url')].join(':'), 'clinic:1:line_channel_token')).toThrow(SecretDecryptionError);
    for (const bad of ['', 'v2:a:b:c', 'v1:a:b', TOKEN, `v1:${iv}:${tag.slice(2)}:${ct}`]) {
      expect(() => decryptSecret(bad, 'clinic:1:line_channel_token'), bad).toThrow(SecretDecryptionError);
    }
  });

  it('another key cannot read it', () => {
    const stored = encryptSecret(TOKEN, 'c');
    process.env.APP_ENCRYPTION_KEY = OTHER_KEY;
    expect(() => decryptSecret(stored, 'c')).toThrow(SecretDecryptionError);
  });

  it('without a usable key nothing is encrypted or decrypted, and the problem says why', () => {
    const stored = encryptSecret(TOKEN, 'c');
    expect(encryptionKeyProblem()).toBeNull();
    for (const [key, why] of [
      [undefined, /not set/],
      ['', /not set/],
      ['c2hvcnQ=', /32 bytes/],
      ['not base64 at all!', /not base64/],
      [Buffer.alloc(48).toString('base64'), /32 bytes/],
    ] as const) {
      if (key === undefined) delete process.env.APP_ENCRYPTION_KEY;
      else process.env.APP_ENCRYPTION_KEY = key;
      expect(encryptionKeyProblem(), String(key)).toMatch(why);
      expect(() => encryptSecret(TOKEN, 'c')).toThrow(EncryptionKeyError);
      expect(() => decryptSecret(stored, 'c')).toThrow(EncryptionKeyError);
    }
  });

  it('accepts the key as `openssl rand -base64 32` prints it, and base64url', () => {
    process.env.APP_ENCRYPTION_KEY = ` ${OTHER_KEY}\n`;
    expect(encryptionKeyProblem()).toBeNull();
    process.env.APP_ENCRYPTION_KEY = Buffer.alloc(32, 250).toString('base64url');
    expect(encryptionKeyProblem()).toBeNull();
    expect(decryptSecret(encryptSecret(TOKEN, 'c'), 'c')).toBe(TOKEN);
  });

  it('hints at a secret by its last four characters only', () => {
    expect(secretHint(TOKEN)).toBe('4f2a');
  });
});
