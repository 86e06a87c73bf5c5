/** The only way the page makes markup: elements and text nodes, never HTML strings, so every value is text. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `name` with every case-insensitive occurrence of `query` in a <mark> (as the search endpoint's highlighted_name, built as nodes). */
export function highlighted(name: string, query: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const lowerName = name.toLowerCase();
  const lowerQuery = query.toLowerCase();
  let from = 0;
  if (lowerQuery !== '' && lowerName.length === name.length) {
    for (let at = lowerName.indexOf(lowerQuery); at >= 0; at = lowerName.indexOf(lowerQuery, at + lowerQuery.length)) {
      fragment.append(name.slice(from, at), element('mark', undefined, name.slice(at, at + query.length)));
      from = at + query.length;
    }
  }
  fragment.append(name.slice(from));
  return fragment;
}

/** Pretty JSON as nodes, each scalar in a span of its type (typed values stay visibly typed). */
export function jsonNodes(value: unknown, indent = ''): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return append(fragment, '[]');
    fragment.append('[\n');
    value.forEach((item, index) => {
      fragment.append(inner, jsonNodes(item, inner), index < value.length - 1 ? ',\n' : '\n');
    });
    fragment.append(`${indent}]`);
  } else if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return append(fragment, '{}');
    fragment.append('{\n');
    keys.forEach((key, index) => {
      fragment.append(
        inner,
        element('span', 'json-key', JSON.stringify(key)),
        ': ',
        jsonNodes((value as Record<string, unknown>)[key], inner),
        index < keys.length - 1 ? ',\n' : '\n',
      );
    });
    fragment.append(`${indent}}`);
  } else {
    const type = value === null ? 'null' : typeof value;
    fragment.append(element('span', `json-${type}`, JSON.stringify(value) ?? String(value)));
  }
  return fragment;
}

function append(fragment: DocumentFragment, text: string): DocumentFragment {
  fragment.append(text);
  return fragment;
}
