/** Host names: normalising what clients send (case, port, trailing dot) and checking what operators register. */
import { GerbangError } from '../errors.js';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_NAME_LENGTH = 253;

/**
 * Normalises a Host header value for lookup: lowercase, no port, no trailing dot.
 * Returns undefined for anything that is not a plausible DNS name or IP literal (the caller answers 400).
 */
export function normalizeRequestHost(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let host = raw;
  if (host.charCodeAt(0) === 91 /* [ */) {
    const end = host.indexOf(']');
    if (end < 0) return undefined;
    // Whatever follows the literal is a port or nothing: `[::1]junk` is not a Host.
    if (end + 1 < host.length && (host.charCodeAt(end + 1) !== 58 || !isPort(host.slice(end + 2))))
      return undefined;
    return host.slice(0, end + 1).toLowerCase();
  }
  const colon = host.indexOf(':');
  if (colon >= 0) {
    if (!isPort(host.slice(colon + 1))) return undefined;
    host = host.slice(0, colon);
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.length === 0 || host.length > MAX_NAME_LENGTH) return undefined;
  host = host.toLowerCase();
  // Cheap character check first: the common case is a valid name and must stay fast.
  if (!/^[a-z0-9.-]+$/.test(host)) return undefined;
  return host;
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535;
}

/** True when `name` is a syntactically valid DNS name (no wildcard). */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  return labels.every((l) => LABEL.test(l));
}

/** True when `name` equals a zone or is below it. */
export function isInZones(name: string, zones: readonly string[]): boolean {
  return zones.some((z) => name === z || name.endsWith(`.${z}`));
}

/**
 * Validates and normalises a host name for registration: lowercase, no trailing dot, a DNS name
 * (or a leading `*.` wildcard) inside one of the configured zones.
 */
export function normalizeRegisteredHost(raw: string, zones: readonly string[]): string {
  let name = raw.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  const wildcard = name.startsWith('*.');
  const base = wildcard ? name.slice(2) : name;
  if (!isDnsName(base)) {
    throw new GerbangError('INVALID_HOST', `"${raw}" is not a valid host name`);
  }
  if (!isInZones(base, zones)) {
    throw new GerbangError('HOST_OUTSIDE_ZONE', `"${name}" is not inside the zones ${zones.join(', ')}`);
  }
  return name;
}
