// The `contributes.languageModelTools` entries of package.json, derived from the one tool list:
// VS Code needs them declared statically, and a unit test keeps package.json equal to this
// (`node scripts/sync-lm-tools.mjs` rewrites them after `npx tsc -p .`).
import { TOOLS } from './index';
import { languageModelToolName } from './names';
import { inputJsonSchema } from './types';

export { languageModelToolName, toolNameOf } from './names';

const ICONS: Record<string, string> = {
  lint: '$(checklist)',
  validate: '$(pass)',
  status: '$(server-process)',
  doctor: '$(debug-alt)',
  catalog: '$(database)',
  query: '$(table)',
  golden_versions: '$(versions)',
  explain_rule: '$(book)',
  up: '$(play)',
  restart: '$(debug-restart)',
  apply_fixes: '$(wrench)',
};

export interface LanguageModelToolContribution {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  userDescription: string;
  modelDescription: string;
  icon: string;
  tags: string[];
  inputSchema: Record<string, unknown>;
  when?: string;
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

export function languageModelToolContributions(): LanguageModelToolContribution[] {
  return TOOLS.map((tool) => ({
    name: languageModelToolName(tool),
    displayName: `DuckStack: ${tool.title}`,
    toolReferenceName: languageModelToolName(tool),
    canBeReferencedInPrompt: true,
    userDescription: firstSentence(tool.description),
    modelDescription: tool.description,
    icon: ICONS[tool.name] ?? '$(tools)',
    tags: ['duckstack', tool.changesState ? 'changes-state' : 'read-only'],
    inputSchema: inputJsonSchema(tool),
    ...(tool.needsTrust ? { when: 'isWorkspaceTrusted' } : {}),
  }));
}
