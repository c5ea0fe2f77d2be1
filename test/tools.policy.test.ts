import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommandPolicy } from '../src/engine/tools/shell.js';

const workspace = path.join(os.tmpdir(), 'zagens-policy-ws');
const check = (command: string) => checkCommandPolicy(command, { trustMode: false, workspace });
const trusted = (command: string) => checkCommandPolicy(command, { trustMode: true, workspace });

const refused = [
  // network tools
  'curl https://example.com',
  'wget -q https://example.com/x.tgz',
  'ssh host ls',
  'scp file host:/tmp',
  'nc -l 8080',
  'ncat host 80',
  'telnet host',
  'ftp host',
  '/usr/bin/curl x',
  'rsync -a src/ host:/backup',
  'rsync -a src/ rsync://host/mod',
  'git push origin main',
  'git -C . pull',
  'git fetch --all',
  'git clone https://example.com/r.git',
  'npm install left-pad',
  'npm i',
  'pnpm add zod',
  'yarn add zod',
  'pip install requests',
  'python3 -m pip install requests',
  'cargo install ripgrep',
  'apt-get install -y jq',
  // privilege escalation
  'sudo ls',
  'su -c ls',
  'doas ls',
  // hidden in compound commands, wrappers and nested shells
  'ls && curl x',
  'ls; wget y',
  'echo hi | nc host 1',
  'echo $(curl x)',
  'echo "$(curl x)"',
  'echo `curl x`',
  'FOO=1 curl x',
  'env FOO=1 curl x',
  'timeout 5 curl x',
  'xargs -I {} curl {}',
  'nohup wget x &',
  'bash -c "curl x"',
  "sh -lc 'sudo ls'",
  'eval "curl x"',
  'if true; then curl x; fi',
  'ls # comment\ncurl x',
  'echo a#b; curl x',
  // writes outside the workspace
  'echo hi > /etc/passwd',
  'echo hi >> ../x',
  'echo hi >/tmp/elsewhere',
  'ls &> ../log',
  'cat x | tee /tmp/out',
  'cat x | tee -a ../../out',
  'cp a.txt /tmp/a.txt',
  'cp -r src ../copy',
  'cp -t /tmp a b',
  'mv a.txt ../a.txt',
  'mv /etc/hosts .',
  'rm -rf /',
  'rm -rf ../other',
  'rm -rf /tmp/*',
  'rm a/../../x',
  'rm ~/.bashrc',
  'touch /tmp/x',
  'mkdir -p /opt/x',
  'dd if=/dev/zero of=/tmp/img bs=1 count=1',
  'sed -i s/a/b/ /etc/hosts',
  'cd ..',
  'cd /',
  'cd',
  'cd src && cd ../.. && ls',
  'cd src && rm ../../x',
];

const allowed = [
  'ls -la',
  'cat README.md',
  'npm test',
  'npm run build',
  'npx vitest run',
  'git status',
  'git diff HEAD~1',
  'git log --oneline -5',
  'git commit -m "fix: curl handling"',
  'echo hi > out.txt',
  'echo hi >> logs/out.txt',
  'ls 2>/dev/null',
  'ls > /dev/null 2>&1',
  'cmd 2>&1 | tee build.log',
  'cp /etc/hosts ./hosts-copy',
  'mv a.txt b.txt',
  'rm -rf dist',
  'rm -rf ./node_modules/.cache',
  `rm ${path.join(workspace, 'x')}`,
  'cd src && ls && cd ..',
  'mkdir -p build/out',
  'grep -r "curl" src',
  'echo "sudo is not used here"',
  'command -v curl',
  'which wget',
  'rsync -a src/ backup/',
  'sed -i s/a/b/ src/file.ts',
  'echo $((1 + 2))',
  'cat ..hidden',
];

describe('checkCommandPolicy without trust mode', () => {
  it.each(refused)('refuses %s', (command) => {
    expect(check(command)).toEqual(expect.any(String));
  });

  it.each(allowed)('allows %s', (command) => {
    expect(check(command)).toBeNull();
  });

  it('explains the refusal', () => {
    expect(check('curl x')).toMatch(/curl: network access/);
    expect(check('sudo ls')).toMatch(/privilege escalation/);
    expect(check('git push')).toMatch(/git push/);
    expect(check('npm install x')).toMatch(/installing packages/);
    expect(check('echo x > /etc/passwd')).toMatch(/writing to \/etc\/passwd is outside the workspace/);
    expect(check('rm -rf ../x')).toMatch(/rm would write \.\.\/x, outside the workspace/);
    expect(check('cd /')).toMatch(/cd to \/ leaves the workspace/);
  });
});

describe('checkCommandPolicy with trust mode', () => {
  it.each(refused)('allows %s', (command) => {
    expect(trusted(command)).toBeNull();
  });
});
