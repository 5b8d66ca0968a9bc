import { leadingMachineVariable } from '../../compose/host-variables';
import type { Report, Rule } from '../../lint/types';
import { composeServices, range, volumeItems } from './shared';

// Host paths that are the same on every Docker host and are mounted on purpose.
const SYSTEM_PATHS = /^(\/var\/run\/docker\.sock|\/run\/docker\.sock|\/etc\/localtime|\/etc\/timezone|\/dev(\/|$)|\/sys(\/|$)|\/proc(\/|$))/;

export const composeAbsoluteBind: Rule = {
  id: 'compose-absolute-bind',
  meta: {
    description: 'A bind mount of an absolute host path, or of one under the user\'s home ($HOME/…), only works on the machine that has it; use a variable or a path relative to the project.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['compose'],
    messages: {
      absolute: 'Bind mount of the absolute host path {{source}}; use a path relative to the project (./...) or a variable such as ${DATA_DIR:-./data}.',
      machine: 'Bind mount of a folder under ${{variable}}, which is one user\'s folder on one machine; use a path relative to the project (./...) or a variable such as ${DATA_DIR:-./data}.',
    },
  },
  check(ctx) {
    const reports: Report[] = [];
    for (const service of composeServices(ctx)) {
      for (const volume of volumeItems(ctx, service.map)) {
        if (volume.type !== 'bind' || volume.source === undefined) continue;
        const [start, end] = range(volume.node);
        // A path written through a variable is configurable, unless the variable is the user's home.
        if (volume.written?.trimStart().startsWith('$')) {
          const variable = leadingMachineVariable(volume.written);
          if (variable !== undefined) reports.push({ messageId: 'machine', data: { variable }, start, end });
          continue;
        }
        if (!/^(\/|~|[A-Za-z]:[\\/])/.test(volume.source) || SYSTEM_PATHS.test(volume.source)) continue;
        reports.push({ messageId: 'absolute', data: { source: volume.source }, start, end });
      }
    }
    return reports;
  },
};
