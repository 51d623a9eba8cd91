// First-load JavaScript and CSS of a served page: what its HTML references, fetched and gzipped.
import { gzipSync } from 'node:zlib';
import { request } from './http';

export interface PageWeight {
  /** gzip bytes of the HTML document itself */
  html: number;
  /** gzip bytes of every `<script src>` of the page a current browser loads (not `nomodule` polyfills, which only browsers without ES modules fetch) */
  js: number;
  scripts: number;
  /** gzip bytes of the stylesheets that block the first render (linked in the head, no media trick), plus inline `<style>` of the head */
  blockingCss: number;
  stylesheets: number;
  /** every stylesheet linked, blocking or not */
  css: number;
  /** number of `@font-face` rules in the blocking CSS */
  fontFaces: number;
}

const gz = (text: string) => gzipSync(Buffer.from(text, 'utf8')).length;
const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

export async function pageWeight(origin: string, path: string, headers: Record<string, string>): Promise<PageWeight> {
  const page = await request(origin + path, { headers });
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  const html = page.body;
  const headEnd = html.search(/<\/head>/i);
  const head = headEnd >= 0 ? html.slice(0, headEnd) : html;

  const scripts = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = attr(m[0], 'src');
    // Next.js's legacy polyfills carry `nomodule`: a browser with ES modules never fetches them.
    if (src && !/\snomodule\b/i.test(m[0])) scripts.add(src);
  }
  const sheets: Array<{ href: string; blocking: boolean }> = [];
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(m[0], 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(m[0], 'href');
    if (!rel.includes('stylesheet') || !href) continue;
    const media = (attr(m[0], 'media') ?? 'all').toLowerCase();
    const inHead = (m.index ?? 0) < head.length;
    sheets.push({ href, blocking: inHead && (media === 'all' || media === 'screen') && !/\sdisabled\b/i.test(m[0]) });
  }
  const fetchText = async (href: string) => {
    const res = await request(new URL(href, origin).toString(), { headers });
    if (res.status !== 200) throw new Error(`GET ${href} answered ${res.status}`);
    return res.body;
  };
  let js = 0;
  for (const src of scripts) js += gz(await fetchText(src));
  let css = 0;
  let blockingCss = 0;
  let fontFaces = 0;
  for (const sheet of sheets) {
    const text = await fetchText(sheet.href);
    css += gz(text);
    if (sheet.blocking) {
      blockingCss += gz(text);
      fontFaces += (text.match(/@font-face/g) ?? []).length;
    }
  }
  for (const m of head.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) {
    blockingCss += gz(m[1] ?? '');
    fontFaces += (m[1]?.match(/@font-face/g) ?? []).length;
  }
  return { html: gz(html), js, scripts: scripts.size, blockingCss, stylesheets: sheets.length, css, fontFaces };
}
