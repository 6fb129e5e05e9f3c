/**
 * The conversion pipeline against ImageMagick 6.9 (the oracle) in one run:
 *  - byte identity on ≥ 200 generated 51×73 JPEG thumbnails and on every edge-case file,
 *    for both sharpen variants;
 *  - end-to-end throughput (JPEG in → PNG + manifest out, decode included, all cores) of
 *    `convertBatch` vs one batched `mogrify` and vs `convert` once per image.
 * Prints one JSON object. The machine is shared: CPU seconds per image are reported next
 * to wall-clock rates, and the load average at the start.
 * Run: npm run bench:build && node dist-bench/bench/pipeline.js [--n 240] [--copies 25] [--root DIR]
 */
import './lib/help.js';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectInputs } from '../src/pipeline/batch/collect-inputs.js';
import { convertBatch } from '../src/pipeline/batch/convert-batch.js';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { convertImage, SHARPEN_MODES, type SharpenMode } from '../src/pipeline/convert-image.js';
import { decodeJpeg } from '../src/pipeline/jpeg/decode-jpeg.js';
import { packDataset } from '../src/pipeline/pack/pack.js';
import {
  imageMagickConvert,
  imageMagickMogrify,
  readGrayPng,
  writeEdgeCases,
  writeThumbnailCorpus,
} from '../src/pipeline/fixtures.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '240' },
    copies: { type: 'string', default: '25' },
    'convert-sample': { type: 'string', default: '30' },
    // where inputs and outputs live: file creation on a busy disk can cost more than the
    // whole conversion, so compare e.g. --root /dev/shm (tmpfs) with the default
    root: { type: 'string', default: tmpdir() },
  },
});
const N = Number(values.n);
const COPIES = Number(values.copies);
const CONVERT_SAMPLE = Number(values['convert-sample']);

const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU seconds of waited-for child processes (ImageMagick), from /proc/self/stat. */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpuSeconds: number; sysSeconds: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return {
    value,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    sysSeconds: cpu.system / 1e6,
  };
}

const dir = await mkdtemp(join(values.root!, 'fmnist-bench-pipeline-'));
const report: Record<string, unknown> = {
  bench: 'pipeline',
  root: values.root,
  loadavg_at_start: loadavg().map((x) => +x.toFixed(2)),
  note: 'shared 2-core machine',
};
try {
  const files = await writeThumbnailCorpus(join(dir, 'thumbs'), N);
  const edge = await writeEdgeCases(join(dir, 'edge'));

  // 0. Decoders: sharp (libvips/mozjpeg) vs ImageMagick's libjpeg, and our JS decoder vs sharp.
  let sharpVsIm = 0;
  let fastVsSharp = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    const viaSharp = await sharp(bytes).raw().toBuffer();
    const viaIm = execFileSync('/usr/bin/convert', [f, '-depth', '8', 'rgb:-']);
    if (viaSharp.equals(viaIm)) sharpVsIm++;
    const fast = decodeJpeg(bytes);
    if (fast && Buffer.from(fast.data).equals(viaSharp)) fastVsSharp++;
  }
  report.decode_agreement = {
    sharp_vs_imagemagick: `${sharpVsIm}/${files.length}`,
    js_decoder_vs_sharp: `${fastVsSharp}/${files.length}`,
  };

  // 1. Byte identity, plus batched mogrify's speed on the same corpus.
  const identity: Record<string, unknown> = {};
  const mogrify: Record<string, unknown> = {};
  for (const mode of SHARPEN_MODES) {
    const out = join(dir, `im-${mode}`);
    const child0 = childCpuSeconds();
    const t = await timed(() => imageMagickMogrify(files, out, mode));
    const childCpu = childCpuSeconds() - child0;
    mogrify[mode] = {
      images: files.length,
      seconds: +t.seconds.toFixed(3),
      images_per_s: Math.round(files.length / t.seconds),
      cpu_ms_per_image: +((childCpu * 1000) / files.length).toFixed(3),
    };
    let identical = 0;
    const differing: string[] = [];
    for (const f of files) {
      const expected = await readGrayPng(join(out, basename(f, '.jpg') + '.png'));
      const ours = await convertImage(readFileSync(f), { sharpen: mode });
      if (ours.pixels && same(ours.pixels, expected)) identical++;
      else differing.push(basename(f));
    }
    let edgeAgree = 0;
    const edgeDisagree: string[] = [];
    for (const c of edge) {
      const expected = await imageMagickConvert(
        c.path,
        join(dir, `edge-${mode}-${c.name}.png`),
        mode,
      );
      let ours: Awaited<ReturnType<typeof convertImage>> | Error;
      try {
        ours = await convertImage(readFileSync(c.path), { sharpen: mode, source: c.name });
      } catch (err) {
        ours = err as Error;
      }
      const agree =
        expected instanceof Error
          ? ours instanceof Error || ours.status === 'empty'
          : !(ours instanceof Error) && ours.pixels !== null && same(ours.pixels, expected);
      if (agree) edgeAgree++;
      else edgeDisagree.push(c.name);
    }
    identity[mode] = {
      thumbnails: `${identical}/${files.length}`,
      differing: differing.slice(0, 10),
      edge_cases: `${edgeAgree}/${edge.length}`,
      edge_disagree: edgeDisagree,
    };
  }
  report.identity = identity;
  report.mogrify_batched = mogrify;

  // 2. `convert` once per image, on a sample.
  const sample = files.slice(0, CONVERT_SAMPLE);
  const child1 = childCpuSeconds();
  const perImage = await timed(async () => {
    for (const f of sample) await imageMagickConvert(f, join(dir, 'one.png'), 'adaptive');
  });
  report.convert_per_image = {
    images: sample.length,
    seconds: +perImage.seconds.toFixed(3),
    images_per_s: +(sample.length / perImage.seconds).toFixed(1),
    cpu_ms_per_image: +(((childCpuSeconds() - child1) * 1000) / sample.length).toFixed(3),
  };

  // 3. fmnist end to end on COPIES × N files.
  const big = join(dir, 'big');
  mkdirSync(big);
  for (let c = 0; c < COPIES; c++)
    files.forEach((f, i) => copyFileSync(f, join(big, `c${c}-${i}.jpg`)));
  const tasks = collectInputs([big]);
  const runs: Record<string, unknown>[] = [];
  const configs: Array<{ workers: number; inFlight: number; sharpen: SharpenMode }> = [
    { workers: 2, inFlight: 8, sharpen: 'adaptive' },
    { workers: 2, inFlight: 8, sharpen: 'adaptive' },
    { workers: 2, inFlight: 8, sharpen: 'plain' },
    { workers: 1, inFlight: 8, sharpen: 'adaptive' },
    { workers: 0, inFlight: 8, sharpen: 'adaptive' },
  ];
  for (const cfg of configs) {
    const outDir = join(dir, `out-${runs.length}`);
    const t = await timed(() =>
      convertBatch(tasks, { outDir, keepLowContrast: false, steps: false, ...cfg }),
    );
    runs.push({
      ...cfg,
      images: tasks.length,
      ok: t.value.counts.ok,
      seconds: +t.seconds.toFixed(3),
      images_per_s: Math.round(tasks.length / t.seconds),
      cpu_ms_per_image: +((t.cpuSeconds * 1000) / tasks.length).toFixed(3),
      of_which_sys_ms: +((t.sysSeconds * 1000) / tasks.length).toFixed(3),
    });
    if (runs.length > 1) await rm(outDir, { recursive: true, force: true });
  }
  report.fmnist_convert = runs;

  // 4. fmnist pack on the first run's output: 10 classes, 20 test images per class.
  const labels = tasks.map((t, i) => `${t.output},${i % 10}`).join('\n') + '\n';
  writeFileSync(join(dir, 'labels.csv'), labels);
  const packed = await timed(() =>
    packDataset({
      imagesDir: join(dir, 'out-0'),
      labelsPath: join(dir, 'labels.csv'),
      outDir: join(dir, 'packed'),
      testPerClass: 20,
    }),
  );
  report.fmnist_pack = {
    images: packed.value.train + packed.value.test,
    seconds: +packed.seconds.toFixed(3),
    images_per_s: Math.round((packed.value.train + packed.value.test) / packed.seconds),
  };
  const best = Math.max(...runs.map((r) => r.images_per_s as number));
  const twoWorkers = runs.filter((r) => r.workers === 2 && r.sharpen === 'adaptive');
  const cpuMs = Math.min(...twoWorkers.map((r) => r.cpu_ms_per_image as number));
  const mogrifyCpuMs = (mogrify.adaptive as { cpu_ms_per_image: number }).cpu_ms_per_image;
  report.summary = {
    fmnist_best_images_per_s: best,
    vs_mogrify_batched: +(
      best / (mogrify.adaptive as { images_per_s: number }).images_per_s
    ).toFixed(1),
    vs_convert_per_image: +(
      best / (report.convert_per_image as { images_per_s: number }).images_per_s
    ).toFixed(0),
    // load-independent: CPU time per image, and what it implies for 2 otherwise idle cores
    fmnist_cpu_ms_per_image_2_workers: cpuMs,
    mogrify_cpu_ms_per_image: mogrifyCpuMs,
    cpu_efficiency_vs_mogrify: +(mogrifyCpuMs / cpuMs).toFixed(1),
    projected_images_per_s_2_idle_cores: Math.round(2000 / cpuMs),
    target_images_per_s: 2000,
  };
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
