/**
 * One parameter field: its references are checked as they are typed and a wrong one is
 * underlined in place, with the service's error and suggestion below the field.
 * 1. Each input schedules a validation (debounced; the one in flight is cancelled) of the field's
 *    distinct references, 20 per request (API.md §5's maximum), at most 100 per field.
 * 2. A backdrop behind the transparent textarea holds the same text with each reference in a span,
 *    so an invalid one is underlined where it stands.
 * 3. When the service cannot check (down, or its store is out: `syntax_only`), the page's own copy
 *    of the grammar still flags syntax errors.
 */
import { parseReferencePath, scanReferences } from '../../../functions/domain/references/grammar';
import { element } from './dom';
import { LatestRequest } from './latest-request';
import { isSyntaxOnly, type HintsStore } from './hints-store';
import type { ValidationResult } from '../service/port';
import type { Texts } from '../i18n';

const VALIDATE_DELAY_MS = 300;
const VALIDATE_BATCH = 20;
const MAX_CHECKED = 100;

type Verdict = { valid: true } | { valid: false; error: string; suggestion: string | null; code: string };

export class ReferenceField {
  readonly textarea: HTMLTextAreaElement;
  private readonly backdrop: HTMLElement;
  private readonly errors: HTMLElement;
  private readonly validation = new LatestRequest(VALIDATE_DELAY_MS);
  private verdicts = new Map<string, Verdict>();
  /** An extra problem of the whole field (the JSON field's parse error). */
  fieldProblem: (text: string) => string | undefined = () => undefined;

  constructor(
    readonly container: HTMLElement,
    private readonly store: HintsStore,
    private readonly texts: Texts,
    private readonly onEdit: () => void,
  ) {
    this.textarea = container.querySelector('textarea')!;
    this.backdrop = container.querySelector('.backdrop')!;
    this.errors = container.querySelector('.field-errors')!;
    this.textarea.addEventListener('input', () => {
      this.paint();
      this.scheduleValidation();
      this.onEdit();
    });
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    new ResizeObserver(() => this.syncScroll()).observe(this.textarea);
  }

  get name(): string {
    return this.container.dataset.param!;
  }

  scheduleValidation(delayMs = VALIDATE_DELAY_MS): void {
    const scope = this.store.scope;
    const expressions = [...new Set(scanReferences(this.textarea.value).map((reference) => reference.expression))].slice(0, MAX_CHECKED);
    if (!scope || expressions.length === 0) {
      this.validation.cancel();
      this.verdicts = new Map();
      this.paint();
      return;
    }
    void this.validation
      .run(async (signal) => {
        const results: ValidationResult[] = [];
        for (let from = 0; from < expressions.length; from += VALIDATE_BATCH) {
          results.push(
            ...(await this.store.track(
              this.store.service.validate(scope.executionId, scope.stepIndex, expressions.slice(from, from + VALIDATE_BATCH), signal),
              isSyntaxOnly,
            )),
          );
        }
        return results;
      }, delayMs)
      .then((results) => {
        if (!results) return;
        this.store.setHealth({ syntaxOnly: isSyntaxOnly(results) });
        this.verdicts = new Map(
          results.map((result): [string, Verdict] => [
            String(result.reference),
            result.is_valid
              ? { valid: true }
              : { valid: false, error: result.error, suggestion: result.suggestion, code: result.error_code },
          ]),
        );
        this.paint();
      })
      .catch(() => {
        // The service could not check: fall back to the grammar, which needs no service.
        this.verdicts = new Map(expressions.map((expression) => [expression, this.localVerdict(expression)]));
        this.paint();
      });
  }

  private localVerdict(expression: string): Verdict {
    const parsed = parseReferencePath(expression.slice(2, -1));
    return parsed.ok ? { valid: true } : { valid: false, error: parsed.message, suggestion: null, code: 'INVALID_SYNTAX' };
  }

  /** Redraws the underline layer and the error list from the text and the verdicts at hand. */
  paint(): void {
    const text = this.textarea.value;
    const layer = document.createDocumentFragment();
    const problems = new Map<string, Verdict & { valid: false }>();
    let from = 0;
    for (const reference of scanReferences(text)) {
      layer.append(text.slice(from, reference.start));
      const verdict = this.verdicts.get(reference.expression);
      const span = element(
        'span',
        verdict === undefined ? 'ref-unchecked' : verdict.valid ? 'ref-valid' : 'ref-invalid',
        reference.expression,
      );
      if (verdict && !verdict.valid) problems.set(reference.expression, verdict);
      layer.append(span);
      from = reference.end;
    }
    // A trailing newline needs a character after it to take up its line in the backdrop.
    layer.append(`${text.slice(from)}\u200b`);
    this.backdrop.replaceChildren(layer);
    // After the frame's layout, not in the keystroke (reading scrollTop now would force a layout).
    requestAnimationFrame(() => this.syncScroll());

    const items = document.createDocumentFragment();
    const fieldProblem = this.fieldProblem(text);
    if (fieldProblem) items.append(element('li', 'field-problem', fieldProblem));
    for (const [expression, problem] of problems) {
      const item = element('li', 'reference-error');
      item.dataset.reference = expression;
      item.dataset.code = problem.code;
      item.append(element('code', undefined, expression), ' ', element('span', 'message', problem.error));
      if (problem.suggestion) item.append(' ', element('span', 'suggestion', `${this.texts.suggestion}: ${problem.suggestion}`));
      items.append(item);
    }
    this.errors.replaceChildren(items);
  }

  private syncScroll(): void {
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
  }
}
