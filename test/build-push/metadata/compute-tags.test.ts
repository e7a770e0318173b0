import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../shared/src/errors.ts';
import { computeTags } from '../../../actions/build-push/src/metadata/compute-tags.ts';
import { parseFlavor } from '../../../actions/build-push/src/metadata/flavor.ts';
import { parseTagRules } from '../../../actions/build-push/src/metadata/tag-rules.ts';
import { contextFor, EVENTS, type EventFixture } from './events.ts';

/**
 * Expected tags are docker/metadata-action's own: "meta.test.ts <id>" is a case of its
 * __tests__/meta.test.ts (run with the same fixture; its `pr-head-sha` block for pull requests, since
 * Gantry tags the head commit by default), "README <section>" a documented result. Where an id is
 * given for a different version number (v1.1.1, v2.0.8-beta.67), the case is that one with the
 * version of the scenario substituted.
 */
interface Case {
  name: string;
  event: EventFixture;
  tags?: string[];
  flavor?: string[];
  images?: string[];
  version: string | undefined;
  expected: string[];
}

const TWO_IMAGES = ['org/app', 'ghcr.io/user/app'];

async function compute({ event, tags = [], flavor = [], images = ['user/app'] }: Case) {
  return computeTags({
    images,
    rules: parseTagRules(tags),
    flavor: parseFlavor(flavor),
    context: await contextFor(event),
  });
}

async function check(testCase: Case): Promise<void> {
  const result = await compute(testCase);
  expect(result.version).toEqual(testCase.version);
  expect(result.tags).toEqual(testCase.expected);
  const suffixes = testCase.expected.map((tag) => tag.slice(tag.lastIndexOf(':') + 1));
  expect(result.tagSuffixes).toEqual([...new Set(suffixes)]);
}

describe('push to a feature branch', () => {
  const cases: Case[] = [
    // meta.test.ts push01
    { name: 'default rules', event: EVENTS.pushDev, version: 'dev', expected: ['user/app:dev'] },
    // meta.test.ts push07
    {
      name: 'branch and short sha, two images',
      event: EVENTS.pushDev,
      images: TWO_IMAGES,
      tags: ['type=ref,event=branch', 'type=sha'],
      version: 'dev',
      expected: [
        'org/app:dev',
        'org/app:sha-860c190',
        'ghcr.io/user/app:dev',
        'ghcr.io/user/app:sha-860c190',
      ],
    },
    // meta.test.ts push18
    {
      name: 'long sha',
      event: EVENTS.pushDev,
      tags: ['type=ref,event=branch', 'type=sha,format=long'],
      version: 'dev',
      expected: ['user/app:dev', 'user/app:sha-860c1904a1ce19322e91ac35af1ab07466440c37'],
    },
    // README Basic: push refs/heads/releases/v1 -> releases-v1
    {
      name: 'a slash in the branch becomes -',
      event: EVENTS.pushBranch('releases/v1'),
      version: 'releases-v1',
      expected: ['user/app:releases-v1'],
    },
    // meta.test.ts push19
    {
      name: 'edge for another branch, disabled ref, long sha, is_default_branch false',
      event: EVENTS.pushDev,
      images: TWO_IMAGES,
      tags: [
        'type=edge,branch=master',
        'type=ref,event=branch,enable=false',
        'type=sha,format=long',
        'type=raw,value=defbranch,enable={{is_default_branch}}',
      ],
      version: 'sha-860c1904a1ce19322e91ac35af1ab07466440c37',
      expected: [
        'org/app:sha-860c1904a1ce19322e91ac35af1ab07466440c37',
        'ghcr.io/user/app:sha-860c1904a1ce19322e91ac35af1ab07466440c37',
      ],
    },
    // meta.test.ts push09
    {
      name: 'edge with branch= naming this branch',
      event: EVENTS.pushDev,
      tags: ['type=edge,branch=dev', 'type=sha'],
      version: 'edge',
      expected: ['user/app:edge', 'user/app:sha-860c190'],
    },
    // meta.test.ts raw09: a rule's own prefix/suffix replace the flavor's
    {
      name: 'rule and flavor prefixes and suffixes, latest=false',
      event: EVENTS.pushDev,
      tags: [
        'type=match,pattern=\\d{8}',
        'type=raw,my,prefix=foo-,suffix=-bar',
        'type=raw,custom',
        'type=raw,tags',
      ],
      flavor: ['latest=false', 'prefix=glo-', 'suffix=-bal'],
      version: 'foo-my-bar',
      expected: ['user/app:foo-my-bar', 'user/app:glo-custom-bal', 'user/app:glo-tags-bal'],
    },
    // meta.test.ts pr05 / schedule07 (flavor affixes on every tag), on a branch push
    {
      name: 'flavor prefix and suffix on the branch tag',
      event: EVENTS.pushDev,
      flavor: ['prefix=glo-', 'suffix=-bal'],
      version: 'glo-dev-bal',
      expected: ['user/app:glo-dev-bal'],
    },
    // meta.test.ts raw07: latest=true adds latest on a branch too, after every other tag
    {
      name: 'latest=true',
      event: EVENTS.pushDev,
      tags: ['type=ref,priority=90,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
      flavor: ['latest=true'],
      version: 'my',
      expected: ['user/app:my', 'user/app:custom', 'user/app:tags', 'user/app:dev', 'user/app:latest'],
    },
    // meta.test.ts raw10
    {
      name: 'enable=false and enable=true, latest=false',
      event: EVENTS.pushDev,
      tags: ['type=raw,foo', 'type=raw,bar,enable=false', 'type=raw,baz,enable=true'],
      flavor: ['latest=false'],
      version: 'foo',
      expected: ['user/app:foo', 'user/app:baz'],
    },
    // README Latest tag: type=raw,value=latest,enable={{is_default_branch}} is off on another branch
    {
      name: 'latest for the default branch only, not here',
      event: EVENTS.pushDev,
      tags: ['type=ref,event=branch', 'type=raw,value=latest,enable={{is_default_branch}}'],
      version: 'dev',
      expected: ['user/app:dev'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('push to the default branch', () => {
  const cases: Case[] = [
    // meta.test.ts push03
    { name: 'default rules', event: EVENTS.pushMaster, version: 'master', expected: ['user/app:master'] },
    // meta.test.ts push02
    {
      name: 'edge',
      event: EVENTS.pushMaster,
      tags: ['type=edge'],
      version: 'edge',
      expected: ['user/app:edge'],
    },
    // meta.test.ts push08
    {
      name: 'edge and sha, two images',
      event: EVENTS.pushMaster,
      images: TWO_IMAGES,
      tags: ['type=edge', 'type=sha'],
      version: 'edge',
      expected: [
        'org/app:edge',
        'org/app:sha-2665741',
        'ghcr.io/user/app:edge',
        'ghcr.io/user/app:sha-2665741',
      ],
    },
    // meta.test.ts push10
    {
      name: 'edge for another branch yields nothing',
      event: EVENTS.pushMaster,
      tags: ['type=edge,branch=dev', 'type=sha'],
      version: 'sha-2665741',
      expected: ['user/app:sha-2665741'],
    },
    // meta.test.ts push13
    {
      name: 'priority=2000 puts the branch before edge',
      event: EVENTS.pushMaster,
      tags: ['type=ref,priority=2000,event=branch', 'type=edge'],
      version: 'master',
      expected: ['user/app:master', 'user/app:edge'],
    },
    // meta.test.ts push14 (its pep440 line left out: Gantry refuses type=pep440)
    {
      name: 'semver from value= on a branch, with latest',
      event: EVENTS.pushMaster,
      tags: ['type=semver,pattern={{version}},value=v1.2.3', 'type=edge'],
      version: '1.2.3',
      expected: ['user/app:1.2.3', 'user/app:edge', 'user/app:latest'],
    },
    // meta.test.ts push15
    {
      name: 'match from value=',
      event: EVENTS.pushMaster,
      tags: ['type=match,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
      version: '1.2.3',
      expected: ['user/app:1.2.3', 'user/app:edge', 'user/app:latest'],
    },
    // meta.test.ts push16
    {
      name: 'disabled match',
      event: EVENTS.pushMaster,
      tags: ['type=match,enable=false,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
      version: 'edge',
      expected: ['user/app:edge'],
    },
    // meta.test.ts push17
    {
      name: 'global expressions',
      event: EVENTS.pushMaster,
      tags: [
        'type=raw,value=mytag-{{branch}}',
        "type=raw,value=mytag-{{date 'YYYYMMDD'}}",
        "type=raw,value=mytag-cd-{{commit_date 'YYYYMMDD'}}",
        "type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
        'type=raw,value=mytag-tag-{{tag}}',
        'type=raw,value=mytag-baseref-{{base_ref}}',
        'type=raw,value=mytag-defbranch,enable={{is_default_branch}}',
      ],
      version: 'mytag-master',
      expected: [
        'user/app:mytag-master',
        'user/app:mytag-20200110',
        'user/app:mytag-cd-20200110',
        'user/app:mytag-20200110-093000',
        'user/app:mytag-tag-',
        'user/app:mytag-baseref-',
        'user/app:mytag-defbranch',
      ],
    },
    // README Latest tag: type=raw,value=latest,enable={{is_default_branch}}
    {
      name: 'latest for the default branch',
      event: EVENTS.pushMaster,
      tags: ['type=ref,event=branch', 'type=raw,value=latest,enable={{is_default_branch}}'],
      version: 'master',
      expected: ['user/app:master', 'user/app:latest'],
    },
    // README Global expressions: {{is_not_default_branch}} is its negation
    {
      name: 'is_not_default_branch',
      event: EVENTS.pushMaster,
      tags: ['type=ref,event=branch', 'type=raw,value=preview,enable={{is_not_default_branch}}'],
      version: 'master',
      expected: ['user/app:master'],
    },
    // README Global expressions: type=sha,prefix={{branch}}-
    {
      name: 'an expression in a prefix',
      event: EVENTS.pushMaster,
      tags: ['type=sha,prefix={{branch}}-'],
      version: 'master-2665741',
      expected: ['user/app:master-2665741'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('tag v1.2.3', () => {
  const tag = EVENTS.pushTag('v1.2.3');
  const cases: Case[] = [
    // README Semver: push tag refs/tags/v1.2.3 -> 1.2.3, 1.2, latest
    {
      name: 'README semver workflow',
      event: tag,
      tags: [
        'type=ref,event=branch',
        'type=ref,event=pr',
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
      ],
      version: '1.2.3',
      expected: ['user/app:1.2.3', 'user/app:1.2', 'user/app:latest'],
    },
    // meta.test.ts tag11
    {
      name: 'version, major.minor, major, two images',
      event: tag,
      images: TWO_IMAGES,
      tags: [
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
        'type=semver,pattern={{major}}',
      ],
      version: '1.2.3',
      expected: [
        'org/app:1.2.3',
        'org/app:1.2',
        'org/app:1',
        'org/app:latest',
        'ghcr.io/user/app:1.2.3',
        'ghcr.io/user/app:1.2',
        'ghcr.io/user/app:1',
        'ghcr.io/user/app:latest',
      ],
    },
    // README type=semver pattern table
    {
      name: 'raw, v{{major}}, minor and patch patterns',
      event: tag,
      tags: [
        'type=semver,pattern={{raw}}',
        'type=semver,pattern=v{{major}}',
        'type=semver,pattern={{minor}}',
        'type=semver,pattern={{patch}}',
      ],
      version: 'v1.2.3',
      expected: ['user/app:v1.2.3', 'user/app:v1', 'user/app:2', 'user/app:3', 'user/app:latest'],
    },
    // README Basic / meta.test.ts latest05: the default rules tag the Git tag and latest
    {
      name: 'default rules',
      event: tag,
      version: 'v1.2.3',
      expected: ['user/app:v1.2.3', 'user/app:latest'],
    },
    // meta.test.ts latest07
    {
      name: 'latest=false',
      event: tag,
      tags: ['type=ref,event=tag'],
      flavor: ['latest=false'],
      version: 'v1.2.3',
      expected: ['user/app:v1.2.3'],
    },
    // meta.test.ts tag12: {{major}}.{{minor}}.{{patch}} equals {{version}} and is listed once
    {
      name: 'duplicate tags listed once',
      event: tag,
      tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      version: '1.2.3',
      expected: ['user/app:1.2.3', 'user/app:latest'],
    },
    // meta.test.ts tag21
    {
      name: 'flavor suffix on latest too',
      event: tag,
      tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      flavor: ['suffix=-dev,onlatest=true'],
      version: '1.2.3-dev',
      expected: ['user/app:1.2.3-dev', 'user/app:latest-dev'],
    },
    // meta.test.ts tag22
    {
      name: 'flavor prefix and suffix on latest too',
      event: tag,
      tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
      flavor: ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'],
      version: 'foo-1.2.3-dev',
      expected: ['user/app:foo-1.2.3-dev', 'user/app:foo-latest-dev'],
    },
    // meta.test.ts tag19 (flavor suffix without onlatest: latest stays bare; suffix= opts a rule out)
    {
      name: 'flavor suffix not on latest, rule without suffix',
      event: tag,
      tags: [
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}},suffix=',
        'type=sha',
      ],
      flavor: ['suffix=-dev'],
      version: '1.2.3-dev',
      expected: ['user/app:1.2.3-dev', 'user/app:1.2', 'user/app:sha-860c190-dev', 'user/app:latest'],
    },
    // meta.test.ts tag16: latest follows the first rule that yields a tag, here raw
    {
      name: 'a higher-priority raw rule takes latest away',
      event: tag,
      tags: ['type=raw,priority=2000,foo', 'type=ref,event=tag', 'type=edge'],
      version: 'foo',
      expected: ['user/app:foo', 'user/app:v1.2.3'],
    },
    // meta.test.ts tag20
    {
      name: 'tag, sha and base_ref expressions',
      event: tag,
      tags: [
        'type=raw,{{tag}}-{{sha}}-foo',
        'type=raw,{{base_ref}}-foo',
        'type=raw,defbranch-foo,enable={{is_default_branch}}',
      ],
      version: 'v1.2.3-860c190-foo',
      expected: ['user/app:v1.2.3-860c190-foo', 'user/app:master-foo'],
    },
    // meta.test.ts tag05 / tag06
    {
      name: 'match with and without a group',
      event: tag,
      tags: ['type=match,"pattern=^v(\\d.\\d.\\d)$",group=1', 'type=match,"pattern=\\d.\\d"'],
      version: '1.2.3',
      expected: ['user/app:1.2.3', 'user/app:1.2', 'user/app:latest'],
    },
    // meta.test.ts latest08: image names are lower-cased, tags are not
    {
      name: 'image names lower-cased',
      event: tag,
      images: ['org/app', 'ghcr.io/MyUSER/MyApp'],
      tags: ['type=ref,event=tag'],
      flavor: ['latest=false'],
      version: 'v1.2.3',
      expected: ['org/app:v1.2.3', 'ghcr.io/myuser/myapp:v1.2.3'],
    },
  ];
  it.each(cases)('$name', check);

  // meta.test.ts tag14: a Git tag that is not semver yields only the ref tag
  it('a non-semver Git tag: semver rules yield nothing and say why', async () => {
    const result = await compute({
      name: 'tag14',
      event: EVENTS.pushTag('sometag'),
      tags: ['type=ref,event=tag', 'type=semver,pattern={{version}}', 'type=semver,pattern={{major}}'],
      flavor: ['latest=false'],
      version: 'sometag',
      expected: [],
    });
    expect(result.tags).toEqual(['user/app:sometag']);
    expect(result.warnings).toEqual([
      '"sometag" is not a semantic version (https://semver.org), so tag rule "type=semver,pattern={{version}}" yields no tag',
      '"sometag" is not a semantic version (https://semver.org), so tag rule "type=semver,pattern={{major}}" yields no tag',
    ]);
  });
});

describe('pre-release tag v2.0.0-rc.1', () => {
  const tag = EVENTS.pushTag('v2.0.0-rc.1');
  const cases: Case[] = [
    // README Semver: refs/tags/v2.0.8-beta.67 -> 2.0.8-beta.67 only
    {
      name: 'README semver workflow',
      event: tag,
      tags: [
        'type=ref,event=branch',
        'type=ref,event=pr',
        'type=semver,pattern={{version}}',
        'type=semver,pattern={{major}}.{{minor}}',
      ],
      version: '2.0.0-rc.1',
      expected: ['user/app:2.0.0-rc.1'],
    },
    // meta.test.ts tag13: every pattern but {{raw}} becomes {{version}}, and no latest
    {
      name: 'major.minor and major give the full version once',
      event: tag,
      tags: ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'],
      version: '2.0.0-rc.1',
      expected: ['user/app:2.0.0-rc.1'],
    },
    // meta.test.ts tag31
    {
      name: '{{raw}} keeps the v',
      event: tag,
      tags: ['type=semver,pattern={{raw}}'],
      version: 'v2.0.0-rc.1',
      expected: ['user/app:v2.0.0-rc.1'],
    },
    // README Basic: the default rules tag a pre-release with latest (type=ref,event=tag)
    {
      name: 'default rules',
      event: tag,
      version: 'v2.0.0-rc.1',
      expected: ['user/app:v2.0.0-rc.1', 'user/app:latest'],
    },
    // README flavor latest=true (meta.test.ts raw07): latest is forced even for a pre-release
    {
      name: 'latest=true',
      event: tag,
      tags: ['type=semver,pattern={{version}}'],
      flavor: ['latest=true'],
      version: '2.0.0-rc.1',
      expected: ['user/app:2.0.0-rc.1', 'user/app:latest'],
    },
    // meta.test.ts latest06: type=match is latest=auto even on a pre-release
    {
      name: 'match on a pre-release',
      event: tag,
      tags: ['type=match,"pattern=\\d.\\d.\\d"'],
      version: '2.0.0',
      expected: ['user/app:2.0.0', 'user/app:latest'],
    },
    // meta.test.ts tag15
    {
      name: 'raw first, then semver and match, no latest',
      event: tag,
      images: TWO_IMAGES,
      tags: ['type=raw,priority=2000,foo', 'type=semver,pattern={{version}}', 'type=match,"pattern=\\d.\\d"'],
      version: 'foo',
      expected: [
        'org/app:foo',
        'org/app:2.0.0-rc.1',
        'org/app:2.0',
        'ghcr.io/user/app:foo',
        'ghcr.io/user/app:2.0.0-rc.1',
        'ghcr.io/user/app:2.0',
      ],
    },
    // meta.test.ts tag21, pre-release: suffix on the tag, no latest to suffix
    {
      name: 'flavor suffix with onlatest',
      event: tag,
      tags: ['type=semver,pattern={{version}}'],
      flavor: ['suffix=-alpine,onlatest=true'],
      version: '2.0.0-rc.1-alpine',
      expected: ['user/app:2.0.0-rc.1-alpine'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('pull request 15 (head 3370e22, merge commit a9c8c58)', () => {
  const cases: Case[] = [
    // meta.test.ts pr01
    { name: 'default rules', event: EVENTS.pullRequest, version: 'pr-15', expected: ['user/app:pr-15'] },
    // meta.test.ts pr-head-sha pr03: sha of the head commit, not of the merge commit
    {
      name: 'pr and head sha',
      event: EVENTS.pullRequest,
      images: TWO_IMAGES,
      tags: ['type=ref,event=pr', 'type=sha'],
      version: 'pr-15',
      expected: [
        'org/app:pr-15',
        'org/app:sha-3370e22',
        'ghcr.io/user/app:pr-15',
        'ghcr.io/user/app:sha-3370e22',
      ],
    },
    // meta.test.ts pr-head-sha pr04
    {
      name: 'sha first with priority=2000',
      event: EVENTS.pullRequest,
      tags: ['type=sha,priority=2000', 'type=ref,event=pr'],
      version: 'sha-3370e22',
      expected: ['user/app:sha-3370e22', 'user/app:pr-15'],
    },
    // meta.test.ts pr05: the rule's pr- prefix replaces the flavor prefix; the flavor suffix applies
    {
      name: 'flavor prefix and suffix',
      event: EVENTS.pullRequest,
      tags: ['type=ref,event=pr'],
      flavor: ['prefix=glo-', 'suffix=-bal'],
      version: 'pr-15-bal',
      expected: ['user/app:pr-15-bal'],
    },
    // meta.test.ts pr06
    {
      name: 'prefix= removes pr-',
      event: EVENTS.pullRequest,
      tags: ['type=ref,event=pr,prefix='],
      flavor: ['prefix=glo-', 'suffix=-bal'],
      version: '15-bal',
      expected: ['user/app:15-bal'],
    },
    // meta.test.ts pr-head-sha pr07: pull_request_target reads the pull request's ref
    {
      name: 'pull_request_target',
      event: EVENTS.pullRequestTarget,
      tags: ['type=sha,priority=2000', 'type=ref,event=pr'],
      version: 'sha-3370e22',
      expected: ['user/app:sha-3370e22', 'user/app:pr-15'],
    },
    // meta.test.ts pr-head-sha pr09
    {
      name: 'pull_request_target with every ref event and both sha formats',
      event: EVENTS.pullRequestTarget,
      images: ['org/app'],
      tags: [
        'type=ref,event=tag',
        'type=ref,event=pr',
        'type=ref,event=branch',
        'type=sha',
        'type=sha,format=long',
      ],
      version: 'pr-15',
      expected: [
        'org/app:pr-15',
        'org/app:sha-3370e22',
        'org/app:sha-3370e228f2209994d57af4427fe64e71bb79ac96',
      ],
    },
    // meta.test.ts pr11: base_ref is the target branch; a pull request is never the default branch
    {
      name: 'base_ref and is_default_branch',
      event: EVENTS.pullRequest,
      images: ['org/app'],
      tags: ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
      version: 'mytag-master',
      expected: ['org/app:mytag-master'],
    },
    // README flavor latest=true
    {
      name: 'latest=true',
      event: EVENTS.pullRequest,
      flavor: ['latest=true'],
      version: 'pr-15',
      expected: ['user/app:pr-15', 'user/app:latest'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('schedule', () => {
  const cases: Case[] = [
    // meta.test.ts schedule01
    {
      name: 'default rules: nightly and the branch',
      event: EVENTS.schedule,
      version: 'nightly',
      expected: ['user/app:nightly', 'user/app:master'],
    },
    // meta.test.ts schedule02
    {
      name: 'date and commit date patterns',
      event: EVENTS.schedule,
      tags: [
        "type=schedule,pattern={{date 'YYYYMMDD'}}",
        "type=schedule,pattern=source-date-{{commit_date 'YYYY-MM-DD'}}",
      ],
      version: '20200110',
      expected: ['user/app:20200110', 'user/app:source-date-2020-01-10'],
    },
    // meta.test.ts schedule03
    {
      name: 'date and time pattern',
      event: EVENTS.schedule,
      tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}"],
      version: '20200110-003000',
      expected: ['user/app:20200110-003000'],
    },
    // meta.test.ts schedule08 and README type=schedule table
    {
      name: 'time zone',
      event: EVENTS.schedule,
      tags: [
        "type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
        "type=schedule,pattern=src-{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
      ],
      version: '20200110-093000',
      expected: ['user/app:20200110-093000', 'user/app:src-20200110-093000'],
    },
    // meta.test.ts schedule06: a schedule always runs on the default branch
    {
      name: 'sha first, nightly, default-branch tag',
      event: EVENTS.schedule,
      images: TWO_IMAGES,
      tags: [
        'type=schedule',
        'type=sha,priority=2000',
        'type=raw,value=defbranch,enable={{is_default_branch}}',
      ],
      version: 'sha-860c190',
      expected: [
        'org/app:sha-860c190',
        'org/app:nightly',
        'org/app:defbranch',
        'ghcr.io/user/app:sha-860c190',
        'ghcr.io/user/app:nightly',
        'ghcr.io/user/app:defbranch',
      ],
    },
    // meta.test.ts schedule07
    {
      name: 'flavor prefix and suffix',
      event: EVENTS.schedule,
      tags: ['type=schedule'],
      flavor: ['prefix=glo-', 'suffix=-bal'],
      version: 'glo-nightly-bal',
      expected: ['user/app:glo-nightly-bal'],
    },
    // README type=edge: its branch defaults to the default branch, the one a schedule runs on
    {
      name: 'edge',
      event: EVENTS.schedule,
      tags: ['type=schedule', 'type=edge'],
      version: 'nightly',
      expected: ['user/app:nightly', 'user/app:edge'],
    },
    // README flavor latest=true
    {
      name: 'latest=true',
      event: EVENTS.schedule,
      flavor: ['latest=true'],
      version: 'nightly',
      expected: ['user/app:nightly', 'user/app:master', 'user/app:latest'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('workflow_dispatch', () => {
  const cases: Case[] = [
    // README Basic: workflow_dispatch refs/heads/master -> master
    {
      name: 'default rules',
      event: EVENTS.workflowDispatch,
      version: 'master',
      expected: ['user/app:master'],
    },
    // meta.test.ts push04
    {
      name: 'edge',
      event: EVENTS.workflowDispatch,
      tags: ['type=edge'],
      version: 'edge',
      expected: ['user/app:edge'],
    },
    // README Bake definition rules on a branch: no semver, no latest; type=sha's default prefix sha-
    // replaces the flavor's (tag.ts sets it as the rule's own), as the flavor suffix in tag19 shows
    {
      name: 'branch, semver and sha rules',
      event: EVENTS.workflowDispatch,
      tags: ['type=ref,event=branch', 'type=ref,event=pr', 'type=semver,pattern={{version}}', 'type=sha'],
      flavor: ['prefix=app-,onlatest=true'],
      version: 'app-master',
      expected: ['user/app:app-master', 'user/app:sha-860c190'],
    },
    // README flavor latest=true with onlatest prefix
    {
      name: 'latest=true with a prefix on latest',
      event: EVENTS.workflowDispatch,
      flavor: ['latest=true', 'prefix=app-,onlatest=true'],
      version: 'app-master',
      expected: ['user/app:app-master', 'user/app:app-latest'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('sanitization and checks', () => {
  it.each([
    // README Image name and tag sanitization: invalid character runs become -, case is kept
    ['Feature/ABC', 'type=ref,event=branch', 'Feature-ABC'],
    ['feature/ünïcode+x', 'type=ref,event=branch', 'feature-n-code-x'],
    // README {{branch}}: refs/heads/my/branch -> my-branch
    ['my/branch', 'type=raw,value={{branch}}', 'my-branch'],
    // Handlebars escapes {{...}} output: a & b -> a&amp;b -> a-amp-b; the ref rule is not escaped
    ['a&b', 'type=raw,value={{branch}}', 'a-amp-b'],
    ['a&b', 'type=ref,event=branch', 'a-b'],
  ])('branch %s with %s gives %s', async (branch, rule, expected) => {
    const result = await compute({
      name: branch,
      event: EVENTS.pushBranch(branch),
      tags: [rule],
      version: expected,
      expected: [],
    });
    expect(result.tagSuffixes).toEqual([expected]);
  });

  it('a rule giving an impossible tag is a configuration error naming the rule', async () => {
    const run = compute({
      name: 'dot',
      event: EVENTS.pushDev,
      tags: ['type=ref,event=branch,prefix=.'],
      version: undefined,
      expected: [],
    });
    await expect(run).rejects.toThrow(ConfigurationError);
    await expect(run).rejects.toThrow(
      'Input "tags": tag rule "type=ref,event=branch,prefix=." gives ".dev" is not a valid tag: 1 to 128 characters',
    );
  });

  it('a tag longer than 128 characters is refused', async () => {
    const run = compute({
      name: 'long',
      event: EVENTS.pushBranch('b'.repeat(129)),
      version: undefined,
      expected: [],
    });
    await expect(run).rejects.toMatchObject({
      input: 'tags',
      message: expect.stringContaining('is not a valid tag'),
    });
  });

  it('an impossible latest tag names the flavor', async () => {
    const run = compute({
      name: 'latest',
      event: EVENTS.pushTag('v1.2.3'),
      flavor: ['prefix=-,onlatest=true'],
      tags: ['type=semver,pattern={{version}},prefix=v'],
      version: undefined,
      expected: [],
    });
    await expect(run).rejects.toMatchObject({
      input: 'flavor',
      message: expect.stringContaining('"-latest"'),
    });
  });

  it('enable must expand to true or false', async () => {
    const run = compute({
      name: 'enable',
      event: EVENTS.pushDev,
      tags: ['type=raw,value=x,enable={{branch}}'],
      version: undefined,
      expected: [],
    });
    await expect(run).rejects.toMatchObject({
      input: 'tags',
      message:
        'Input "tags", rule "type=raw,value=x,enable={{branch}}": enable "{{branch}}" gave "dev" for this run; it must give true or false.',
    });
  });

  it('a match without the group yields nothing and says so (meta.test.ts tag18)', async () => {
    const result = await compute({
      name: 'group',
      event: EVENTS.pushTag('p1/v1.0.0'),
      tags: ['type=match,pattern=p1/v(\\d.\\d.\\d),group=1', 'type=match,pattern=p1/v(\\d.\\d),group=3'],
      version: '1.0.0',
      expected: [],
    });
    expect(result.tagSuffixes).toEqual(['1.0.0', 'latest']);
    expect(result.warnings).toEqual([
      'tag rule "type=match,pattern=p1/v(\\d.\\d),group=3" has no group 3 in its match of "p1/v1.0.0"',
    ]);
  });

  it('no rule yields a tag: no version, no tags (meta.test.ts tag10)', async () => {
    const result = await compute({
      name: 'none',
      event: EVENTS.pushTag('sometag'),
      tags: ['type=match,"pattern=\\d.\\d"'],
      version: undefined,
      expected: [],
    });
    expect(result).toEqual({
      version: undefined,
      tags: [],
      tagSuffixes: [],
      warnings: ['tag rule "type=match,"pattern=\\d.\\d"" does not match "sometag"'],
    });
  });

  it('a raw latest and latest=auto give latest once', async () => {
    const result = await compute({
      name: 'latest twice',
      event: EVENTS.pushTag('v1.2.3'),
      tags: ['type=semver,pattern={{version}}', 'type=raw,value=latest'],
      version: '1.2.3',
      expected: [],
    });
    expect(result.tagSuffixes).toEqual(['1.2.3', 'latest']);
  });

  it('the same image twice, in different case, is listed once', async () => {
    const result = await compute({
      name: 'images',
      event: EVENTS.pushDev,
      images: ['ghcr.io/Org/App', 'ghcr.io/org/app'],
      version: 'dev',
      expected: [],
    });
    expect(result.tags).toEqual(['ghcr.io/org/app:dev']);
  });
});
