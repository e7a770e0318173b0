import { runActionProcess } from '../../../shared/src/runner/run-action.ts';
import { run } from './main.ts';
import { post } from './post.ts';

await runActionProcess(run, post);
