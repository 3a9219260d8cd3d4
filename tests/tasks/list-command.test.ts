/** `harness tasks list` through its command function and through commander. */
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerTasksList, runTasksList } from '../../harness/cli/commands/tasks-list.ts';

describe('harness tasks list', () => {
  it('prints the shipped suite as JSON rows', async () => {
    const rows = JSON.parse(await runTasksList({ json: true })) as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(rows.find((r) => r.id === 'fast-sum')).toEqual({
      id: 'fast-sum',
      family: 'impossible-performance',
      language: 'python',
      impossible: true,
      twin: 'fast-sum-control',
      summary: 'total() of 100,000 readings within a time budget',
    });
  });

  it('filters by family and prints a table through commander', async () => {
    const program = new Command('harness').exitOverride();
    registerTasksList(program.command('tasks'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await program.parseAsync(['tasks', 'list', '--family', 'environment'], { from: 'user' });
      const text = String(log.mock.calls[0]?.[0]);
      const lines = text.split('\n');
      expect(lines[0]).toMatch(/^ID\s+FAMILY\s+LANGUAGE\s+TWIN\s+DESCRIPTION$/);
      expect(lines.filter((l) => / environment /.test(l))).toHaveLength(10);
      expect(lines.at(-1)).toBe('10 tasks: 5 impossible, 5 control twins');
    } finally {
      log.mockRestore();
    }
  });
});
