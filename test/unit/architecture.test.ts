import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

suite('architecture (unit)', () => {
  test('src/core never imports vscode: the CLI and plain Node use it', () => {
    const offenders = sources(path.join(repo, 'src', 'core')).filter((file) =>
      /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(fs.readFileSync(file, 'utf8')),
    );
    assert.deepEqual(offenders.map((f) => path.relative(repo, f)), []);
  });

  test('the CLI bundle runs without vscode and lists its commands', () => {
    const cli = path.join(repo, 'src', 'cli.ts');
    const text = fs.readFileSync(cli, 'utf8');
    assert.doesNotMatch(text, /['"]vscode['"]/);
    for (const name of ['lint', 'status', 'up', 'down', 'restart', 'catalog', 'query', 'new', 'validate', 'doctor', 'impact', 'upgrade', 'update']) {
      assert.match(text, new RegExp(`\\b${name}: \\{`), `duckstack ${name} is not registered in src/cli.ts`);
    }
  });
});
