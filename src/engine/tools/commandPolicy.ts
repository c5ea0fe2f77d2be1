import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, type ParseEntry } from 'shell-quote';
import { isInside } from './workspace.js';

/**
 * The conservative policy for shell commands when trust mode is off. It is a best-effort screen of what the
 * command line visibly does, not a sandbox: it refuses network tools, privilege escalation and writes outside
 * the workspace that can be seen in the command text.
 */

const NETWORK = 'network access is not allowed in this sandbox';
const PRIVILEGE = 'privilege escalation is not allowed';
const INSTALL = 'installing packages needs network access, which is not allowed in this sandbox';
const NETWORK_REASONS = new Set([NETWORK, INSTALL]);

/** Commands refused whatever their arguments. */
export const REFUSED_COMMANDS: Readonly<Record<string, string>> = {
  curl: NETWORK,
  wget: NETWORK,
  ssh: NETWORK,
  scp: NETWORK,
  sftp: NETWORK,
  ftp: NETWORK,
  telnet: NETWORK,
  nc: NETWORK,
  ncat: NETWORK,
  netcat: NETWORK,
  socat: NETWORK,
  sudo: PRIVILEGE,
  su: PRIVILEGE,
  doas: PRIVILEGE,
  pkexec: PRIVILEGE,
};

/** Commands refused when their first non-option argument (the sub command) is listed. */
export const REFUSED_SUBCOMMANDS: Readonly<Record<string, { subcommands: readonly string[]; reason: string }>> = {
  git: { subcommands: ['push', 'pull', 'fetch', 'clone', 'ls-remote'], reason: NETWORK },
  npm: { subcommands: ['install', 'i', 'in', 'add', 'ci', 'update', 'up', 'upgrade', 'publish'], reason: INSTALL },
  pnpm: { subcommands: ['install', 'i', 'add', 'update', 'up', 'dlx', 'publish'], reason: INSTALL },
  yarn: { subcommands: ['install', 'add', 'up', 'upgrade', 'dlx', 'publish'], reason: INSTALL },
  bun: { subcommands: ['install', 'i', 'add', 'update', 'publish'], reason: INSTALL },
  pip: { subcommands: ['install', 'download'], reason: INSTALL },
  pip3: { subcommands: ['install', 'download'], reason: INSTALL },
  uv: { subcommands: ['add', 'sync', 'pip'], reason: INSTALL },
  gem: { subcommands: ['install'], reason: INSTALL },
  cargo: { subcommands: ['install'], reason: INSTALL },
  go: { subcommands: ['get', 'install'], reason: INSTALL },
  apt: { subcommands: ['install', 'update', 'upgrade'], reason: INSTALL },
  'apt-get': { subcommands: ['install', 'update', 'upgrade'], reason: INSTALL },
  brew: { subcommands: ['install', 'upgrade'], reason: INSTALL },
};

/** Options that take the next word as their value, so it is not mistaken for the sub command or a path. */
const OPTIONS_WITH_VALUE: Readonly<Record<string, readonly string[]>> = {
  git: ['-C', '-c', '--git-dir', '--work-tree', '--namespace'],
  npm: ['--prefix', '-w', '--workspace'],
  pnpm: ['-C', '--dir', '--filter', '-F'],
  yarn: ['--cwd'],
  cp: ['-t', '--target-directory', '-S', '--suffix'],
  mv: ['-t', '--target-directory', '-S', '--suffix'],
  ln: ['-t', '--target-directory', '-S', '--suffix'],
  install: ['-t', '--target-directory', '-m', '--mode', '-o', '--owner', '-g', '--group'],
  tee: [],
};

/** Commands whose path arguments are written: every path argument, or only the last (the destination). */
export const WRITING_COMMANDS: Readonly<Record<string, 'all' | 'last'>> = {
  rm: 'all',
  rmdir: 'all',
  mkdir: 'all',
  touch: 'all',
  truncate: 'all',
  chmod: 'all',
  chown: 'all',
  tee: 'all',
  mv: 'all', // the source is removed too
  cp: 'last',
  ln: 'last',
  install: 'last',
};

/** Words that start a command line without being the command (wrappers and shell keywords). */
const PREFIX_WORDS = new Set([
  'env',
  'nohup',
  'time',
  'nice',
  'timeout',
  'command',
  'exec',
  'builtin',
  'xargs',
  'stdbuf',
  '!',
  '{',
  'if',
  'then',
  'else',
  'elif',
  'while',
  'until',
  'do',
]);
const PREFIX_OPTIONS_WITH_VALUE = new Set(['-I', '-n', '-P', '-L', '-d', '-s', '-u', '-k', '-C']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
const CONTROL_OPS = new Set([';', '&&', '||', '|', '&', '|&', ';;', '(', ')', '<(', '>(']);
const WRITE_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '>&']);
const SAFE_WRITE_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const MAX_NESTING = 8;

export interface CommandPolicyOptions {
  trustMode: boolean;
  /** With network access, network tools and package installs pass. */
  networkAccess?: boolean;
  workspace: string;
}

/** The reason the command is refused, or null when it may run. Trust mode refuses nothing. */
export function checkCommandPolicy(command: string, options: CommandPolicyOptions): string | null {
  if (options.trustMode) return null;
  const workspace = path.resolve(options.workspace);
  const roots = [workspace];
  try {
    roots.push(realpathSync(workspace));
  } catch {
    // a missing workspace fails later, when the command runs
  }
  return checkScript(command, { roots, cwd: workspace, networkAccess: options.networkAccess ?? false }, 0);
}

interface State {
  roots: string[];
  networkAccess: boolean;
  /** Where relative paths point, following `cd` in the command line. */
  cwd: string;
}

function checkScript(script: string, state: State, depth: number): string | null {
  if (depth > MAX_NESTING) return 'the command nests shells too deeply to check';
  const joined = script.replace(/\\\r?\n/g, '');
  // Command substitutions also run inside double quotes, where the tokenizer sees only text: check them apart.
  for (const inner of substitutions(joined)) {
    const reason = checkScript(inner, { ...state }, depth + 1);
    if (reason) return reason;
  }
  // shell-quote takes `#` anywhere as a comment to the end of its input, so parse line by line.
  for (const line of joined.split('\n')) {
    for (const segment of segments(tokenize(line))) {
      const reason = checkSimpleCommand(segment, state, depth);
      if (reason) return reason;
    }
  }
  return null;
}

type Token = { word: string } | { op: string };

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const add = (entries: ParseEntry[]) => {
    for (const entry of entries) {
      if (typeof entry === 'string') tokens.push({ word: entry });
      else if ('comment' in entry)
        add(parse(entry.comment, env)); // `a#b` is a word for bash; keep checking
      else if (entry.op === 'glob') tokens.push({ word: (entry as { pattern: string }).pattern });
      else tokens.push({ op: entry.op });
    }
  };
  add(parse(line, env));
  return tokens;
}

function env(name: string): string {
  return process.env[name] ?? '';
}

/** Simple commands: words and redirections between control operators. */
function segments(tokens: Token[]): Token[][] {
  const result: Token[][] = [[]];
  for (const token of tokens) {
    if ('op' in token && CONTROL_OPS.has(token.op)) result.push([]);
    else result.at(-1)?.push(token);
  }
  return result.filter((segment) => segment.length > 0);
}

function checkSimpleCommand(segment: Token[], state: State, depth: number): string | null {
  const words: string[] = [];
  for (let i = 0; i < segment.length; i++) {
    const token = segment[i];
    if (!token) break;
    if ('word' in token) {
      words.push(token.word);
      continue;
    }
    if (!WRITE_REDIRECTS.has(token.op)) continue;
    const next = segment[i + 1];
    if (!next || !('word' in next)) continue;
    i++;
    if (token.op === '>&' && /^(\d+|-)$/.test(next.word)) continue; // fd duplication, not a file
    const outside = writesOutside(next.word, state);
    if (outside) return `writing to ${next.word} is outside the workspace (${outside})`;
  }

  // Past the end `words[start]` is undefined; '' matches none of these tests, so the loops stop there.
  let start = 0;
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[start] ?? '')) start++;
  while (PREFIX_WORDS.has(words[start] ?? '')) {
    // `command -v NAME` only looks NAME up.
    if (words[start] === 'command' && /^-[vV]$/.test(words[start + 1] ?? '')) return null;
    start++;
    while (isPrefixArgument(words[start] ?? '')) {
      start += PREFIX_OPTIONS_WITH_VALUE.has(words[start] ?? '') ? 2 : 1;
    }
  }
  const command = words[start];
  if (command === undefined) return null;
  let name = path.basename(command);
  let args = words.slice(start + 1);
  if (/^python[0-9.]*$/.test(name) && args[0] === '-m' && args[1]) {
    name = args[1];
    args = args.slice(2);
  }
  return checkInvocation(name, args, state, depth);
}

function isPrefixArgument(word: string): boolean {
  return word.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || /^\d+(\.\d+)?[smhd]?$/.test(word);
}

function checkInvocation(name: string, args: string[], state: State, depth: number): string | null {
  const refused = REFUSED_COMMANDS[name];
  if (refused && !(state.networkAccess && NETWORK_REASONS.has(refused))) return `${name}: ${refused}`;

  const operands = withoutOptions(name, args);
  const sub = REFUSED_SUBCOMMANDS[name];
  if (sub && operands[0] !== undefined && sub.subcommands.includes(operands[0]) && !(state.networkAccess && NETWORK_REASONS.has(sub.reason))) {
    return `${name} ${operands[0]}: ${sub.reason}`;
  }
  if (name === 'rsync' && !state.networkAccess && operands.some((arg) => /^[^/]*:/.test(arg))) {
    return `rsync to or from a remote host: ${NETWORK}`;
  }

  if (SHELLS.has(name)) {
    const flag = args.findIndex((arg) => /^-[A-Za-z]*c[A-Za-z]*$/.test(arg));
    const script = flag >= 0 ? args[flag + 1] : undefined;
    if (script !== undefined) return checkScript(script, { ...state }, depth + 1);
    return null;
  }
  if (name === 'eval') return checkScript(args.join(' '), state, depth + 1);

  if (name === 'cd' || name === 'pushd') {
    const target = operands[0] ?? '~';
    if (target === '-') return null;
    const outside = pathOutside(target, state);
    if (outside) return `cd to ${target} leaves the workspace (${outside})`;
    state.cwd = path.resolve(state.cwd, target);
    return null;
  }

  const writes = WRITING_COMMANDS[name];
  if (writes) {
    const targets = writes === 'all' ? operands : operands.slice(-1);
    targets.push(...targetDirectoryOptions(args));
    for (const target of targets) {
      const outside = writesOutside(target, state);
      if (outside) return `${name} would write ${target}, outside the workspace (${outside})`;
    }
  }
  if (name === 'dd') {
    const output = args.find((arg) => arg.startsWith('of='));
    const outside = output ? writesOutside(output.slice(3), state) : null;
    if (outside) return `dd would write ${output!.slice(3)}, outside the workspace (${outside})`;
  }
  if (name === 'sed' && args.some((arg) => arg.startsWith('-i') || arg.startsWith('--in-place'))) {
    for (const target of operands.slice(1)) {
      const outside = writesOutside(target, state);
      if (outside) return `sed -i would write ${target}, outside the workspace (${outside})`;
    }
  }
  return null;
}

/** Arguments that are not options nor option values. */
function withoutOptions(name: string, args: string[]): string[] {
  const withValue = OPTIONS_WITH_VALUE[name] ?? [];
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === undefined) break;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      if (withValue.includes(arg)) i++;
      continue;
    }
    operands.push(arg);
  }
  return operands;
}

/** `cp -t DIR` and `--target-directory=DIR` name the destination apart from the operands. */
function targetDirectoryOptions(args: string[]): string[] {
  const targets: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '-t' || arg === '--target-directory') targets.push(args[i + 1] ?? '');
    else if (arg.startsWith('--target-directory=')) targets.push(arg.slice('--target-directory='.length));
  });
  return targets.filter((target) => target !== '');
}

function writesOutside(target: string, state: State): string | null {
  if (SAFE_WRITE_TARGETS.has(target) || target.startsWith('/dev/fd/')) return null;
  return pathOutside(target, state);
}

/** Why `target` is outside the workspace, or null when it is inside (as far as the text shows). */
function pathOutside(target: string, state: State): string | null {
  let expanded = target;
  if (target === '~' || target.startsWith('~/')) expanded = os.homedir() + target.slice(1);
  else if (target.startsWith('~')) return "another user's home directory";
  const resolved = path.resolve(state.cwd, expanded);
  if (state.roots.some((root) => isInside(root, resolved))) return null;
  return path.isAbsolute(expanded) ? 'absolute path' : 'the path leaves the workspace';
}

/** Bodies of `$(...)` and `...` substitutions anywhere in the text, quoted or not. */
function substitutions(text: string): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '(') {
      let level = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') level++;
        else if (text[j] === ')' && --level === 0) break;
      }
      bodies.push(text.slice(i + 2, j));
      i = j;
    } else if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      bodies.push(text.slice(i + 1, end === -1 ? text.length : end));
      i = end === -1 ? text.length : end;
    }
  }
  return bodies;
}
