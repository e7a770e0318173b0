import { backup } from './backup.ts';
import { brokenReleaseEcs } from './broken-release-ecs.ts';
import { brokenReleaseK8s } from './broken-release-k8s.ts';
import { build } from './build.ts';
import { deployEcs } from './deploy-ecs.ts';
import { deployK8s } from './deploy-k8s.ts';
import { migrate } from './migrate.ts';
import { rollbackEcs } from './rollback-ecs.ts';
import { rollbackK8s } from './rollback-k8s.ts';
import type { Stage } from './stage.ts';
import { smokeTest } from './smoke-test.ts';

export type { Stage, StageOutputs } from './stage.ts';

/**
 * The staging pipeline in order: build once, back up before migrating, migrate, deploy to both
 * platforms, smoke-test; then the next release, which is broken, and the rollback its failure runs, on each platform.
 */
export const STAGES: Stage[] = [
  build,
  backup,
  migrate,
  deployK8s,
  deployEcs,
  smokeTest,
  brokenReleaseK8s,
  rollbackK8s,
  brokenReleaseEcs,
  rollbackEcs,
];
