/**
 * @module electron/report/html
 * A standalone HTML report of a run: the success rate (and the paper's validity metric) against
 * difficulty, one line per model x variant with its Wilson 95% band, the summary table and the
 * run's facts. plotly.js is inlined from the installed `plotly.js-dist-min` bundle, so the file
 * opens offline, can be mailed or archived, and never fetches anything.
 *
 * All text from the run (names, descriptions, paths) is escaped; the chart data travels as JSON in
 * a `type="application/json"` script with `<`, `>` and `&` escaped, so no value can end the script.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { Aggregate } from '../../core/eval/types.ts'
import { factRows, type RunFacts } from './facts.ts'
import { formatPercent } from './table.ts'

/** Reads plotly's minified bundle from the installed `plotly.js-dist-min` package. */
export function loadPlotlyBundle(): string {
  const require = createRequire(import.meta.url)
  let file: string
  try {
    file = require.resolve('plotly.js-dist-min')
  } catch (error) {
    throw new Error(
      `The HTML report needs the plotly.js-dist-min package, which is not installed ` +
        `(${(error as Error).message}). Run "npm install" in the sftbench folder.`,
      { cause: error },
    )
  }
  return fs.readFileSync(file, 'utf8')
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** JSON that is safe inside a `<script>` element: no `<`, `>`, `&` or line separators in the text. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/**
 * JavaScript source made safe to inline in a `<script>` element. `</script` would end the element
 * and `<!--` can switch the HTML tokenizer into an escaped state; both occur in bundles only inside
 * string or regex literals, where `<\/script` and `<\u0021--` mean the same characters.
 */
export function inlineScriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\u0021--')
}

/** One line of a chart: a model x variant across difficulties, sorted by difficulty value. */
export interface ChartSeries {
  readonly model: string
  readonly variant: string
  /** Legend name: the variant, prefixed by the model when the run has several models. */
  readonly name: string
  readonly x: number[]
  readonly difficulties: string[]
  readonly n: number[]
  readonly success: number[]
  readonly successLow: number[]
  readonly successHigh: number[]
  readonly validity: number[]
  /** Null when the task has no interval on validity (Sokoban's is a mean of fractions). */
  readonly validityLow: number[] | null
  readonly validityHigh: number[] | null
}

/** Groups aggregates into chart lines, in first-seen order of (model, variant). */
export function chartSeries(aggregates: readonly Aggregate[]): ChartSeries[] {
  const models = new Set(aggregates.map((a) => a.model))
  const groups = new Map<string, Aggregate[]>()
  for (const a of aggregates) {
    const key = JSON.stringify([a.model, a.variant])
    const list = groups.get(key)
    if (list) list.push(a)
    else groups.set(key, [a])
  }
  return [...groups.values()].map((list) => {
    const sorted = [...list].sort((p, q) => p.difficultyValue - q.difficultyValue)
    const withValidityCi = sorted.every((a) => a.validityCi !== null)
    return {
      model: sorted[0].model,
      variant: sorted[0].variant,
      name: models.size > 1 ? `${sorted[0].model} / ${sorted[0].variant}` : sorted[0].variant,
      x: sorted.map((a) => a.difficultyValue),
      difficulties: sorted.map((a) => a.difficulty),
      n: sorted.map((a) => a.n),
      success: sorted.map((a) => a.successRate),
      successLow: sorted.map((a) => a.successCi.low),
      successHigh: sorted.map((a) => a.successCi.high),
      validity: sorted.map((a) => a.validity),
      validityLow: withValidityCi ? sorted.map((a) => a.validityCi?.low ?? 0) : null,
      validityHigh: withValidityCi ? sorted.map((a) => a.validityCi?.high ?? 1) : null,
    }
  })
}

/** The x-axis ticks: each difficulty value labelled with its name(s). */
function axisTicks(aggregates: readonly Aggregate[]): { values: number[]; labels: string[] } {
  const names = new Map<number, Set<string>>()
  for (const a of aggregates) {
    const set = names.get(a.difficultyValue) ?? new Set<string>()
    set.add(a.difficulty)
    names.set(a.difficultyValue, set)
  }
  const values = [...names.keys()].sort((p, q) => p - q)
  return { values, labels: values.map((v) => [...(names.get(v) ?? [])].join(' / ')) }
}

// Runs in the page. Plain ES5 so it works in any browser that runs plotly itself.
const PAGE_SCRIPT = `(function () {
  var data = JSON.parse(document.getElementById('sftbench-report-data').textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  function rgba(hex, alpha) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }
  // plotly reads a few HTML tags in labels (b, i, a, br): escape names so they show as typed.
  function esc(text) { return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'); }
  function pct(values) { return values.map(function (v) { return v * 100; }); }
  function traces(metric) {
    var out = [];
    data.series.forEach(function (s, i) {
      var color = palette[i % palette.length];
      var low = s[metric + 'Low'], high = s[metric + 'High'];
      if (low && high) {
        out.push({
          x: s.x.concat(s.x.slice().reverse()),
          y: pct(high).concat(pct(low).reverse()),
          fill: 'toself', fillcolor: rgba(color, 0.15), line: { width: 0 },
          hoverinfo: 'skip', showlegend: false, legendgroup: s.name, type: 'scatter', mode: 'lines'
        });
      }
      out.push({
        x: s.x, y: pct(s[metric]), name: esc(s.name), legendgroup: s.name, type: 'scatter', mode: 'lines+markers',
        line: { color: color }, marker: { color: color },
        customdata: s.difficulties.map(function (d, j) {
          return [esc(d), s.n[j], low ? (low[j] * 100).toFixed(1) + '-' + (high[j] * 100).toFixed(1) + '%' : 'n/a'];
        }),
        hovertemplate: '%{customdata[0]}: %{y:.1f}% (95% CI %{customdata[2]}, n=%{customdata[1]})<extra>' + esc(s.name) + '</extra>'
      });
    });
    return out;
  }
  function layout(title) {
    return {
      title: { text: title }, margin: { t: 48, r: 24, b: 56, l: 64 },
      xaxis: { title: { text: 'difficulty' }, tickvals: data.ticks.values, ticktext: data.ticks.labels.map(esc) },
      yaxis: { title: { text: '%' }, range: [-2, 102] },
      legend: { orientation: 'h', y: -0.2 }
    };
  }
  var config = { displaylogo: false, responsive: true };
  Plotly.newPlot('success-chart', traces('success'), layout('Success rate (95% Wilson band)'), config);
  Plotly.newPlot('validity-chart', traces('validity'), layout(data.validityTitle), config);
})();`

const STYLE = `body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
table { border-collapse: collapse; } td, th { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { font-weight: 600; white-space: nowrap; vertical-align: top; }
.chart { width: 100%; height: 440px; } .muted { color: #666; }`

/** What the HTML report shows. */
export interface HtmlReportInput {
  readonly aggregates: readonly Aggregate[]
  /** Null when the run folder has no manifest (the report then says so). */
  readonly facts: RunFacts | null
  /** The plotly.js bundle source (see `loadPlotlyBundle`). */
  readonly plotly: string
  /** When the report was made (ISO 8601), shown in the footer. */
  readonly generatedAt: string
}

function summaryTableHtml(aggregates: readonly Aggregate[]): string {
  const head = ['model', 'variant', 'difficulty', 'n', 'success', '95% CI', 'validity', 'reward', 'turns', 'steps', 'tokens']
  const numeric = (i: number): boolean => i >= 3
  const rows = aggregates.map((a) => [
    a.model,
    a.variant,
    a.difficulty,
    String(a.n),
    formatPercent(a.successRate),
    `${(a.successCi.low * 100).toFixed(1)}-${(a.successCi.high * 100).toFixed(1)}%`,
    formatPercent(a.validity),
    a.meanReward.toFixed(2),
    a.meanTurns.toFixed(1),
    a.meanSteps.toFixed(1),
    String(a.tokens),
  ])
  const cell = (tag: string, text: string, i: number): string =>
    `<${tag}${numeric(i) ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`
  return [
    '<table class="summary">',
    `<thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr>${r.map((c, i) => cell('td', c, i)).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n')
}

function factsHtml(facts: RunFacts | null): string {
  if (!facts) return '<p class="muted">This run folder has no manifest.json, so what ran is unknown.</p>'
  const rows = factRows(facts).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
  return ['<table class="facts">', ...rows, '</table>'].join('\n')
}

/** The whole report as one HTML document. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { aggregates, facts } = input
  const name = facts?.name ?? 'run'
  // Without a manifest, GP shows itself by its validity intervals (Sokoban's validity has none).
  const task = facts?.task ?? (aggregates.some((a) => a.validityCi !== null) ? 'gp' : 'sokoban')
  const data = {
    series: chartSeries(aggregates),
    ticks: axisTicks(aggregates),
    validityTitle:
      task === 'gp' ? 'Validity: reward >= -1 (95% Wilson band)' : 'Validity: mean action_is_valid',
  }
  const charts =
    aggregates.length === 0
      ? '<p class="muted">No finished cells yet.</p>'
      : [
          '<div id="success-chart" class="chart"></div>',
          '<div id="validity-chart" class="chart"></div>',
          `<script type="application/json" id="sftbench-report-data">${scriptSafeJson(data)}</script>`,
          `<script>${inlineScriptSource(input.plotly)}</script>`,
          `<script>${PAGE_SCRIPT}</script>`,
        ].join('\n')
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`sftbench report: ${name}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(name)}</h1>`,
    facts?.description ? `<p>${escapeHtml(facts.description)}</p>` : '',
    '<h2>Success against difficulty</h2>',
    charts,
    '<h2>Summary</h2>',
    aggregates.length === 0 ? '' : summaryTableHtml(aggregates),
    '<h2>Run</h2>',
    factsHtml(facts),
    `<p class="muted">Made by sftbench on ${escapeHtml(input.generatedAt)}. Intervals are Wilson 95% score intervals.</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
