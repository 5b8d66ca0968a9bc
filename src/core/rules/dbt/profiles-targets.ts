import { isScalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { dbtProfiles, range } from './yaml-walk';

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
    const reports: Report[] = [];
    for (const profile of dbtProfiles(ctx.yaml)) {
      const names = new Set(profile.outputs?.items.map((t) => (isScalar(t.key) ? String(t.key.value) : '')) ?? []);
      const missing = REQUIRED_TARGETS.filter((t) => !names.has(t));
      if (missing.length === 0) continue;
      const [start, end] = range(profile.key);
      reports.push({ messageId: 'missingTargets', data: { profile: profile.name, missing: missing.join(', ') }, start, end });
    }
    return reports;
  },
};
