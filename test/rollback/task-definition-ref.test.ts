import { describe, expect, it } from '@jest/globals';
import {
  familyOf,
  parseTaskDefinitionRef,
  revisionOf,
  shortName,
} from '../../actions/rollback/src/ecs/task-definition-ref.ts';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12';

describe('parseTaskDefinitionRef (to-task-definition)', () => {
  it.each<[string, unknown]>([
    [ARN, { kind: 'arn', arn: ARN }],
    ['web:12', { kind: 'family-revision', family: 'web', revision: 12 }],
    ['web_api-2:3', { kind: 'family-revision', family: 'web_api-2', revision: 3 }],
    ['12', { kind: 'revision', revision: 12 }],
  ])('%s', (text, expected) => {
    expect(parseTaskDefinitionRef(text)).toEqual(expected);
  });

  it.each([
    ['revision 0', '0'],
    ['a negative revision', '-3'],
    ['a family without a revision', 'web'],
    ['a family with a space', 'my web:3'],
    ['an ARN of a service', 'arn:aws:ecs:eu-west-1:123456789012:service/prod/web'],
    ['an ARN without a revision', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web'],
  ])('refuses %s', (_label, text) => {
    expect(parseTaskDefinitionRef(text)).toBeUndefined();
  });

  it('reads the family and revision of an ARN', () => {
    expect([shortName(ARN), familyOf(ARN), revisionOf(ARN)]).toEqual(['web:12', 'web', 12]);
  });
});
