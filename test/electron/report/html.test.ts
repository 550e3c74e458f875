// The standalone HTML report: plotly inlined (no network), every run-provided text escaped, and the
// chart data and page script checked by running the script against a recording stand-in for plotly.
import vm from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  chartSeries,
  escapeHtml,
  inlineScriptSource,
  loadPlotlyBundle,
  renderHtmlReport,
} from '../../../electron/report/html.ts'
import { aggregate, facts } from './fixtures.ts'

const AGGREGATES = [
  aggregate({ variant: 'base', difficulty: '7x7', difficultyValue: 2, successRate: 0.2, successCi: { low: 0.05, high: 0.5 } }),
  aggregate({ variant: 'base', difficulty: '6x6', difficultyValue: 1, successRate: 0.6, successCi: { low: 0.4, high: 0.8 } }),
  aggregate({ variant: '<script>alert(1)</script>', difficulty: '6x6', difficultyValue: 1 }),
  aggregate({ variant: '<script>alert(1)</script>', difficulty: '7x7', difficultyValue: 2 }),
]

/** The contents of every `<script ...>...</script>` element, with its opening tag. */
function scripts(html: string): { tag: string; body: string }[] {
  const out: { tag: string; body: string }[] = []
  const re = /(<script\b[^>]*>)([\s\S]*?)<\/script>/gi
  for (let m = re.exec(html); m; m = re.exec(html)) out.push({ tag: m[1], body: m[2] })
  return out
}

function render(plotly = 'window.Plotly = {};', over: Parameters<typeof facts>[0] = {}): string {
  return renderHtmlReport({ aggregates: AGGREGATES, facts: facts(over), plotly, generatedAt: '2025-01-02T00:00:00Z' })
}

describe('renderHtmlReport', () => {
  it('inlines the installed plotly bundle and loads nothing over the network', () => {
    const bundle = loadPlotlyBundle()
    expect(bundle).toContain('window.Plotly = Plotly')
    const html = render(bundle)
    expect(html.length).toBeGreaterThan(bundle.length)
    expect(html).toContain('plotly.js v')
    // Exactly our three scripts survive the HTML tokenizer: the bundle cannot end its element early.
    const found = scripts(html)
    expect(found.map((s) => s.tag)).toEqual([
      '<script type="application/json" id="sftbench-report-data">',
      '<script>',
      '<script>',
    ])
    expect(found[1].body.length).toBeGreaterThan(bundle.length - 100)
    expect(html.match(/<script\b/gi)).toHaveLength(3)
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i)
    expect(html).not.toMatch(/<link\b/i)
    expect(html).not.toMatch(/<(img|iframe)\b[^>]*\bsrc\s*=\s*["']?https?:/i)
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i)
  })

  it('escapes a variant named <script> everywhere it appears', () => {
    const html = render()
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html.match(/<script\b/gi)).toHaveLength(3)
    expect(html).not.toContain('<script>alert(1)')
    const data = scripts(html)[0].body
    expect(data).not.toMatch(/[<>&]/)
    expect(JSON.parse(data).series[1].variant).toBe('<script>alert(1)</script>')
  })

  it('escapes run facts (description, paths, model names)', () => {
    const html = render(undefined, {
      description: 'compare <b>bold</b> & "quoted"',
      dir: '/runs/<x>',
      models: [{ name: 'm<1>', backend: 'onnx', location: null, provider: null, modelHash: null, sampling: {} }],
    })
    expect(html).toContain('compare &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;')
    expect(html).toContain('/runs/&lt;x&gt;')
    expect(html).toContain('Model m&lt;1&gt;')
    expect(html).not.toContain('<b>bold')
  })

  it('page script draws one line plus one CI band per model x variant, sorted by difficulty value', () => {
    const html = render()
    const [data, , page] = scripts(html)
    const calls: { id: string; traces: Record<string, unknown>[]; layout: Record<string, unknown> }[] = []
    vm.runInNewContext(page.body, {
      document: { getElementById: (id: string) => (id === 'sftbench-report-data' ? { textContent: data.body } : null) },
      Plotly: {
        newPlot: (id: string, traces: Record<string, unknown>[], layout: Record<string, unknown>) =>
          calls.push({ id, traces, layout }),
      },
    })
    expect(calls.map((c) => c.id)).toEqual(['success-chart', 'validity-chart'])
    const success = calls[0].traces
    // Two series: band then line for each.
    expect(success.map((t) => t.fill ?? t.mode)).toEqual(['toself', 'lines+markers', 'toself', 'lines+markers'])
    const line = success[1]
    expect(line.name).toBe('base')
    expect(line.x).toEqual([1, 2])
    expect(line.y).toEqual([60, 20])
    // The band walks the upper bounds left to right, then the lower bounds back.
    expect(success[0].x).toEqual([1, 2, 2, 1])
    expect(success[0].y).toEqual([80, 50, 5, 40])
    // Names reach plotly escaped, since plotly reads some HTML tags in labels.
    expect(success[3].name).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    const xaxis = calls[0].layout.xaxis as { tickvals: number[]; ticktext: string[] }
    expect(xaxis.tickvals).toEqual([1, 2])
    expect(xaxis.ticktext).toEqual(['6x6', '7x7'])
    // Sokoban validity has no interval: lines only.
    expect(calls[1].traces.map((t) => t.mode)).toEqual(['lines+markers', 'lines+markers'])
  })

  it('General Points validity has Wilson bands too', () => {
    const gp = [
      aggregate({ variant: 'gp', difficulty: 'id', difficultyValue: 1, validity: 0.9, validityCi: { low: 0.7, high: 0.97 } }),
      aggregate({ variant: 'gp', difficulty: 'ood', difficultyValue: 2, validity: 0.5, validityCi: { low: 0.3, high: 0.7 } }),
    ]
    const html = renderHtmlReport({ aggregates: gp, facts: facts({ task: 'gp' }), plotly: '', generatedAt: 'now' })
    const [data, , page] = scripts(html)
    const calls: { traces: Record<string, unknown>[]; layout: { title: { text: string } } }[] = []
    vm.runInNewContext(page.body, {
      document: { getElementById: () => ({ textContent: data.body }) },
      Plotly: {
        newPlot: (_id: string, traces: Record<string, unknown>[], layout: { title: { text: string } }) =>
          calls.push({ traces, layout }),
      },
    })
    expect(calls[1].layout.title.text).toBe('Validity: reward >= -1 (95% Wilson band)')
    expect(calls[1].traces[0]).toMatchObject({ fill: 'toself', x: [1, 2, 2, 1], y: [97, 70, 30, 70] })
    expect(calls[1].traces[1]).toMatchObject({ y: [90, 50] })
  })

  it('includes the summary table and the run facts', () => {
    const html = render()
    expect(html).toContain('<th class="num">95% CI</th>')
    expect(html).toContain('<td class="num">60.0%</td>')
    expect(html).toContain('<th>Sweep</th><td>smoke</td>')
    expect(html).toContain('<th>Status</th><td>completed</td>')
  })

  it('a run with no finished cells has no charts and no bundle', () => {
    const html = renderHtmlReport({ aggregates: [], facts: facts(), plotly: 'BUNDLE', generatedAt: 'now' })
    expect(html).toContain('No finished cells yet.')
    expect(html).not.toContain('BUNDLE')
    expect(scripts(html)).toEqual([])
  })
})

describe('helpers', () => {
  it('escapeHtml covers the five special characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('inlineScriptSource keeps string and regex meaning while removing </script and <!--', () => {
    const source = `var a = "</script>"; var b = /<!--x/.test("<!--x"); var c = '</SCRIPT>'; globalThis.out = [a, b, c]`
    const safe = inlineScriptSource(source)
    expect(safe).not.toMatch(/<\/script|<!--/i)
    const context: { out?: unknown } = {}
    vm.runInNewContext(safe, context)
    expect(context.out).toEqual(['</script>', true, '</SCRIPT>'])
  })

  it('chartSeries prefixes the model when a run has several', () => {
    const series = chartSeries([
      aggregate({ model: 'a', variant: 'v', difficulty: 'd' }),
      aggregate({ model: 'b', variant: 'v', difficulty: 'd' }),
    ])
    expect(series.map((s) => s.name)).toEqual(['a / v', 'b / v'])
  })
})
