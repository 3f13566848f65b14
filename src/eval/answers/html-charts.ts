/** Inline SVG charts for the HTML report: no scripts, no external assets. */

const BINS = 10;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Counts of values in [0, 0.1), [0.1, 0.2), … [0.9, 1.0]. */
export function histogram(values: readonly number[]): number[] {
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) {
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor(v * BINS)));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts;
}

/** A labelled 10-bin histogram of scores in [0, 1], with the mean marked. */
export function histogramSvg(title: string, values: readonly number[]): string {
  const counts = histogram(values);
  const width = 280;
  const height = 150;
  const left = 28;
  const top = 22;
  const plotW = width - left - 8;
  const plotH = height - top - 28;
  const max = Math.max(1, ...counts);
  const barW = plotW / BINS;
  const bars = counts
    .map((n, i) => {
      const h = (n / max) * plotH;
      const x = left + i * barW;
      const y = top + plotH - h;
      const label = n > 0 ? `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" class="n">${n}</text>` : '';
      return `<rect x="${(x + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${(i / BINS).toFixed(1)}–${((i + 1) / BINS).toFixed(1)}: ${n}</title></rect>${label}`;
    })
    .join('');
  const mean = values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const meanX = left + mean * plotW;
  const axisY = top + plotH;
  return [
    `<svg class="hist" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)} distribution">`,
    `<text x="${left}" y="14" class="t">${escapeHtml(title)} (n=${values.length}, mean ${mean.toFixed(3)})</text>`,
    bars,
    `<line x1="${left}" y1="${axisY}" x2="${left + plotW}" y2="${axisY}" class="axis"/>`,
    `<line x1="${meanX.toFixed(1)}" y1="${top}" x2="${meanX.toFixed(1)}" y2="${axisY}" class="mean"/>`,
    `<text x="${left}" y="${axisY + 14}" class="n">0</text><text x="${left + plotW / 2}" y="${axisY + 14}" class="n">0.5</text><text x="${left + plotW}" y="${axisY + 14}" class="n">1</text>`,
    '</svg>',
  ].join('');
}

/** A horizontal bar for a mean in [0, 1]. */
export function meanBar(mean: number, good: boolean): string {
  const w = Math.round(Math.min(1, Math.max(0, mean)) * 120);
  return `<svg class="bar" viewBox="0 0 120 10" width="120" height="10" aria-hidden="true"><rect width="120" height="10" class="track"/><rect width="${w}" height="10" class="${good ? 'fill' : 'fill bad'}"/></svg>`;
}
