// The generated compose file the lint benches measure (bench:lint, bench:lint-scale): realistic
// services, half following the guide and half breaking a rule or two (fixable and not), with the
// named volumes and the network they use declared at the end.

/** Service number i: even ones follow the guide, odd ones do not. */
function service(i) {
  const good = i % 2 === 0;
  return [
    `  svc${i}:`,
    `    image: ${good ? 'postgres:16' : 'postgres:15'}`,
    '    restart: unless-stopped',
    '    environment:',
    `      POSTGRES_PASSWORD: ${good ? '${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}' : 'changeme'}`,
    `      APP_URL: "http://svc${i}:${8000 + (i % 1000)}/\${API_PATH}"`,
    '    ports:',
    `      - "${good ? `\${SVC${i}_PORT:-${10000 + (i % 50000)}}` : 10000 + (i % 50000)}:5432"`,
    '    volumes:',
    `      - ${good ? `svc${i}_data:/var/lib/postgresql/data` : '/var/lib/postgresql/data'}`,
    `      - ./config/svc${i}:/etc/svc:ro`,
    ...(good ? ['    healthcheck:', '      test: ["CMD", "pg_isready"]', '      interval: 10s'] : []),
    ...(i > 0 ? (good ? ['    depends_on:', `      svc${i - 2 < 0 ? 0 : i - 2}:`, '        condition: service_healthy'] : ['    depends_on:', `      - svc${i - 1}`]) : []),
    '    networks: [platform]',
    '',
  ].join('\n');
}

/**
 * A compose file of `services` services, or, with `bytes`, cut at the first whole service that
 * reaches that size. Returns its text and how many services it has.
 */
export function generatedCompose({ services, bytes }) {
  const parts = ['services:\n'];
  let size = parts[0].length;
  let count = 0;
  for (let i = 0; services !== undefined ? i < services : size < bytes; i++) {
    const s = service(i);
    parts.push(s);
    size += s.length;
    count++;
  }
  const volumes = Array.from({ length: count }, (_, i) => i).filter((i) => i % 2 === 0).map((i) => `  svc${i}_data: {}\n`).join('');
  parts.push(`volumes:\n${volumes}networks:\n  platform: {}\n`);
  return { text: parts.join(''), services: count };
}
