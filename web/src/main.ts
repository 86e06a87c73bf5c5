/** The step editor's entry point (bundled by web/build.ts). */
import { startEditor } from './app';

startEditor(document);
