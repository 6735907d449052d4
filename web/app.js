// The clerk's web UI: sign-in, the publishing dashboard (live), record lists and details, and the
// publish queue. Plain modules, no framework: small, fast, and served under a strict CSP.
const $ = (sel) => document.querySelector(sel);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const MARK = { published: '✓', dependency: '⚠', error: '✗' };
const STATUS_TEXT = { published: '✓ Published', dependency: '⚠ Dependency', error: '✗ Error', pending: 'Pending', processing: 'Processing', deleted: 'Deleted' };

let csrfToken = '';
let info = { temporalUiUrl: null, namespace: 'default' };
let groups = [];
let feed;
const list = { resource: '', statuses: new Set(), filters: [], sort: 'lastActivity', order: 'desc', page: 1, pageSize: 50 };

async function api(url, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  // Every change carries the session's CSRF token.
  if (init.method && init.method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, { ...init, headers, credentials: 'same-origin' });
  const body = await res.json().catch(() => ({}));
  return { status: res.status, body };
}

const ctx = () => {
  const f = $('#context-form');
  return { profile: f.profile.value, schoolYear: f.schoolYear.value, school: f.school.value };
};
const categories = () => groups.flatMap((g) => g.categories.map((c) => ({ ...c, group: g.label })));
const entities = () => categories().flatMap((c) => c.entities.map((e) => ({ ...e, category: c.label })));

function fillSelect(select, options, keep = true) {
  const previous = select.value;
  select.replaceChildren(...options.map(([value, label]) => el('option', { value, textContent: label })));
  if (keep && options.some(([v]) => v === previous)) select.value = previous;
}

function runLink(workflowId) {
  if (!info.temporalUiUrl) return el('span', { textContent: workflowId });
  return el('a', { textContent: 'history', href: `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows/${encodeURIComponent(workflowId)}`, target: '_blank', rel: 'noopener' });
}

// ---- system status -------------------------------------------------------------------------
async function refreshChecks() {
  const { body } = await api('/readyz');
  $('#checks').replaceChildren(...Object.entries(body.checks ?? {}).map(([name, c]) => el('li', { textContent: `${name}: ${c.detail} (${c.ms} ms)`, className: c.ok ? 'ok' : 'down' })));
}

// ---- dashboard -----------------------------------------------------------------------------
async function publish(categoryId, option) {
  const { profile, schoolYear, school } = ctx();
  const category = categories().find((c) => c.id === categoryId);
  const scope = school && !category?.districtOnly ? { kind: 'school', schoolId: school } : { kind: 'district' };
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: categoryId, option, schoolYear: Number(schoolYear), scope }),
  });
  $('#publish-result').textContent = status === 202 ? (body.duplicate ? `Already waiting at position ${body.position}.` : `Queued at position ${body.position} (${body.workflowId}).`) : `Not queued: ${body.message}`;
  await refreshDashboard();
}

function countsText(c) {
  return el('span', { className: 'counts' }, ...['error', 'dependency', 'published'].filter((k) => c[k] > 0).map((k) => el('span', { className: `mark-${k}`, textContent: `${MARK[k]} ${c[k].toLocaleString()}` })));
}

async function refreshDashboard() {
  const { profile, schoolYear, school } = ctx();
  if (!profile) return;
  const q = new URLSearchParams({ schoolYear, ...(school ? { school } : {}) });
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/dashboard?${q}`);
  if (status !== 200) return;
  $('#dashboard').replaceChildren(
    ...body.groups.map((g) => {
      const groupMeta = groups.find((x) => x.id === g.id);
      const rows = g.categories.map((c) => {
        const meta = groupMeta?.categories.find((x) => x.id === c.id);
        const menu = el('details', { className: 'menu' }, el('summary', { textContent: '⋮', title: `Publish ${c.label}`, ariaLabel: `Publish options for ${c.label}` }), el('div', {}, ...(meta?.options ?? []).map((o) => el('button', { type: 'button', textContent: o.label, onclick: () => void publish(c.id, o.id) }))));
        const state = c.state === 'publishing' ? '↻ Publishing' : c.state === 'processing' ? '↻ Processing' : c.state === 'waiting' ? 'Waiting' : '';
        return el(
          'tr',
          {},
          el('th', { scope: 'row', textContent: c.label }),
          el('td', {}, ...c.entities.map((e) => el('a', { className: `entity ${e.mark ? `mark-${e.mark}` : ''}`, href: `#/records/${e.resource}`, textContent: `${e.mark ? `${MARK[e.mark]} ` : ''}${e.label}` }))),
          el('td', {}, countsText(c.counts)),
          el('td', { textContent: state }),
          el('td', {}, menu),
        );
      });
      return el('div', { className: 'group' }, el('h3', { textContent: g.label }), el('table', {}, el('thead', {}, el('tr', {}, ...['Categories', 'Entities', 'Status', '', ''].map((t) => el('th', { textContent: t })))), el('tbody', {}, ...rows)));
    }),
  );
}

// ---- record list ---------------------------------------------------------------------------
function listColumns(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.naturalKey)))];
  return [['schoolId', 'School'], ...keys.map((k) => [`key.${k}`, k]), ['status', 'Status'], ['statusDescription', 'Status description'], ['lastActivity', 'Last activity']];
}

async function refreshRecords() {
  const { profile, schoolYear, school } = ctx();
  const q = new URLSearchParams({ resource: list.resource, schoolYear, sort: list.sort, order: list.order, page: String(list.page), pageSize: String(list.pageSize), ...(school ? { school } : {}) });
  if (list.statuses.size > 0) q.set('status', [...list.statuses].join(','));
  for (const f of list.filters) q.append('filter', `${f.column}:${f.text}`);
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/records?${q}`);
  if (status !== 200) {
    $('#records').replaceChildren(el('tr', {}, el('td', { textContent: body.message ?? 'Could not load the records.' })));
    return;
  }
  const entity = entities().find((e) => e.resource === list.resource);
  $('#records-title').textContent = `${school ? `School ${school}` : 'District Office'} › ${entity?.label ?? list.resource}`;
  // The default filter of the profile (DashboardDetailFilterOption) shows as checked statuses.
  for (const box of document.querySelectorAll('#records-controls input[name=status]')) box.checked = (body.statuses ?? []).includes(box.value);
  const columns = listColumns(body.rows);
  fillSelect($('#f-filter-column'), columns.filter(([c]) => c !== 'lastActivity' && c !== 'status'));
  $('#records-head').replaceChildren(
    ...columns.map(([c, label]) => {
      const arrow = list.sort === c ? (list.order === 'asc' ? ' ▲' : ' ▼') : '';
      return el('th', { ariaSort: list.sort === c ? (list.order === 'asc' ? 'ascending' : 'descending') : 'none' }, el('button', { type: 'button', textContent: `${label}${arrow}`, onclick: () => {
        // First click sorts first-to-last, the second last-to-first.
        list.order = list.sort === c && list.order === 'asc' ? 'desc' : 'asc';
        list.sort = c;
        list.page = 1;
        void refreshRecords();
      } }));
    }),
  );
  const cell = (r, c) => {
    if (c === 'schoolId') return r.schoolId ?? '';
    if (c === 'status') return STATUS_TEXT[r.status] ?? r.status;
    if (c === 'statusDescription') return r.statusDescription ?? '';
    if (c === 'lastActivity') return new Date(r.lastActivity).toLocaleString();
    return String(r.naturalKey[c.slice(4)] ?? '');
  };
  $('#records').replaceChildren(
    ...body.rows.map((r) =>
      el('tr', {}, ...columns.map(([c], i) => el('td', { className: c === 'status' ? `mark-${r.status}` : '' }, i === 0 ? el('a', { href: `#/records/${list.resource}/${encodeURIComponent(r.sourceKey)}`, textContent: cell(r, c) || r.sourceKey }) : cell(r, c)))),
    ),
  );
  $('#chips').replaceChildren(
    ...[
      ...list.filters.map((f, i) => el('span', { className: 'chip' }, `${f.column} contains “${f.text}” `, el('button', { type: 'button', ariaLabel: `Remove filter ${f.column}`, textContent: '×', onclick: () => { list.filters.splice(i, 1); list.page = 1; void refreshRecords(); } }))),
      list.filters.length > 0 ? el('button', { type: 'button', textContent: 'Clear All', onclick: () => { list.filters = []; list.page = 1; void refreshRecords(); } }) : null,
    ].filter((c) => c !== null),
  );
  const pages = Math.max(1, Math.ceil(body.total / list.pageSize));
  $('#pager').replaceChildren(
    el('button', { type: 'button', textContent: '‹ Previous', disabled: list.page <= 1, onclick: () => { list.page -= 1; void refreshRecords(); } }),
    ` Page ${list.page} of ${pages} (${body.total.toLocaleString()} records) `,
    el('button', { type: 'button', textContent: 'Next ›', disabled: list.page >= pages, onclick: () => { list.page += 1; void refreshRecords(); } }),
  );
}

// ---- record details ------------------------------------------------------------------------
async function showDetails(resource, sourceKey) {
  const { profile, schoolYear } = ctx();
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/records/${encodeURIComponent(resource)}/${encodeURIComponent(sourceKey)}?schoolYear=${schoolYear}`);
  $('#details-back').href = `#/records/${resource}`;
  if (status !== 200) {
    $('#details').replaceChildren(el('dt', { textContent: 'Not found' }), el('dd', { textContent: body.message ?? '' }));
    $('#details-json').textContent = '';
    return;
  }
  const fields = [
    ['Resource', body.resource], ['Category', body.category ?? ''], ['Ed-Fi resource id', body.edfiId ?? '(not published)'], ['Status', STATUS_TEXT[body.status] ?? body.status],
    ['Status description', body.statusDescription ?? ''], ['HTTP status', body.httpStatus ?? ''], ['Attempts', body.attempts], ['First published', body.firstPublishedAt ?? ''],
    ['Last attempt', body.lastAttemptAt ?? ''], ['Internal id (source key)', body.sourceKey], ['School', body.schoolId ?? ''], ['School year', `${body.schoolYear - 1}-${body.schoolYear}`], ['Profile type', body.profileType],
  ];
  $('#details').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: String(v) })]));
  $('#details-json').textContent = JSON.stringify(body.sentJson, null, 2);
}

// ---- configuration (admin) -------------------------------------------------------------------
let connection = { leaId: '', profileId: '' };

async function loadConfigure() {
  const settings = (await api('/api/settings')).body;
  const sf = $('#settings-form');
  sf.enableDataExchange.checked = settings.enableDataExchange;
  sf.simultaneousConnections.value = settings.simultaneousConnections;
  const profiles = (await api('/api/profiles')).body;
  const switchBox = (p, field) => {
    const box = el('input', { type: 'checkbox', checked: p[field], ariaLabel: `${field} for ${p.name}` });
    box.addEventListener('change', async () => {
      const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [field]: box.checked }) });
      $('#profile-result').textContent = status === 200 ? `Saved ${p.name}.` : `Not saved: ${body.message}`;
    });
    return el('td', {}, box);
  };
  $('#profiles').replaceChildren(...profiles.map((p) => el('tr', {}, el('td', { textContent: p.name }), el('td', { textContent: p.profileType }), el('td', { textContent: p.schoolYears.map((y) => `${y - 1}-${y}`).join(', ') }), switchBox(p, 'enabled'), switchBox(p, 'publishDataChanges'), switchBox(p, 'publishDownload'), switchBox(p, 'publishPublish'))));
  fillSelect($('#f-cprofile'), profiles.map((p) => [p.id, p.name]));
  await refreshProcessing();
}

async function refreshProcessing() {
  const { body } = await api('/api/diagnostics/system-processing');
  $('#f-processing').checked = body.enabled;
  $('#processing-state').textContent = `${body.state}: ${body.detail}`;
  return body.state;
}

// ---- queue (live) --------------------------------------------------------------------------
function renderQueue(view) {
  const row = (item, state, cls) => {
    const category = categories().find((c) => c.id === (item.request?.category ?? item.category));
    const option = category?.options.find((o) => o.id === item.request?.option)?.label ?? item.request?.option ?? '';
    return el('tr', {}, el('td', { textContent: String(item.ticket) }), el('td', { textContent: category?.label ?? item.category }), el('td', { textContent: option }), el('td', { textContent: String(item.request?.schoolYear ?? '') }), el('td', { textContent: state, className: cls ?? '' }), el('td', {}, runLink(item.workflowId)));
  };
  const rows = [];
  if (view?.running) rows.push(row(view.running, 'Publishing'));
  for (const w of view?.waiting ?? []) rows.push(row(w, 'Waiting'));
  for (const r of [...(view?.recent ?? [])].reverse()) rows.push(row(r, r.outcome === 'failed' ? `Failed: ${r.detail ?? ''}` : 'Done', r.outcome === 'failed' ? 'failed' : ''));
  $('#queue').replaceChildren(...rows);
}

let dashboardTimer;
function watchQueue() {
  feed?.close();
  const { profile } = ctx();
  if (!profile) return;
  // The server pushes each change (server-sent events); the browser reconnects by itself.
  feed = new EventSource(`/api/profiles/${encodeURIComponent(profile)}/publish-queue/events`);
  feed.addEventListener('queue', (event) => {
    renderQueue(JSON.parse(event.data));
    clearTimeout(dashboardTimer);
    dashboardTimer = setTimeout(() => void refreshDashboard(), 300);
  });
}

// ---- download ------------------------------------------------------------------------------
const DOWNLOAD_LABELS = { descriptors: 'Descriptors', 'organization-catalog': 'Organization Catalog', 'course-catalog': 'Course Catalog' };
let downloadTimer;
/** Keep watching a little after a request: the workflow records its first status a moment later. */
let downloadWatchUntil = 0;

async function requestDownload(categories) {
  const { profile, schoolYear } = ctx();
  downloadWatchUntil = Date.now() + 10_000;
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/downloads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schoolYear: Number(schoolYear), ...(categories ? { categories } : {}) }),
  });
  $('#download-result').replaceChildren(status === 202 ? el('span', {}, `Requested ${body.categories.map((c) => DOWNLOAD_LABELS[c] ?? c).join(', ')} — `, runLink(body.workflowId)) : el('span', { textContent: body.message ?? `Refused (HTTP ${status})` }));
  await refreshDownloads();
}

/** Status of each category, refreshed every second while one waits or runs. */
async function refreshDownloads() {
  clearTimeout(downloadTimer);
  if ($('#view-download').hidden) return;
  const { profile, schoolYear } = ctx();
  const rows = (await api(`/api/profiles/${encodeURIComponent(profile)}/downloads?schoolYear=${schoolYear}`)).body;
  const byCategory = new Map((Array.isArray(rows) ? rows : []).map((r) => [r.category, r]));
  $('#downloads').replaceChildren(
    ...Object.entries(DOWNLOAD_LABELS).map(([id, label]) => {
      const r = byCategory.get(id);
      const button = el('button', { type: 'button', textContent: `Download ${label}` });
      button.addEventListener('click', () => void requestDownload([id]));
      const status = r ? `${r.status}${r.message ? `: ${r.message}` : ''}` : 'not downloaded yet';
      return el('tr', {}, el('th', { scope: 'row', textContent: label }), el('td', { textContent: status, className: `dl-${r?.status ?? 'none'}` }), el('td', { textContent: r ? String(r.downloaded) : '' }), el('td', { textContent: r ? new Date(r.lastActivity).toLocaleString() : '' }), el('td', {}, button));
    }),
  );
  const summary = (await api(`/api/profiles/${encodeURIComponent(profile)}/downloads/descriptors?schoolYear=${schoolYear}`)).body;
  $('#descriptor-summary').replaceChildren(...(Array.isArray(summary) ? summary : []).map((d) => el('tr', {}, el('td', { textContent: d.resource }), el('td', { textContent: d.description ?? '' }), el('td', { textContent: String(d.count) }), el('td', { textContent: String(d.gone) }))));
  if (Date.now() < downloadWatchUntil || [...byCategory.values()].some((r) => r.status === 'waiting' || r.status === 'running')) downloadTimer = setTimeout(() => void refreshDownloads(), 1000);
}

// ---- mapping -------------------------------------------------------------------------------
const mappingBase = () => `/api/profiles/${encodeURIComponent(ctx().profile)}/code-sets`;

async function loadMapping() {
  const sets = (await api(mappingBase())).body;
  if (!Array.isArray(sets)) {
    $('#m-result').textContent = sets.message ?? 'Mapping is not available.';
    return;
  }
  fillSelect($('#m-set'), sets.map((s) => [s.id, `${s.label} — ${s.unmapped} unmapped of ${s.localCodes}${s.requiredForState ? ' (state reporting)' : ''}`]));
  const blocking = (await api(`${mappingBase()}/unmapped`)).body;
  $('#mapping-blocking').textContent =
    Array.isArray(blocking) && blocking.length > 0 ? `Blocks state reporting: ${blocking.map((b) => `${b.label} (${b.unmapped.length} unmapped)`).join(', ')}` : 'Nothing blocks state reporting.';
  await loadCodes();
}

async function saveMapping(setBase, row, target) {
  const { status, body } = await api(`${setBase}/mappings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: row.code, schoolId: row.schoolId, target }) });
  $('#m-result').textContent = status === 200 ? `Saved: ${row.code} → ${target ? `${target.namespace}#${target.codeValue}` : 'kept as a local descriptor'}` : body.message ?? `Not saved (HTTP ${status})`;
  await loadCodes();
}

async function clearMapping(setBase, row) {
  const q = new URLSearchParams({ code: row.code, ...(row.schoolId !== null ? { schoolId: String(row.schoolId) } : {}) });
  const { status } = await api(`${setBase}/mappings?${q}`, { method: 'DELETE' });
  $('#m-result').textContent = status === 204 ? `Cleared: ${row.code}` : `Nothing to clear for ${row.code}`;
  await loadCodes();
}

/** Every code of the chosen set (one school's, for per-school sets) with its mapping; no paging, so nothing saved drops out of view. */
async function loadCodes() {
  const setId = $('#m-set').value;
  if (!setId) return;
  const setBase = `${mappingBase()}/${encodeURIComponent(setId)}`;
  const [codes, choices] = await Promise.all([api(`${setBase}/codes`), api(`${setBase}/choices?limit=500`)]);
  const rows = Array.isArray(codes.body) ? codes.body : [];
  const perSchool = rows.some((r) => r.schoolId !== null);
  $('#m-school-label').hidden = !perSchool;
  if (perSchool) fillSelect($('#m-school'), [...new Map(rows.map((r) => [String(r.schoolId), r.schoolName ?? `School ${r.schoolId}`]))]);
  const school = perSchool ? $('#m-school').value : '';
  const groupsOfChoices = choices.body.groups ?? [];
  $('#m-codes').replaceChildren(
    ...rows
      .filter((r) => !perSchool || String(r.schoolId) === school)
      .map((r) => {
        const select = el('select', { ariaLabel: `Map ${r.code}` }, el('option', { value: '', textContent: '— choose a value —' }));
        for (const g of groupsOfChoices) {
          const group = el('optgroup', { label: g.namespace });
          group.append(...g.values.map((v) => el('option', { value: `${v.namespace}#${v.codeValue}`, textContent: `${v.codeValue} — ${v.shortDescription}` })));
          select.append(group);
        }
        if (r.mapping) select.value = `${r.mapping.namespace}#${r.mapping.codeValue}`;
        select.addEventListener('change', () => {
          const i = select.value.indexOf('#');
          if (i > 0) void saveMapping(setBase, r, { namespace: select.value.slice(0, i), codeValue: select.value.slice(i + 1) });
        });
        const keep = el('button', { type: 'button', textContent: 'Keep local' });
        keep.addEventListener('click', () => void saveMapping(setBase, r, null));
        const clear = el('button', { type: 'button', textContent: 'Clear' });
        clear.addEventListener('click', () => void clearMapping(setBase, r));
        const published = r.mapping ? `${r.mapping.namespace}#${r.mapping.codeValue}${r.mapping.auto ? ' (auto)' : ''}` : `${r.localDescriptor} (local${r.keptLocal ? ', kept' : ''})`;
        return el('tr', {}, el('td', { textContent: r.code }), el('td', { textContent: r.name }), el('td', { textContent: published }), el('td', {}, select), el('td', {}, keep, clear));
      }),
  );
}

// ---- navigation ----------------------------------------------------------------------------
function show(view) {
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== `view-${view}`;
}

async function route() {
  if (!$('#sign-in').hidden) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'configure') {
    show('configure');
    await loadConfigure();
  } else if (parts[0] === 'download') {
    show('download');
    await refreshDownloads();
  } else if (parts[0] === 'mapping') {
    show('mapping');
    await loadMapping();
  } else if (parts[0] === 'records' && parts[1] && parts[2]) {
    show('details');
    await showDetails(parts[1], parts[2]);
  } else if (parts[0] === 'records' && parts[1]) {
    if (list.resource !== parts[1]) Object.assign(list, { resource: parts[1], statuses: new Set(), filters: [], sort: 'lastActivity', order: 'desc', page: 1 });
    $('#f-entity').value = parts[1];
    show('records');
    await refreshRecords();
  } else {
    show('dashboard');
    await refreshDashboard();
  }
}

async function loadProfile() {
  const { profile } = ctx();
  const profiles = (await api('/api/profiles')).body;
  const p = profiles.find((x) => x.id === profile) ?? profiles[0];
  if (!p) return;
  fillSelect($('#context-form').schoolYear, [...p.schoolYears].reverse().map((y) => [String(y), `${y - 1}-${y}`]));
  const schools = (await api(`/api/profiles/${encodeURIComponent(p.id)}/schools?schoolYear=${ctx().schoolYear}`)).body;
  fillSelect($('#context-form').school, [['', 'District Office'], ...(Array.isArray(schools) ? schools : []).map((s) => [s, `School ${s}`])]);
  watchQueue();
  await route();
}

async function loadWork() {
  groups = (await api('/api/categories')).body;
  const profiles = (await api('/api/profiles')).body;
  fillSelect($('#context-form').profile, profiles.map((p) => [p.id, p.name]));
  fillSelect($('#f-entity'), entities().map((e) => [e.resource, `${e.category} › ${e.label}`]));
  const form = $('#publish-form');
  fillSelect(form.category, categories().map((c) => [c.id, `${c.group} › ${c.label}`]));
  onCategoryChange();
  await loadProfile();
}

function onCategoryChange() {
  const form = $('#publish-form');
  const category = categories().find((c) => c.id === form.category.value);
  fillSelect(form.option, (category?.options ?? []).map((o) => [o.id, o.label]));
}

function showSignedIn(me) {
  csrfToken = me.csrfToken ?? '';
  $('#sign-in').hidden = true;
  for (const s of document.querySelectorAll('.signed-in:not(.view)')) s.hidden = me.role !== 'admin' && s.classList.contains('admin-only');
  $('#who').textContent = `${me.name} (${me.role})`;
  $('#sign-out').hidden = false;
}

function showSignIn() {
  feed?.close();
  $('#sign-in').hidden = false;
  for (const s of document.querySelectorAll('.signed-in')) s.hidden = true;
  $('#who').textContent = '';
  $('#sign-out').hidden = true;
}

async function start() {
  info = (await api('/api/info')).body;
  if (info.temporalUiUrl) Object.assign($('#temporal-link'), { href: info.temporalUiUrl, hidden: false });
  $('#context-form').addEventListener('change', (event) => {
    if (event.target.name === 'profile') void loadProfile();
    else void route();
  });
  const publishForm = $('#publish-form');
  publishForm.category.addEventListener('change', onCategoryChange);
  publishForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void publish(publishForm.category.value, publishForm.option.value);
  });
  $('#download-all').addEventListener('click', () => void requestDownload());
  $('#m-set').addEventListener('change', () => void loadCodes());
  $('#m-school').addEventListener('change', () => void loadCodes());
  $('#f-entity').addEventListener('change', (event) => {
    location.hash = `#/records/${event.target.value}`;
  });
  $('#records-controls').addEventListener('change', (event) => {
    if (event.target.name !== 'status') return;
    list.statuses = new Set([...document.querySelectorAll('#records-controls input[name=status]:checked')].map((b) => b.value));
    list.page = 1;
    void refreshRecords();
  });
  $('#add-filter').addEventListener('click', () => {
    const text = $('#f-filter-text').value.trim();
    if (!text) return;
    list.filters.push({ column: $('#f-filter-column').value, text });
    $('#f-filter-text').value = '';
    list.page = 1;
    void refreshRecords();
  });
  $('#sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    const { status, body } = await api('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: f.username.value, password: f.password.value }) });
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
    await api('/api/session', { method: 'DELETE' });
    showSignIn();
  });
  $('#settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    const { status, body } = await api('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enableDataExchange: f.enableDataExchange.checked, simultaneousConnections: Number(f.simultaneousConnections.value) }) });
    $('#settings-result').textContent = status === 200 ? 'Settings saved.' : `Not saved — ${body.message}`;
  });
  $('#profile-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    const payload = { name: f.name.value, profileType: f.profileType.value, schoolYears: [Number(f.schoolYear.value)], ...(f.apiUrl.value ? { apiUrl: f.apiUrl.value } : {}) };
    const { status, body } = await api('/api/profiles', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    $('#profile-result').textContent = status === 201 ? `Added ${body.name}. Its type cannot be changed later.` : `Not added — ${body.message}`;
    if (status === 201) await loadConfigure();
  });
  $('#connection-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    $('#enable-row').hidden = true;
    const lea = await api('/api/leas', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: f.leaName.value, stateNumber: f.stateNumber.value }) });
    if (lea.status !== 201 && lea.status !== 409) {
      $('#connection-result').textContent = `LEA not saved — ${lea.body.message}`;
      return;
    }
    connection = { leaId: f.stateNumber.value, profileId: f.profile.value };
    const base = `/api/leas/${encodeURIComponent(connection.leaId)}/connections/${encodeURIComponent(connection.profileId)}`;
    const saved = await api(base, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: f.key.value, secret: f.secret.value }) });
    f.secret.value = '';
    if (saved.status !== 200) {
      $('#connection-result').textContent = `Not saved — ${saved.body.message}`;
      return;
    }
    $('#connection-result').textContent = 'Testing…';
    const test = await api(`${base}/test`, { method: 'POST' });
    $('#connection-result').textContent = test.body.ok ? 'Profile Successfully Connected' : `Test failed — ${test.body.message ?? 'no answer'}`;
    // The guide's easy-to-overlook step: Enable appears only after a successful test.
    $('#enable-row').hidden = !test.body.ok;
    $('#f-enable-profile').checked = false;
  });
  $('#f-enable-profile').addEventListener('change', async (event) => {
    const base = `/api/leas/${encodeURIComponent(connection.leaId)}/connections/${encodeURIComponent(connection.profileId)}`;
    const { status, body } = await api(`${base}/enabled`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: event.target.checked }) });
    $('#connection-result').textContent = status === 200 ? (body.enabled ? 'Connection enabled.' : 'Connection disabled.') : body.message;
  });
  $('#f-processing').addEventListener('change', async (event) => {
    await api('/api/diagnostics/system-processing', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: event.target.checked }) });
    // Pausing lets running work finish its batch: report progress until it is done.
    for (let i = 0; i < 120; i++) {
      const state = await refreshProcessing();
      if (state === 'paused' || state === 'running') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
  window.addEventListener('hashchange', () => void route());
  const me = await api('/api/session');
  if (me.status === 200) {
    showSignedIn(me.body);
    await loadWork();
  } else showSignIn();
  await refreshChecks();
  setInterval(() => void refreshChecks(), 5000);
}

void start();
