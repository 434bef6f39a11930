/** Konsol's /konsol/inventaris pages: the entries the user may see, and the form that edits (or adds) one. */
import type { InventoryState, InventoryView } from '../../model/inventory-schema.js';
import type { InventoryWords } from './inventory-words.js';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

const e = escapeHtml;
const STATES: InventoryState[] = ['reported', 'migrating', 'live', 'retired'];

/** The form's fields, as typed (strings), in page order. */
export const ENTRY_FIELDS = [
  'agency',
  'state',
  'name',
  'description',
  'category',
  'contact',
  'url',
  'host',
] as const;
export type EntryValues = Partial<Record<(typeof ENTRY_FIELDS)[number] | 'id', string>>;

export function inventoryListPage(
  frame: PageFrame & { user: PageUser },
  words: InventoryWords,
  entries: InventoryView[],
  notice?: string,
): string {
  const { lang } = frame;
  const rows = entries
    .map(
      (x) =>
        `<tr data-entry="${e(x.id)}"><td>${e(x.name)}</td><td>${e(x.agency)}</td><td data-state="${x.state}">${e(words.states[x.state])}</td><td>${e(x.url ?? x.host ?? '')}</td><td><a href="/konsol/inventaris/${encodeURIComponent(x.id)}?lang=${lang}">${e(words.edit)}<span class="hint"> ${e(x.id)}</span></a></td></tr>`,
    )
    .join('');
  const table =
    entries.length === 0
      ? `<p>${e(words.noEntries)}</p>`
      : `<div class="scroll"><table><thead><tr><th scope="col">${e(words.colName)}</th><th scope="col">${e(words.colAgency)}</th><th scope="col">${e(words.colState)}</th><th scope="col">${e(words.colAddress)}</th><th scope="col"><span class="hint">${e(words.edit)}</span></th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return layout(
    frame,
    '/konsol/inventaris',
    `${notice ? `<p class="notice" role="status">${e(notice)}</p>` : ''}<p><a href="/konsol/inventaris/baru?lang=${lang}">${e(words.newEntry)}</a></p>${table}`,
  );
}

export function inventoryEntryPage(
  frame: PageFrame & { user: PageUser },
  words: InventoryWords,
  o: { id?: string; values: EntryValues; errors: Map<string, string>; chooseAgency: boolean },
): string {
  const { lang, user } = frame;
  const err = (name: string) => {
    const m = o.errors.get(name);
    return m
      ? {
          attr: ` aria-invalid="true" aria-describedby="err-${name}"`,
          text: `<p class="error" id="err-${name}">${e(m)}</p>`,
        }
      : { attr: '', text: '' };
  };
  const input = (name: keyof EntryValues, label: string, attrs = '') => {
    const x = err(name);
    return `<label for="f-${name}">${e(label)}</label><input id="f-${name}" name="${name}" value="${e(o.values[name] ?? '')}"${x.attr} ${attrs}>${x.text}`;
  };
  const stateErr = err('state');
  const state = `<label for="f-state">${e(words.state)}</label><select id="f-state" name="state"${stateErr.attr}>${STATES.map((s) => `<option value="${s}"${o.values.state === s ? ' selected' : ''}>${e(words.states[s])}</option>`).join('')}</select>${stateErr.text}`;
  const descErr = err('description');
  const description = `<label for="f-description">${e(words.description)}</label><textarea id="f-description" name="description" maxlength="500" rows="3"${descErr.attr}>${e(o.values.description ?? '')}</textarea>${descErr.text}`;
  const pageError = o.errors.get('');
  const action = o.id === undefined ? '/konsol/inventaris' : `/konsol/inventaris/${encodeURIComponent(o.id)}`;
  const body = `${pageError ? `<p class="error" role="alert">${e(pageError)}</p>` : ''}<form class="card" method="post" action="${e(action)}?lang=${lang}">${csrfField(user.csrf)}
${o.id === undefined ? input('id', words.entryId, 'required maxlength="64"') : ''}
${o.chooseAgency ? input('agency', words.agency, 'maxlength="64"') : ''}
${state}
${input('name', words.name, 'maxlength="120"')}
${description}
${input('category', words.category, 'maxlength="60"')}
${input('contact', words.contact, 'maxlength="200"')}
${input('url', words.url, 'maxlength="2048" inputmode="url"')}
${input('host', words.host, 'maxlength="253"')}
<p><button type="submit">${e(words.save)}</button></p></form>`;
  return layout(frame, o.id === undefined ? '/konsol/inventaris/baru' : `/konsol/inventaris/${o.id}`, body);
}
