import { describe, expect, it } from 'vitest';
import { ERROR_CODES, WARNING_CODES } from '@/lib/errors';
import en from '@/messages/en.json';
import zhTW from '@/messages/zh-TW.json';

// The interface shows `errors.<code>` for an action's error, never the server's English message.

describe('error catalog', () => {
  for (const [locale, catalog] of [
    ['en', en],
    ['zh-TW', zhTW],
  ] as const) {
    it(`${locale} has a sentence for every error and warning code, and for a lost connection`, () => {
      const errors = catalog.errors as Record<string, string>;
      for (const code of [...ERROR_CODES, ...WARNING_CODES, 'network', 'invalid_field']) expect(errors[code], code).toBeTruthy();
    });
  }
  it('zh-TW never repeats the English sentence', () => {
    for (const [code, sentence] of Object.entries(en.errors)) expect((zhTW.errors as Record<string, string>)[code], code).not.toBe(sentence);
  });
});
