// Lighthouse 12 (mobile, the default form factor; performance only) on a signed-in page, with
// Debian's Chromium started here on a free debugging port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import lighthouse from 'lighthouse';
import { config } from './config';
import { freePort, sleep, stopProcess } from './proc';

export interface LighthouseResult {
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  si: number;
  /** the longest main-thread task seen, ms */
  longestTask: number | null;
  /** render-blocking resources Lighthouse names, with their estimated savings */
  blocking: string[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs Lighthouse `runs` times on `url` with the cookie and returns the run with the median score. */
export async function runLighthouse(url: string, cookie: string, runs: number): Promise<LighthouseResult & { scores: number[] }> {
  const port = await freePort();
  const profile = mkdtempSync(path.join(tmpdir(), 'bench-chromium-'));
  const chrome = spawn(
    config.chromium,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--no-default-browser-check',
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: 'ignore', detached: true },
  );
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) break;
      } catch {
        // not up yet
      }
      if (chrome.exitCode !== null) throw new Error(`${config.chromium} exited (${chrome.exitCode})`);
      if (Date.now() > deadline) throw new Error(`${config.chromium} did not open its debugging port`);
      await sleep(200);
    }
    const results: LighthouseResult[] = [];
    for (let i = 0; i < runs; i++) {
      const out = await lighthouse(url, {
        port,
        hostname: '127.0.0.1',
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance'],
        extraHeaders: { Cookie: cookie },
      });
      if (!out) throw new Error('Lighthouse gave no result');
      const lhr = out.lhr;
      if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      if (!lhr.finalDisplayedUrl.startsWith(url.split('?')[0]!))
        throw new Error(`Lighthouse ended on ${lhr.finalDisplayedUrl}, not the page (signed out?)`);
      const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
      const longTasks = lhr.audits['long-tasks']?.details as { items?: Array<{ duration?: number }> } | undefined;
      const blocking = lhr.audits['render-blocking-resources']?.details as
        { items?: Array<{ url?: string; totalBytes?: number; wastedMs?: number }> } | undefined;
      results.push({
        score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
        fcp: audit('first-contentful-paint'),
        lcp: audit('largest-contentful-paint'),
        tbt: audit('total-blocking-time'),
        cls: audit('cumulative-layout-shift'),
        si: audit('speed-index'),
        longestTask: longTasks?.items?.length ? Math.max(...longTasks.items.map((t) => t.duration ?? 0)) : null,
        blocking: (blocking?.items ?? []).map(
          (b) => `${new URL(b.url ?? '', url).pathname} (${Math.round((b.totalBytes ?? 0) / 1024)} KB, ~${Math.round(b.wastedMs ?? 0)} ms)`,
        ),
      });
    }
    const scores = results.map((r) => r.score);
    const mid = median(scores);
    return { ...results.find((r) => r.score === mid)!, scores };
  } finally {
    await stopProcess(chrome, 3_000);
    rmSync(profile, { recursive: true, force: true });
  }
}
