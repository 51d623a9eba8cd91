import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse } from '@playwright/test';

interface ManifestEntry {
  workers: Record<string, unknown>;
  filename?: string;
  exportedName?: string;
}

/** A server action of the build under test: its id and a page path it is posted to. */
export interface ServerActionRef {
  id: string;
  page: string;
}

/** "app/(app)/settings/agent-keys/page" → "/settings/agent-keys" (route groups are not in the URL). */
function pagePath(worker: string): string {
  const p = worker
    .replace(/^app/, '')
    .replace(/\/page$/, '')
    .split('/')
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .join('/');
  return `/${p}`;
}

/** Finds an action by its export name in `<dist>/server/server-reference-manifest.json` (the build `next start` serves: NEXT_DIST_DIR or .next). */
export function findServerAction(exportedName: string): ServerActionRef {
  const manifest = JSON.parse(
    readFileSync(path.join(process.cwd(), process.env.NEXT_DIST_DIR || '.next', 'server/server-reference-manifest.json'), 'utf8'),
  ) as {
    node: Record<string, ManifestEntry>;
  };
  const found = Object.entries(manifest.node).filter(([, e]) => e.exportedName === exportedName);
  if (found.length !== 1) throw new Error(`server action ${exportedName}: ${found.length} entries in the manifest`);
  const [id, entry] = found[0]!;
  const worker = Object.keys(entry.workers).find((w) => w.endsWith('/page'));
  if (!worker) throw new Error(`server action ${exportedName} is used by no page`);
  return { id, page: pagePath(worker) };
}

/**
 * Posts a server action as React's client does: `Next-Action` header, the site's Origin, and the
 * arguments as a JSON array in a text/plain body.
 */
export async function postServerAction(
  request: APIRequestContext,
  baseURL: string,
  action: ServerActionRef,
  args: unknown[],
  opts: { origin?: string } = {},
): Promise<APIResponse> {
  return request.post(action.page, {
    headers: {
      'Next-Action': action.id,
      Origin: opts.origin ?? new URL(baseURL).origin,
      Accept: 'text/x-component',
      'Content-Type': 'text/plain;charset=UTF-8',
    },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
}

/**
 * The action's returned value from a React Flight (RSC) answer: rows `<id>:<json>`; the ActionState
 * is the row holding an object with a `status`. Returns null when there is none.
 */
export function actionResult(flight: string): { status: string; code?: string; message?: string } | null {
  for (const line of flight.split('\n')) {
    const m = /^([0-9a-f]+):(\{.*\})$/.exec(line);
    if (!m) continue;
    try {
      const value = JSON.parse(m[2]!) as Record<string, unknown>;
      if (typeof value.status === 'string') return value as { status: string; code?: string; message?: string };
    } catch {
      // not a JSON row
    }
  }
  return null;
}
