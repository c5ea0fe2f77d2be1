import { SANDBOX_MODES } from '../domain/enums.js';
import { enumValues } from './enumValues.js';
import { DEFAULT_SANDBOX_POLICY, type SandboxPolicy } from '../domain/records.js';
import { DEFAULT_RESOURCE_LIMITS } from '../engine/tools/resourceLimits.js';
import { describeSandbox, detectSandbox, type SandboxSupport } from '../engine/tools/sandbox.js';
import { builder } from './builder.js';
import { registerZodEnum } from './zodFields.js';

export const SandboxModeEnum = builder.enumType('SandboxMode', {
  description: 'What a shell command may touch. The guarantee is bubblewrap (bwrap); the text policy is only a first screen.',
  values: enumValues(SANDBOX_MODES, {
    READ_ONLY: 'Everything read-only except a private /tmp; a new pid namespace; network only with networkAccess.',
    WORKSPACE_WRITE: 'As READ_ONLY, and the workspace writable (its .git/hooks and .git/config stay read-only). The default.',
    FULL_ACCESS: 'No sandbox and no text policy: the command runs as the server user with network. What trustMode grants.',
  }),
});

registerZodEnum(SANDBOX_MODES, SandboxModeEnum);

export const SandboxPolicyRef = builder.objectRef<SandboxPolicy>('SandboxPolicy').implement({
  description: 'The policy one shell command runs under.',
  fields: (t) => ({
    mode: t.field({ type: SandboxModeEnum, description: 'What the command may write.', resolve: (p) => p.mode }),
    networkAccess: t.exposeBoolean('networkAccess', { description: 'Whether the command shares the host network (always true for FULL_ACCESS).' }),
  }),
});

export const SandboxInfoRef = builder.objectRef<SandboxSupport>('SandboxInfo').implement({
  description: 'The sandbox shell commands run in on this server.',
  fields: (t) => ({
    available: t.exposeBoolean('available', {
      description: 'bwrap runs and can create its namespaces. When false, shell commands are refused unless their policy is FULL_ACCESS.',
    }),
    version: t.exposeString('version', {
      nullable: true,
      description: 'The bubblewrap version, e.g. `bubblewrap 0.8.0`; null when bwrap is missing.',
    }),
    userNamespace: t.exposeBoolean('userNamespace', {
      description: 'Commands run in a user namespace of their own (capabilities only inside it); false: as root with all capabilities dropped.',
    }),
    problem: t.exposeString('problem', { nullable: true, description: 'Why the sandbox is unavailable, and the fix.' }),
    resourceLimits: t.string({
      description: '`cgroup-v2` or `cgroup-v1`: memory and process count limited per command; `rlimit`: only address space per process.',
      resolve: (s) => s.limits.mechanism,
    }),
    memoryLimitBytes: t.field({
      type: 'SafeInt',
      description: 'Memory one command may use, all its processes together.',
      resolve: () => DEFAULT_RESOURCE_LIMITS.memoryBytes,
    }),
    maxProcesses: t.int({ description: 'Processes and threads one command may have at once.', resolve: () => DEFAULT_RESOURCE_LIMITS.maxProcesses }),
    defaultPolicy: t.field({ type: SandboxPolicyRef, description: 'The policy of threads that set none.', resolve: () => DEFAULT_SANDBOX_POLICY }),
    summary: t.string({ description: 'One line, as in the start-up log.', resolve: (s) => describeSandbox(s) }),
  }),
});
