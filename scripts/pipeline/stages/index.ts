import { backup } from './backup.ts';
import { brokenRelease } from './broken-release.ts';
import { build } from './build.ts';
import { deployEcs } from './deploy-ecs.ts';
import { deployK8s } from './deploy-k8s.ts';
import { migrate } from './migrate.ts';
import { rollback } from './rollback.ts';
import type { Stage } from './stage.ts';
import { smokeTest } from './smoke-test.ts';

export type { Stage, StageOutputs } from './stage.ts';

/**
 * The staging pipeline in order: build once, back up before migrating, migrate, deploy to both
 * platforms, smoke-test; then the next release, which is broken, and the rollback its failure runs.
 */
export const STAGES: Stage[] = [
  build,
  backup,
  migrate,
  deployK8s,
  deployEcs,
  smokeTest,
  brokenRelease,
  rollback,
];
