import { evaluatePath, type ReferenceFailure } from '#domain/references/evaluate';
import { parseReferencePath } from '#domain/references/grammar';
import { localizedFailureMessage } from '#domain/references/messages';
import { lookupOf } from './variables';

const lookup = lookupOf({ user: { name: 'Ada' }, items: [1, 2], title: 'x' });

function failureOf(content: string): ReferenceFailure {
  const result = evaluatePath(parseReferencePath(content), lookup);
  if (result.ok) throw new Error(`expected ${content} to fail`);
  return result.failure;
}

describe('localizedFailureMessage', () => {
  it.each([
    ['ghost', "Variable 'ghost' not found", "未找到变量 'ghost'"],
    ['user.nme', "Property 'nme' not found in 'user'", "在 'user' 中未找到属性 'nme'"],
    [
      'items.length',
      "Property 'length' not found in 'items': it is an array, use an index such as [0]",
      "'items' 是数组，没有属性 'length'，请使用索引，例如 [0]",
    ],
    ['items[-3]', "Index -3 is out of range for 'items' (length 2)", "索引 -3 超出 'items' 的范围（长度 2）"],
    ['title.x', "Cannot read property 'x' of 'title': it is a string, not an object", "无法读取 'title' 的属性 'x'：它是字符串，不是对象"],
    ['user[0]', "Cannot use index 0 on 'user': it is an object, not an array", "无法对 'user' 使用索引 0：它是对象，不是数组"],
    [
      'user.name[1]',
      "Cannot use index 1 on 'user.name': it is a string, not an array",
      "无法对 'user.name' 使用索引 1：它是字符串，不是数组",
    ],
  ])('%s', (content, english, chinese) => {
    const failure = failureOf(content);
    expect(localizedFailureMessage(failure, 'en')).toBe(english);
    expect(localizedFailureMessage(failure, 'zh')).toBe(chinese);
  });

  it.each([
    [' a ', "' a '", '不是有效的变量名'],
    ['a|upper', "'|upper'", '意外的'],
    ['a..b', "'.'", '缺少属性名'],
    ['a[x]', "'[x]'", '不是索引'],
    ['a' + '[0]'.repeat(33), "'[0]'", '超过 32 个'],
  ])('syntax failure %j is named in both languages', (content, token, chinese) => {
    const failure = failureOf(content);
    expect(failure.code).toBe('INVALID_SYNTAX');
    expect(localizedFailureMessage(failure, 'en')).toContain(token);
    const zh = localizedFailureMessage(failure, 'zh');
    expect(zh).toContain(token);
    expect(zh).toContain(chinese);
    expect(zh).toContain('${' + content + '}');
  });
});
