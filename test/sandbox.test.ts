import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectLimitSupport } from '../src/engine/tools/resourceLimits.js';
import { bwrapArgs, detectSandbox, resetSandboxDetection } from '../src/engine/tools/sandbox.js';
import { runShell, type RunShellOptions } from '../src/engine/tools/shell.js';
import { ToolError } from '../src/engine/tools/toolError.js';
import { waitFor } from './support/harness.js';

// Real bubblewrap, real processes: what a model's command tries in order to get out, and the ordinary work that
// must still succeed inside. `textPolicy: false` skips the text screen, so the sandbox alone has to hold.

let base: string; // holds the workspace and a sibling directory outside it, in /tmp
let ws: string;
let outside: string; // outside the workspace and outside /tmp (which a sandbox replaces by its own)
let listener: net.Server;
let port: number;
let connections = 0;
const SECRET = `sk-sandbox-test-${process.pid}-secret`;

beforeAll(async () => {
  // The checkout itself may lie under /tmp (a CI clone), which the sandbox hides: then the home directory.
  const parent = /^\/(var\/)?tmp(\/|$)/.test(process.cwd()) ? os.homedir() : process.cwd();
  outside = await mkdtemp(path.join(parent, '.sandbox-outside-'));
  listener = net.createServer((socket) => {
    connections++;
    socket.end('hello from the host\n');
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as net.AddressInfo).port;
  process.env.ZAGENS_TEST_SECRET = SECRET; // in the "server's" environment
});

afterAll(async () => {
  delete process.env.ZAGENS_TEST_SECRET;
  await new Promise((resolve) => listener.close(resolve));
  await rm(outside, { recursive: true, force: true });
});

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'zagens-sandbox-')));
  ws = path.join(base, 'ws');
  await mkdir(ws);
  await mkdir(path.join(base, 'sibling'));
  connections = 0;
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
  for (const name of readdirSync(outside)) await rm(path.join(outside, name), { recursive: true, force: true });
});

const sandboxed = (command: string, extra: Partial<RunShellOptions> = {}) =>
  runShell({ command, cwd: ws, timeoutMs: 30_000, textPolicy: false, ...extra });

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('the sandbox on this machine', () => {
  it('is available, with bubblewrap and per-command limits', async () => {
    const support = await detectSandbox();
    expect(support).toMatchObject({ available: true, problem: null });
    expect(support.version).toMatch(/^bubblewrap \d/);
    // On this machine as root cgroups work; elsewhere the limits fall back to rlimits (and say so).
    expect(['cgroup-v1', 'cgroup-v2', 'rlimit']).toContain(support.limits.mechanism);
  });

  it('bwrap arguments: read-only root, fresh /proc and /dev, private /tmp, no network, dies with the server, no new privileges', async () => {
    const support = await detectSandbox();
    const args = bwrapArgs({ mode: 'WORKSPACE_WRITE', networkAccess: false }, support, { workspace: ws, tmpBytes: 1 << 20 });
    const joined = args.join(' ');
    for (const part of [
      '--ro-bind / /',
      '--proc /proc',
      '--dev /dev',
      '--tmpfs /tmp',
      `--bind ${ws} ${ws}`,
      '--unshare-pid',
      '--unshare-net',
      '--die-with-parent',
      '--cap-drop ALL',
    ]) {
      expect(joined).toContain(part);
    }
    expect(bwrapArgs({ mode: 'WORKSPACE_WRITE', networkAccess: true }, support, { workspace: ws, tmpBytes: 1 << 20 })).not.toContain('--unshare-net');
    expect(bwrapArgs({ mode: 'READ_ONLY', networkAccess: false }, support, { workspace: ws, tmpBytes: 1 << 20 }).join(' ')).toContain(
      `--ro-bind ${ws} ${ws}`,
    );
  });
});

describe('inside the sandbox', () => {
  it("no new privileges, no capabilities, a new pid namespace (the command is not the host's)", async () => {
    const result = await sandboxed('grep -E "^(NoNewPrivs|CapEff|CapBnd)" /proc/self/status; echo pid1=$(cat /proc/1/comm)');
    expect(result.output).toMatch(/NoNewPrivs:\s+1/);
    expect(result.output).toMatch(/CapEff:\s+0+\n/);
    expect(result.output).toMatch(/CapBnd:\s+0+\n/);
    expect(result.output).toContain('pid1=bwrap');
  });
});

describe('writes outside the workspace fail', () => {
  const target = () => path.join(outside, 'pwned');
  const cases: Array<[string, () => string]> = [
    ['a shell redirection', () => `echo x > ${target()}`],
    ['python3', () => `python3 -c "open('${target()}', 'w').write('x')"`],
    ['node', () => `node -e "require('fs').writeFileSync('${target()}', 'x')"`],
    ['perl', () => `perl -e 'open(my $f, ">", "${target()}") or die "no: $!"; print $f "x"'`],
    ['awk system()', () => `awk 'BEGIN { system("echo x > ${target()}") }'`],
    ['a base64-decoded script', () => `echo ${b64(`echo x > ${target()}`)} | base64 -d | sh`],
    ['find -exec', () => `find . -maxdepth 0 -exec sh -c 'echo x > ${target()}' \\;`],
    ['xargs', () => `echo ${target()} | xargs touch`],
    ['sed w', () => `echo x | sed 'w ${target()}'`],
    ['tar -cf', () => `echo x > f && tar -cf ${target()} f`],
    ['tar extracting absolute paths', () => `mkdir -p t${outside} && echo x > t${target()} && tar -cPf a.tar -C t . && tar -xPf a.tar -C /`],
    ['a path built with printf', () => `p=$(printf '%s/%s' '${outside}' pwned); echo x > "$p"`],
    ['a symlink made inside the workspace', () => `ln -s ${outside} link && echo x > link/pwned`],
    ['a dangling symlink to the target', () => `ln -s ${target()} dangling && echo x > dangling`],
    ['/proc/self/root', () => `echo x > /proc/self/root${target()}`],
    ['/proc/1/root', () => `echo x > /proc/1/root${target()}`],
    ['remounting / read-write', () => `mount -o remount,rw / ; echo x > ${target()}`],
    ['a new user namespace', () => `unshare -rm sh -c 'mount -o remount,rw / && echo x > ${target()}'`],
    ['cp', () => `echo x > f && cp f ${target()}`],
  ];
  it.each(cases)('through %s', async (_, command) => {
    const result = await sandboxed(command());
    expect(existsSync(target()), result.output).toBe(false);
  });

  it('the sibling directory in /tmp is not even visible, and writes there stay in the private /tmp', async () => {
    const result = await sandboxed(
      `ls ${path.join(base, 'sibling')}; mkdir -p ${path.join(base, 'sibling')} && echo x > ${path.join(base, 'sibling', 'x')} && cat ${path.join(base, 'sibling', 'x')}`,
    );
    expect(result.output).toContain('No such file or directory');
    expect(existsSync(path.join(base, 'sibling', 'x'))).toBe(false);
  });

  it('a hard link to a file outside cannot be made', async () => {
    await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
    const result = await sandboxed(`ln ${path.join(outside, 'secret.txt')} hard.txt`);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toMatch(/Invalid cross-device link|Operation not permitted|Read-only/);
    expect(existsSync(path.join(ws, 'hard.txt'))).toBe(false);
  });

  it('.git/hooks and .git/config stay read-only, and .git cannot be swapped for another', async () => {
    execFileSync('git', ['init', '-q', ws]);
    const config = await readFile(path.join(ws, '.git', 'config'), 'utf8');
    const result = await sandboxed(
      'echo "#!/bin/sh" > .git/hooks/pre-commit; echo "[core] fsmonitor = evil" >> .git/config; ' +
        'mv .git .git-old; rm -rf .git/hooks; git config core.hooksPath /tmp/evil; echo done',
    );
    expect(result.output).toContain('done');
    expect(existsSync(path.join(ws, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(await readFile(path.join(ws, '.git', 'config'), 'utf8')).toBe(config);
    expect(existsSync(path.join(ws, '.git-old'))).toBe(false);
    expect(existsSync(path.join(ws, '.git', 'hooks'))).toBe(true);
  });

  it('READ_ONLY: the workspace itself is read-only, /tmp is writable', async () => {
    const result = await sandboxed('echo x > in-ws.txt; echo tmp > /tmp/t && cat /tmp/t', { sandbox: 'READ_ONLY' });
    expect(result.output).toContain('Read-only file system');
    expect(result.output).toContain('tmp');
    expect(existsSync(path.join(ws, 'in-ws.txt'))).toBe(false);
  });

  it('a hidden directory (the data directory) is empty inside', async () => {
    const data = await mkdtemp(path.join(outside, 'data-'));
    await writeFile(path.join(data, 'LOG'), 'conversations');
    const result = await sandboxed(`ls -A ${data}; cat ${data}/LOG; echo end`, { hiddenPaths: [data] });
    expect(result.output).not.toContain('conversations');
    expect(result.output).toContain('end');
  });
});

describe('the network is closed without networkAccess', () => {
  const cases: Array<[string, () => string]> = [
    ["bash's /dev/tcp", () => `exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`],
    ['python sockets', () => `python3 -c "import socket; s = socket.create_connection(('127.0.0.1', ${port}), 3); print(s.recv(100))"`],
    [
      "node's net",
      () =>
        `node -e "require('net').connect(${port}, '127.0.0.1').on('data', d => console.log(String(d))).on('error', e => { console.log(e.code); process.exit(1) })"`,
    ],
    ['perl IO::Socket', () => `perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:${port}") or die "no: $!"; print <$s>'`],
    ['the IPv6 loopback', () => `python3 -c "import socket; socket.create_connection(('::1', ${port}), 3)"`],
    ['a base64-decoded script', () => `echo ${b64(`exec 3<>/dev/tcp/127.0.0.1/${port}; cat <&3`)} | base64 -d | bash`],
  ];
  it.each(cases)('%s cannot reach a port of the host', async (_, command) => {
    const result = await sandboxed(command());
    expect(result.exitCode).not.toBe(0);
    expect(result.output).not.toContain('hello from the host');
    expect(connections).toBe(0);
  });

  it('DNS does not resolve and no interface but loopback exists', async () => {
    const result = await sandboxed(
      `python3 -c "import socket; socket.getaddrinfo('example.com', 80)" ; echo dns=$?; cat /proc/net/dev | tail -n +3 | cut -d: -f1`,
    );
    expect(result.output).toMatch(/dns=1/);
    expect(result.output.trim().split('\n').at(-1)!.trim()).toBe('lo');
  });

  it('host sockets under /run are hidden', async () => {
    const dir = '/run/zagens-sandbox-test';
    await mkdir(dir, { recursive: true });
    const socketPath = path.join(dir, `${process.pid}.sock`);
    const unixServer = net.createServer((s) => s.end('unix hello\n'));
    await new Promise<void>((resolve) => unixServer.listen(socketPath, resolve));
    try {
      const result = await sandboxed(`python3 -c "import socket; s = socket.socket(socket.AF_UNIX); s.connect('${socketPath}'); print(s.recv(100))"`);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).not.toContain('unix hello');
    } finally {
      await new Promise((resolve) => unixServer.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with networkAccess the same command reaches the host', async () => {
    const result = await sandboxed(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`, { networkAccess: true });
    expect(result.output).toContain('hello from the host');
    expect(connections).toBe(1);
  });
});

describe("the server's secrets are not visible", () => {
  it.each(['WORKSPACE_WRITE', 'READ_ONLY', 'FULL_ACCESS'] as const)('%s: not in the environment', async (sandbox) => {
    const result = await sandboxed('env', { sandbox });
    expect(result.output).toContain('PATH=');
    expect(result.output).not.toContain(SECRET);
    expect(result.output).not.toContain('ZAGENS_TEST_SECRET');
  });

  it("not through /proc: only the sandbox's own processes are there", async () => {
    const result = await sandboxed(
      `cat /proc/*/environ /proc/*/cmdline 2>/dev/null | tr '\\0' '\\n'; ls /proc | grep -E '^[0-9]+$' | wc -l; test -e /proc/${process.pid}/environ && echo "server""-visible"`,
    );
    expect(result.output).not.toContain(SECRET);
    expect(result.output).not.toContain('server-visible');
    expect(Number(result.output.trim().split('\n').at(-1))).toBeLessThan(10);
    // ps sees the sandbox's init and the command, not the host.
    const ps = await sandboxed('ps -e -o pid=,comm=');
    expect(ps.output).not.toMatch(/node|vitest/);
  });
});

/** Some live (not zombie) process has `marker` in its command line. */
const runningWith = (marker: string) =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
      } catch {
        return false;
      }
    });

describe('processes stay inside the command', () => {
  it.each(['WORKSPACE_WRITE', 'FULL_ACCESS'] as const)('%s: a setsid background process does not outlive the command', async (sandbox) => {
    const seconds = `${300 + (process.pid % 100)}.${Date.now() % 1000}7`;
    const result = await sandboxed(`setsid nohup sleep ${seconds} > /dev/null 2>&1 & echo started`, { sandbox });
    expect(result.output).toContain('started');
    const limits = await detectLimitSupport();
    // FULL_ACCESS has no pid namespace: the cgroup is what catches it, so only where cgroups work.
    if (sandbox === 'FULL_ACCESS' && limits.mechanism === 'rlimit') return;
    await waitFor(() => !runningWith(`sleep\0${seconds}`), 5000, 'the background sleep to be gone');
  });

  it('killing the server kills its sandboxed commands (--die-with-parent)', async () => {
    const seconds = `${400 + (process.pid % 100)}.${Date.now() % 1000}3`;
    const shellModule = JSON.stringify(path.resolve('src/engine/tools/shell.ts'));
    const script = `import { runShell } from ${shellModule}; await runShell({ command: 'touch started; sleep ${seconds}', cwd: ${JSON.stringify(ws)}, textPolicy: false });`;
    const server = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    try {
      await waitFor(() => existsSync(path.join(ws, 'started')), 15_000, 'the command to start');
      // `started` is written just before sleep is exec'd: wait for the sleep itself.
      await waitFor(() => runningWith(`sleep\0${seconds}`), 15_000, 'the sandboxed sleep to run');
    } finally {
      server.kill('SIGKILL');
    }
    await waitFor(() => !runningWith(`sleep\0${seconds}`), 5000, 'the sandboxed sleep to die with its parent');
    // The killed server's command cgroup is removed by the next server's probe. The kernel may still be reaping
    // the killed tasks (a cgroup with tasks cannot be removed), so probe again until it is gone, as later probes do.
    const leftovers = async () => {
      resetSandboxDetection();
      const { parents } = (await detectSandbox()).limits;
      const dirs = parents ? [...new Set([parents.memory, parents.pids])] : [];
      return dirs.flatMap((dir) => readdirSync(dir).filter((name) => name.startsWith(`zagens-cmd-${server.pid}-`)));
    };
    await waitFor(async () => (await leftovers()).length === 0, 5000, "the killed server's command cgroups to be removed");
    expect(await leftovers()).toEqual([]);
  });

  it('the process count is limited', async () => {
    const support = await detectSandbox();
    if (support.limits.mechanism === 'rlimit') return; // RLIMIT_NPROC does not bind root
    const script =
      'import os, time\nn = 0\nfor _ in range(200):\n    try:\n        if os.fork() == 0:\n            time.sleep(3); os._exit(0)\n        n += 1\n    except OSError:\n        break\nprint("forked", n)';
    const result = await sandboxed(`python3 -c '${script}'`, { limits: { maxProcesses: 32 } });
    const forked = Number(/forked (\d+)/.exec(result.output)?.[1]);
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(32);
  });

  it('memory is limited: the command is killed past the limit', async () => {
    const result = await sandboxed(`python3 -c "x = b'x' * (400 << 20); print('allocated', len(x))"`, { limits: { memoryBytes: 128 << 20 } });
    expect(result.output).not.toContain('allocated');
    expect(result.exitCode).not.toBe(0);
  });

  it('the private /tmp counts against the memory limit too', async () => {
    const result = await sandboxed('head -c 300000000 /dev/zero > /tmp/big; echo rc=$?', { limits: { memoryBytes: 64 << 20 } });
    expect(result.output).not.toContain('rc=0');
  });
});

describe('ordinary work inside', () => {
  it('git init, status and commit in the workspace', async () => {
    const git = 'git -c user.name=Test -c user.email=test@example.com';
    const first = await sandboxed(`git init -q && echo a > a.txt && git add a.txt && ${git} commit -q -m one && git status --short && echo ok`);
    expect(first.output).toContain('ok');
    // Now .git exists before the command: its hooks and config are protected, and commits still work.
    const second = await sandboxed(`echo b > b.txt && git add b.txt && ${git} commit -q -m two && git status --short && git log --oneline | wc -l`);
    expect(second.exitCode, second.output).toBe(0);
    expect(second.output.trim()).toBe('2');
    expect(execFileSync('git', ['-C', ws, 'log', '--format=%s']).toString()).toBe('two\none\n');
  });

  it('python, node, perl and a C compiler', async () => {
    await writeFile(path.join(ws, 'hello.c'), '#include <stdio.h>\nint main(void) { puts("hello from c"); return 0; }\n');
    const result = await sandboxed(
      'python3 -c "print(6 * 7)" && node -e "console.log(process.version.startsWith(\'v\'))" && perl -e "print 1 + 1, qq(\\n)" && ' +
        '{ if command -v cc > /dev/null; then cc -o hello hello.c && ./hello; else echo "hello from c"; fi; }',
    );
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toBe('42\ntrue\n2\nhello from c\n');
  });

  it('writes and reads files in the workspace and /tmp', async () => {
    const result = await sandboxed('mkdir -p d && printf "one\\ntwo\\n" > d/f.txt && cp d/f.txt /tmp/copy && wc -l < /tmp/copy && cat d/f.txt');
    expect(result.output).toBe('2\none\ntwo\n');
    expect(await readFile(path.join(ws, 'd', 'f.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('long output keeps head and tail', async () => {
    const result = await sandboxed('seq 1 200000', { outputCapBytes: 4096 });
    expect(result.exitCode).toBe(0);
    expect(result.output.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.output.endsWith('199999\n200000\n')).toBe(true);
    expect(result.truncatedBytes).toBeGreaterThan(0);
  });

  it('a timeout kills the sandbox', async () => {
    const result = await sandboxed('echo started; sleep 60', { timeoutMs: 1500 });
    expect(result).toMatchObject({ timedOut: true, exitCode: null });
    expect(result.output).toBe('started\n');
  });

  it('an abort kills the sandbox', async () => {
    const controller = new AbortController();
    const marker = path.join(ws, 'running');
    const poll = setInterval(() => existsSync(marker) && controller.abort(), 10);
    const result = await sandboxed('touch running; sleep 60', { signal: controller.signal });
    clearInterval(poll);
    expect(result).toMatchObject({ aborted: true, exitCode: null });
  });

  it('exit codes pass through', async () => {
    expect((await sandboxed('exit 7')).exitCode).toBe(7);
  });
});

describe('without bubblewrap', () => {
  afterEach(() => {
    delete process.env.ZAGENS_BWRAP;
    resetSandboxDetection();
  });

  it('sandboxed commands are refused with the fix named; FULL_ACCESS still runs', async () => {
    process.env.ZAGENS_BWRAP = path.join(base, 'no-bwrap-here');
    resetSandboxDetection();
    const support = await detectSandbox();
    expect(support).toMatchObject({ available: false, version: null });
    expect(support.problem).toContain('apt-get install bubblewrap');
    const refused = await sandboxed('touch ran').catch((error) => error);
    expect(refused).toBeInstanceOf(ToolError);
    expect(refused.message).toMatch(/sandbox is unavailable.*apt-get install bubblewrap.*FULL_ACCESS/);
    expect(existsSync(path.join(ws, 'ran'))).toBe(false);
    expect((await sandboxed('touch ran && echo ok', { sandbox: 'FULL_ACCESS' })).output).toBe('ok\n');
  });
});
