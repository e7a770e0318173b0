import { describe, expect, it } from '@jest/globals';
import { computeTags } from '../../../actions/build-push/src/metadata/compute-tags.ts';
import { parseFlavor } from '../../../actions/build-push/src/metadata/flavor.ts';
import { parseImageLines } from '../../../actions/build-push/src/metadata/images.ts';
import { readRuleLines } from '../../../actions/build-push/src/metadata/rule-fields.ts';
import { parseTagRules } from '../../../actions/build-push/src/metadata/tag-rules.ts';
import { contextFor, EVENTS, type EventFixture } from './events.ts';

/**
 * The tag syntax added for metadata-action parity: type=pep440, match= on semver and pep440, rule
 * lines read in metadata-action's two CSV passes, and images with attributes or none. Inputs are given
 * as the text of the workflow's `tags:` / `images:` block and go through the same reading as the
 * action. "meta.test.ts <id>" is a case of metadata-action's __tests__/meta.test.ts with its fixture;
 * "by hand" expectations follow its meta.ts and @renovate/pep440's normal form step by step (noted).
 */
interface Case {
  name: string;
  event: EventFixture;
  tags: string;
  images?: string;
  flavor?: string;
  version: string | undefined;
  expected: string[];
  warnings?: string[];
}

function lines(text: string): string[] {
  const read = readRuleLines(text);
  if (!read.ok) throw new Error(read.reason);
  return read.value;
}

async function compute({ event, tags, images = 'org/app', flavor = '' }: Case) {
  const entries = parseImageLines(lines(images));
  if (!entries.ok) throw new Error(entries.reason);
  return computeTags({
    images: entries.value.filter((image) => image.enable).map((image) => image.name),
    rules: parseTagRules(lines(tags)),
    flavor: parseFlavor(lines(flavor)),
    context: await contextFor(event),
  });
}

async function check(testCase: Case): Promise<void> {
  const result = await compute(testCase);
  expect(result.version).toEqual(testCase.version);
  expect(result.tags).toEqual(testCase.expected);
  expect(result.warnings).toEqual(testCase.warnings ?? []);
}

const PEP440_ALL = [
  'type=pep440,pattern={{version}}',
  'type=pep440,pattern={{major}}.{{minor}}.{{patch}}',
  'type=pep440,pattern={{major}}.{{minor}}',
  'type=pep440,pattern={{major}}',
].join('\n');

describe('type=pep440', () => {
  const cases: Case[] = [
    {
      name: 'meta.test.ts tag23: {{raw}} keeps the v, a release also gets latest',
      event: EVENTS.pushTag('v1.1.1'),
      tags: 'type=pep440,pattern={{raw}}\ntype=pep440,pattern={{major}}.{{minor}}',
      version: 'v1.1.1',
      expected: ['org/app:v1.1.1', 'org/app:1.1', 'org/app:latest'],
    },
    {
      name: 'meta.test.ts tag24: a two-part version has patch 0',
      event: EVENTS.pushTag('1.2'),
      tags: 'type=pep440,pattern={{version}}\ntype=pep440,pattern={{major}}.{{minor}}',
      version: '1.2',
      expected: ['org/app:1.2', 'org/app:latest'],
    },
    {
      name: 'meta.test.ts tag25: a beta is tagged with its normal form only, never latest',
      event: EVENTS.pushTag('1.1beta2'),
      images: 'org/app\nghcr.io/user/app',
      tags: 'type=pep440,pattern={{major}}.{{minor}}\ntype=pep440,pattern={{major}}',
      version: '1.1b2',
      expected: ['org/app:1.1b2', 'ghcr.io/user/app:1.1b2'],
    },
    {
      name: 'meta.test.ts tag26: a dev release',
      event: EVENTS.pushTag('1.0dev4'),
      tags: 'type=pep440,pattern={{major}}.{{minor}}\ntype=pep440,pattern={{major}}',
      version: '1.0.dev4',
      expected: ['org/app:1.0.dev4'],
    },
    {
      name: 'meta.test.ts tag27: a release candidate, every pattern giving the same tag',
      event: EVENTS.pushTag('1.2.3rc2'),
      tags: `type=pep440,pattern={{raw}}\n${PEP440_ALL}`,
      version: '1.2.3rc2',
      expected: ['org/app:1.2.3rc2'],
    },
    {
      name: 'meta.test.ts tag28: a release gets every pattern and latest',
      event: EVENTS.pushTag('v1.1.1'),
      tags: PEP440_ALL,
      version: '1.1.1',
      expected: ['org/app:1.1.1', 'org/app:1.1', 'org/app:1', 'org/app:latest'],
    },
    {
      name: 'meta.test.ts tag29: a post release',
      event: EVENTS.pushTag('1.2post1'),
      tags: PEP440_ALL,
      version: '1.2.post1',
      expected: ['org/app:1.2.post1'],
    },
    {
      name: 'meta.test.ts tag32: {{raw}} of a pre-release keeps the text, other patterns the normal form',
      event: EVENTS.pushTag('v1.2.3rc2'),
      tags: 'type=pep440,pattern={{raw}}\ntype=pep440,pattern={{major}}.{{minor}}',
      version: 'v1.2.3rc2',
      expected: ['org/app:v1.2.3rc2', 'org/app:1.2.3rc2'],
    },
    {
      // by hand: "alpha" is spelled a, the missing number is 0 (1.0a0), and release numbers lose zeros
      name: 'alternative spellings are normalized',
      event: EVENTS.pushTag('V01.0-ALPHA'),
      tags: PEP440_ALL,
      version: '1.0a0',
      expected: ['org/app:1.0a0'],
    },
    {
      // by hand: 1.0-1 is the implicit post release 1.0.post1; 2.0.0.dev0 has an explicit dev number
      name: 'the implicit post release 1.0-1',
      event: EVENTS.pushTag('1.0-1'),
      tags: PEP440_ALL,
      version: '1.0.post1',
      expected: ['org/app:1.0.post1'],
    },
    {
      // by hand: epoch 1 prints as "1!", which the sanitizing turns into "-"
      name: 'an epoch',
      event: EVENTS.pushTag('1!2.0'),
      tags: 'type=pep440,pattern={{version}}\ntype=pep440,pattern={{major}}',
      version: '1-2.0',
      expected: ['org/app:1-2.0', 'org/app:2', 'org/app:latest'],
    },
    {
      // by hand: @renovate/pep440 prints the local parts joined by "," (+abc,5), sanitized to -abc-5
      name: 'a local version, as @renovate/pep440 prints it',
      event: EVENTS.pushTag('1.0+ABC.5'),
      tags: 'type=pep440,pattern={{version}}\ntype=pep440,pattern={{major}}.{{minor}}',
      version: '1.0-abc-5',
      expected: ['org/app:1.0-abc-5', 'org/app:1.0', 'org/app:latest'],
    },
    {
      name: 'meta.test.ts tag30: a tag that is not PEP 440 gives no pep440 tag',
      event: EVENTS.pushTag('sometag'),
      flavor: 'latest=false',
      tags: `type=ref,event=tag\n${PEP440_ALL}`,
      version: 'sometag',
      expected: ['org/app:sometag'],
      warnings: PEP440_ALL.split('\n').map(
        (rule) =>
          `"sometag" does not conform to PEP 440 (https://peps.python.org/pep-0440/), so tag rule "${rule}" yields no tag`,
      ),
    },
    {
      name: 'value= on a branch push',
      event: EVENTS.pushDev,
      tags: 'type=pep440,pattern={{major}}.{{minor}},value=2.1.0',
      version: '2.1',
      expected: ['org/app:2.1', 'org/app:latest'],
    },
    {
      name: 'a branch push without value= gives nothing',
      event: EVENTS.pushDev,
      tags: 'type=pep440,pattern={{version}}\ntype=sha',
      version: 'sha-860c190',
      expected: ['org/app:sha-860c190'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('match= on semver and pep440', () => {
  const cases: Case[] = [
    {
      name: "the issue's example: the version is group 1 of the match in value=",
      event: EVENTS.pushDev,
      tags: 'type=semver,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"',
      version: '1.2.3',
      expected: ['org/app:1.2.3', 'org/app:latest'],
    },
    {
      name: 'a monorepo Git tag: component/v1.2.3',
      event: EVENTS.pushTag('api/v1.2.3'),
      tags: [
        'type=semver,pattern={{major}}.{{minor}},match=^api/v(.*)$',
        'type=semver,pattern={{version}},match=^api/v(.*)$',
      ].join('\n'),
      version: '1.2',
      expected: ['org/app:1.2', 'org/app:1.2.3', 'org/app:latest'],
    },
    {
      // by hand (meta.ts procSemver): no match warns and goes on with the whole tag, here not semver
      name: 'no match: warns, and the whole text is read',
      event: EVENTS.pushTag('web/v1.2.3'),
      tags: 'type=semver,pattern={{version}},match=^api/v(.*)$\ntype=ref,event=tag',
      version: 'web-v1.2.3',
      expected: ['org/app:web-v1.2.3', 'org/app:latest'],
      warnings: [
        'match "^api\\/v(.*)$" of tag rule "type=semver,pattern={{version}},match=^api/v(.*)$" does not match "web/v1.2.3"; ' +
          '"web-v1.2.3" is not a semantic version (https://semver.org), so tag rule "type=semver,pattern={{version}},match=^api/v(.*)$" yields no tag',
      ],
    },
    {
      name: 'no match, but the whole tag is a version: tagged, with the warning',
      event: EVENTS.pushTag('v3.0.0'),
      tags: 'type=semver,pattern={{major}},match=^api/v(.*)$',
      version: '3',
      expected: ['org/app:3', 'org/app:latest'],
      warnings: [
        'match "^api\\/v(.*)$" of tag rule "type=semver,pattern={{major}},match=^api/v(.*)$" does not match "v3.0.0"',
      ],
    },
    {
      name: 'pep440 with match: a Python package tag',
      event: EVENTS.pushTag('py-1.4b1'),
      tags: 'type=pep440,pattern={{version}},match=^py-(.+)$',
      version: '1.4b1',
      expected: ['org/app:1.4b1'],
    },
  ];
  it.each(cases)('$name', check);
});

describe('rule lines read as metadata-action reads them', () => {
  const cases: Case[] = [
    {
      // meta.test.ts latest01, written as a workflow must write it (the whole line quoted)
      name: 'a whole quoted line keeps the comma of {1,2}',
      event: EVENTS.pushTag('release1'),
      images: 'user/app',
      tags: '"type=match,""pattern=^release\\d{1,2}"""',
      version: 'release1',
      expected: ['user/app:release1', 'user/app:latest'],
    },
    {
      // meta.test.ts latest02
      name: 'a quoted field without a comma stays one field',
      event: EVENTS.pushTag('20200110-RC2'),
      images: 'user/app',
      tags: 'type=match,"pattern=^\\d+-RC\\d"',
      version: '20200110-RC2',
      expected: ['user/app:20200110-RC2', 'user/app:latest'],
    },
    {
      name: 'comment lines, blank lines and a # inside a rule',
      event: EVENTS.pushDev,
      tags: '# nightly builds\n\ntype=raw,value=build#1\n  \ntype=ref,event=branch',
      version: 'dev',
      expected: ['org/app:dev', 'org/app:build-1'],
    },
  ];
  it.each(cases)('$name', check);

  it('refuses a quoted field with a comma inside a line, which metadata-action splits, and shows the spelling that works', () => {
    const read = readRuleLines('type=match,"pattern=^release\\d{1,2}"');
    expect(read).toEqual({
      ok: false,
      reason:
        'the quoted field "pattern=^release\\d{1,2}" holds a comma, and metadata-action loses the quotes of a field ' +
        'inside a line, so it would split there; quote the whole line instead: "type=match,""pattern=^release\\d{1,2}"""',
    });
  });

  it('refuses an indented comment, which metadata-action would read as a raw tag', () => {
    expect(readRuleLines('type=sha\n  # type=ref,event=branch')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('only a # at the very start of a line starts a comment'),
    });
  });

  it('refuses a quote that is never closed', () => {
    expect(readRuleLines('"type=raw,value=x')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('never closed'),
    });
  });
});

describe('images', () => {
  const cases: Case[] = [
    {
      name: 'meta.test.ts tag33: no images gives bare tags',
      event: EVENTS.pushTag('v1.1.1'),
      images: '',
      tags: PEP440_ALL,
      version: '1.1.1',
      expected: ['1.1.1', '1.1', '1', 'latest'],
    },
    {
      name: 'name= and enable=false (README images input)',
      event: EVENTS.pushDev,
      images: 'name=ghcr.io/Org/App\nname=docker.io/org/app,enable=false',
      tags: 'type=ref,event=branch',
      version: 'dev',
      expected: ['ghcr.io/org/app:dev'],
    },
    {
      name: 'every image disabled gives bare tags',
      event: EVENTS.pushDev,
      images: 'name=org/app,enable=false',
      tags: 'type=ref,event=branch',
      version: 'dev',
      expected: ['dev'],
    },
    {
      name: 'one line of names is a comma-separated list (the older form)',
      event: EVENTS.pushDev,
      images: 'org/app,ghcr.io/user/app',
      tags: 'type=ref,event=branch',
      version: 'dev',
      expected: ['org/app:dev', 'ghcr.io/user/app:dev'],
    },
  ];
  it.each(cases)('$name', check);

  it.each([
    ['name=org/app,enable=yes', 'enable "yes" must be true or false'],
    ['name=org/app,push=true', 'unknown attribute "push" (accepted: name, enable)'],
    ['enable=true', 'has no image name'],
    ['org/app\nname=a/b,c/d', 'names two images; write one a line'],
  ])('refuses %j', (text, reason) => {
    expect(parseImageLines(lines(text))).toMatchObject({
      ok: false,
      reason: expect.stringContaining(reason),
    });
  });
});
