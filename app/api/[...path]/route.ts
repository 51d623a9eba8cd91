import { errorJson } from '@/lib/api/route';
import { AppError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/**
 * Any path under /api that no route serves: the contract's JSON 404, never the HTML not-found
 * page. Specific routes (e.g. /api/auth/*, /api/clinic/*) win over this catch-all.
 */
function notFound(): Response {
  return errorJson(new AppError('not_found', 'No API endpoint at this path'));
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
