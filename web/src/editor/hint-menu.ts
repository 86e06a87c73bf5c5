/**
 * The `${` menu shared by every field.
 * 1. On each input (or Ctrl+Space) it reads the caret's context (./hint-context): variables or the
 *    members of the value reached so far.
 * 2. It renders at once from what the store holds (so it opens without waiting on the network),
 *    then refines: variables with the search endpoint's fuzzy matches, members once fetched.
 *    Both requests are debounced and cancelled when a newer keystroke supersedes them.
 * 3. ↑/↓ move, Enter/Tab insert `name}` with the caret after it, Esc closes until the next `${`.
 */
import { applyChoice, hintContextAt, type HintContext } from './hint-context';
import { caretPagePosition } from './caret-position';
import { element, highlighted } from './dom';
import { variableItems, type MenuItem } from './menu-items';
import { LatestRequest } from './latest-request';
import type { HintsStore } from './hints-store';
import type { SearchMatch } from '../service/port';
import type { Texts } from '../i18n';

/**
 * Rows drawn at most: 1,000 variables must not cost 1,000 rows per keystroke. The menu shows about
 * ten at a time; typing narrows the list, and a note says how many more there are.
 */
export const MAX_ROWS = 50;
const SEARCH_DELAY_MS = 120;

export class HintMenu {
  private field: HTMLTextAreaElement | undefined;
  private context: HintContext | undefined;
  private items: MenuItem[] = [];
  private selected = 0;
  /** The `${` (by offset) the user closed with Esc; it stays closed until another one is typed. */
  private dismissedAt: number | undefined;
  private readonly search = new LatestRequest(SEARCH_DELAY_MS);
  private readonly members = new LatestRequest(0);
  private readonly fuzzy = new Map<string, SearchMatch[]>();
  /** The path whose members are being fetched (more keystrokes on it do not restart the request). */
  private membersPath: string | undefined;
  /** The menu was scrolled by the keyboard since it was last drawn. */
  private scrolled = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: HintsStore,
    private readonly texts: Texts,
    private readonly afterInsert: (field: HTMLTextAreaElement) => void,
  ) {
    root.setAttribute('aria-label', texts.menuLabel);
    // Clicking a row must not take the focus from the field.
    root.addEventListener('mousedown', (event) => event.preventDefault());
    root.addEventListener('click', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (row) this.choose(Number(row.dataset.index));
    });
  }

  attach(field: HTMLTextAreaElement): void {
    field.setAttribute('role', 'combobox');
    field.setAttribute('aria-autocomplete', 'list');
    field.setAttribute('aria-controls', this.root.id);
    field.setAttribute('aria-expanded', 'false');
    field.addEventListener('input', () => this.update(field, false));
    field.addEventListener('keydown', (event) => this.onKeyDown(field, event));
    field.addEventListener('blur', () => this.close());
    field.addEventListener('click', () => (this.isOpen() ? this.update(field, false) : undefined));
  }

  isOpen(): boolean {
    return !this.root.hidden;
  }

  private onKeyDown(field: HTMLTextAreaElement, event: KeyboardEvent): void {
    if (event.ctrlKey && (event.code === 'Space' || event.key === ' ')) {
      event.preventDefault();
      this.dismissedAt = undefined;
      if (!hintContextAt(field.value, field.selectionStart)) {
        field.setRangeText('${', field.selectionStart, field.selectionEnd, 'end');
        field.dispatchEvent(new Event('input', { bubbles: true }));
      }
      this.update(field, true);
      return;
    }
    if (!this.isOpen() || this.field !== field) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (this.items.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.select((this.selected + step + Math.min(this.items.length, MAX_ROWS)) % Math.min(this.items.length, MAX_ROWS), true);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (this.items.length === 0) return;
      event.preventDefault();
      this.choose(this.selected);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      this.dismissedAt = this.context?.start;
      this.close();
    }
  }

  /** Reads the caret's context and shows what fits it. */
  update(field: HTMLTextAreaElement, forced: boolean): void {
    const context = field.selectionStart === field.selectionEnd ? hintContextAt(field.value, field.selectionStart) : undefined;
    if (!context || !this.store.scope) {
      // The reference closed with Esc is gone (deleted or finished): the next `${` opens the menu again.
      if (!context) this.dismissedAt = undefined;
      this.close();
      return;
    }
    if (!forced && this.dismissedAt === context.start) return;
    this.dismissedAt = undefined;
    const previous = this.context;
    const moved = previous?.start !== context.start || this.field !== field || this.root.hidden;
    this.field = field;
    this.context = context;
    if (context.kind === 'variables') {
      this.search.cancel();
      this.members.cancel();
      // Stale-while-revalidate: draw from memory now, refresh the list in the background.
      if (context.query === '' && (previous === undefined || previous.start !== context.start))
        void this.store.loadSuggestions().then(() => this.refresh());
      if (context.query !== '' && !this.fuzzy.has(context.query)) this.fetchFuzzy(context.query);
    } else {
      this.search.cancel();
      if (!this.store.cachedMembers(context.parentPath) && this.membersPath !== context.parentPath) this.fetchMembers(context.parentPath);
    }
    // Measure the caret before drawing rows, so the page is laid out once for it, not again with the rows.
    if (moved) this.position(field, context);
    this.render(previous);
  }

  private fetchFuzzy(query: string): void {
    const scope = this.store.scope!;
    void this.search
      .run((signal) => this.store.track(this.store.service.search(scope.executionId, scope.stepIndex, query, signal)))
      .then((matches) => {
        if (!matches) return;
        this.fuzzy.set(query, matches);
        if (this.fuzzy.size > 200) this.fuzzy.delete(this.fuzzy.keys().next().value!);
        this.refresh();
      })
      .catch(() => undefined); // down or refused: prefix matches from memory still stand
  }

  private fetchMembers(path: string): void {
    this.membersPath = path;
    const done = (): void => {
      if (this.membersPath === path) this.membersPath = undefined;
      this.refresh();
    };
    void this.members.run((signal) => this.store.loadMembers(path, signal)).then(done, done);
  }

  /** Redraws for the current context (an answer arrived, or health changed). */
  refresh(): void {
    if (this.isOpen() && this.field && this.context) this.render(this.context);
  }

  private render(previous: HintContext | undefined): void {
    const context = this.context!;
    const keepLabel = previous && sameList(previous, context) ? this.items[this.selected]?.label : undefined;
    let note: string | undefined;
    if (context.kind === 'variables') {
      const list = this.store.cachedSuggestions();
      this.items = list ? variableItems(list.variables, context.query, this.fuzzy.get(context.query)) : [];
      if (!list) note = this.store.health.down ? this.texts.downBanner : (this.store.suggestionsError ?? this.texts.loading);
      else if (this.items.length === 0) note = context.query === '' ? this.texts.noVariables : this.texts.noMatches;
    } else {
      const members = this.store.cachedMembers(context.parentPath);
      this.items = members ? this.store.itemsFor(members, context.separator, context.query) : [];
      if (!members) note = this.store.health.down ? this.texts.downBanner : this.texts.loading;
      else if (members.kind === 'error') note = members.message;
      else if (members.kind === 'scalar') note = this.texts.notContainer(members.dataType);
      else if (this.items.length === 0) note = members.kind === 'array' ? this.texts.emptyArray : this.texts.noProperties;
    }
    const keep = keepLabel === undefined ? -1 : this.items.findIndex((item) => item.label === keepLabel);
    this.selected = keep >= 0 && keep < MAX_ROWS ? keep : 0;

    const rows = document.createDocumentFragment();
    this.items.slice(0, MAX_ROWS).forEach((item, index) => {
      rows.append(this.row(item, index, context));
    });
    if (this.items.length > MAX_ROWS) rows.append(element('div', 'menu-note', this.texts.more(this.items.length - MAX_ROWS)));
    if (note !== undefined) rows.append(element('div', 'menu-note', note));
    this.root.replaceChildren(rows);
    this.root.dataset.kind = context.kind;
    this.root.dataset.state = note === this.texts.loading ? 'loading' : 'ready';
    this.root.hidden = false;
    this.field?.setAttribute('aria-expanded', 'true');
    // Back to the top for a new list, without reading layout (a read here would force one in the keystroke).
    if (this.selected === 0 && this.scrolled) this.root.scrollTop = 0;
    this.scrolled = false;
    this.select(this.selected, this.selected !== 0);
  }

  private row(item: MenuItem, index: number, context: HintContext): HTMLElement {
    const row = element('div', 'hint-item');
    row.id = `hint-item-${index}`;
    row.setAttribute('role', 'option');
    row.dataset.index = String(index);
    row.dataset.name = item.label;
    const name = element('span', 'name');
    name.append(highlighted(item.label, context.kind === 'variables' || item.match === 'prefix' ? context.query : ''));
    row.append(name, element('span', `type type-${item.dataType}`, item.dataType));
    row.append(item.step !== undefined ? element('span', 'step', this.texts.step_n(item.step)) : element('span', 'step'));
    const preview = element('span', 'preview', item.preview);
    preview.title = item.preview;
    row.append(preview);
    if (item.match === 'fuzzy') row.append(element('span', 'fuzzy', this.texts.fuzzy));
    return row;
  }

  private select(index: number, reveal: boolean): void {
    this.selected = index;
    for (const row of this.root.querySelectorAll<HTMLElement>('[aria-selected="true"]')) row.setAttribute('aria-selected', 'false');
    const row = this.root.querySelector<HTMLElement>(`#hint-item-${index}`);
    if (!row) return;
    row.setAttribute('aria-selected', 'true');
    this.field?.setAttribute('aria-activedescendant', row.id);
    // Scrolls the menu only (scrollIntoView lays out the whole page: it was most of the menu's cost).
    if (reveal) {
      this.scrolled = true;
      const top = row.offsetTop;
      const bottom = top + row.offsetHeight;
      if (top < this.root.scrollTop) this.root.scrollTop = top;
      else if (bottom > this.root.scrollTop + this.root.clientHeight) this.root.scrollTop = bottom - this.root.clientHeight;
    }
  }

  private choose(index: number): void {
    const field = this.field;
    const context = this.context;
    const item = this.items[index];
    if (!field || !context || !item) return;
    const from =
      context.kind === 'variables' ? context.replaceFrom : item.replacesSeparator ? context.separatorAt : context.separatorAt + 1;
    const next = applyChoice(field.value, from, context.replaceTo, `${item.insert}}`);
    field.value = next.text;
    field.setSelectionRange(next.caret, next.caret);
    this.close();
    field.dispatchEvent(new Event('input', { bubbles: true }));
    this.afterInsert(field);
  }

  private position(field: HTMLTextAreaElement, context: HintContext): void {
    const caret = caretPagePosition(field, context.start);
    const width = Math.min(560, document.documentElement.clientWidth - 16);
    this.root.style.left = `${Math.max(8, Math.min(caret.left, window.scrollX + document.documentElement.clientWidth - width - 8))}px`;
    this.root.style.top = `${caret.top + caret.height + 4}px`;
  }

  close(): void {
    this.search.cancel();
    this.members.cancel();
    this.membersPath = undefined;
    this.root.hidden = true;
    this.root.replaceChildren();
    this.field?.removeAttribute('aria-activedescendant');
    this.field?.setAttribute('aria-expanded', 'false');
    this.field = undefined;
    this.context = undefined;
    this.items = [];
  }
}

function sameList(a: HintContext, b: HintContext): boolean {
  return a.kind === b.kind && a.start === b.start && (a.kind === 'variables' || (b.kind === 'properties' && a.parentPath === b.parentPath));
}
