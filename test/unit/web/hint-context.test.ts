/** The step editor's reading of the caret (web/src/editor/hint-context.ts): which menu, and what a choice replaces. */
import fc from 'fast-check';
import { applyChoice, hintContextAt } from '../../../web/src/editor/hint-context';
import { scanReferences } from '../../../functions/domain/references/grammar';

const at = (textWithCaret: string) => {
  const caret = textWithCaret.indexOf('|');
  return hintContextAt(textWithCaret.replace('|', ''), caret);
};

describe('hintContextAt', () => {
  test.each([
    ['${|', { kind: 'variables', start: 0, query: '', replaceFrom: 2, replaceTo: 2 }],
    ['Find ${pro|', { kind: 'variables', start: 5, query: 'pro', replaceFrom: 7, replaceTo: 10 }],
    ['${a} and ${us|er}', { kind: 'variables', start: 9, query: 'us', replaceFrom: 11, replaceTo: 16 }],
    [
      '${product_info.|',
      { kind: 'properties', start: 0, parentPath: 'product_info', separator: '.', separatorAt: 14, query: '', replaceTo: 15 },
    ],
    [
      '${product_info.specs.co|',
      { kind: 'properties', start: 0, parentPath: 'product_info.specs', separator: '.', separatorAt: 20, query: 'co', replaceTo: 23 },
    ],
    ['${items[|', { kind: 'properties', start: 0, parentPath: 'items', separator: '[', separatorAt: 7, query: '', replaceTo: 8 }],
    ['${items[-|', { kind: 'properties', start: 0, parentPath: 'items', separator: '[', separatorAt: 7, query: '-', replaceTo: 9 }],
    ['${items[0].|', { kind: 'properties', start: 0, parentPath: 'items[0]', separator: '.', separatorAt: 10, query: '', replaceTo: 11 }],
    ['${cn.商|', { kind: 'properties', start: 0, parentPath: 'cn', separator: '.', separatorAt: 4, query: '商', replaceTo: 6 }],
  ])('%s', (text, expected) => {
    expect(at(text)).toEqual(expected);
  });

  test.each(['plain text|', '${a}|', '${a b|', '$|{', '${1abc|', '${a..|', '${a[x|', '${ |'])('no menu: %s', (text) => {
    expect(at(text)).toBeUndefined();
  });

  test('a choice inserts name} and puts the caret right after it', () => {
    const text = 'Hello ${pro and more';
    const context = hintContextAt(text, 'Hello ${pro'.length)!;
    expect(context.kind).toBe('variables');
    if (context.kind !== 'variables') return;
    expect(applyChoice(text, context.replaceFrom, context.replaceTo, 'product_info}')).toEqual({
      text: 'Hello ${product_info} and more',
      caret: 'Hello ${product_info}'.length,
    });
  });

  test('choosing replaces the rest of the name and its } when editing inside a reference', () => {
    const text = '${us}';
    const context = hintContextAt(text, 4)!;
    if (context.kind !== 'variables') throw new Error('expected variables');
    expect(applyChoice(text, context.replaceFrom, context.replaceTo, 'user_name}').text).toBe('${user_name}');
  });

  const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,10}$/);
  const plain = fc.string({ maxLength: 20 }).map((text) => text.replace(/[$}{]/g, ''));

  test('property: after any prefix, `${` + a partial name + a choice gives exactly one more valid reference, caret after its }', () => {
    fc.assert(
      fc.property(plain, name, fc.nat(), plain, (before, chosen, cut, after) => {
        const partial = chosen.slice(0, cut % (chosen.length + 1));
        const text = `${before}\${${partial}${after === '' || /^[\s.]/.test(after) ? after : ` ${after}`}`;
        const caret = before.length + 2 + partial.length;
        const context = hintContextAt(text, caret);
        if (context?.kind !== 'variables') return false;
        const next = applyChoice(text, context.replaceFrom, context.replaceTo, `${chosen}}`);
        const references = scanReferences(next.text).filter((reference) => reference.end === next.caret);
        return references.length === 1 && references[0].content === chosen;
      }),
    );
  });
});
