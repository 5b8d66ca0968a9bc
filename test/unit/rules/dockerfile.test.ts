import { dockerfileBiDuckdbReadonly } from '../../../src/core/rules/dockerfile/bi-duckdb-readonly';
import { dockerfileFromTag } from '../../../src/core/rules/dockerfile/from-tag';
import { dockerfilePythonVersion } from '../../../src/core/rules/dockerfile/python-version';
import { golden } from './context';
import { runRuleTests } from './tester';

const noPythonGolden = golden([['Dagster', ['dagster'], '1.9.1']]);

runRuleTests(dockerfileFromTag, 'dockerfile', {
  valid: [
    { code: 'FROM python:3.11-slim\nRUN pip install dagster==1.9.1\n' },
    { code: 'FROM python:3.11-slim AS build\nFROM build\n', name: 'a FROM naming an earlier stage' },
    { code: 'FROM scratch\nCOPY app /app\n' },
    { code: 'FROM python@sha256:abc123\n', name: 'a digest pins the image' },
    { code: 'ARG PY=3.11\nFROM python:${PY}-slim\n', name: 'an ARG default supplies the tag' },
    { code: 'FROM ${BASE_IMAGE}\n', name: 'an ARG with no default cannot be judged' },
    { code: '# FROM python:latest\nFROM --platform=linux/amd64 python:3.11\n' },
    { code: '' },
  ],
  invalid: [
    {
      code: 'FROM python\nRUN true\n',
      errors: [{ messageId: 'noTag', line: 0, column: 5, text: 'python' }],
      output: 'FROM python:3.11\nRUN true\n',
    },
    {
      code: 'FROM python:latest AS base\n',
      errors: [{ messageId: 'movingTag', line: 0, column: 5, text: 'python:latest' }],
      output: 'FROM python:3.11 AS base\n',
    },
    {
      code: 'FROM node:lts\n',
      name: 'a moving tag of an image not in golden_versions.md has no fix',
      errors: [{ messageId: 'movingTag', line: 0, column: 5 }],
    },
    {
      code: 'FROM python:3.11 AS build\nRUN pip wheel .\n\nFROM \\\n  --platform=linux/amd64 \\\n  ubuntu\n',
      name: 'a continued FROM line',
      errors: [{ messageId: 'noTag', line: 5, column: 2, text: 'ubuntu' }],
    },
    {
      code: 'ARG TAG=latest\nFROM python:${TAG}\n',
      name: 'an ARG default that is a moving tag (no fix: the ARG holds it)',
      errors: [{ messageId: 'movingTag', line: 1, column: 5, text: 'python:${TAG}' }],
    },
  ],
});

runRuleTests(dockerfilePythonVersion, 'dockerfile', {
  valid: [
    { code: 'FROM python:3.11-slim\n' },
    { code: 'FROM python:3.11.9-slim-bookworm\n', name: 'a patch of the golden minor' },
    { code: 'FROM postgres:16\n' },
    { code: 'FROM python:3.9\n', name: 'agrees with the project when there is no golden Python', options: { golden: noPythonGolden, dockerfiles: [{ file: '/project/b/Dockerfile', text: 'FROM python:3.9\n' }] } },
    { code: 'FROM python:3.9\n', name: 'a lone Dockerfile with no golden Python', options: { golden: noPythonGolden } },
  ],
  invalid: [
    {
      code: 'FROM python:3.9-slim AS base\n',
      errors: [{ messageId: 'notGolden', line: 0, column: 5, text: 'python:3.9-slim' }],
      output: 'FROM python:3.11-slim AS base\n',
    },
    {
      code: 'FROM python:3.1\n',
      name: '3.1 is not a patch of 3.11',
      errors: [{ messageId: 'notGolden', line: 0, column: 5 }],
      output: 'FROM python:3.11\n',
    },
    {
      code: 'FROM python:3.8\n',
      name: 'differs from the majority of the project',
      options: {
        golden: noPythonGolden,
        file: 'superset/Dockerfile',
        dockerfiles: [
          { file: '/project/dagster/Dockerfile', text: 'FROM python:3.11\n' },
          { file: '/project/dbt/Dockerfile', text: 'FROM python:3.11-slim\n' },
        ],
      },
      errors: [{ messageId: 'proliferation', line: 0, column: 5 }],
      output: 'FROM python:3.11\n',
    },
    {
      code: 'FROM python:3.9\n',
      name: 'a tie goes to the higher version',
      options: { golden: noPythonGolden, file: 'a/Dockerfile', dockerfiles: [{ file: '/project/b/Dockerfile', text: 'FROM python:3.11\n' }] },
      errors: [{ messageId: 'proliferation', line: 0, column: 5 }],
      output: 'FROM python:3.11\n',
    },
    {
      code: 'FROM python:3.12-slim\n',
      name: 'newer than golden: no fix, since it would downgrade',
      errors: [{ messageId: 'ahead', line: 0, column: 5, text: 'python:3.12-slim' }],
    },
    {
      code: 'FROM python:3.12\n',
      name: 'newer than the project majority: flagged, no fix to a lower version',
      options: {
        golden: noPythonGolden,
        file: 'superset/Dockerfile',
        dockerfiles: [
          { file: '/project/dagster/Dockerfile', text: 'FROM python:3.11\n' },
          { file: '/project/dbt/Dockerfile', text: 'FROM python:3.11-slim\n' },
        ],
      },
      errors: [{ messageId: 'proliferation', line: 0, column: 5 }],
    },
  ],
});

runRuleTests(dockerfileBiDuckdbReadonly, 'dockerfile', {
  valid: [
    { code: 'FROM apache/superset:5.0.0\nRUN superset set_database_uri -d DW -u "duckdb:////app/db/mart.duckdb?access_mode=read_only"\n' },
    { name: 'not a BI image', code: 'FROM python:3.11-slim\nRUN python -c "import duckdb" && echo duckdb:///data/dev.duckdb\n' },
    { name: 'a comment', code: 'FROM apache/superset:5.0.0\n# superset set_database_uri -d DW -u duckdb:///x.duckdb\n' },
    { name: 'a builder stage of another image', code: 'FROM python:3.11 AS seed\nRUN echo duckdb:///seed.duckdb\nFROM apache/superset:5.0.0\n' },
  ],
  invalid: [
    {
      name: 'a connection registered at build time (a public portable data stack)',
      code: 'FROM apache/superset:3.1.3\nUSER superset\nRUN superset set_database_uri -d DW  -u duckdb:///superset_home/db/datamart.duckdb\nRUN superset set_database_uri -d X -u \'duckdb:////data/x.duckdb?threads=2\'\n',
      errors: [
        { messageId: 'uri', line: 2, column: 40, text: 'duckdb:///superset_home/db/datamart.duckdb' },
        { messageId: 'uri', line: 3, column: 39, text: 'duckdb:////data/x.duckdb?threads=2' },
      ],
      output: 'FROM apache/superset:3.1.3\nUSER superset\nRUN superset set_database_uri -d DW  -u duckdb:///superset_home/db/datamart.duckdb?access_mode=read_only\nRUN superset set_database_uri -d X -u \'duckdb:////data/x.duckdb?threads=2&access_mode=read_only\'\n',
    },
  ],
});
