/** String formats the schemas use (typebox checks a `format` only once it is registered here). */
import { FormatRegistry } from '@sinclair/typebox';

/** RFC 3339 date-time, as Date.parse and JSON clients write it: `2025-01-31T08:00:00Z` or with an offset. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}
