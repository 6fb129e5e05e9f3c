// Makes a folder of product-like photos to try `fmnist convert` and `fmnist pack` on:
// Fashion-MNIST test images turned back into 51×73 dark-on-#fdfdfd JPEG thumbnails with a
// tint and a margin (as the pipeline's tests do), plus labels.csv and classes.txt.
// Usage: node examples/make-demo-photos.mjs OUT_DIR [PER_CLASS]   (after npm run build)
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadDataset, Rng } from 'fmnist';
import { makeThumbnail } from '../dist/pipeline/fixtures.js';

const [out = 'demo', perClassText = '12'] = process.argv.slice(2);
const perClass = Number(perClassText);
const ds = await loadDataset('fashion');
const rng = new Rng(1);
const photos = join(out, 'photos');
await mkdir(photos, { recursive: true });
const taken = new Array(ds.classes.length).fill(0);
const rows = ['image,label'];
for (let i = 0; i < ds.test.count && rows.length <= perClass * ds.classes.length; i++) {
  const label = ds.test.labels[i];
  if (taken[label]++ >= perClass) continue;
  const name = `photo-${String(i).padStart(5, '0')}.jpg`;
  await writeFile(
    join(photos, name),
    await makeThumbnail(ds.test.images.subarray(i * 784, (i + 1) * 784), rng),
  );
  rows.push(`${name.replace(/\.jpg$/, '.png')},${ds.classes[label]}`);
}
await writeFile(join(out, 'labels.csv'), `${rows.join('\n')}\n`);
await writeFile(join(out, 'classes.txt'), `${ds.classes.join('\n')}\n`);
console.log(`wrote ${rows.length - 1} photos to ${photos}, labels.csv and classes.txt to ${out}`);
