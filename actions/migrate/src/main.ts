import type { ActionContext } from '../../../shared/src/runner/run-action.ts';
import { readMode } from './inputs.ts';

/**
 * Picks the mode, nothing more: native (Gantry applies the SQL itself) or in-cluster (the
 * application's own command runs as a Kubernetes Job or an ECS task). Each loads only its own code.
 */
export async function run(context: ActionContext): Promise<void> {
  const mode = readMode();
  if (mode === 'native') {
    const { runNative } = await import('./native/run.ts');
    return runNative(context);
  }
  const { runInCluster } = await import('./in-cluster/run.ts');
  return runInCluster(mode, context.signal);
}
