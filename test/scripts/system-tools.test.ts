import { describe, expect, it } from '@jest/globals';
import {
  ensureSystemTools,
  MissingSystemTools,
  SYSTEM_TOOLS,
  type SystemTool,
} from '../../scripts/system-tools.ts';

/**
 * The set-up path of a fresh machine. apt-get itself cannot run in a test (it would change the shared
 * machine), so these runs give ensureSystemTools an apt-get that records its commands and "installs"
 * a package by making its tool present; the probes of the real tools are checked with PATH emptied.
 */
function machine(installed: string[]): { tools: SystemTool[]; installed: Set<string> } {
  const present = new Set(installed);
  const tools = ['openssl', 'buildah', 'docker-registry', 'postgresql'].map((name) => ({
    name,
    aptPackage: name,
    present: () => present.has(name),
  }));
  return { tools, installed: present };
}

function recordingApt(onInstall: (packages: string[]) => void, status = 0) {
  const calls: { args: string[]; frontend: string | undefined }[] = [];
  const aptGet = (args: string[], env: NodeJS.ProcessEnv): number => {
    calls.push({ args, frontend: env.DEBIAN_FRONTEND });
    if (args[0] === 'install' && status === 0) onInstall(args.filter((arg) => !arg.startsWith('-')).slice(1));
    return status;
  };
  return { calls, aptGet };
}

describe('ensureSystemTools', () => {
  it('does nothing when every tool is present', () => {
    const { tools } = machine(['openssl', 'buildah', 'docker-registry', 'postgresql']);
    const apt = recordingApt(() => undefined);
    ensureSystemTools({ tools, root: true, aptGet: apt.aptGet, log: () => undefined });
    expect(apt.calls).toEqual([]);
  });

  it('as root, installs exactly the missing packages with apt-get, then finds them', () => {
    const { tools, installed } = machine(['openssl']);
    const apt = recordingApt((packages) => packages.forEach((name) => installed.add(name)));
    const lines: string[] = [];
    ensureSystemTools({ tools, root: true, aptGet: apt.aptGet, log: (line) => lines.push(line) });
    expect(apt.calls).toEqual([
      { args: ['update', '-q'], frontend: 'noninteractive' },
      {
        args: ['install', '-y', '-q', 'buildah', 'docker-registry', 'postgresql'],
        frontend: 'noninteractive',
      },
    ]);
    expect(lines.at(-1)).toBe('system-tools: installed buildah docker-registry postgresql');
  });

  it('not as root, prints the exact command and installs nothing', () => {
    const { tools } = machine(['openssl', 'docker-registry']);
    const apt = recordingApt(() => undefined);
    expect(() => ensureSystemTools({ tools, root: false, aptGet: apt.aptGet })).toThrow(
      new MissingSystemTools(
        'Missing: buildah, postgresql. Install them as root, then run this command again:\n' +
          "  sudo sh -c 'apt-get update && apt-get install -y -q buildah postgresql'",
      ),
    );
    expect(apt.calls).toEqual([]);
  });

  it('stops with the failed apt-get command and its exit status', () => {
    const { tools } = machine([]);
    const apt = recordingApt(() => undefined, 100);
    expect(() => ensureSystemTools({ tools, root: true, aptGet: apt.aptGet, log: () => undefined })).toThrow(
      /`apt-get update -q` failed \(exit 100\)/,
    );
  });

  it('stops when apt-get succeeded but the tool is still not found', () => {
    const { tools } = machine(['openssl', 'buildah', 'postgresql']);
    const apt = recordingApt(() => undefined);
    expect(() => ensureSystemTools({ tools, root: true, aptGet: apt.aptGet, log: () => undefined })).toThrow(
      /^Still missing after `apt-get update && apt-get install -y -q docker-registry`: docker-registry/,
    );
  });

  it('finds the real programs missing when they are not on PATH (PostgreSQL is looked for off PATH too)', () => {
    const hidden = { ...process.env, PATH: '' };
    const missing = SYSTEM_TOOLS.filter((tool) => !tool.present(hidden)).map((tool) => tool.aptPackage);
    expect(missing).toEqual(expect.arrayContaining(['openssl', 'git', 'buildah', 'docker-registry']));
    expect(SYSTEM_TOOLS.filter((tool) => !tool.present(process.env))).toEqual([]);
  });
});
