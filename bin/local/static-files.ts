/**
 * The step editor's page for `npm start` (README "Step editor"): GET/HEAD `/` and `/editor/*`,
 * built from web/ on the first request and kept in memory. Everything else — the API and its
 * error shapes, other methods on `/` included — is left to the Lambda bridge.
 *
 * The page and the API share one origin locally, so the page needs no CORS. Its Content Security
 * Policy allows scripts and styles from this origin only: a value that slipped into markup still
 * could not run. connect-src is open because the page can be pointed at another API base URL (a
 * deployed stage).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildEditorAssets, EDITOR_FILES, type EditorAssets } from '../../web/build';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** The page's URL paths (`/index.html` is `/`); any other path, `/editor/…` included, is the API's (404 in its error shape). */
const PAGE_PATHS = new Set(['/', '/index.html', ...EDITOR_FILES]);

let assets: Promise<EditorAssets> | undefined;

/**
 * Answers a GET/HEAD for one of the page's files and returns the promise of that answer; for any
 * other request returns undefined at once, so API requests take no extra step.
 */
export function serveStaticFile(request: IncomingMessage, response: ServerResponse): Promise<void> | undefined {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  const pathname = new URL(request.url ?? '/', 'http://local').pathname;
  if (!PAGE_PATHS.has(pathname)) return undefined;
  return answer(pathname === '/index.html' ? '/' : pathname, method, response);
}

async function answer(pathname: string, method: string, response: ServerResponse): Promise<void> {
  assets ??= buildEditorAssets();
  let built: EditorAssets;
  try {
    built = await assets;
  } catch (error) {
    assets = undefined; // the next request tries again (after the source is fixed)
    process.stderr.write(`step editor build failed: ${(error as Error).message}\n`);
    response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end(method === 'HEAD' ? undefined : 'The step editor could not be built; see the server log.\n');
    return;
  }
  const file = built.files.get(pathname)!;
  response.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.body.length), ...SECURITY_HEADERS });
  response.end(method === 'HEAD' ? undefined : file.body);
}
