import type { ActionRun } from '../test/support/action-runner.ts';
import { imagePullFailure } from '../test/support/aws-emulator/index.ts';
import { EcsFixture } from '../test/deploy-ecs/fixture.ts';

/**
 * `node scripts/demo-deploy-ecs.ts`: the committed deploy-ecs bundle, run through the runner harness
 * as GitHub would run it, against the emulated ECS service `web` (two Fargate tasks, circuit breaker
 * with rollback): first a release that deploys, then one whose image cannot be pulled, which the
 * circuit breaker fails and rolls back. The step fails, and says which revision the service is on.
 */
const f = await EcsFixture.start();
try {
  await f.createService({ deploymentCircuitBreaker: { enable: true, rollback: true } });
  const good = await deploy('release web:2', 'web:2');
  f.aws.ecs.taskBehaviour({ image: 'web:3-broken' }, imagePullFailure('web:3-broken'));
  const broken = await deploy('release web:3-broken, whose image cannot be pulled', 'web:3-broken');
  const service = await f.service();
  const asExpected =
    good.exitCode === 0 &&
    broken.exitCode === 1 &&
    broken.outputs['rolled-back'] === 'true' &&
    service.taskDefinition === good.outputs['task-definition-arn'];
  console.log(
    asExpected
      ? `\nDemo finished: web:2 deployed; web:3-broken failed on the circuit breaker and the service is back on ${service.taskDefinition}.`
      : '\nDemo FAILED: unexpected verdicts.',
  );
  process.exitCode = asExpected ? 0 : 1;
} finally {
  await f.close();
}

async function deploy(title: string, image: string): Promise<ActionRun> {
  console.log(`\n=== deploy-ecs: ${title} ===\n`);
  const run = await f.deploy({
    service: 'web',
    'task-definition': 'task-definition.json',
    'container-name': 'app',
    image,
  });
  console.log(run.log.trimEnd());
  console.log(`\n--- job summary (exit code ${run.exitCode}) ---\n`);
  console.log(run.summary.trimEnd());
  console.log(
    `\n--- outputs ---\n${Object.entries(run.outputs)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n')}`,
  );
  return run;
}
