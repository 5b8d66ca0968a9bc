import { isMap, isScalar, type Scalar } from 'yaml';
import { leadingMachineVariable } from '../../compose/host-variables';
import { isAbsoluteHostPath } from '../../fs/paths';
import type { Report, Rule, RuleContext } from '../../lint/types';
import { getNode, scalarText } from '../../yaml/ast';
import { composeServices, interpolated, range, volumeItems, type ServiceNode } from './shared';

// Host paths that are the same on every Docker host and are mounted on purpose: the engine's
// socket, the clock, devices, and the shared temporary folder (Dagster's io_manager_storage).
const SYSTEM_PATHS = /^(\/var\/run\/docker\.sock|\/run\/docker\.sock|\/etc\/localtime|\/etc\/timezone|\/dev(\/|$)|\/sys(\/|$)|\/proc(\/|$)|\/tmp(\/|$))/;

/** The build context and Dockerfile paths a service names (short `build: dir` or the long form). */
function buildPaths(ctx: RuleContext, service: ServiceNode): Scalar[] {
  const doc = ctx.yaml;
  const build = doc ? getNode(doc, service.map, 'build') : undefined;
  if (!doc || build === undefined) return [];
  if (isScalar(build)) return [build];
  if (!isMap(build)) return [];
  return ['context', 'dockerfile'].map((k) => getNode(doc, build, k)).filter((n): n is Scalar => isScalar(n));
}

export const composeAbsoluteBind: Rule = {
  id: 'compose-absolute-bind',
  meta: {
    description: 'A bind mount or build path that is absolute on the host, or under the user\'s home ($HOME/…), only works on the machine that has it; use a variable or a path relative to the project.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['compose'],
    messages: {
      absolute: 'Bind mount of the absolute host path {{source}}; use a path relative to the project (./...) or a variable such as ${DATA_DIR:-./data}.',
      machine: 'Bind mount of a folder under ${{variable}}, which is one user\'s folder on one machine; use a path relative to the project (./...) or a variable such as ${DATA_DIR:-./data}.',
      build: 'Build path {{source}} is one machine\'s layout; use a path relative to the project (./...).',
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
        if (!isAbsoluteHostPath(volume.source) || SYSTEM_PATHS.test(volume.source)) continue;
        reports.push({ messageId: 'absolute', data: { source: volume.source }, start, end });
      }
      // The Dockerfile of a build (a Dockerfile path inside the context is relative to it; a URL or an inline Dockerfile is not a path).
      for (const node of buildPaths(ctx, service)) {
        const written = scalarText(node);
        if (written === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(written)) continue;
        const machine = leadingMachineVariable(written) !== undefined;
        const value = interpolated(ctx, written);
        if (!machine && (written.trimStart().startsWith('$') || !isAbsoluteHostPath(value))) continue;
        const [start, end] = range(node);
        reports.push({ messageId: 'build', data: { source: written }, start, end });
      }
    }
    return reports;
  },
};
