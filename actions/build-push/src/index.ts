import { runActionProcess } from '../../../shared/src/runner/run-action.ts';
import { post, run } from './main.ts';

await runActionProcess(run, post);
