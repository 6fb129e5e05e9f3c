/**
 * Renders a vega-lite spec in node: vega-lite compiles it to vega, a headless vega View
 * draws SVG, and sharp rasterises that SVG to PNG. No browser needed.
 */
import sharp from 'sharp';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function chartToSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** PNG at `density` dpi (72 is the SVG's own size; 144 doubles it for sharp text). */
export async function chartToPng(spec: TopLevelSpec, density = 144): Promise<Buffer> {
  const svg = await chartToSvg(spec);
  return sharp(Buffer.from(svg), { density }).png().toBuffer();
}
