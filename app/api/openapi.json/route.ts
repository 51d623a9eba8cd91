import { buildOpenApiDocument } from '@/lib/openapi/document';

export const dynamic = 'force-static';

/** The machine-readable contract for agents (OpenAPI 3.1), generated from the request schemas. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument());
}
