// The status page: readiness checks, a publish form and the profile's queue, refreshed every 2 s.
const $ = (sel) => document.querySelector(sel);
const text = (tag, value, cls) => {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
};

let csrfToken = '';

async function getJson(url, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  // Every change carries the session's CSRF token.
  if (init.method && init.method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

let info = { temporalUiUrl: null, namespace: 'default' };
let categories = [];

async function refreshChecks() {
  const { body } = await getJson('/readyz');
  const list = $('#checks');
  list.replaceChildren(...Object.entries(body.checks ?? {}).map(([name, c]) => text('li', `${name}: ${c.detail} (${c.ms} ms)`, c.ok ? 'ok' : 'down')));
}

function fillSelect(select, options) {
  select.replaceChildren(...options.map(([value, label]) => Object.assign(document.createElement('option'), { value, textContent: label })));
}

function onCategoryChange() {
  const form = $('#publish-form');
  const category = categories.find((c) => c.id === form.category.value);
  fillSelect(form.option, (category?.options ?? []).map((o) => [o.id, o.label]));
}

function runLink(workflowId) {
  if (!info.temporalUiUrl) return text('span', workflowId);
  const a = text('a', 'history');
  a.href = `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  a.target = '_blank';
  return a;
}

function renderQueue(view) {
  const rows = [];
  const row = (item, state, cls) => {
    const tr = document.createElement('tr');
    const category = categories.find((c) => c.id === (item.request?.category ?? item.category));
    const option = category?.options.find((o) => o.id === item.request?.option)?.label ?? item.request?.option ?? '';
    tr.append(text('td', String(item.ticket)), text('td', category?.label ?? item.category), text('td', option), text('td', String(item.request?.schoolYear ?? '')), text('td', state, cls));
    const td = document.createElement('td');
    td.append(runLink(item.workflowId));
    tr.append(td);
    rows.push(tr);
  };
  if (view?.running) row(view.running, 'Publishing');
  for (const w of view?.waiting ?? []) row(w, 'Waiting');
  for (const r of [...(view?.recent ?? [])].reverse()) row(r, r.outcome === 'failed' ? `Failed: ${r.detail ?? ''}` : 'Done', r.outcome === 'failed' ? 'failed' : '');
  $('#queue').replaceChildren(...rows);
}

// Live queue: the server pushes each change (server-sent events); the browser reconnects by itself.
let feed;
function watchQueue() {
  feed?.close();
  const profile = $('#publish-form').profile.value;
  if (!profile) return;
  feed = new EventSource(`/api/profiles/${encodeURIComponent(profile)}/publish-queue/events`);
  feed.addEventListener('queue', (event) => renderQueue(JSON.parse(event.data)));
}

function showSignedIn(me) {
  csrfToken = me.csrfToken ?? '';
  $('#sign-in').hidden = true;
  for (const el of document.querySelectorAll('.signed-in')) el.hidden = false;
  $('#who').textContent = `${me.name} (${me.role})`;
  $('#sign-out').hidden = false;
}

function showSignIn() {
  $('#sign-in').hidden = false;
  for (const el of document.querySelectorAll('.signed-in')) el.hidden = true;
  $('#who').textContent = '';
  $('#sign-out').hidden = true;
}

async function loadWork() {
  const groups = (await getJson('/api/categories')).body;
  categories = groups.flatMap((g) => g.categories.map((c) => ({ ...c, group: g.label })));
  const profiles = (await getJson('/api/profiles')).body;
  const form = $('#publish-form');
  fillSelect(form.profile, profiles.map((p) => [p.id, p.name]));
  fillSelect(form.category, categories.map((c) => [c.id, `${c.group} › ${c.label}`]));
  const years = profiles[0]?.schoolYears ?? [];
  fillSelect(form.schoolYear, years.map((y) => [String(y), `${y - 1}-${y}`]));
  onCategoryChange();
  watchQueue();
}

async function start() {
  info = (await getJson('/api/info')).body;
  if (info.temporalUiUrl) {
    const link = $('#temporal-link');
    link.href = info.temporalUiUrl;
    link.hidden = false;
  }
  const form = $('#publish-form');
  form.category.addEventListener('change', onCategoryChange);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { status, body } = await getJson(`/api/profiles/${encodeURIComponent(form.profile.value)}/publish`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: form.category.value, option: form.option.value, schoolYear: Number(form.schoolYear.value) }),
    });
    $('#publish-result').textContent =
      status === 202 ? (body.duplicate ? `Already waiting at position ${body.position}.` : `Queued at position ${body.position} (${body.workflowId}).`) : `Not queued: ${body.message}`;
  });
  form.profile.addEventListener('change', watchQueue);
  $('#sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    const { status, body } = await getJson('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: f.username.value, password: f.password.value }),
    });
    if (status !== 200) {
      $('#sign-in-result').textContent = body.message ?? 'Sign-in failed.';
      return;
    }
    f.password.value = '';
    $('#sign-in-result').textContent = '';
    showSignedIn(body);
    await loadWork();
  });
  $('#sign-out').addEventListener('click', async () => {
    feed?.close();
    await getJson('/api/session', { method: 'DELETE' });
    showSignIn();
  });
  const me = await getJson('/api/session');
  if (me.status === 200) {
    showSignedIn(me.body);
    await loadWork();
  } else showSignIn();
  await refreshChecks();
  setInterval(() => void refreshChecks(), 5000);
}

void start();
