'use strict';
// Polls the node's JSON every 2 s and redraws. No external assets; charts are inline SVG.
const $ = id => document.getElementById(id);
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const num = (v, d = 0) => (v ?? 0).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const ago = t => t ? `${Math.max(0, Math.round((Date.now() - new Date(t)) / 1000))} s ago` : '–';
let tab = 'overview', reminderPage = 1, drill = null;
const deliveryHistory = [];
let lastMethods = null;

document.querySelectorAll('nav button').forEach(b => b.onclick = () => {
  tab = b.dataset.tab;
  document.querySelectorAll('nav button').forEach(x => x.classList.toggle('active', x === b));
  document.querySelectorAll('section').forEach(s => s.classList.toggle('active', s.id === tab));
  refresh();
});
$('reminder-prev').onclick = () => { reminderPage = Math.max(1, reminderPage - 1); refresh(); };
$('reminder-next').onclick = () => { reminderPage++; refresh(); };

async function get(path) {
  const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${path}: ${r.status}`);
  return r.json();
}

function chart(svg, series, colors) {
  const w = 300, h = 100, all = series.flat();
  const max = Math.max(1e-9, ...all);
  const n = Math.max(...series.map(s => s.length), 2);
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.innerHTML = `<line x1="0" y1="${h - 0.5}" x2="${w}" y2="${h - 0.5}" stroke="#2a3142"/>` + series.map((s, i) => {
    const pts = s.map((v, j) => `${(j / (n - 1) * w).toFixed(1)},${(h - 4 - (v / max) * (h - 10)).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${colors[i]}" stroke-width="1.6" vector-effect="non-scaling-stroke" points="${pts}"/>`;
  }).join('');
  // The scale goes in the heading: text inside a stretched SVG would be distorted.
  const heading = svg.parentElement.querySelector('h3');
  heading.dataset.title ??= heading.textContent;
  heading.textContent = `${heading.dataset.title} · max ${num(max, max < 10 ? 2 : 0)}`;
}

function table(id, rows) { $(id).querySelector('tbody').innerHTML = rows.join(''); }

async function overview() {
  const o = await get('/dashboard/api/overview');
  const live = o.nodes.filter(n => n.status === 'active');
  const reports = o.nodes.filter(n => n.report).map(n => n.report);
  const latest = reports.map(r => r.samples.at(-1)).filter(Boolean);
  const calls = latest.reduce((a, s) => a + s.calls_per_second, 0);
  $('live-nodes').textContent = live.length;
  $('total-activations').textContent = num(latest.reduce((a, s) => a + s.activations, 0));
  $('calls-per-second').textContent = num(calls, 1);
  $('error-rate').textContent = (calls ? 100 * latest.reduce((a, s) => a + s.error_rate * s.calls_per_second, 0) / calls : 0).toFixed(2) + ' %';
  $('avg-latency').textContent = num(calls ? latest.reduce((a, s) => a + s.avg_ms * s.calls_per_second, 0) / calls : 0, 2) + ' ms';
  $('p99-latency').textContent = num(Math.max(0, ...latest.map(s => s.p99_ms)), 2) + ' ms';
  const len = Math.max(0, ...reports.map(r => r.samples.length));
  const sum = f => Array.from({ length: len }, (_, i) => reports.reduce((a, r) => a + (f(r.samples[r.samples.length - len + i]) || 0), 0));
  chart($('chart-calls'), [sum(s => s?.calls_per_second)], ['#25f4ee']);
  chart($('chart-errors'), [sum(s => s?.error_rate)], ['#fe2c55']);
  chart($('chart-latency'), [sum(s => s?.avg_ms), sum(s => s?.p99_ms)], ['#4ade80', '#fbbf24']);
  table('nodes', o.nodes.map(n => {
    const s = n.report?.samples.at(-1);
    const up = n.report ? Math.round((Date.now() - new Date(n.report.started_at)) / 1000) : null;
    return `<tr><td>${esc(n.node_id)}${n.node_id === o.self ? ' <span class="dim">(this)</span>' : ''}</td><td>${esc(n.address)}</td>
      <td class="${n.status === 'active' ? 'ok' : 'bad'}">${esc(n.status)}</td><td>${up === null ? '–' : `${Math.floor(up / 3600)}h ${Math.floor(up / 60) % 60}m ${up % 60}s`}</td>
      <td>${s ? num(s.cpu_percent, 1) + ' %' : '–'}</td><td>${s ? num(s.memory_mb) + ' MB' : '–'}</td><td>${s ? num(s.activations) : '–'}</td><td>${s ? num(s.calls_per_second, 1) : '–'}</td></tr>`;
  }));
  return o;
}

async function grains() {
  const o = await get('/dashboard/api/overview');
  const rows = [], methods = new Map();
  for (const n of o.nodes.filter(n => n.report)) {
    for (const [type, count] of Object.entries(n.report.activations)) rows.push(`<tr><td>${esc(type)}</td><td>${esc(n.node_id)}</td><td>${num(count)}</td></tr>`);
    for (const m of n.report.methods) {
      const k = `${m.grain_type}.${m.method}`, x = methods.get(k) ?? { ...m, calls: 0, failures: 0, p99_ms: 0, total: 0 };
      x.calls += m.calls; x.failures += m.failures; x.total += m.mean_ms * m.calls; x.p99_ms = Math.max(x.p99_ms, m.p99_ms);
      methods.set(k, x);
    }
  }
  table('activations', rows);
  const now = Date.now();
  table('methods', [...methods.values()].sort((a, b) => b.calls - a.calls).map(m => {
    const before = lastMethods?.map.get(`${m.grain_type}.${m.method}`);
    const rate = before ? (m.calls - before.calls) / ((now - lastMethods.at) / 1000) : 0;
    return `<tr><td>${esc(m.grain_type)}</td><td>${esc(m.method)}</td><td>${num(rate, 1)}</td><td>${num(m.calls)}</td><td class="${m.failures ? 'bad' : ''}">${num(m.failures)}</td><td>${num(m.calls ? m.total / m.calls : 0, 2)} ms</td><td>${num(m.p99_ms, 2)} ms</td></tr>`;
  }));
  lastMethods = { at: now, map: methods };
}

async function reminders() {
  const r = await get(`/dashboard/api/reminders?page=${reminderPage}`);
  $('reminder-total').textContent = `${num(r.total)} reminder(s)`;
  $('reminder-page').textContent = r.page;
  table('reminder-list', r.reminders.map(x => `<tr><td>${esc(x.grain_type)}</td><td>${esc(x.grain_key)}</td><td>${esc(x.name)}</td><td>${new Date(x.next_due).toISOString().replace('T', ' ').slice(0, 19)}</td><td>${num(x.period_seconds)} s</td></tr>`));
}

async function pixels() {
  const rows = await get('/dashboard/api/pixels');
  const delivered = rows.reduce((a, p) => a + p.delivered, 0);
  deliveryHistory.push({ at: Date.now(), delivered });
  if (deliveryHistory.length > 450) deliveryHistory.shift();
  const rates = deliveryHistory.slice(1).map((h, i) => (h.delivered - deliveryHistory[i].delivered) / ((h.at - deliveryHistory[i].at) / 1000));
  chart($('chart-delivery'), [rates.length ? rates : [0, 0]], ['#25f4ee']);
  table('pixel-list', rows.map(p => `<tr class="clickable" data-org="${esc(p.organizer_id)}" data-pixel="${esc(p.pixel_id)}">
    <td>${esc(p.organizer_name)}</td><td>${esc(p.pixel_id)}</td><td class="${p.status === 'connected' ? 'ok' : 'bad'}">${esc(p.status)}</td>
    <td class="accepted">${num(p.accepted)}</td><td class="delivered">${num(p.delivered)}</td><td>${num(p.failed)}</td><td>${num(p.duplicates)}</td><td>${num(p.skipped)}</td>
    <td>${num(p.buffer_depth)}</td><td>${num(p.budget_left_today)}</td><td>${ago(p.last_flush_at)}</td><td class="bad">${esc(p.last_error)}</td></tr>`));
  document.querySelectorAll('#pixel-list tr.clickable').forEach(tr => tr.onclick = () => { drill = { org: tr.dataset.org, pixel: tr.dataset.pixel }; refresh(); });
  if (drill) {
    $('drill-title').textContent = `latest events of ${drill.pixel}`;
    const events = await get(`/dashboard/api/pixels/${encodeURIComponent(drill.org)}/${encodeURIComponent(drill.pixel)}/events`);
    table('pixel-events', events.map(e => `<tr><td>${esc(e.event_name)}</td><td>${esc(e.event_id)}</td><td class="${e.status === 'failed' ? 'bad' : ''}">${esc(e.status)}</td><td>${ago(e.accepted_at)}</td><td>${ago(e.delivered_at)}</td><td>${esc(e.request_id)}</td><td>${e.code ?? ''}</td><td>${esc(e.message)}</td></tr>`));
  }
}

async function audiences() {
  const rows = await get('/dashboard/api/audiences');
  table('audience-list', rows.map(r => {
    const a = r.audience, last = a.runs[0];
    return `<tr><td>${esc(r.organizer_name)}</td><td>${esc(a.name)} <span class="dim">${esc(a.id)}</span></td><td>${esc(a.status)}</td><td>${num(a.members)}</td>
      <td>${last ? `${esc(last.action)} ${esc(last.status)}` : '–'}</td><td>${last ? `${num(last.valid)} / ${num(last.total)}` : '–'}</td><td>${last ? num(last.uploaded) : '–'}</td><td>${a.runs.length}</td><td class="bad">${esc(a.last_error)}</td></tr>`;
  }));
}

async function problems() {
  const o = await get('/dashboard/api/overview');
  const all = o.nodes.flatMap(n => (n.report?.problems ?? []).map(p => ({ ...p, node: n.node_id }))).sort((a, b) => new Date(b.at) - new Date(a.at)).slice(0, 200);
  $('problem-list').innerHTML = all.map(p => `<li class="${esc(p.level)}">${new Date(p.at).toISOString().slice(11, 19)} ${esc(p.node)} ${esc(p.category)}: ${esc(p.message)}</li>`).join('') || '<li class="dim">nothing to report</li>';
}

const views = { overview, grains, reminders, pixels, audiences, problems };
async function refresh() {
  try {
    await views[tab]();
    if (tab !== 'pixels') await pixels().catch(() => {});
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    $('updated').textContent = `update failed: ${e.message}`;
  }
}
refresh();
setInterval(refresh, 2000);
