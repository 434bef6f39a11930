/** What the admin API accepts before any route runs: JSON bodies only (merge patches too), and 405 with `Allow` for a known path's other methods. */
import type { FastifyInstance } from 'fastify';

/** A registered route's path as a matcher (`/v1/hosts/:host` → one segment for the parameter). */
function pathMatcher(url: string): RegExp {
  const pattern = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

/**
 * fastify parses `text/plain` bodies as strings by default, so JSON sent with the wrong type was refused as
 * "Expected object": the API takes JSON alone and answers anything else 415, as it does form bodies.
 */
export function acceptJsonBodiesOnly(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
}

/** Collects every route as it is registered; `allowed(path)` names the methods a path has (empty: unknown path). */
export function trackRouteMethods(app: FastifyInstance): { allowed(path: string): string[] } {
  const routes: Array<{ matcher: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    routes.push({ matcher: pathMatcher(route.url ?? route.path), methods });
  });
  return {
    allowed(path) {
      const methods = new Set<string>();
      for (const route of routes) if (route.matcher.test(path)) for (const m of route.methods) methods.add(m);
      return [...methods].sort();
    },
  };
}
