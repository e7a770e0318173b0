import { describe, expect, it } from '@jest/globals';
import { outputKey, parseWorkloadRef } from '../../actions/rollback/src/kubernetes/workload-refs.ts';

describe('parseWorkloadRef (kubectl rollout undo TYPE/NAME)', () => {
  it.each([
    ['deployment/api', 'Deployment', 'api'],
    ['deployments/api', 'Deployment', 'api'],
    ['deploy/api', 'Deployment', 'api'],
    ['Deployment/api', 'Deployment', 'api'],
    ['deployment.apps/api', 'Deployment', 'api'],
    ['statefulset/db', 'StatefulSet', 'db'],
    ['sts/db', 'StatefulSet', 'db'],
    ['daemonset/agent', 'DaemonSet', 'agent'],
    ['ds/node.agent', 'DaemonSet', 'node.agent'],
  ])('%s is %s %s', (text, kind, name) => {
    expect(parseWorkloadRef(text)).toEqual({ kind, name });
  });

  it.each([
    ['a Pod', 'pod/web'],
    ['a Job', 'job/migrate'],
    ['no name', 'deployment/'],
    ['no kind', 'api'],
    ['a namespace too', 'shop/deployment/api'],
    ['an upper-case name', 'deployment/Api'],
    ['a name ending in -', 'deployment/api-'],
  ])('refuses %s', (_label, text) => {
    expect(parseWorkloadRef(text)).toBeUndefined();
  });

  it('keys outputs by lower-case kind/name', () => {
    expect(outputKey({ kind: 'StatefulSet', name: 'db' })).toBe('statefulset/db');
  });
});
