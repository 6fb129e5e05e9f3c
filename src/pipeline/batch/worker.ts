/** Worker thread for `convertBatch`: converts the chunks of tasks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import type { ConvertTask } from './collect-inputs.js';
import { type FileConvertOptions, convertFiles } from './convert-file.js';
import { tuneSharpForSmallImages } from '../decode.js';

export interface ChunkMessage {
  id: number;
  tasks: ConvertTask[];
}

const { options, inFlight } = workerData as { options: FileConvertOptions; inFlight: number };
tuneSharpForSmallImages();

parentPort!.on('message', (msg: ChunkMessage) => {
  convertFiles(msg.tasks, options, inFlight).then(
    (rows) => parentPort!.postMessage({ id: msg.id, rows }),
    (err: unknown) =>
      parentPort!.postMessage({
        id: msg.id,
        error: err instanceof Error ? err.message : String(err),
      }),
  );
});
