// Where a lint runs decides whether it judges the working copy (a missing .env, which is never
// committed): in a developer's checkout it does, in CI it does not. CI services (GitHub Actions,
// GitLab CI, CircleCI, Travis, Buildkite, Azure Pipelines' agents…) set CI.

/** The CI variable is set to something other than empty, false or 0. */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}
