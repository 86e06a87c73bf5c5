/**
 * The step editor page: scope (execution id, step index, connection), three parameter fields with
 * hints and inline validation, the resolved preview and the degradation banner.
 */
import { textsFor, pageLanguage, type Texts } from './i18n';
import { HintMenu } from './editor/hint-menu';
import { HintsStore, type Scope } from './editor/hints-store';
import { PreviewPane } from './editor/preview-pane';
import { ReferenceField } from './editor/reference-field';
import { element } from './editor/dom';
import { createHintsService } from './service/service-factory';
import type { ConnectionSettings } from './service/port';

const EXECUTION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const RECENT_KEY = 'step-editor.recent-executions';
const BASE_KEY = 'step-editor.api-base';
const TOKEN_KEY = 'step-editor.token';
const SCOPE_DELAY_MS = 250;

export function startEditor(document: Document): void {
  const language = pageLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
  const texts = textsFor(language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  document.title = texts.title;
  for (const node of document.querySelectorAll<HTMLElement>('[data-text]')) {
    const text = texts[node.dataset.text as keyof Texts];
    if (typeof text === 'string') node.textContent = text;
  }

  const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
  const executionInput = $<HTMLInputElement>('#execution-id');
  const stepInput = $<HTMLInputElement>('#step-index');
  const baseInput = $<HTMLInputElement>('#api-base');
  const tokenInput = $<HTMLInputElement>('#api-token');
  const banner = $<HTMLElement>('#banner');
  const scopeHint = $<HTMLElement>('#scope-hint');

  const url = new URL(location.href);
  executionInput.value = url.searchParams.get('execution') ?? '';
  if (url.searchParams.has('step')) stepInput.value = url.searchParams.get('step')!;
  baseInput.value = url.searchParams.get('api') ?? localStorage.getItem(BASE_KEY) ?? location.origin;
  tokenInput.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  showRecent();

  const connection = (): ConnectionSettings => ({
    baseUrl: baseInput.value.trim() || location.origin,
    token: tokenInput.value.trim() || undefined,
    language: navigator.language || 'en',
  });
  let service = createHintsService(connection());
  const store = new HintsStore(service, undefined);
  const menu = new HintMenu($('#hint-menu'), store, texts, () => undefined);
  const preview = new PreviewPane($('#preview-output'), $('#preview-summary'), $('#preview-failures'), store, texts);

  const fields = [...document.querySelectorAll<HTMLElement>('.field')].map(
    (container) => new ReferenceField(container, store, texts, () => preview.schedule(collectParams())),
  );
  const extra = fields.find((field) => field.name === 'extra')!;
  extra.fieldProblem = (text) => (text.trim() === '' || isJsonObject(text) ? undefined : texts.invalidJson);
  for (const field of fields) menu.attach(field.textarea);

  /** query and locate as strings (when not empty), then the JSON object's members. */
  function collectParams(): Record<string, unknown> {
    const params: Record<string, unknown> = {};
    for (const field of fields) {
      if (field === extra) continue;
      if (field.textarea.value !== '') params[field.name] = field.textarea.value;
    }
    const text = extra.textarea.value.trim();
    if (text !== '' && isJsonObject(text)) {
      const members = JSON.parse(text) as Record<string, unknown>;
      // defineProperty, not assignment: a key named __proto__ is data (API.md §3).
      for (const key of Object.keys(members))
        Object.defineProperty(params, key, { value: members[key], enumerable: true, writable: true, configurable: true });
    }
    return params;
  }

  const renderBanner = (): void => {
    const { down, basic, syntaxOnly, unavailable, unauthorized } = store.health;
    const lines = down
      ? [texts.downBanner]
      : [
          unauthorized ? texts.unauthorizedBanner : '',
          basic ? texts.basicBanner : '',
          syntaxOnly ? texts.syntaxOnlyBanner : '',
          unavailable ? texts.unavailableBanner : '',
        ].filter(Boolean);
    banner.hidden = lines.length === 0;
    banner.className = down || unauthorized ? 'down' : lines.length > 0 ? 'degraded' : '';
    banner.dataset.state = down
      ? 'down'
      : [unauthorized ? 'unauthorized' : '', basic ? 'basic' : '', syntaxOnly ? 'syntax-only' : '', unavailable ? 'unavailable' : '']
          .filter(Boolean)
          .join(' ') || 'ok';
    banner.replaceChildren(...lines.map((line) => element('div', undefined, line)));
  };
  store.onChange = () => {
    renderBanner();
    menu.refresh();
  };

  let scopeTimer: ReturnType<typeof setTimeout> | undefined;
  const applyScope = (): void => {
    clearTimeout(scopeTimer);
    const executionId = executionInput.value.trim();
    const step = Number(stepInput.value);
    const valid = EXECUTION_ID.test(executionId) && stepInput.value.trim() !== '' && Number.isInteger(step) && step >= 0 && step <= 100_000;
    scopeHint.hidden = valid;
    const scope: Scope | undefined = valid ? { executionId, stepIndex: step } : undefined;
    store.setScope(scope, service);
    if (scope) {
      remember(executionId);
      const next = new URL(location.href);
      next.searchParams.set('execution', executionId);
      next.searchParams.set('step', String(step));
      history.replaceState(null, '', next);
    }
    for (const field of fields) field.scheduleValidation(0);
    preview.schedule(collectParams(), 0);
  };
  const scheduleScope = (): void => {
    clearTimeout(scopeTimer);
    scopeTimer = setTimeout(applyScope, SCOPE_DELAY_MS);
  };
  executionInput.addEventListener('input', scheduleScope);
  stepInput.addEventListener('input', scheduleScope);
  executionInput.addEventListener('change', applyScope);
  stepInput.addEventListener('change', applyScope);
  // New connection settings: a new client, and everything fetched with the old one is dropped.
  const reconnect = (): void => {
    service = createHintsService(connection());
    applyScope();
  };
  baseInput.addEventListener('change', () => {
    localStorage.setItem(BASE_KEY, baseInput.value.trim());
    reconnect();
  });
  tokenInput.addEventListener('change', () => {
    sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
    reconnect();
  });
  document.addEventListener('scroll', () => menu.close(), { passive: true });
  for (const field of fields) field.paint();
  applyScope();
  document.body.dataset.ready = 'true';

  function remember(executionId: string): void {
    const recent = [executionId, ...readRecent().filter((id) => id !== executionId)].slice(0, 10);
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
    showRecent();
  }

  function readRecent(): string[] {
    try {
      const stored = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
      return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string' && EXECUTION_ID.test(id)) : [];
    } catch {
      return [];
    }
  }

  function showRecent(): void {
    const list = document.querySelector('#recent-executions')!;
    list.replaceChildren(...readRecent().map((id) => Object.assign(document.createElement('option'), { value: id })));
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}
