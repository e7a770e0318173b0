import { runAction } from '../../../shared/src/run-action.ts';
import { run } from './main.ts';

await runAction(run);
