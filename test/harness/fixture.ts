// The compose project of test/fixtures/workspace, which the extension-host and UI tests start on
// the one Docker engine of the machine. Its name and host port are this run's own, so two test
// runs at once never stop, recreate or count each other's containers, nor fight over the port.
// The harness puts them in the environment of code-server (the extension host, and the compose
// commands it runs, inherit it); the fixture's compose file reads them:
// `name: ${DUCKSTACK_FIXTURE_PROJECT:-duckstack-fixture}` and `"${WEB_PORT:-18080}:8080"`.
import { freePort } from './processes';

export interface FixtureProject {
  /** The compose project name (its containers' com.docker.compose.project label). */
  name: string;
  /** The host port its web service publishes. */
  port: number;
}

/** What the fixture's compose file resolves to in this process's environment (its defaults when unset). */
export function fixtureProject(env: NodeJS.ProcessEnv = process.env): FixtureProject {
  return { name: env.DUCKSTACK_FIXTURE_PROJECT ?? 'duckstack-fixture', port: Number(env.WEB_PORT ?? 18080) };
}

/** Gives this run its own fixture project (once per process; later calls keep it) and returns it. */
export async function useRunFixtureProject(): Promise<FixtureProject> {
  process.env.DUCKSTACK_FIXTURE_PROJECT ??= `duckstack-fixture-${process.pid}`;
  process.env.WEB_PORT ??= String(await freePort());
  return fixtureProject();
}
