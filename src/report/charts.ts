/**
 * The vega-lite specs behind every chart fmnist draws. Each reads a named dataset
 * ('table') that the caller fills in (`withData`), so the dashboard can redraw a chart
 * for the rows a person filtered to, and node can render the same spec to SVG.
 */
import type { TopLevelSpec } from 'vega-lite';

export const CHART_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** One point of the Fashion-vs-MNIST scatter: a configuration, ours and the paper's. */
export interface AccuracyPairRecord {
  classifier: string;
  paramsText: string;
  /** Ours; null when that dataset was not run. */
  fashion: number | null;
  mnist: number | null;
  paperFashion: number | null;
  paperMnist: number | null;
}

/** One point of accuracy vs time: a configuration run on one dataset. */
export interface AccuracyTimeRecord {
  classifier: string;
  paramsText: string;
  dataset: string;
  accuracy: number;
  paper: number | null;
  secondsPerRepeat: number;
}

/** One embedded example. */
export interface EmbeddingRecord {
  x: number;
  y: number;
  label: string;
}

const ACCURACY_FORMAT = '.3f';

function classifierColor(classifiers: readonly string[]) {
  return {
    field: 'classifier',
    type: 'nominal' as const,
    title: 'Classifier',
    scale: { domain: [...classifiers], scheme: 'tableau20' },
  };
}

/**
 * Fashion-MNIST accuracy (x) against MNIST accuracy (y): grey crosses are the paper,
 * coloured dots are ours, a thin line joins the two for the same configuration.
 */
export function fashionVsMnistSpec(classifiers: readonly string[]): TopLevelSpec {
  const tooltip = [
    { field: 'classifier', title: 'Classifier' },
    { field: 'paramsText', title: 'Parameters' },
    { field: 'fashion', title: 'Fashion (ours)', format: ACCURACY_FORMAT },
    { field: 'paperFashion', title: 'Fashion (paper)', format: ACCURACY_FORMAT },
    { field: 'mnist', title: 'MNIST (ours)', format: ACCURACY_FORMAT },
    { field: 'paperMnist', title: 'MNIST (paper)', format: ACCURACY_FORMAT },
  ];
  const axis = (title: string) => ({
    type: 'quantitative' as const,
    title,
    scale: { zero: false },
  });
  return {
    $schema: CHART_SCHEMA,
    width: 420,
    height: 340,
    data: { name: 'table' },
    layer: [
      {
        transform: [{ filter: 'isValid(datum.paperFashion) && isValid(datum.paperMnist)' }],
        mark: { type: 'point', shape: 'cross', color: '#9aa0a6', size: 50, opacity: 0.8 },
        encoding: {
          x: { field: 'paperFashion', ...axis('Fashion-MNIST accuracy') },
          y: { field: 'paperMnist', ...axis('MNIST accuracy') },
          tooltip,
        },
      },
      {
        transform: [
          {
            filter:
              'isValid(datum.fashion) && isValid(datum.mnist) && isValid(datum.paperFashion) && isValid(datum.paperMnist)',
          },
        ],
        mark: { type: 'rule', color: '#9aa0a6', strokeWidth: 1 },
        encoding: {
          x: { field: 'paperFashion', ...axis('Fashion-MNIST accuracy') },
          y: { field: 'paperMnist', ...axis('MNIST accuracy') },
          x2: { field: 'fashion' },
          y2: { field: 'mnist' },
        },
      },
      {
        transform: [{ filter: 'isValid(datum.fashion) && isValid(datum.mnist)' }],
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x: { field: 'fashion', ...axis('Fashion-MNIST accuracy') },
          y: { field: 'mnist', ...axis('MNIST accuracy') },
          color: classifierColor(classifiers),
          tooltip,
        },
      },
    ],
  };
}

/**
 * Accuracy (y) against seconds per repeat (x, log scale): coloured dots are ours, the
 * grey tick at the same x is the paper's accuracy for that configuration.
 */
export function accuracyVsTimeSpec(classifiers: readonly string[]): TopLevelSpec {
  const tooltip = [
    { field: 'classifier', title: 'Classifier' },
    { field: 'paramsText', title: 'Parameters' },
    { field: 'dataset', title: 'Dataset' },
    { field: 'accuracy', title: 'Accuracy (ours)', format: ACCURACY_FORMAT },
    { field: 'paper', title: 'Accuracy (paper)', format: ACCURACY_FORMAT },
    { field: 'secondsPerRepeat', title: 'Seconds per repeat', format: '.3~s' },
  ];
  const x = {
    field: 'secondsPerRepeat',
    type: 'quantitative' as const,
    title: 'Seconds per repeat (log scale)',
    scale: { type: 'log' as const },
  };
  const y = { type: 'quantitative' as const, title: 'Test accuracy', scale: { zero: false } };
  return {
    $schema: CHART_SCHEMA,
    width: 420,
    height: 340,
    data: { name: 'table' },
    transform: [{ filter: 'datum.secondsPerRepeat > 0' }],
    layer: [
      {
        transform: [{ filter: 'isValid(datum.paper)' }],
        mark: { type: 'rule', color: '#c4c7cc', strokeWidth: 1 },
        encoding: { x, y: { field: 'paper', ...y }, y2: { field: 'accuracy' } },
      },
      {
        transform: [{ filter: 'isValid(datum.paper)' }],
        mark: { type: 'tick', orient: 'horizontal', color: '#80868b', thickness: 2, size: 14 },
        encoding: { x, y: { field: 'paper', ...y }, tooltip },
      },
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
        encoding: {
          x,
          y: { field: 'accuracy', ...y },
          color: classifierColor(classifiers),
          shape: {
            field: 'dataset',
            type: 'nominal',
            title: 'Dataset',
            scale: { domain: ['fashion', 'mnist'], range: ['circle', 'square'] },
          },
          tooltip,
        },
      },
    ],
  };
}

/** A 2-D embedding, one dot per example, coloured by class with the class names as legend. */
export function embeddingSpec(
  classNames: readonly string[],
  title: string,
  axisNames: readonly [string, string],
): TopLevelSpec {
  return {
    $schema: CHART_SCHEMA,
    title,
    width: 560,
    height: 480,
    background: 'white',
    data: { name: 'table' },
    mark: { type: 'circle', size: 9, opacity: 0.7 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axisNames[0], scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: axisNames[1], scale: { zero: false } },
      color: {
        field: 'label',
        type: 'nominal',
        title: 'Class',
        scale: { domain: [...classNames], scheme: 'tableau10' },
        legend: { symbolOpacity: 1, symbolSize: 80 },
      },
      tooltip: [{ field: 'label', title: 'Class' }],
    },
  };
}

/** The spec with its 'table' dataset filled in. */
export function withData(spec: TopLevelSpec, values: readonly object[]): TopLevelSpec {
  return {
    ...spec,
    datasets: { ...(spec as { datasets?: object }).datasets, table: [...values] },
  } as TopLevelSpec;
}
