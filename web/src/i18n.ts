/** The page's own texts in the browser's language (en default, zh for any zh… preference), as the service's are (API.md §2). */
export type Language = 'en' | 'zh';

export function pageLanguage(preferred: readonly string[]): Language {
  return /^zh\b/i.test(preferred[0] ?? '') ? 'zh' : 'en';
}

const TEXTS = {
  en: {
    title: 'Step editor',
    connection: 'Connection',
    apiBase: 'API base URL',
    token: 'Bearer token (optional)',
    execution: 'Execution id',
    step: 'Step index',
    load: 'Load',
    parameters: 'Step parameters',
    query: 'query',
    locate: 'locate',
    extra: 'more parameters (JSON object)',
    preview: 'Resolved preview',
    previewHint: 'The step\u2019s parameters as the runner would receive them (nothing is recorded).',
    previewStale: 'Out of date: the service could not resolve the latest parameters.',
    references: 'references',
    resolved: 'resolved',
    unresolved: 'unresolved',
    loading: 'Loading\u2026',
    noVariables: 'No variables before this step',
    noMatches: 'No variable matches',
    noProperties: 'No properties',
    emptyArray: 'The array is empty',
    notContainer: (type: string) => `A ${type} has no properties`,
    more: (count: number) => `\u2026 ${count} more: keep typing to filter`,
    step_n: (step: number) => `step ${step}`,
    fuzzy: 'similar',
    suggestion: 'Suggestion',
    basicBanner: 'Hints are degraded (mode \u201cbasic\u201d): names, types and previews only, no properties.',
    syntaxOnlyBanner: 'Validation checks syntax only: the service cannot reach its store right now.',
    unavailableBanner: 'The service\u2019s store is unavailable: the preview and property lists wait until it is back.',
    downBanner:
      'The variable service is unreachable. The editor keeps working with the variables it already ' +
      'has; checks and preview resume when it is back.',
    invalidJson: 'Not a JSON object',
    unauthorizedBanner: 'The service refused the request (401): set a valid bearer token under \u201cConnection\u201d.',
    pickExecution: 'Type or pick an execution id and a step index.',
    keyboard: 'Type ${ or press Ctrl+Space for variables; \u2191/\u2193 to move, Enter or Tab to insert, Esc to close.',
    menuLabel: 'Variables',
    stepRequired: 'A step index is a whole number from 0',
    syntaxError: 'Invalid reference syntax',
  },
  zh: {
    title: '步骤编辑器',
    connection: '连接',
    apiBase: 'API 基础地址',
    token: 'Bearer 令牌（可选）',
    execution: '执行 ID',
    step: '步骤序号',
    load: '加载',
    parameters: '步骤参数',
    query: 'query',
    locate: 'locate',
    extra: '更多参数（JSON 对象）',
    preview: '解析预览',
    previewHint: '执行器将收到的步骤参数（不记录血缘）。',
    previewStale: '已过期：服务无法解析最新的参数。',
    references: '引用',
    resolved: '已解析',
    unresolved: '未解析',
    loading: '加载中…',
    noVariables: '此步骤之前没有变量',
    noMatches: '没有匹配的变量',
    noProperties: '没有属性',
    emptyArray: '数组为空',
    notContainer: (type: string) => `${type} 类型没有属性`,
    more: (count: number) => `…还有 ${count} 项：继续输入以筛选`,
    step_n: (step: number) => `步骤 ${step}`,
    fuzzy: '相似',
    suggestion: '建议',
    basicBanner: '智能提示已降级（basic 模式）：只有名称、类型和预览，没有属性。',
    syntaxOnlyBanner: '校验仅检查语法：服务暂时无法访问存储。',
    unavailableBanner: '服务的存储暂不可用：预览和属性列表将在恢复后继续。',
    downBanner: '变量服务无法访问。编辑器继续使用已有的变量；服务恢复后校验和预览会继续。',
    invalidJson: '不是 JSON 对象',
    unauthorizedBanner: '服务拒绝了请求（401）：请在“连接”中设置有效的 Bearer 令牌。',
    pickExecution: '输入或选择执行 ID 和步骤序号。',
    keyboard: '输入 ${ 或按 Ctrl+Space 查看变量；↑/↓ 移动，Enter 或 Tab 插入，Esc 关闭。',
    menuLabel: '变量',
    stepRequired: '步骤序号是从 0 开始的整数',
    syntaxError: '引用语法无效',
  },
} as const;

export type Texts = (typeof TEXTS)['en'];

export function textsFor(language: Language): Texts {
  return TEXTS[language] as unknown as Texts;
}
