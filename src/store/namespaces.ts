/** The runtime list of store namespaces, for checking names that arrive from disk or from another instance. */
import type { Namespace } from './store.js';

// A Record rather than an array: adding a namespace to the type without listing it here fails to compile.
const KNOWN: Record<Namespace, true> = {
  hosts: true,
  agencies: true,
  tokens: true,
  certs: true,
  challenges: true,
  audit: true,
  meta: true,
  users: true,
  sessions: true,
  counters: true,
  inventory: true,
  uptime: true,
  defacement: true,
};

export const NAMESPACES: readonly Namespace[] = Object.keys(KNOWN) as Namespace[];

export function isNamespace(name: string): name is Namespace {
  return Object.hasOwn(KNOWN, name);
}
