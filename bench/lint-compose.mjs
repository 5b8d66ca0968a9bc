// Full lint of a generated 1,000-service compose file (every compose rule, fixes computed) against
// a bare `yaml` parse of the same text. Goal: lint at most 2x the parse. Prints, never asserts.
// Run after `npx tsc -p .` (it loads the compiled engine from out/).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatedCompose } from './lib/compose.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const enginePath = path.join(root, 'out', 'src', 'core', 'lint', 'engine.js');
if (!fs.existsSync(enginePath)) {
  console.error('out/src/core/lint/engine.js is missing: run `npx tsc -p .` first');
  process.exit(2);
}
const { lintText, loadProjectContext } = require(enginePath);
const { allRules } = require(path.join(root, 'out', 'src', 'core', 'rules', 'index.js'));
const YAML = require('yaml');

const SERVICES = 1000;
const RUNS = 7;

const { text } = generatedCompose({ services: SERVICES });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-lint-'));
try {
  fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
  fs.writeFileSync(path.join(dir, 'golden_versions.md'), '| Tool | Package / Image | Golden Version | Notes |\n|---|---|---|---|\n| PostgreSQL | postgres | 16 | |\n');
  const project = await loadProjectContext(dir);
  const file = path.join(dir, 'compose.yaml');

  const time = (fn) => {
    const started = process.hrtime.bigint();
    const result = fn();
    return [Number(process.hrtime.bigint() - started) / 1e6, result];
  };
  // Warm up both paths once so JIT compilation is not measured.
  YAML.parse(text);
  lintText({ file, text }, project, { ruleSet: allRules });

  const parseMs = [];
  const docMs = [];
  const lintMs = [];
  let findings = [];
  for (let i = 0; i < RUNS; i++) {
    parseMs.push(time(() => YAML.parse(text))[0]);
    docMs.push(time(() => YAML.parseDocument(text, { uniqueKeys: false }))[0]);
    const [ms, result] = time(() => lintText({ file, text }, project, { ruleSet: allRules }));
    lintMs.push(ms);
    findings = result;
  }
  const parse = median(parseMs);
  const lint = median(lintMs);
  console.log(`compose file: ${SERVICES} services, ${(text.length / 1024).toFixed(0)} KiB, ${findings.length} findings`);
  console.log(`bare yaml parse (YAML.parse), median of ${RUNS}: ${parse.toFixed(1)} ms`);
  console.log(`full lint (parse + all rules + fixes), median of ${RUNS}: ${lint.toFixed(1)} ms`);
  console.log(`ratio lint / parse: ${(lint / parse).toFixed(2)}x (goal: at most 2x)`);
  // The engine parses with the yaml package's quadratic duplicate-key check off (it checks keys
  // itself in linear time); against that cheaper parse alone the ratio is:
  const doc = median(docMs);
  console.log(`yaml parseDocument without uniqueKeys, median of ${RUNS}: ${doc.toFixed(1)} ms; ratio lint / that: ${(lint / doc).toFixed(2)}x`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
