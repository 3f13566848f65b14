import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/observability/metrics.js';

describe('the Grafana dashboard', () => {
  it('queries only series that Cairn exposes', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana/cairn-dashboard.json', import.meta.url), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const used = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(?:cairn|rag|process)_[a-z_]+/g) ?? [])));
    const exposed = await new Metrics().registry.getMetricsAsJSON();
    const names = new Set(exposed.flatMap((m) => [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`]));
    const missing = [...used].filter((n) => !names.has(n));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});
