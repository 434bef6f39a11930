/** Form fields of the admin pages, and the API's refusal split by the field it names so it is shown beside that field. */
import { type GerbangError, isGerbangError } from '../../errors.js';
import { escapeHtml } from './konsol-pages.js';

/** A refusal as a form shows it: the API's words at the top, and per field (by its first path segment). */
export interface FormRefusal {
  status: number;
  summary: string;
  fields: Record<string, string[]>;
}

const FIELD_PREFIX = /^\/([A-Za-z]+)(?:\/\d+)?: /;

/** The API's error as a form refusal; anything not the caller's to fix (5xx, not a GerbangError) is undefined. */
export function refusalOf(err: unknown): FormRefusal | undefined {
  if (!isGerbangError(err) || err.statusCode >= 500) return undefined;
  const fields: Record<string, string[]> = {};
  const add = (name: string | undefined, message: string) => {
    if (name === undefined) return;
    const list = fields[name] ?? [];
    list.push(message);
    fields[name] = list;
  };
  for (const problem of fieldProblems(err)) {
    add(/^\/([A-Za-z]+)/.exec(problem.path)?.[1], `${problem.path}: ${problem.message}`);
  }
  // Service checks name the field as the start of their message: "/login: budi is taken".
  if (Object.keys(fields).length === 0) add(FIELD_PREFIX.exec(err.message)?.[1], err.message);
  return { status: err.statusCode, summary: `${err.code}: ${err.message}`, fields };
}

function fieldProblems(err: GerbangError): Array<{ path: string; message: string }> {
  const list = (err.details as { fields?: unknown } | undefined)?.fields;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is { path: string; message: string } =>
      typeof (p as { path?: unknown }).path === 'string' &&
      typeof (p as { message?: unknown }).message === 'string',
  );
}

export interface FieldSpec {
  /** The form field's name, also the API field whose errors it shows. */
  name: string;
  /** Unique on the page. */
  id: string;
  label: string;
  value?: string;
  hint?: string;
  type?: 'text' | 'password' | 'textarea';
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  errors?: readonly string[];
  /** A select: value and label of each option. */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

/** A labelled control with its hint and the API's errors beside it, tied by aria-describedby. */
export function field(spec: FieldSpec): string {
  const described: string[] = [];
  const hint = spec.hint ? `<small id="${spec.id}-hint">${escapeHtml(spec.hint)}</small>` : '';
  if (hint) described.push(`${spec.id}-hint`);
  const errors = spec.errors ?? [];
  const error =
    errors.length > 0
      ? `<p class="error" id="${spec.id}-error">${errors.map((e) => escapeHtml(e)).join('<br>')}</p>`
      : '';
  if (error) described.push(`${spec.id}-error`);
  const attrs = [
    `id="${spec.id}"`,
    `name="${escapeHtml(spec.name)}"`,
    spec.required ? 'required' : '',
    spec.maxlength ? `maxlength="${spec.maxlength}"` : '',
    spec.autocomplete ? `autocomplete="${spec.autocomplete}"` : '',
    described.length > 0 ? `aria-describedby="${described.join(' ')}"` : '',
    errors.length > 0 ? 'aria-invalid="true"' : '',
  ]
    .filter((a) => a !== '')
    .join(' ');
  const value = spec.value ?? '';
  let control: string;
  if (spec.options !== undefined) {
    const options = spec.options
      .map(
        (o) =>
          `<option value="${escapeHtml(o.value)}"${o.value === value ? ' selected' : ''}>${escapeHtml(o.label)}</option>`,
      )
      .join('');
    control = `<select ${attrs}>${options}</select>`;
  } else if (spec.type === 'textarea') {
    control = `<textarea ${attrs} rows="4">${escapeHtml(value)}</textarea>`;
  } else {
    const type = spec.type ?? 'text';
    control = `<input ${attrs} type="${type}"${type === 'password' ? '' : ` value="${escapeHtml(value)}"`}>`;
  }
  return `<label for="${spec.id}">${escapeHtml(spec.label)}</label>${control}${hint}${error}`;
}

/** The refusal's summary at the top of a form (an alert), with what to do about the password when it was typed. */
export function refusalSummary(refusal: FormRefusal | undefined, lines: readonly string[]): string {
  if (refusal === undefined) return '';
  const extra = lines.map((l) => `<br>${escapeHtml(l)}`).join('');
  return `<p class="error" role="alert">${escapeHtml(refusal.summary)}${extra}</p>`;
}

export function noticeOf(text: string | undefined): string {
  return text ? `<p class="notice" role="status">${escapeHtml(text)}</p>` : '';
}
