import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { needsApproval, parseToolArguments, TOOL_NAMES, toolArgumentSchemas, toolDefinitions, toolsFor } from '../src/engine/tools/definitions.js';
import { ToolError } from '../src/engine/tools/toolError.js';

const names = (tools: ChatCompletionTool[]) => tools.map((t) => (t.type === 'function' ? t.function.name : t.custom.name));

describe('tool definitions', () => {
  it('offers the shell only when allowed', () => {
    const withShell: ChatCompletionTool[] = toolsFor({ allowShell: true });
    const withoutShell: ChatCompletionTool[] = toolsFor({ allowShell: false });
    expect(names(withShell)).toEqual([
      'read_file',
      'list_dir',
      'search_files',
      'write_file',
      'apply_patch',
      'shell',
      'update_checklist',
      'update_plan',
    ]);
    expect(names(withoutShell)).not.toContain('shell');
    expect(withoutShell).toHaveLength(7);
  });

  it('describes every tool with an object JSON schema matching its zod schema', () => {
    for (const name of TOOL_NAMES) {
      const { function: fn, type } = toolDefinitions[name];
      expect(type).toBe('function');
      expect(fn.name).toBe(name);
      expect(fn.description.length).toBeGreaterThan(10);
      const parameters = fn.parameters as { type: string; properties: Record<string, unknown>; required: string[] };
      expect(parameters.type).toBe('object');
      const zodShape = Object.keys(toolArgumentSchemas[name].shape);
      expect(Object.keys(parameters.properties).sort()).toEqual([...zodShape].sort());
      for (const field of parameters.required) expect(zodShape).toContain(field);
    }
  });

  it('gives the model the JSON Schema the hand-written definitions gave, now generated from the zod schemas', () => {
    // test/fixtures/toolDefinitions.json: the definitions as they were written by hand before z.toJSONSchema.
    const before = JSON.parse(readFileSync(new URL('./fixtures/toolDefinitions.json', import.meta.url), 'utf8')) as typeof toolDefinitions;
    // What generation adds, each a rule the argument parser already enforced (non-empty strings, the
    // justification's length), by path in the parameters.
    const tightened: Record<string, Record<string, number>> = {
      read_file: { 'properties.path.minLength': 1 },
      search_files: { 'properties.pattern.minLength': 1 },
      write_file: { 'properties.path.minLength': 1 },
      apply_patch: { 'properties.patch.minLength': 1 },
      shell: { 'properties.command.minLength': 1, 'properties.justification.maxLength': 2000 },
      update_checklist: { 'properties.items.items.properties.text.minLength': 1 },
      update_plan: { 'properties.steps.items.properties.step.minLength': 1 },
    };
    for (const name of TOOL_NAMES) {
      const expected = structuredClone(before[name]);
      const parameters = expected.function.parameters;
      for (const [path, value] of Object.entries(tightened[name] ?? {})) {
        const keys = path.split('.');
        const last = keys.pop()!;
        const node = keys.reduce((at, key) => at[key] as Record<string, unknown>, parameters as Record<string, unknown>);
        node[last] = value;
      }
      expect(toolDefinitions[name], name).toEqual(expected);
    }
  });

  it('needs approval for the tools that change things', () => {
    expect(['write_file', 'apply_patch', 'shell'].every(needsApproval)).toBe(true);
    expect(['read_file', 'list_dir', 'search_files', 'update_checklist', 'update_plan'].some(needsApproval)).toBe(false);
  });
});

describe('parseToolArguments', () => {
  it('returns typed arguments', () => {
    const call = parseToolArguments('read_file', '{"path":"src/a.ts","offset":10}');
    expect(call).toEqual({ name: 'read_file', args: { path: 'src/a.ts', offset: 10, limit: undefined } });
    if (call.name === 'read_file') expect(call.args.path).toBe('src/a.ts');
    expect(parseToolArguments('shell', '{"command":"ls","timeoutMs":null}').args).toEqual({ command: 'ls', timeoutMs: undefined });
    expect(parseToolArguments('list_dir', '').args).toEqual({ path: undefined });
    expect(parseToolArguments('update_plan', '{"steps":[{"step":"a","status":"in_progress"}]}').args).toEqual({
      steps: [{ step: 'a', status: 'in_progress' }],
    });
    expect(parseToolArguments('update_checklist', '{"items":[{"text":"a","done":true}],"extra":1}').args).toEqual({
      items: [{ text: 'a', done: true }],
    });
  });

  it('refuses unknown tools', () => {
    expect(() => parseToolArguments('rm_rf', '{}')).toThrow(ToolError);
    expect(() => parseToolArguments('rm_rf', '{}')).toThrow(/unknown tool rm_rf; available tools: read_file, /);
    expect(() => parseToolArguments('toString', '{}')).toThrow(/unknown tool/);
  });

  it('refuses bad JSON and non-objects', () => {
    expect(() => parseToolArguments('read_file', '{"path":')).toThrow(/invalid JSON in the arguments of read_file/);
    expect(() => parseToolArguments('read_file', '["a"]')).toThrow(/must be a JSON object/);
    expect(() => parseToolArguments('read_file', 'null')).toThrow(/must be a JSON object/);
  });

  it('names missing and invalid fields', () => {
    expect(() => parseToolArguments('write_file', '{"path":"a"}')).toThrow('invalid arguments for write_file: content: is required');
    expect(() => parseToolArguments('read_file', '{"path":"","offset":0}')).toThrow(/path: must not be empty; offset: Too small/);
    expect(() => parseToolArguments('read_file', '{"path":"a","offset":1.5}')).toThrow(/offset: Invalid input: expected int/);
    expect(() => parseToolArguments('shell', '{"command":"ls","timeoutMs":100000000}')).toThrow(/timeoutMs: Too big/);
    expect(() => parseToolArguments('update_plan', '{"steps":[{"step":"a","status":"done"}]}')).toThrow(/steps\.0\.status: Invalid option/);
    expect(() => parseToolArguments('update_checklist', '{"items":[{"text":"a"}]}')).toThrow(
      'invalid arguments for update_checklist: items.0.done: is required',
    );
  });
});
