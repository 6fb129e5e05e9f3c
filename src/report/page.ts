/**
 * One self-contained HTML page: styles, data islands and scripts all inline (vega and
 * vega-lite included), so the file works from file:// with the network off.
 */
import { escapeHtml, jsonForScript, scriptForInline } from './html-escape.js';
import { vegaAssets } from './vega-assets.js';

export interface PageOptions {
  readonly title: string;
  readonly css: string;
  /** Body markup; the caller escapes anything it interpolates. */
  readonly body: string;
  /** JSON data islands: <script type="application/json" id=…>. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Page script run after vega and vega-lite are loaded. */
  readonly script: string;
}

export function renderPage(options: PageOptions): string {
  const assets = vegaAssets();
  const islands = Object.entries(options.data)
    .map(
      ([id, value]) =>
        `<script type="application/json" id="${escapeHtml(id)}">${jsonForScript(value)}</script>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'self'">
<title>${escapeHtml(options.title)}</title>
<style>${options.css.replace(/<\//g, '<\\/')}</style>
</head>
<body>
${options.body}
${islands}
<script>${scriptForInline(assets.vega)}</script>
<script>${scriptForInline(assets.vegaLite)}</script>
<script>${CHART_GLUE}</script>
<script>${scriptForInline(options.script)}</script>
</body>
</html>
`;
}

/**
 * The small part of vega-embed we need: compile a vega-lite spec and draw it as SVG into
 * an element, replacing any earlier view there. Tooltips use vega's built-in handler
 * (the element's title).
 */
const CHART_GLUE = `
window.fmnistDrawChart = function (element, vlSpec) {
  if (element.__vegaView) element.__vegaView.finalize();
  element.textContent = '';
  var compiled = vegaLite.compile(vlSpec).spec;
  var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: element, hover: true });
  element.__vegaView = view;
  return view.runAsync();
};
`;
