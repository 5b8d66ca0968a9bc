// The Create Platform Fork prompts that need more than one input box: the optional services and
// the host ports (defaults shown, any one changed, busy ports marked).
import * as vscode from 'vscode';
import {
  OPTIONAL_SERVICES,
  PORT_SERVICES,
  isOptionalService,
  isPortInUse,
  validatePort,
  type OptionalService,
  type PortService,
  type ResolvedOptions,
} from '../core/scaffold';

const SERVICE_LABELS: Record<OptionalService, string> = {
  cube: 'Cube.js semantic layer (05_cube/)',
  jupyter: 'Jupyter notebooks (07_notebooks/)',
};

/** The host ports of the services the fork keeps. */
export function enabledPorts(options: ResolvedOptions): Record<string, number> {
  return Object.fromEntries(
    Object.entries(options.ports).filter(([service]) => !isOptionalService(service) || options.enabled[service]),
  );
}

/** Multi-select of the optional services, all picked; resolves to those left out. */
export async function pickOptionalServices(title: string): Promise<OptionalService[] | undefined> {
  const items = OPTIONAL_SERVICES.map((service) => ({ label: service, description: SERVICE_LABELS[service], picked: true, service }));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Optional services to include (uncheck to leave one out)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (picked === undefined) return undefined;
  return OPTIONAL_SERVICES.filter((service) => !picked.some((item) => item.service === service));
}

interface PortItem extends vscode.QuickPickItem {
  service?: PortService;
}

/**
 * The host ports: a list with every kept service and its port (busy ones marked) and an accept
 * entry; picking a service asks for its new port. Resolves to the ports, or undefined when cancelled.
 */
export async function pickPorts(title: string, without: readonly OptionalService[]): Promise<Partial<Record<PortService, number>> | undefined> {
  const services = (Object.keys(PORT_SERVICES) as PortService[]).filter((s) => !(isOptionalService(s) && without.includes(s)));
  const ports = Object.fromEntries(services.map((s) => [s, PORT_SERVICES[s].defaultPort])) as Record<PortService, number>;
  for (;;) {
    const busy = await Promise.all(services.map((s) => isPortInUse(ports[s])));
    const busyCount = busy.filter(Boolean).length;
    const items: PortItem[] = [
      {
        label: '$(check) Use these ports',
        detail: busyCount > 0 ? `${busyCount} port(s) already in use on this machine: the service(s) will not start until they are free.` : undefined,
      },
      { label: 'Change a port', kind: vscode.QuickPickItemKind.Separator },
      ...services.map((service, i): PortItem => ({
        label: `${busy[i] ? '$(warning)' : '$(plug)'} ${service}`,
        description: `${ports[service]}${ports[service] === PORT_SERVICES[service].defaultPort ? ' (default)' : ''}`,
        detail: busy[i] ? `Port ${ports[service]} is already in use on this machine.` : undefined,
        service,
      })),
    ];
    const choice = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Host ports: accept them, or pick a service to change its port (set in .env later too)',
      ignoreFocusOut: true,
    });
    if (choice === undefined) return undefined;
    const service = choice.service;
    if (service === undefined) return ports;
    const value = await vscode.window.showInputBox({
      title,
      prompt: `Host port of ${service} (default ${PORT_SERVICES[service].defaultPort}, variable ${PORT_SERVICES[service].variable})`,
      value: String(ports[service]),
      ignoreFocusOut: true,
      validateInput: (text) => {
        const problem = validatePort(service, text)[0];
        if (problem) return problem;
        const other = services.find((s) => s !== service && ports[s] === Number(text));
        return other ? `Port ${text} is already given to ${other}.` : undefined;
      },
    });
    if (value !== undefined) ports[service] = Number(value);
  }
}
