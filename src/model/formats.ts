/** String formats the schemas use (typebox checks a `format` only once it is registered here). */
import { isIP } from 'node:net';
import { FormatRegistry } from '@sinclair/typebox';

/** RFC 3339 date-time, as Date.parse and JSON clients write it: `2025-01-31T08:00:00Z` or with an offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

/** An IPv4 or IPv6 address, or a CIDR range with a prefix length its family allows (access lists). */
function isAddressOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  const family = isIP(slash < 0 ? value : value.slice(0, slash));
  if (family === 0) return false;
  if (slash < 0) return true;
  const bits = value.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32);
}

if (!FormatRegistry.Has('cidr')) FormatRegistry.Set('cidr', isAddressOrCidr);
