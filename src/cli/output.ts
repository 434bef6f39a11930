/** How the CLI prints: aligned columns for people, the API's JSON as is for scripts. */

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const MAX_COLUMN_WIDTH = 60;

/** Plain aligned columns: readable in a terminal and in a pasted message. */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => cell(r[c]).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.min(MAX_COLUMN_WIDTH, Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length))),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) =>
        v.length > (widths[i] ?? 0) ? `${v.slice(0, (widths[i] ?? 1) - 1)}…` : v.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

export function out(text: string): void {
  process.stdout.write(text);
}

export function printJson(value: unknown): void {
  out(`${JSON.stringify(value, null, 2)}\n`);
}

/** A list answer (`{ hosts: [...] }`) as a table of `columns`, or as JSON with --json. */
export function printList(json: boolean, body: unknown, key: string, columns: string[]): void {
  if (json) {
    printJson(body);
    return;
  }
  const rows = (body as Record<string, Array<Record<string, unknown>>>)[key] ?? [];
  out(table(rows, columns));
}
