import { runAction } from '../../../shared/src/run-action.ts';
import { post, run } from './main.ts';

await runAction(run, post);
