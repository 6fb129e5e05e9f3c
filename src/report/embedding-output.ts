/**
 * An embedding as a picture: a PNG rendered in node (vega-lite → SVG → sharp) or a
 * self-contained interactive HTML page (the dashboard's page machinery).
 */
import { embeddingSpec, withData, type EmbeddingRecord } from './charts.js';
import { escapeHtml } from './html-escape.js';
import { renderPage } from './page.js';
import { chartToPng } from './render-chart.js';

export interface EmbeddingFigure {
  readonly records: readonly EmbeddingRecord[];
  readonly classes: readonly string[];
  readonly title: string;
  readonly axisNames: readonly [string, string];
  readonly description: string;
}

export function embeddingPng(figure: EmbeddingFigure): Promise<Buffer> {
  const spec = embeddingSpec(figure.classes, figure.title, figure.axisNames);
  return chartToPng(withData(spec, figure.records));
}

export function embeddingHtml(figure: EmbeddingFigure): string {
  const spec = withData(
    embeddingSpec(figure.classes, figure.title, figure.axisNames),
    figure.records,
  );
  return renderPage({
    title: figure.title,
    css: `body { margin: 24px; font: 14px/1.45 system-ui, "DejaVu Sans", sans-serif; color: #202124; }
p { color: #5f6368; margin: 0 0 12px; }`,
    body: `<p>${escapeHtml(figure.description)}. Hover a point for its class.</p>
<div id="chart"></div>`,
    data: { 'fmnist-embedding': spec },
    script: `var spec = JSON.parse(document.getElementById('fmnist-embedding').textContent);
window.fmnistDrawChart(document.getElementById('chart'), spec).then(function () { document.body.dataset.ready = 'true'; });`,
  });
}
