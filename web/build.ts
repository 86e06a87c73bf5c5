/**
 * Builds the step editor's browser bundle with esbuild (already a devDependency, so `npm ci` is
 * all it needs). Two uses:
 * - `bin/local/static-files.ts` builds it in memory on the first request for it, so `npm start`
 *   always serves the page from the current source and no build step can be forgotten;
 * - `npm run build:web` writes `web/dist/` (git-ignored): the files a deployment uploads (README
 *   "Step editor").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export const WEB_ROOT = path.resolve(__dirname);

/** The files next to index.html, as URL paths (what `npm start` serves and `web/dist/` holds). */
export const EDITOR_FILES = ['/editor/editor.js', '/editor/editor.css'] as const;

export interface EditorAssets {
  /** Path under `/` → body and content type. */
  files: Map<string, { body: Buffer; contentType: string }>;
}

/** The page's files: index.html and the stylesheet as written, the script bundled from web/src. */
export async function buildEditorAssets(): Promise<EditorAssets> {
  const result = await build({
    entryPoints: [path.join(WEB_ROOT, 'src/main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // EDITOR_MINIFY=0 keeps names readable in a browser CPU profile.
    minify: process.env.EDITOR_MINIFY !== '0',
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const script = result.outputFiles[0].contents;
  const files: EditorAssets['files'] = new Map();
  files.set('/', { body: readFileSync(path.join(WEB_ROOT, 'index.html')), contentType: 'text/html; charset=utf-8' });
  files.set('/editor/editor.css', { body: readFileSync(path.join(WEB_ROOT, 'editor.css')), contentType: 'text/css; charset=utf-8' });
  files.set('/editor/editor.js', { body: Buffer.from(script), contentType: 'text/javascript; charset=utf-8' });
  return { files };
}

/**
 * `npm run build:web`: web/dist/index.html, web/dist/editor/editor.{js,css}. An argument names
 * another directory (the CDK asset of lib/constructs/editor-hosting.ts builds into its own).
 */
async function writeDist(dist: string): Promise<void> {
  const { files } = await buildEditorAssets();
  for (const [urlPath, file] of files) {
    const target = path.join(dist, urlPath === '/' ? 'index.html' : urlPath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.body);
    process.stdout.write(`${path.relative(process.cwd(), target)} ${file.body.length} bytes\n`);
  }
}

if (require.main === module) {
  writeDist(process.argv[2] ? path.resolve(process.argv[2]) : path.join(WEB_ROOT, 'dist')).catch((error: unknown) => {
    process.stderr.write(`web build failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
