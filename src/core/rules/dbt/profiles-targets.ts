import { isMap, isScalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { deref, range } from './yaml-walk';

const REQUIRED_TARGETS = ['dev', 'test', 'prod'];

export const dbtProfilesTargets: Rule = {
  id: 'dbt-profiles-targets',
  meta: {
    description: 'Every dbt profile has the three targets dev, test and prod.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['dbtProfiles'],
    messages: {
      missingTargets: 'Profile {{profile}} has no {{missing}} target (the platform uses dev, test and prod).',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc || !isMap(doc.contents)) return [];
    const reports: Report[] = [];
    for (const profile of doc.contents.items) {
      if (!isScalar(profile.key) || profile.key.value === 'config') continue;
      const profileMap = deref(doc, profile.value);
      if (!isMap(profileMap)) continue;
      const outputs = deref(doc, profileMap.get('outputs', true));
      const names = new Set(isMap(outputs) ? outputs.items.map((t) => (isScalar(t.key) ? String(t.key.value) : '')) : []);
      const missing = REQUIRED_TARGETS.filter((t) => !names.has(t));
      if (missing.length === 0) continue;
      const [start, end] = range(profile.key);
      reports.push({ messageId: 'missingTargets', data: { profile: String(profile.key.value), missing: missing.join(', ') }, start, end });
    }
    return reports;
  },
};
