import { runActionProcess } from '../../../shared/src/runner/run-action.ts';
import { run } from './main.ts';

await runActionProcess(run);
