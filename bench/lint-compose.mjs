// Full lint of a generated 1,000-service compose file (every compose rule, fixes computed) against
// a bare `yaml` parse of the same text. Goal: lint at most 2x the parse. Prints, never asserts.
// Run after `npx tsc -p .` (it loads the compiled engine from out/).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

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

// Realistic services: half follow the guide, half break a rule or two.
function service(i) {
  const good = i % 2 === 0;
  return [
    `  svc${i}:`,
    `    image: ${good ? 'postgres:16' : 'postgres:latest'}`,
    '    restart: unless-stopped',
    '    environment:',
    `      POSTGRES_PASSWORD: ${good ? '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}' : 'changeme'}`,
    `      APP_URL: "http://svc${i}:${8000 + i}/api"`,
    '    ports:',
    `      - "${good ? `\${SVC${i}_PORT:-${10000 + i}}` : 10000 + i}:5432"`,
    '    volumes:',
    `      - ${good ? `svc${i}_data:/var/lib/postgresql/data` : '/var/lib/postgresql/data'}`,
    `      - ./config/svc${i}:/etc/svc:ro`,
    ...(good ? ['    healthcheck:', '      test: ["CMD", "pg_isready"]', '      interval: 10s'] : []),
    ...(i > 0 ? (good ? ['    depends_on:', `      svc${i - 2 < 0 ? 0 : i - 2}:`, '        condition: service_healthy'] : ['    depends_on:', `      - svc${i - 1}`]) : []),
    '    networks: [platform]',
  ].join('\n');
}
const text = `services:\n${Array.from({ length: SERVICES }, (_, i) => service(i)).join('\n')}\nnetworks:\n  platform: {}\n`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-lint-'));
try {
  fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
  fs.writeFileSync(path.join(dir, 'golden_versions.md'), '| Tool | Package / Image | Golden Version | Notes |\n|---|---|---|---|\n| PostgreSQL | postgres | 16 | |\n');
  const project = await loadProjectContext(dir);
  const file = path.join(dir, 'compose.yaml');

  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
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
