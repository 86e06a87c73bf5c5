/** Texts for people about references, in English and Chinese (API.md §2: they follow Accept-Language). */
import type { DataType } from '#domain/json';
import type { Language } from '#domain/language';
import { MAX_PATH_SEGMENTS, asExpression } from '#domain/references/grammar';
import type { ReferenceFailure } from '#domain/references/evaluate';

const ZH_TYPE: Record<DataType, string> = {
  string: '字符串',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
};

const EN_TYPE: Record<DataType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** en: the failure's own English message; zh: the same facts, naming the same token. */
export function localizedFailureMessage(failure: ReferenceFailure, language: Language): string {
  return language === 'en' ? failure.message : chineseFailure(failure);
}

function chineseFailure(failure: ReferenceFailure): string {
  const { token, at = '' } = failure;
  const type = failure.actualType ? ZH_TYPE[failure.actualType] : '';
  switch (failure.code) {
    case 'VARIABLE_NOT_FOUND':
      return `未找到变量 '${token}'`;
    case 'PROPERTY_NOT_FOUND':
      return failure.actualType === 'array'
        ? `'${at}' 是数组，没有属性 '${token}'，请使用索引，例如 [0]`
        : `在 '${at}' 中未找到属性 '${token}'`;
    case 'INDEX_OUT_OF_RANGE':
      return `索引 ${token} 超出 '${at}' 的范围（长度 ${failure.arrayLength ?? 0}）`;
    case 'TYPE_MISMATCH':
      return failure.segmentKind === 'index'
        ? `无法对 '${at}' 使用索引 ${token}：它是${type}，不是数组`
        : `无法读取 '${at}' 的属性 '${token}'：它是${type}，不是对象`;
    case 'INVALID_SYNTAX':
      return chineseSyntax(failure);
  }
}

function chineseSyntax(failure: ReferenceFailure): string {
  const where = `引用 '${asExpression(failure.content ?? '')}' 语法无效：`;
  const { token, at = '' } = failure;
  switch (failure.syntaxReason) {
    case 'invalid_root':
      return where + `'${token}' 不是有效的变量名（以字母或 "_" 开头，后跟字母、数字或 "_"）`;
    case 'unexpected_text':
      return where + `'${at}' 之后出现了意外的 '${token}'`;
    case 'missing_key':
      return where + `'${at}' 之后的 '${token}' 后面缺少属性名`;
    case 'invalid_index':
      return where + `'${at}' 之后的 '${token}' 不是索引，请使用整数 n 的形式 [n]`;
    case 'too_many_segments':
      return where + `路径段超过 ${MAX_PATH_SEGMENTS} 个（位于 '${token}'）`;
    default:
      return where + `'${token}'`;
  }
}

/** Names or keys as a readable list. */
function list(items: string[]): string {
  return items.join(', ');
}

/** "0..2 or -3..-1"; a one-element array reads "0 or -1". */
function indexRange(length: number, language: Language): string {
  const or = language === 'en' ? ' or ' : ' 或 ';
  return length === 1 ? `0${or}-1` : `0..${length - 1}${or}-${length}..-1`;
}

export function arraySuggestion(at: string, length: number, language: Language): string {
  if (length === 0) {
    return language === 'en' ? `'${at}' is an empty array; it has no valid index.` : `'${at}' 是空数组，没有任何有效索引。`;
  }
  return language === 'en'
    ? `'${at}' is an array of ${length} item${length === 1 ? '' : 's'}; valid indexes are ${indexRange(length, language)}.`
    : `'${at}' 是包含 ${length} 个元素的数组，有效索引为 ${indexRange(length, language)}。`;
}

export function keysSuggestion(at: string, keys: string[], language: Language): string {
  if (keys.length === 0) {
    return language === 'en' ? `'${at}' is an empty object; it has no keys.` : `'${at}' 是空对象，没有任何键。`;
  }
  return language === 'en' ? `Available keys of '${at}': ${list(keys)}.` : `'${at}' 的可用键：${list(keys)}。`;
}

export function scalarSuggestion(at: string, type: DataType, language: Language): string {
  return language === 'en'
    ? `'${at}' is ${EN_TYPE[type]} and has no properties or indexes; use ${asExpression(at)} itself.`
    : `'${at}' 是${ZH_TYPE[type]}，没有属性或索引；请直接使用 ${asExpression(at)}。`;
}

/** Names visible to the step; `stepIndex` undefined means the whole execution. */
export function visibleNamesSuggestion(names: string[], stepIndex: number | undefined, language: Language): string {
  if (names.length === 0) {
    if (stepIndex === undefined) return language === 'en' ? 'This execution has no variables yet.' : '该执行中还没有任何变量。';
    return language === 'en' ? `No variables are defined before step ${stepIndex}.` : `步骤 ${stepIndex} 之前没有定义任何变量。`;
  }
  if (stepIndex === undefined) return language === 'en' ? `Available variables: ${list(names)}.` : `可用变量：${list(names)}。`;
  return language === 'en' ? `Variables visible at step ${stepIndex}: ${list(names)}.` : `步骤 ${stepIndex} 可见的变量：${list(names)}。`;
}

export function notYetDefinedError(name: string, definedAt: number, stepIndex: number, language: Language): string {
  return language === 'en'
    ? `Variable '${name}' is defined at step ${definedAt}, not before step ${stepIndex}`
    : `变量 '${name}' 定义于步骤 ${definedAt}，不早于步骤 ${stepIndex}`;
}

export function notYetDefinedSuggestion(name: string, definedAt: number, visible: string, language: Language): string {
  return language === 'en'
    ? `'${name}' is set by step ${definedAt}, so steps ${definedAt + 1} and later can use it. ${visible}`
    : `'${name}' 由步骤 ${definedAt} 设置，步骤 ${definedAt + 1} 及之后才能使用。${visible}`;
}

export function notAStringError(type: DataType, language: Language): string {
  return language === 'en' ? `Reference must be a string, got ${EN_TYPE[type]}` : `引用必须是字符串，实际为${ZH_TYPE[type]}`;
}

export function notSingleReferenceError(reference: string, language: Language): string {
  return language === 'en' ? `'${reference}' is not exactly one \${…} reference` : `'${reference}' 不是恰好一个 \${…} 引用`;
}

export function formatSuggestion(language: Language): string {
  return language === 'en'
    ? 'Write exactly one reference, such as ${user_name} or ${order.items[0].price}, with nothing around it.'
    : '请只写一个引用，例如 ${user_name} 或 ${order.items[0].price}，前后不要有其他内容。';
}

export function syntaxSuggestion(language: Language): string {
  return language === 'en'
    ? `A reference is \${name} followed by up to ${MAX_PATH_SEGMENTS} .key or [n] segments, e.g. ` +
        `\${order.items[0].price}; no spaces, filters or defaults.`
    : `引用的格式为 \${变量名}，后跟最多 ${MAX_PATH_SEGMENTS} 个 .键 或 [n] 段，例如 \${order.items[0].price}；不能包含空格、过滤器或默认值。`;
}
