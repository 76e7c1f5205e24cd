'use strict';
// Polls the node's JSON every 2 s and redraws. No external assets; charts are inline SVG. The Cluster tab
// shows Orleans' own dashboard (/dashboard/cluster/) in a frame.
const $ = id => document.getElementById(id);
const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const num = (v, d = 0) => (v ?? 0).toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });
const ago = t => t ? `${Math.max(0, Math.round((Date.now() - new Date(t)) / 1000))} s ago` : '–';
let tab = 'pixels', drill = null;
const deliveryHistory = [];

document.querySelectorAll('nav button').forEach(b => b.onclick = () => {
  tab = b.dataset.tab;
  document.querySelectorAll('nav button').forEach(x => x.classList.toggle('active', x === b));
  document.querySelectorAll('section').forEach(s => s.classList.toggle('active', s.id === tab));
  refresh();
});

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

async function pixels() {
  const rows = await get('/dashboard/api/pixels');
  const delivered = rows.reduce((a, p) => a + p.delivered, 0);
  deliveryHistory.push({ at: Date.now(), delivered });
  if (deliveryHistory.length > 450) deliveryHistory.shift();
  const rates = deliveryHistory.slice(1).map((h, i) => (h.delivered - deliveryHistory[i].delivered) / ((h.at - deliveryHistory[i].at) / 1000));
  chart($('chart-delivery'), [rates.length ? rates : [0, 0]], ['#25f4ee']);
  table('pixel-list', rows.map(p => `<tr class="clickable" data-org="${esc(p.organizer_id)}" data-pixel="${esc(p.pixel_id)}">
    <td>${esc(p.organizer_name)}</td><td>${esc(p.pixel_id)}</td><td class="${p.status === 'connected' ? 'ok' : 'bad'}">${esc(p.status)}</td><td class="node">${esc(p.node)}</td>
    <td class="accepted">${num(p.accepted)}</td><td class="delivered">${num(p.delivered)}</td><td>${num(p.failed)}</td><td>${num(p.duplicates)}</td><td>${num(p.skipped)}</td>
    <td>${num(p.buffer_depth)}</td><td>${num(p.budget_left_today)}</td><td>${ago(p.last_flush_at)}</td><td class="bad">${esc(p.last_error)}</td></tr>`));
  document.querySelectorAll('#pixel-list tr.clickable').forEach(tr => tr.onclick = () => { drill = { org: tr.dataset.org, pixel: tr.dataset.pixel }; refresh(); });
  if (drill) {
    $('drill-title').textContent = `latest events of ${drill.pixel}`;
    const events = await get(`/dashboard/api/pixels/${encodeURIComponent(drill.org)}/${encodeURIComponent(drill.pixel)}/events`);
    table('pixel-events', events.map(e => `<tr><td>${esc(e.event_name)}</td><td>${esc(e.event_id)}</td><td class="${e.status === 'failed' ? 'bad' : ''}">${esc(e.status)}</td><td>${ago(e.accepted_at)}</td><td>${ago(e.delivered_at)}</td><td>${esc(e.request_id)}</td><td>${e.code ?? ''}</td><td>${esc(e.message)}</td></tr>`));
    await assurance(drill);
  }
}

// A pixel's proof of delivery: dead letters, requests to TikTok, reconciliation and match quality.
async function assurance(d) {
  const a = await get(`/dashboard/api/pixels/${encodeURIComponent(d.org)}/${encodeURIComponent(d.pixel)}/assurance`);
  $('assurance').hidden = false;
  const pct = v => `${num((v ?? 0) * 100, 0)}%`;
  table('dead-letters', a.dead_letters.map(l => `<tr><td>${esc(l.event_name)}</td><td>${esc(l.event_id)}</td><td class="bad">${l.code}</td><td>${esc(l.message)}</td><td>${esc(l.request_id)}</td><td>${ago(l.failed_at)}</td><td>${l.replays}</td></tr>`));
  table('requests', a.requests.map(r => `<tr><td>${ago(r.sent_at)}</td><td class="${r.outcome === 'success' ? 'ok' : 'bad'}">${esc(r.outcome)}</td><td>${num(r.event_count)}</td><td>${esc(r.event_names.join(', '))}</td><td>${r.code}</td><td>${esc(r.message)}</td><td>${esc(r.request_id)}</td><td>${num(r.latency_ms, 1)}</td></tr>`));
  table('reconciliation', a.reconciliation.rows.map(r => `<tr><td>${esc(r.day)}</td><td>${esc(r.event_name)}</td><td>${num(r.delivered)}</td><td>${num(r.tiktok_server)}</td><td>${num(r.tiktok_browser)}</td><td>${num(r.overlap)}</td>
    <td class="${r.flagged ? 'bad' : ''}">${num(r.gap)}</td><td class="${r.flagged ? 'bad' : ''}">${num(r.gap_ratio * 100, 1)}%</td></tr>`));
  const q = a.match_quality;
  $('match-title').textContent = `match quality, last ${q.hours} h: ${q.score_note}`;
  table('match-quality', [q.overall, ...q.event_types].map(r => `<tr><td>${esc(r.event_name)}</td><td>${num(r.events)}</td>${['email', 'phone', 'external_id', 'ttclid', 'ttp', 'ip_user_agent', 'event_id'].map(k => `<td>${pct(r.coverage[k])}</td>`).join('')}<td>${num(r.estimated_score, 1)}</td></tr>`));
}

async function audiences() {
  const page = await get('/dashboard/api/audiences');
  table('audience-list', page.audiences.map(r => {
    const a = r.audience, last = a.runs[0];
    const groups = r.ad_groups.map(g => `${esc(g.adgroup_id)} <span class="dim">${esc(g.usage_mode)}</span>`).join('<br>') || '–';
    return `<tr><td>${esc(r.organizer_name)}</td><td>${esc(a.custom_audience_name)} <span class="dim">${esc(a.id)}</span></td><td>${esc(a.status)}</td><td>${num(a.members)}</td>
      <td>${last ? `${esc(last.action)} ${esc(last.status)}` : '–'}</td><td>${last ? `${num(last.valid)} / ${num(last.total)}` : '–'}</td><td>${last ? num(last.uploaded) : '–'}</td><td>${a.runs.length}</td><td>${groups}</td><td class="bad">${esc(a.last_error)}</td></tr>`;
  }));
  const names = Object.fromEntries(page.audiences.map(r => [r.audience.id, r.audience.custom_audience_name]));
  table('segment-list', page.segments.map(r => {
    const s = r.segment, last = s.runs[0];
    const rule = `${esc(s.event_names.join(', '))} in ${s.lookback_days} d: ${s.min_events ? `${s.min_events}+ events` : ''}${s.min_events && s.min_value ? ' or ' : ''}${s.min_value ? `≥ ${num(s.min_value, 2)} ${esc(s.currency)}` : ''}`;
    return `<tr><td>${esc(r.organizer_name)}</td><td>${esc(s.name)} <span class="dim">${esc(s.id)}</span></td><td>${rule}</td><td>${esc(names[s.audience_id] ?? '')} <span class="dim">${esc(s.audience_id)}</span></td>
      <td>${esc(s.schedule)}${s.schedule === 'daily' ? ` ${s.hour_utc}:00 UTC` : ''}</td><td>${num(s.size.valid)} / ${num(s.size.total)}</td>
      <td>${last ? `${esc(last.trigger)} ${esc(last.status)} ${ago(last.finished_at ?? last.started_at)}` : '–'}</td><td>${last ? `+${num(last.added)} / −${num(last.removed)}` : '–'}</td><td>${s.runs.length}</td></tr>`;
  }));
}

async function alerts() {
  const rows = await get('/dashboard/api/alerts');
  const active = rows.filter(r => r.alert.state === 'active').length;
  $('alert-count').textContent = active ? `(${active})` : '';
  $('alert-count').className = active ? 'bad' : '';
  table('alert-list', rows.map(r => `<tr><td>${esc(r.organizer_name)}</td><td>${esc(r.alert.pixel_id)}</td><td>${esc(r.alert.rule)}</td>
    <td class="${r.alert.state === 'active' ? 'bad' : 'ok'}">${esc(r.alert.state)}</td><td>${ago(r.alert.fired_at)}</td><td>${ago(r.alert.resolved_at)}</td><td>${esc(r.alert.message)}</td></tr>`));
}

async function problems() {
  const all = await get('/dashboard/api/problems');
  $('problem-list').innerHTML = all.map(p => `<li class="${esc(p.level)}">${new Date(p.at).toISOString().slice(11, 19)} ${esc(p.category)}: ${esc(p.message)}</li>`).join('') || '<li class="dim">nothing to report</li>';
}

// Orleans' own dashboard, in the same page and behind the same login; loaded when first opened.
async function cluster() {
  const frame = $('cluster-frame');
  if (!frame.src) frame.src = frame.dataset.src;
}

const views = { pixels, audiences, alerts, problems, cluster };
async function refresh() {
  try {
    await views[tab]();
    if (tab !== 'pixels' && tab !== 'cluster') await pixels().catch(() => {});
    if (tab !== 'alerts') await alerts().catch(() => {});
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    $('updated').textContent = `update failed: ${e.message}`;
  }
}
refresh();
setInterval(refresh, 2000);
