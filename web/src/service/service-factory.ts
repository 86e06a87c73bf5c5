/** The one place that picks the port's implementation. */
export { createHintsService } from './typed-client-adapter';
