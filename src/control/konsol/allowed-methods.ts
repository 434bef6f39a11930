/** Konsol's route table by path: a known path asked with another method gets 405 and `Allow`, not a 404. */
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Collects the routes registered after it in `scope`; `allowedAt(path)` lists the methods of the one that matches. */
export function trackAllowedMethods(scope: FastifyInstance): (path: string) => string[] {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  scope.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    // `:param` segments match any one segment, as fastify's router does.
    const source = route.url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const existing = routes.find((r) => r.pattern.source === `^${source}$`);
    if (existing) existing.methods.push(...methods);
    else routes.push({ pattern: new RegExp(`^${source}$`), methods });
  });
  return (path) => {
    const route = routes.find((r) => r.pattern.test(path));
    return route === undefined ? [] : [...new Set(route.methods)];
  };
}
