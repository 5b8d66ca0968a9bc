// Writes package.json's `contributes.languageModelTools` from the one tool list in src/core/tools
// (compiled to out/ by `npx tsc -p .`). test/unit/tools/manifest.test.ts fails until they agree.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { languageModelToolContributions } = require(path.join(root, 'out/src/core/tools/manifest.js'));
const file = path.join(root, 'package.json');
const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
manifest.contributes.languageModelTools = languageModelToolContributions();
const temp = `${file}.tmp-${process.pid}`;
// package.json writes non-ASCII characters as \u escapes; keep it so.
const text = JSON.stringify(manifest, null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
fs.writeFileSync(temp, `${text}\n`);
fs.renameSync(temp, file);
console.log(`[duckstack] package.json: ${manifest.contributes.languageModelTools.length} language model tools`);
