/** Texts for people follow Accept-Language: English by default, Chinese for any `zh…` preference. */
export type Language = 'en' | 'zh';

export function languageFrom(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase().replace(/_/g, '-'), weight: q ? Number(q.slice(2)) || 0 : 1, order };
    })
    .filter((entry) => entry.tag && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

export type Texts = Record<Language, string>;

export function pick(texts: Texts, language: Language): string {
  return texts[language];
}
