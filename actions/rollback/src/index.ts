import { runActionProcess } from '../../../shared/src/run-action.ts';
import { run } from './main.ts';

await runActionProcess(run);
