import { buildLlmsTxt } from '@/lib/openapi/llms';

export const dynamic = 'force-static';

/** The agent API as a page an LLM reads first (llmstxt.org), generated like /api/openapi.json. */
export function GET(): Response {
  return new Response(buildLlmsTxt(), {
    headers: { 'Content-Type': 'text/markdown; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
