import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import zhTW from '@/messages/zh-TW.json';

const keys = (o: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('message catalogs', () => {
  it('zh-TW has exactly the keys of en, so no screen falls back to a raw key', () => {
    expect(keys(zhTW).sort()).toEqual(keys(en).sort());
  });
  it('no key contains a dot (next-intl would read it as nesting)', () => {
    const leaves = (o: Record<string, unknown>): string[] =>
      Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? [k, ...leaves(v as Record<string, unknown>)] : [k]));
    expect(leaves(en).filter((k) => k.includes('.'))).toEqual([]);
  });
});
