import { ACTIONS, RUNNER_DEFAULTED_INPUTS } from './actions.generated.ts';
import { dispatch } from './dispatch.ts';

await dispatch(ACTIONS, RUNNER_DEFAULTED_INPUTS);
