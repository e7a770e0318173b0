import {
  baseOutcome,
  checkPending,
  orderAndDriftProblems,
  snapshot,
  type CommandHandler,
} from './command-context.ts';

/** The read-only commands: plan, validate and info. Their session cannot write, and they take no lock. */

export const plan: CommandHandler = async (context) => {
  const { before, outcome } = await checkPending(context);
  if (!before.historyExisted) outcome.note = `migrate would create ${context.inputs.history.display}.`;
  return outcome;
};

export const validate: CommandHandler = async (context) => {
  const before = await snapshot(context);
  const outcome = baseOutcome(context, before);
  outcome.problems.push(...orderAndDriftProblems(context, before.state));
  return outcome;
};

export const info: CommandHandler = async (context) => baseOutcome(context, await snapshot(context));
