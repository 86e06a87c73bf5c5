/**
 * The resolved preview: the step's parameters as the runner would get them, from `POST /resolve`
 * with `record: false` (a preview writes no lineage). Typed values stay typed (a whole-field
 * `${count}` shows as the number 42); sensitive values show as ******; failed references are listed.
 * Debounced, and each new edit cancels the request before it.
 */
import { element, jsonNodes } from './dom';
import { LatestRequest } from './latest-request';
import { maskedResolution } from './masked-resolution';
import type { HintsStore } from './hints-store';
import type { Texts } from '../i18n';

const PREVIEW_DELAY_MS = 400;

export class PreviewPane {
  private readonly request = new LatestRequest(PREVIEW_DELAY_MS);

  constructor(
    private readonly output: HTMLElement,
    private readonly summary: HTMLElement,
    private readonly failures: HTMLElement,
    private readonly store: HintsStore,
    private readonly texts: Texts,
  ) {}

  schedule(params: Record<string, unknown>, delayMs = PREVIEW_DELAY_MS): void {
    const scope = this.store.scope;
    if (!scope) {
      this.request.cancel();
      this.output.replaceChildren(jsonNodes(params));
      return;
    }
    this.output.dataset.state = 'pending';
    // Before the first answer, the parameters as written (faded), so the pane is never blank.
    if (!this.output.hasChildNodes()) this.output.replaceChildren(jsonNodes(params));
    void this.request
      .run((signal) => this.store.track(this.store.service.resolve(scope.executionId, scope.stepIndex, params, signal)), delayMs)
      .then((answer) => {
        if (!answer) return;
        this.output.replaceChildren(jsonNodes(maskedResolution(params, answer.params, answer.references)));
        this.output.dataset.state = 'resolved';
        this.summary.textContent =
          `${answer.references.length} ${this.texts.references}: ` +
          `${answer.resolved_count} ${this.texts.resolved}, ${answer.unresolved_count} ${this.texts.unresolved}`;
        const failed = document.createDocumentFragment();
        for (const record of answer.references) {
          if (record.resolution_status !== 'failed') continue;
          const item = element('li');
          item.append(element('code', undefined, record.original_expression), ' ', record.error_message ?? record.error_code ?? '');
          failed.append(item);
        }
        this.failures.replaceChildren(failed);
      })
      .catch(() => {
        // Down or refused: keep the last preview on screen, faded and said to be out of date; the banner says why.
        this.output.dataset.state = 'stale';
        this.summary.textContent = this.texts.previewStale;
      });
  }
}
