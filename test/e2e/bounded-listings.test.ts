/**
 * Listings stay within the 5 MiB answer limit (API.md §8) whatever their items hold: a variable
 * listing counts previews (an object's preview quotes its first three keys, and a key may be
 * ~1 MiB long), and a lineage listing counts records (paths and expressions are not capped), so a
 * page ends early and its cursor carries on — nothing is lost, nothing is answered whole.
 */
import { executionPath, MIB, newExecutionId, useServer, variablePath, variablesPath } from './support';
const ctx = useServer();

async function pages(path: string, key: 'variables' | 'references'): Promise<{ sizes: number[]; counts: number[]; items: any[] }> {
  const sizes: number[] = [];
  const counts: number[] = [];
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await ctx.call('GET', `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (response.status !== 200) throw new Error(`200 expected, got ${response.status} ${response.text.slice(0, 300)}`);
    sizes.push(Buffer.byteLength(response.text, 'utf8'));
    counts.push(response.json[key].length);
    items.push(...response.json[key]);
    cursor = response.json.next_cursor;
  } while (cursor && sizes.length < 50);
  return { sizes, counts, items };
}

describe('values whose keys are long', () => {
  it(
    'an object with a ~600 KB key (too long a preview for a DynamoDB item) is stored, read back and ' + 'listed with its whole preview',
    async () => {
      const executionId = newExecutionId('long-key');
      const key = 'k'.repeat(600_000);
      const stored = await ctx.call('PUT', variablePath(executionId, 'wide'), { value: { [key]: 1 }, source_step_index: 0 });
      if (stored.status !== 201) throw new Error(`201 expected, got ${stored.status} ${stored.text.slice(0, 300)}`);
      const read = await ctx.call('GET', variablePath(executionId, 'wide'));
      expect(read.status).toBe(200);
      expect(Object.keys(read.json.value)).toEqual([key]);
      const listed = await ctx.call('GET', variablesPath(executionId));
      expect(listed.json.variables.map((item: any) => item.preview_value)).toEqual([`{${JSON.stringify(key)}: ...}`]);
      // An overwrite with a short preview replaces it (the long-preview marker does not linger).
      expect((await ctx.call('PUT', variablePath(executionId, 'wide'), { value: { short: 1 }, source_step_index: 0 })).status).toBe(200);
      const relisted = await ctx.call('GET', variablesPath(executionId));
      expect(relisted.json.variables.map((item: any) => item.preview_value)).toEqual(['{"short": ...}']);
    },
  );
});

describe('listings end a page before the answer limit', () => {
  it(
    'a variable listing of objects with ~300 KB keys pages by preview size (512 KiB of previews a ' +
      'page), and every variable is listed once',
    async () => {
      const executionId = newExecutionId('long-keys');
      const names = Array.from({ length: 7 }, (_, i) => `wide_${i}`);
      for (const [i, name] of names.entries()) {
        const value = { [`${i}${'k'.repeat(300_000)}`]: 1, b: 2 };
        const stored = await ctx.call('PUT', variablePath(executionId, name), { value, source_step_index: i });
        if (stored.status !== 201) throw new Error(`201 expected, got ${stored.status} ${stored.text.slice(0, 300)}`);
      }
      const { sizes, counts, items } = await pages(`${variablesPath(executionId)}?limit=1000`, 'variables');
      expect(sizes.length).toBeGreaterThan(1);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(5 * MIB);
      for (const count of counts) expect(count).toBeGreaterThanOrEqual(1);
      expect(items.map((item) => item.variable_name)).toEqual(names);
    },
  );

  it('a lineage listing of records with ~200 KB paths pages by record size, and every record is listed once', async () => {
    const executionId = newExecutionId('long-paths');
    expect((await ctx.call('PUT', variablePath(executionId, 'a'), { value: { b: 1 }, source_step_index: 0 })).status).toBe(201);
    const longKey = 'x'.repeat(200_000);
    const resolves = 14;
    for (let i = 0; i < resolves; i += 1) {
      const resolved = await ctx.call('POST', `${executionPath(executionId)}/resolve`, { step_index: 1, text: `\${a.${longKey}}` });
      expect(resolved.status).toBe(200);
    }
    const { sizes, counts, items } = await pages(`${executionPath(executionId)}/variable-references?limit=1000`, 'references');
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(5 * MIB);
    for (const count of counts) expect(count).toBeGreaterThanOrEqual(1);
    expect(items).toHaveLength(resolves);
    for (const record of items) expect(record.reference_path).toBe(`a.${longKey}`);
  });
});
