/**
 * `--help` for every bench script: imported first, it prints the running script's header
 * comment (what it measures and its usage; tsc keeps it in the compiled file) and exits
 * before the script parses its options.
 */
import { readFileSync } from 'node:fs';

const script = process.argv[1];
if (script && process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  const header = /^\/\*\*([\s\S]*?)\*\//.exec(readFileSync(script, 'utf8'));
  const text = header
    ? header[1]
        .split('\n')
        .map((line) => line.replace(/^\s*\* ?/, ''))
        .join('\n')
        .trim()
    : `${script}: no usage header.`;
  process.stdout.write(`${text}\n`);
  process.exit(0);
}
