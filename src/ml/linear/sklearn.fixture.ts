/** Whether /usr/bin/python3 can import `module` (python3-sklearn; .ci/run installs it). */
import { execFileSync } from 'node:child_process';

export function pythonHas(module: string): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
