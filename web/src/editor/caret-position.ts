/**
 * Where a textarea's caret is on the page, so the menu opens under what is being typed: a hidden
 * copy of the textarea with the same box and font, holding the text up to the caret and a marker.
 */
const COPIED = [
  'boxSizing',
  'width',
  'borderTopWidth',
  'borderRightWidth',
  'borderBottomWidth',
  'borderLeftWidth',
  'paddingTop',
  'paddingRight',
  'paddingBottom',
  'paddingLeft',
  'fontStyle',
  'fontVariant',
  'fontWeight',
  'fontStretch',
  'fontSize',
  'lineHeight',
  'fontFamily',
  'textAlign',
  'textTransform',
  'textIndent',
  'letterSpacing',
  'wordSpacing',
  'tabSize',
  'whiteSpace',
  'overflowWrap',
  'wordBreak',
] as const;

let mirror: HTMLDivElement | undefined;

export function caretPagePosition(field: HTMLTextAreaElement, position: number): { left: number; top: number; height: number } {
  mirror ??= document.body.appendChild(document.createElement('div'));
  const style = getComputedStyle(field);
  for (const name of COPIED) mirror.style[name] = style[name];
  Object.assign(mirror.style, {
    position: 'absolute',
    visibility: 'hidden',
    top: '0',
    left: '-9999px',
    overflow: 'hidden',
    height: 'auto',
  });
  mirror.textContent = field.value.slice(0, position);
  const marker = mirror.appendChild(document.createElement('span'));
  marker.textContent = field.value.slice(position) || '.';
  const box = field.getBoundingClientRect();
  const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
  return {
    left: box.left + window.scrollX + marker.offsetLeft - field.scrollLeft,
    top: box.top + window.scrollY + marker.offsetTop - field.scrollTop,
    height: lineHeight,
  };
}
