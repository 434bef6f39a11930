/** How a Konsol page is listed in /openapi.json: HTML for browsers, authenticated by the session cookie, not a token. */
import type { DocumentedSchema } from '../openapi.js';

export function page(summary: string): { schema: DocumentedSchema } {
  return { schema: { summary, tags: ['konsol'], access: 'public' } };
}
