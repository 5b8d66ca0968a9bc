import * as assert from 'node:assert/strict';
import { RefreshScheduler } from '../../../src/core/refresh/scheduler';

type Reason = 'manual' | 'files' | 'settings';

function scheduler(debounceMs = 30): { scheduler: RefreshScheduler<Reason>; runs: Array<Reason[]> } {
  const runs: Array<Reason[]> = [];
  const s = new RefreshScheduler<Reason>(
    async (reasons) => {
      runs.push([...reasons].sort());
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
    { debounceMs, immediate: new Set<Reason>(['manual']) },
  );
  return { scheduler: s, runs };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

suite('refresh scheduler (unit)', () => {
  test('a burst of reasons on a visible view is one refresh carrying them all', async () => {
    const { scheduler: s, runs } = scheduler();
    await s.setVisible(true);
    void s.request('files');
    void s.request('files');
    void s.request('settings');
    assert.deepEqual(runs, []);
    await wait(120);
    assert.deepEqual(runs, [['files', 'settings']]);
    s.dispose();
  });

  test('a manual refresh runs at once and resolves when it has run', async () => {
    const { scheduler: s, runs } = scheduler(10_000);
    await s.setVisible(true);
    void s.request('files');
    await s.request('manual');
    assert.deepEqual(runs, [['files', 'manual']]);
    s.dispose();
  });

  test('a hidden view runs nothing; shown, it catches up with ONE refresh', async () => {
    const { scheduler: s, runs } = scheduler();
    for (let i = 0; i < 5; i++) await s.request('files');
    await s.request('manual');
    await s.request('settings');
    await wait(100);
    assert.deepEqual(runs, []);
    assert.deepEqual([...s.waiting].sort(), ['files', 'manual', 'settings']);
    await s.setVisible(true);
    assert.deepEqual(runs, [['files', 'manual', 'settings']]);
    await s.setVisible(false);
    await s.setVisible(true);
    assert.equal(runs.length, 1, 'nothing held: showing again costs nothing');
    s.dispose();
  });

  test('the subjects of the reasons a refresh covers reach it once, and the next refresh starts without them', async () => {
    const runs: Array<{ reasons: Reason[]; subjects: string[] }> = [];
    const s = new RefreshScheduler<Reason>(
      async (reasons, subjects) => {
        runs.push({ reasons: [...reasons].sort(), subjects: [...subjects].sort() });
      },
      { debounceMs: 20, immediate: new Set<Reason>(['manual']) },
    );
    await s.request('files', 'file:///a/compose.yaml');
    await s.request('files', 'file:///b/.env');
    await s.request('files', 'file:///a/compose.yaml');
    await s.request('settings');
    await s.setVisible(true);
    await s.request('manual');
    assert.deepEqual(runs, [
      { reasons: ['files', 'settings'], subjects: ['file:///a/compose.yaml', 'file:///b/.env'] },
      { reasons: ['manual'], subjects: [] },
    ]);
    s.dispose();
  });

  test('flush runs what is held even while hidden; refreshes never overlap and a failure does not stop the next', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const s = new RefreshScheduler<Reason>(
      async () => {
        calls++;
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 20));
        active--;
        if (calls === 1) throw new Error('first refresh fails');
      },
      { debounceMs: 10, immediate: new Set<Reason>(['manual']) },
    );
    await s.request('files');
    await assert.rejects(s.flush(), /first refresh fails/);
    await s.setVisible(true);
    await Promise.all([s.request('manual'), s.request('manual').then(() => s.request('manual'))]);
    assert.equal(most, 1);
    assert.ok(calls >= 2);
    s.dispose();
  });
});
