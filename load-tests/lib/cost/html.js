'use strict';
/** The cost run as one self-contained HTML page: the tables and bar charts (inline SVG, no scripts). */
const fs = require('node:fs');

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Horizontal bars, one per label; `mark` draws a vertical reference line (the bare SDK call). */
function barChart(title, items, unit, mark) {
  const width = 720;
  const labelWidth = 170;
  const barHeight = 18;
  const max = Math.max(...items.map((i) => i.value || 0), mark?.value || 0) || 1;
  const scale = (v) => ((width - labelWidth - 70) * v) / max;
  const bars = items
    .map((item, n) => {
      const y = 24 + n * (barHeight + 6);
      const w = Math.max(1, scale(item.value || 0));
      return (
        `<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${esc(item.label)}</text>` +
        `<rect x="${labelWidth}" y="${y}" width="${w}" ` +
        `height="${barHeight}" fill="${item.color || '#4a78c2'}"/><text x="${labelWidth + w + 4}" ` +
        `y="${y + 13}">${item.value ?? '-'} ${unit}</text>`
      );
    })
    .join('');
  const height = 30 + items.length * (barHeight + 6);
  const line = mark
    ? `<line x1="${labelWidth + scale(mark.value)}" x2="${labelWidth + scale(mark.value)}" y1="18" y2="${height}" stroke="#c33" ` +
      `stroke-dasharray="4 3"/><text x="${labelWidth + scale(mark.value) + 3}" y="14" fill="#c33">${esc(mark.label)}</text>`
    : '';
  return `<h2>${esc(title)}</h2><svg width="${width}" height="${height}" font-family="sans-serif" font-size="12">${bars}${line}</svg>`;
}

function table(rows, columns) {
  const head = columns.map(([, label]) => `<th>${esc(label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map(([key]) => `<td>${esc(r[key] ?? '-')}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function writeHtml(file, { title, rows, bundles, columns, bundleColumns, loadavg, bundled }) {
  const bare = rows.find((r) => r.endpoint === 'bare SDK GetItem');
  const cpu = rows.map((r) => ({ label: r.endpoint, value: r.cpu_ms, color: r === bare ? '#c33' : undefined }));
  const p95 = rows.map((r) => ({ label: r.endpoint, value: r.p95_100 }));
  const rps = rows.map((r) => ({ label: r.endpoint, value: r.rps_100 }));
  const parts = [
    `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title>`,
    '<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:13px}td,' +
      'th{border:1px solid #ccc;padding:3px 6px;text-align:right}td:first-child{text-align:left}</style>',
    `<h1>${esc(title)}</h1><p>load average ${loadavg.map((n) => n.toFixed(2)).join(' / ')} at the end of the ` +
      `run${bundled ? '; server ran the built bundles (BUNDLED=1)' : ''}. Ratios within one run are what count on a shared machine.</p>`,
    table(rows, columns),
    barChart('server CPU ms per request (4 connections)', cpu, 'ms', bare ? { value: bare.cpu_ms, label: 'bare SDK GetItem' } : undefined),
    barChart('p95 latency at 100 connections', p95, 'ms'),
    barChart('throughput at 100 connections', rps, 'req/s'),
  ];
  if (bundles?.rows?.length) {
    parts.push(`<h2>function bundles (node -e 0: ${bundles.node_e_0_ms_median} ms)</h2>`, table(bundles.rows, bundleColumns));
    parts.push(
      barChart(
        'bundle size',
        bundles.rows.map((b) => ({ label: b.function, value: b.kb })),
        'KB',
        { value: 500, label: '500 KB' },
      ),
    );
    parts.push(
      barChart(
        'init: import of the bundle in a fresh process (median of 7)',
        bundles.rows.map((b) => ({ label: b.function, value: b.import_ms_median })),
        'ms',
        { value: 150, label: '150 ms' },
      ),
    );
  }
  fs.writeFileSync(file, parts.join('\n'));
}

module.exports = { writeHtml };
