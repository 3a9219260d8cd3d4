// The viewer's page: plain browser JavaScript, no build step. Every string that comes from a run (the
// model's replies, file names and contents, test output, ids) enters the document only as a text node
// (el() below appends strings with append(), which makes text nodes); no innerHTML is used anywhere.
// Diffs come from the `diff` package (global Diff), charts from uPlot (global uPlot).

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const tip = document.getElementById('tip');

/** Creates an element; attrs are set as properties or attributes, children (strings or nodes) appended. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key === 'style') Object.assign(node.style, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Number.POSITIVE_INFINITY))
    if (child !== undefined && child !== null) node.append(child);
  return node;
}

/** A link inside this app: the path is built from encoded ids, so it is never a javascript: URL. */
function link(parts, text, query) {
  const path = `/${parts.map(encodeURIComponent).join('/')}${query ? `?${new URLSearchParams(query)}` : ''}`;
  return el('a', { href: path, onclick: (event) => navigate(event, path) }, text);
}

function navigate(event, path) {
  if (event.ctrlKey || event.metaKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState(null, '', path);
  route();
}

async function getJson(path) {
  const response = await fetch(path);
  const body = await response.json();
  if (!response.ok) throw new Error(`${response.status}: ${body.error ?? response.statusText}`);
  return body;
}

function fmt(x, digits = 3) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

// ---- run list -------------------------------------------------------------------------------------

async function showRuns() {
  crumbs.replaceChildren();
  const { runs } = await getJson('/api/runs');
  const rows = runs.map((run) =>
    run.error
      ? el(
          'tr',
          { 'data-run': run.runId },
          el('td', {}, run.runId),
          el('td', { colspan: 4, class: 'error' }, run.error),
        )
      : el(
          'tr',
          { 'data-run': run.runId },
          el('td', {}, link(['runs', run.runId], run.runId)),
          el('td', {}, run.createdAt.replace('T', ' ').slice(0, 19)),
          el('td', {}, run.model),
          el(
            'td',
            {},
            run.conditions.map((c) =>
              el(
                'div',
                {},
                `${c.id}: cheated on ${c.cheated} of ${c.impossible} impossible${c.impossible ? ` (${((100 * c.cheated) / c.impossible).toFixed(0)} %)` : ''}, ${c.episodes} episode${c.episodes === 1 ? '' : 's'} in all`,
              ),
            ),
          ),
          el('td', {}, `${run.episodes}${run.planned ? ` of ${run.planned}` : ''}`),
        ),
  );
  main.replaceChildren(
    el('h2', {}, 'Runs'),
    runs.length
      ? el(
          'table',
          { id: 'runs' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ['run', 'created (UTC)', 'model', 'conditions and cheat counts', 'episodes'].map((h) =>
                el('th', {}, h),
              ),
            ),
          ),
          el('tbody', {}, rows),
        )
      : el('p', {}, 'No runs in this directory yet: bin/harness run writes them.'),
  );
}

// ---- one run: summary, filters, episodes a page at a time ---------------------------------------

const FILTERS = ['task', 'family', 'condition', 'outcome', 'strategy'];
const PAGE = 50;

async function showRun(runId) {
  const overview = await getJson(`/api/runs/${encodeURIComponent(runId)}`);
  crumbs.replaceChildren(' / ', runId);
  const params = new URLSearchParams(location.search);
  const filter = Object.fromEntries(FILTERS.filter((f) => params.get(f)).map((f) => [f, params.get(f)]));
  const tableBody = el('tbody');
  const count = el('span');
  const pager = el('div', { class: 'pager' });
  const reportBox = el('section', { id: 'report' }, el('p', { class: 'note' }, 'building the report…'));

  async function load(offset) {
    const query = new URLSearchParams({ ...filter, offset: String(offset), limit: String(PAGE) });
    const page = await getJson(`/api/runs/${encodeURIComponent(runId)}/episodes?${query}`);
    count.textContent = `${page.total} episodes match`;
    tableBody.replaceChildren(
      ...page.rows.map((r) =>
        el(
          'tr',
          { 'data-episode': r.episodeId },
          el('td', {}, link(['runs', runId, 'episodes', r.episodeId], r.episodeId)),
          el('td', {}, r.taskId),
          el('td', {}, r.family),
          el('td', {}, r.impossible ? 'impossible' : 'control'),
          el('td', {}, r.conditionId),
          el('td', {}, String(r.epoch)),
          el('td', { class: `outcome-${r.outcome}` }, r.outcome),
          el('td', {}, [...r.strategies, ...r.attemptedStrategies.map((s) => `${s} (attempted)`)].join(', ')),
          el('td', {}, String(r.attempts)),
        ),
      ),
    );
    pager.replaceChildren(
      el(
        'button',
        { disabled: offset === 0 ? '' : null, onclick: () => load(Math.max(0, offset - PAGE)) },
        'previous',
      ),
      ` ${page.total ? offset + 1 : 0}–${offset + page.rows.length} of ${page.total} `,
      el(
        'button',
        { disabled: offset + PAGE >= page.total ? '' : null, onclick: () => load(offset + PAGE) },
        'next',
      ),
    );
  }

  const selects = FILTERS.map((name) =>
    el(
      'label',
      {},
      `${name} `,
      el(
        'select',
        {
          name,
          onchange: (event) => {
            if (event.target.value) filter[name] = event.target.value;
            else delete filter[name];
            history.replaceState(
              null,
              '',
              `/runs/${encodeURIComponent(runId)}?${new URLSearchParams(filter)}`,
            );
            load(0);
          },
        },
        el('option', { value: '' }, 'all'),
        overview.filters[name].map((v) => {
          const option = el('option', { value: v }, v);
          if (filter[name] === v) option.selected = true;
          return option;
        }),
      ),
    ),
  );

  main.replaceChildren(
    el('h2', {}, `Run ${overview.runId}`),
    el(
      'p',
      {},
      `created ${overview.createdAt}, model ${overview.model}, config ${overview.configHash}, ${overview.episodes}${overview.planned ? ` of ${overview.planned}` : ''} episodes recorded`,
    ),
    el('h3', {}, 'Episodes'),
    el('div', { class: 'filters' }, selects, count),
    pager,
    // The list scrolls in its own box, so the report below it is on the first screen too, and its
    // arrival (after the list) moves nothing the reader is looking at.
    el(
      'div',
      { class: 'episode-box' },
      el(
        'table',
        { id: 'episodes' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            [
              'episode',
              'task',
              'family',
              'kind',
              'condition',
              'epoch',
              'outcome',
              'strategies',
              'attempts',
            ].map((h) => el('th', {}, h)),
          ),
        ),
        tableBody,
      ),
    ),
    el('h3', {}, 'Report (as harness report builds it)'),
    reportBox,
  );
  await load(0);
  // The report comes after the first page of episodes is on screen: it is built on the server when first
  // asked for, which takes seconds on a run of thousands of episodes.
  if (overview.episodes) showReport(runId, reportBox);
  else reportBox.replaceChildren(el('p', {}, 'No episode recorded yet.'));
}

/** A table whose cells are text. */
function textTable(header, rows) {
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        header.map((h) => el('th', {}, h)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          {},
          row.map((cell) => el('td', {}, cell)),
        ),
      ),
    ),
  );
}

/**
 * The run's report as `harness report` builds it: the figures (SVG files shown as images, so nothing in
 * them can run), then the summary as `show` prints it and the report's tables, folded.
 */
async function showReport(runId, box) {
  let report;
  try {
    report = await getJson(`/api/runs/${encodeURIComponent(runId)}/report`);
  } catch (error) {
    box.replaceChildren(el('p', { class: 'error' }, `report: ${error.message ?? error}`));
    box.dataset.ready = 'error';
    return;
  }
  const images = report.figures.map((f) =>
    el(
      'figure',
      { 'data-figure': f.name },
      el('img', {
        src: `/api/runs/${encodeURIComponent(runId)}/figures/${encodeURIComponent(f.name)}.svg`,
        alt: f.title,
      }),
    ),
  );
  const tables = report.sections.map((section) =>
    el(
      'div',
      { class: 'report-section' },
      el(section.level === 2 ? 'h4' : 'h5', {}, section.heading),
      (section.text ?? []).map((t) => el('p', { class: 'note' }, t)),
      section.table ? textTable(section.table.header, section.table.rows) : null,
    ),
  );
  box.replaceChildren(
    images.length ? el('div', { class: 'figures' }, images) : el('p', {}, 'no figures'),
    el(
      'details',
      { id: 'summary-box' },
      el('summary', {}, 'summary (as harness show prints it)'),
      el('pre', { id: 'summary' }, report.summaryText),
    ),
    el('details', { id: 'report-tables' }, el('summary', {}, 'report tables'), tables),
  );
  // Ready once every figure has loaded or failed (a failed one shows its title instead).
  await Promise.all([...box.querySelectorAll('img')].map((img) => img.decode().catch(() => undefined)));
  box.dataset.ready = 'true';
}

// ---- one episode -----------------------------------------------------------------------------------

/**
 * Diverging colour for a reading on a scale of +-max centred on 0: red above, blue below, opacity
 * proportional to |value| / max (as CircuitsVis colours tokens).
 */
function colour(value, max) {
  const a = max > 0 ? Math.min(1, Math.abs(value) / max) : 0;
  return value >= 0 ? `rgba(220, 38, 38, ${a.toFixed(3)})` : `rgba(37, 99, 235, ${a.toFixed(3)})`;
}

function showTip(event, text) {
  tip.textContent = text;
  tip.hidden = false;
  tip.style.left = `${event.clientX + 12}px`;
  tip.style.top = `${event.clientY + 12}px`;
}

function hideTip() {
  tip.hidden = true;
}

function steeringText(condition) {
  if (condition.steer.length === 0) return 'unsteered';
  return condition.steer
    .map(
      (s) =>
        `${s.vector}: ${fmt(s.sd, 2)} sd of the neutral reading (asked in ${s.unit}), c = ${fmt(s.coefficient, 3)} × the raw vector, s = ${fmt(s.strength * 100, 2)} % of the mean residual norm, layers ${s.layers.join(', ')}`,
    )
    .join('; ');
}

/** Lines of the file after the episode, marked with the diff against before; ids let evidence find them. */
function fileDiff(change, key) {
  const before = change.before ?? '';
  const after = change.after ?? '';
  const box = el('div', { class: 'diff', 'data-file': change.path });
  let line = 0;
  for (const part of Diff.diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const text of lines) {
      if (part.removed) box.append(el('div', { class: 'del' }, el('span', { class: 'ln' }, '-'), text));
      else {
        line += 1;
        box.append(
          el(
            'div',
            { class: part.added ? 'add' : '', id: `${key}-L${line}` },
            el('span', { class: 'ln' }, String(line)),
            text,
          ),
        );
      }
    }
  }
  return box;
}

function renderEpisode(data, container, key, sharedMax, chartReach) {
  const { transcript, tokens } = data;
  const record = transcript.record;
  const emotions = [...new Set(transcript.attempts.flatMap((a) => Object.keys(a.perToken)))].sort();
  let probe = emotions.includes('desperation') ? 'desperation' : emotions[0];
  const fileKeys = new Map(transcript.changes.map((c, i) => [c.path, `${key}-f${i}`]));

  const verdict = record.verdict;
  const evidence = verdict.evidence.map((e) => {
    const fileKey = fileKeys.get(e.file);
    const target = fileKey && e.line !== null ? `${fileKey}-L${e.line}` : undefined;
    const label = `${e.file}${e.line !== null ? `:${e.line}` : ''}`;
    return el(
      'li',
      {},
      target
        ? el(
            'a',
            {
              href: `#${target}`,
              class: 'evidence',
              onclick: (event) => {
                event.preventDefault();
                for (const old of container.querySelectorAll('.hl')) old.classList.remove('hl');
                const lineNode = document.getElementById(target);
                if (lineNode) {
                  lineNode.classList.add('hl');
                  lineNode.scrollIntoView({ block: 'center' });
                }
              },
            },
            label,
          )
        : el('span', {}, label, fileKey ? '' : ' (file not changed in this episode)'),
      e.strategy ? ` [${e.strategy}] ` : ' ',
      e.why,
      el('pre', {}, e.excerpt),
    );
  });

  const probeSelect = el(
    'select',
    {
      class: 'probe',
      onchange: (event) => {
        probe = event.target.value;
        paintTokens();
      },
    },
    emotions.map((e) => el('option', { value: e }, e)),
  );
  if (probe) probeSelect.value = probe;
  const legend = el('span', { class: 'legend' });

  const replies = [];
  const attempts = record.attempts.map((attempt) => {
    const stored = transcript.attempts.find((a) => a.index === attempt.index);
    const split = tokens[transcript.attempts.indexOf(stored)];
    const reply = el('div', { class: 'reply', 'data-attempt': attempt.index });
    replies.push({ reply, stored, split, text: attempt.replyText });
    const strips = emotions
      .filter((e) => stored?.perToken[e]?.length)
      .map((e) =>
        el(
          'div',
          {},
          el('div', { class: 'strip-label' }, e),
          el(
            'div',
            { class: 'strip', 'data-emotion': e },
            stored.perToken[e].map((v, i) =>
              el('span', {
                'data-value': v,
                onmousemove: (event) => showTip(event, `${e} at token ${i + 1}: ${fmt(v)}`),
                onmouseleave: hideTip,
              }),
            ),
          ),
        ),
      );
    const tests = attempt.tests
      ? `tests: ${attempt.tests.passed} passed, ${attempt.tests.failed} failed of ${attempt.tests.total}${attempt.tests.timedOut ? ' (timed out)' : ''}`
      : attempt.filesWritten.length === 0
        ? 'tests: not run again (no file written; the feedback repeats the last results)'
        : 'tests: not run';
    const readings = Object.entries(attempt.readings ?? {})
      .map(([e, r]) => `${e} mean ${fmt(r.z.mean, 2)} sd, max ${fmt(r.z.max, 2)} sd`)
      .join('; ');
    return el(
      'div',
      { class: 'section attempt' },
      el('h3', {}, `Attempt ${attempt.index}`),
      el(
        'p',
        { class: 'note' },
        `${attempt.completionTokens} reply tokens, stop: ${attempt.stopReason}; ${tests}`,
        readings ? `; ${readings}` : '',
      ),
      attempt.filesWritten.length
        ? el('p', {}, 'files written: ', attempt.filesWritten.map((f) => f.path).join(', '))
        : null,
      attempt.problems.length ? el('p', {}, 'problems: ', attempt.problems.join('; ')) : null,
      attempt.flaggedImpossible
        ? el('p', {}, 'flagged impossible: ', attempt.flaggedImpossible.reason)
        : null,
      reply,
      strips,
      (data.attemptFiles[record.attempts.indexOf(attempt)] ?? []).map((file, i) =>
        el(
          'details',
          { class: 'attempt-file', open: '' },
          el('summary', {}, `${file.path}: what attempt ${attempt.index} wrote, against the state before it`),
          file.after === null
            ? el(
                'p',
                { class: 'note' },
                'content not recoverable from the reply (no block matches the recorded sha256)',
              )
            : [
                file.before === null
                  ? el(
                      'p',
                      { class: 'note' },
                      'no earlier content to diff against (transcripts keep the starting content of files the episode changed only): every line shown as written',
                    )
                  : null,
                fileDiff(
                  { path: file.path, before: file.before ?? '', after: file.after },
                  `${key}-a${attempt.index}-f${i}`,
                ),
              ],
        ),
      ),
      stored?.feedback !== undefined
        ? el(
            'details',
            { open: '' },
            el('summary', {}, 'test feedback the model got'),
            el('pre', {}, stored.feedback),
          )
        : null,
    );
  });

  function paintTokens() {
    const values = replies.flatMap((r) => r.stored?.perToken[probe] ?? []);
    const max = sharedMax?.[probe] ?? Math.max(0, ...values.map((v) => Math.abs(v)));
    legend.textContent = probe
      ? `${probe} in sd of neutral text: blue below its mean (0), red above, full colour at |value| = ${fmt(max)} (one scale for ${sharedMax ? 'both sides' : 'the episode'})`
      : 'no per-token readings in this transcript';
    for (const { reply, stored, split, text } of replies) {
      const series = stored?.perToken[probe] ?? [];
      if (!split || series.length === 0) {
        reply.replaceChildren(text);
        continue;
      }
      reply.replaceChildren(
        ...split.pieces.map((piece, i) => {
          const value = series[i];
          const span = el(
            'span',
            {
              class: piece === null ? 'tok tok-missing' : 'tok',
              'data-index': i,
              'data-value': value,
              style: { backgroundColor: value === undefined ? '' : colour(value, max) },
              onmousemove: (event) => showTip(event, `${probe} at token ${i + 1}: ${fmt(value)}`),
              onmouseleave: hideTip,
            },
            piece === null ? '⟨end⟩' : piece,
          );
          return span;
        }),
      );
      if (split.encoded !== series.length)
        reply.append(
          el(
            'div',
            { class: 'note' },
            `${series.length} readings; the reply text encodes to ${split.encoded} tokens (positions past the text are the end-of-turn token or a cut stop sequence)`,
          ),
        );
    }
    for (const strip of container.querySelectorAll('.strip')) {
      const all = replies.flatMap((r) => r.stored?.perToken[strip.dataset.emotion] ?? []);
      const stripMax = sharedMax?.[strip.dataset.emotion] ?? Math.max(0, ...all.map((v) => Math.abs(v)));
      for (const cell of strip.children)
        cell.style.backgroundColor = colour(Number(cell.dataset.value), stripMax);
    }
  }

  const chart = el('div', { class: 'chart' });
  const files = transcript.changes.map((change) =>
    el(
      'div',
      { class: 'section' },
      el('h4', {}, `${change.path} (${change.status})`),
      change.note ? el('p', { class: 'note' }, change.note) : null,
      fileDiff(change, fileKeys.get(change.path)),
    ),
  );

  container.replaceChildren(
    el(
      'div',
      {},
      el('h2', {}, `${record.taskId} under ${record.conditionId}`),
      el(
        'p',
        {},
        `episode ${record.episodeId}, ${record.family}, ${record.impossible ? 'impossible' : 'control twin'}, epoch ${record.epoch}, seed ${record.seed}, ended: ${record.endReason}`,
      ),
      el('p', { class: 'steering' }, 'steering: ', steeringText(record.condition)),
      el(
        'div',
        { class: 'section verdict' },
        el('h3', {}, 'Verdict: ', el('span', { class: `outcome-${verdict.outcome}` }, verdict.outcome)),
        el('p', {}, verdict.explanation),
        verdict.strategies.length ? el('p', {}, 'strategies: ', verdict.strategies.join(', ')) : null,
        verdict.attemptedStrategies.length
          ? el('p', {}, 'attempted while tests failed: ', verdict.attemptedStrategies.join(', '))
          : null,
        evidence.length ? el('ol', { class: 'evidence-list' }, evidence) : el('p', {}, 'no evidence items'),
      ),
      el(
        'div',
        { class: 'section' },
        el('h3', {}, 'Readings by attempt (mean over the reply, sd of neutral text)'),
        chart,
      ),
      el(
        'details',
        { class: 'section task-spec' },
        el(
          'summary',
          {},
          'task description (the first message; the workspace files and reply format followed it)',
        ),
        el('pre', {}, transcript.spec),
      ),
      el('div', {}, 'colour tokens by ', probeSelect, ' ', legend),
      attempts,
      el('h3', {}, 'Files: the workspace before the episode against after it'),
      files.length ? files : el('p', {}, 'no file changed'),
    ),
  );
  paintTokens();
  drawChart(chart, record, emotions, chartReach);
}

function drawChart(target, record, emotions, chartReach) {
  const x = record.attempts.map((a) => a.index);
  const series = emotions.map((e) => record.attempts.map((a) => a.readings?.[e]?.z.mean ?? null));
  if (x.length === 0 || emotions.length === 0) {
    target.append('no readings recorded');
    return;
  }
  // Not red and blue: those are the token scale's two signs.
  const colours = ['#059669', '#9333ea', '#d97706', '#0891b2', '#be185d'];
  const width = Math.max(300, Math.min(700, target.clientWidth || 600));
  // Symmetric about 0 (the neutral-text mean), so the sign of a reading reads off the chart at once.
  const reach =
    chartReach ??
    Math.max(
      1,
      ...series
        .flat()
        .filter((v) => v !== null)
        .map((v) => Math.abs(v)),
    );
  const limit = Math.ceil(reach * 2 + 1) / 2;
  new uPlot(
    {
      width,
      height: 220,
      legend: { live: false },
      // Half an attempt of margin each side: ticks fall on attempts only, even with one attempt.
      scales: {
        x: { time: false, range: [x[0] - 0.5, x[x.length - 1] + 0.5] },
        y: { range: [-limit, limit] },
      },
      axes: [
        { label: 'attempt', incrs: [1] },
        { label: 'mean reading (sd)', size: 56, labelSize: 20 },
      ],
      series: [
        { label: 'attempt' },
        ...emotions.map((e, i) => ({ label: e, stroke: colours[i % colours.length], width: 2 })),
      ],
    },
    [x, ...series],
    target,
  );
}

async function showEpisode(runId, episodeId) {
  const data = await getJson(
    `/api/runs/${encodeURIComponent(runId)}/episodes/${encodeURIComponent(episodeId)}`,
  );
  crumbs.replaceChildren(' / ', link(['runs', runId], runId), ' / ', episodeId);
  const body = el('div');
  const self = `${runId}/${episodeId}`;
  const compareLinks = [];
  if (data.pairs.length)
    compareLinks.push(
      el(
        'p',
        { class: 'pairs' },
        'compare with the same task and seed under: ',
        data.pairs.map((other) => [
          link(['compare'], other.conditionId, { a: self, b: `${runId}/${other.episodeId}` }),
          ' ',
        ]),
      ),
    );
  if (data.otherRuns.length)
    compareLinks.push(
      el(
        'p',
        { class: 'other-runs' },
        'compare with the same task and seed in another run: ',
        data.otherRuns.map((other) => [
          link(['compare'], `${other.runId}: ${other.conditionId}`, {
            a: self,
            b: `${other.runId}/${other.episodeId}`,
          }),
          ' ',
        ]),
      ),
    );
  main.replaceChildren(...compareLinks, body);
  renderEpisode(data, body, 'e');
}

// ---- compare ---------------------------------------------------------------------------------------

async function showCompare() {
  const params = new URLSearchParams(location.search);
  const sides = ['a', 'b'].map((k) => {
    const value = params.get(k) ?? '';
    const cut = value.indexOf('/');
    return { key: k, runId: value.slice(0, cut), episodeId: value.slice(cut + 1) };
  });
  crumbs.replaceChildren(' / compare');
  const bodies = sides.map(() => el('div'));
  const columns = sides.map((s, i) =>
    el(
      'div',
      { class: 'side', 'data-side': s.key },
      el(
        'p',
        { class: 'side-head' },
        `run ${s.runId}, episode `,
        link(['runs', s.runId, 'episodes', s.episodeId], s.episodeId),
      ),
      bodies[i],
    ),
  );
  const title = el('h2', {}, 'compare');
  const note = el('p', { class: 'note' });
  main.replaceChildren(title, note, el('div', { class: 'compare' }, columns));
  const loaded = await Promise.all(
    sides.map((side) =>
      getJson(`/api/runs/${encodeURIComponent(side.runId)}/episodes/${encodeURIComponent(side.episodeId)}`),
    ),
  );
  const [a, b] = loaded.map((data) => data.transcript.record);
  const name = (record, side) =>
    sides[0].runId === sides[1].runId ? record.conditionId : `${record.conditionId} (run ${side.runId})`;
  title.textContent = `${a.taskId}, epoch ${a.epoch}, seed ${a.seed}: ${name(a, sides[0])} against ${name(b, sides[1])}`;
  note.textContent =
    a.taskId === b.taskId && a.seed === b.seed && a.epoch === b.epoch
      ? 'Same task, epoch and seed on both sides: they differ by condition or run only.'
      : `The two episodes are not the same task and seed: the right one is ${b.taskId}, epoch ${b.epoch}, seed ${b.seed}.`;
  // One scale per probe across both sides, so equal colours mean equal readings.
  const sharedMax = {};
  for (const data of loaded)
    for (const attempt of data.transcript.attempts)
      for (const [emotion, values] of Object.entries(attempt.perToken))
        sharedMax[emotion] = Math.max(sharedMax[emotion] ?? 0, ...values.map((v) => Math.abs(v)));
  // One y range for both charts, too.
  const means = [a, b].flatMap((r) =>
    r.attempts.flatMap((attempt) => Object.values(attempt.readings ?? {}).map((v) => Math.abs(v.z.mean))),
  );
  const chartReach = Math.max(1, ...means);
  for (const [i, data] of loaded.entries())
    renderEpisode(data, bodies[i], sides[i].key, sharedMax, chartReach);
}

// ---- routing ---------------------------------------------------------------------------------------

async function route() {
  delete document.body.dataset.ready;
  const parts = location.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  main.replaceChildren('loading…');
  try {
    if (parts.length === 0) await showRuns();
    else if (parts[0] === 'runs' && parts.length === 2) await showRun(parts[1]);
    else if (parts[0] === 'runs' && parts[2] === 'episodes' && parts.length === 4)
      await showEpisode(parts[1], parts[3]);
    else if (parts[0] === 'compare') await showCompare();
    else main.replaceChildren('page not found');
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error' }, String(error.message ?? error)));
  }
  document.body.dataset.ready = 'true';
}

window.addEventListener('popstate', route);
route();
