// Shared by the validate tests: temp folders, scaffolded forks, looking up checks, and a small
// strict XML reader for the JUnit output.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planScaffold, writeScaffold, type OptionalService } from '../../../src/core/scaffold';
import type { Check, CheckStatus, ValidationReport } from '../../../src/core/validate';
import { PLATFORM_FIXTURES } from '../../harness/platformStack';

/** test/fixtures/validate, as the stack tests' harness names it. */
export const FIXTURES = PLATFORM_FIXTURES;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `duckstack-validate-${prefix}-`));
}

/** A fresh fork from the templates, with .env copied from .env.example as the README says. */
export async function scaffoldFork(dir: string, without: OptionalService[] = []): Promise<void> {
  const written = await writeScaffold(planScaffold({ dir, without }));
  assert.ok(written.ok, JSON.stringify(written));
  fs.copyFileSync(path.join(dir, '.env.example'), path.join(dir, '.env'));
}

export function check(report: ValidationReport, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id} in: ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** Asserts a check's status, showing the whole check when it differs. */
export function expectStatus(report: ValidationReport, id: string, status: CheckStatus): Check {
  const c = check(report, id);
  assert.equal(c.status, status, `${id}: ${JSON.stringify(c, null, 2)}`);
  return c;
}

/** An environment where no Docker engine answers. */
export function noDockerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: 'unix:///nonexistent/duckstack-validate.sock' };
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

function decode(text: string, where: string): string {
  const stray = text.replace(ENTITY, '').indexOf('&');
  if (stray >= 0) throw new Error(`unescaped & in ${where}`);
  if (/</.test(text)) throw new Error(`unescaped < in ${where}`);
  // XML 1.0 does not allow these control characters, escaped or not.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error(`control character in ${where}`);
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-fA-F]+);/g, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** Parses well-formed XML (declaration, elements, attributes, text; no DTD, CDATA or comments) or throws. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"]*")*)\\s*(/?)>`);
  const attr = new RegExp(`(${NAME})="([^"]*)"`, 'g');
  while (i < xml.length) {
    if (xml[i] === '<') {
      const m = tag.exec(xml.slice(i));
      if (!m) throw new Error(`malformed tag at offset ${i}: ${xml.slice(i, i + 40)}`);
      const [whole, closing, name, attrs, selfClosing] = m;
      i += whole.length;
      if (closing) {
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
        continue;
      }
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (const a of attrs.matchAll(attr)) {
        if (a[1] in element.attributes) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
        element.attributes[a[1]] = decode(a[2], `attribute ${a[1]} of <${name}>`);
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else if (root) throw new Error('more than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
    } else {
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`);
      } else stack[stack.length - 1].text += decode(text, `<${stack[stack.length - 1].name}>`);
      i = next < 0 ? xml.length : next;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
