/**
 * Escaping for everything the report puts into HTML: text and attributes, JSON data
 * islands, and inlined scripts. Data from the store (classifier names, parameter text,
 * notes) is user-controlled and must never become markup or end a <script> early.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value → safe HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch]);
}

/**
 * A value as JSON safe inside <script type="application/json">: '<' never appears raw
 * (so no "</script>" or "<!--"), and U+2028/2029 are escaped for old JS parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * JavaScript source safe to inline in <script>…</script>. Only "</script" and "<!--"
 * can end or confuse the element; in library code they occur only in strings and
 * regexes, where "<\/" and "<\!--" mean the same characters.
 */
export function scriptForInline(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
