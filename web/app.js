// The clerk's web UI: sign-in, the publishing dashboard (live), record lists and details, and the
// publish queue. Plain modules, no framework: small, fast, and served under a strict CSP.
const $ = (sel) => document.querySelector(sel);
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  // `dataset` cannot be assigned, only filled.
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const MARK = { published: '✓', dependency: '⚠', error: '✗' };
const STATUS_TEXT = {
  published: '✓ Published',
  dependency: '⚠ Dependency',
  error: '✗ Error',
  pending: 'Pending',
  processing: 'Processing',
  deleted: 'Deleted',
  excluded: 'Excluded',
};

let csrfToken = '';
let info = { temporalUiUrl: null, namespace: 'default' };
let groups = [];
let feed;
let role = 'clerk';
/** The district the signed-in person works for (null: the whole deployment). */
let myDistrict = null;
/** The record the details page shows, for its Republish and Delete buttons. */
let shown = null;
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
  return el('a', {
    textContent: 'history',
    href: `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
    target: '_blank',
    rel: 'noopener',
  });
}

/** "Pecan Secondary Academy (58983001)", or the catalog's id until the school record was sent. */
const schoolLabel = (name, number, id) => (name ? `${name}${number ? ` (${number})` : ''}` : `School ${id}`);

// ---- system status -------------------------------------------------------------------------
async function refreshChecks() {
  const { body } = await api('/readyz');
  $('#checks').replaceChildren(
    ...Object.entries(body.checks ?? {}).map(([name, c]) => el('li', { textContent: `${name}: ${c.detail} (${c.ms} ms)`, className: c.ok ? 'ok' : 'down' })),
  );
}

// ---- dashboard -----------------------------------------------------------------------------
/** A choice made from a ⋮ menu closes it (redraws keep open menus open). */
function closeMenus() {
  for (const menu of document.querySelectorAll('#dashboard details.menu[open]')) menu.open = false;
}

async function publish(categoryId, option) {
  closeMenus();
  const { profile, schoolYear, school } = ctx();
  const category = categories().find((c) => c.id === categoryId);
  const scope = school && !category?.districtOnly ? { kind: 'school', schoolId: school } : { kind: 'district' };
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: categoryId, option, schoolYear: Number(schoolYear), scope }),
  });
  $('#publish-result').textContent =
    status === 202
      ? body.duplicate
        ? `Already waiting at position ${body.position}.`
        : option === 'preview'
          ? `Preview queued at position ${body.position}: nothing will be sent. When it is done, Show preview in the publish queue below.`
          : `Queued at position ${body.position} (${body.workflowId}).`
      : `Not queued: ${body.message}`;
  // The answer also shows on the category's own row for a minute, where the clerk clicked.
  publishNote = { categoryId, text: $('#publish-result').textContent, refused: status !== 202, until: Date.now() + 60_000 };
  await refreshDashboard();
  // The dashboard was drawn again: focus returns to the menu the clerk used, not the top of the page.
  document.querySelector(`#dashboard summary[data-category="${categoryId}"]`)?.focus();
}

async function resync(c) {
  closeMenus();
  const what =
    'Catalog records the ODS no longer has leave the catalog (the next Now – Changes sends them again), and the district’s ODS records of this category that match nothing in the catalog are deleted from the ODS.';
  if (!(await askToRemove(`Resync ${c.label} with the ODS?`, what, 'Resync'))) return;
  const { schoolYear } = ctx();
  const { status, body } = await api(
    `/api/profiles/${encodeURIComponent(ctx().profile)}/resync`,
    json('POST', { category: c.id, schoolYear: Number(schoolYear) }),
  );
  $('#publish-result').textContent = status === 202 ? `Resync of ${c.label} started (${body.workflowId}).` : `Resync not started: ${body.message}`;
  publishNote = { categoryId: c.id, text: $('#publish-result').textContent, refused: status !== 202, until: Date.now() + 60_000 };
  await refreshDashboard();
}

/** The last publish's answer, shown on its category's row for a while. */
let publishNote = null;

function countsText(c) {
  return el(
    'span',
    { className: 'counts' },
    ...['error', 'dependency', 'published']
      .filter((k) => c[k] > 0)
      .map((k) => el('span', { className: `mark-${k}`, textContent: `${MARK[k]} ${c[k].toLocaleString()}` })),
  );
}

async function refreshDashboard() {
  const { profile, schoolYear, school } = ctx();
  if (!profile) return;
  const q = new URLSearchParams({ schoolYear, ...(school ? { school } : {}) });
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/dashboard?${q}`);
  if (status !== 200) return;
  // Live redraws must not take the keyboard's place away: a focused ⋮ menu keeps focus.
  const focused = $('#dashboard').contains(document.activeElement) ? document.activeElement.dataset?.category : undefined;
  // Nor close a ⋮ menu the clerk has open: another category's batches redraw the page every moment.
  const openMenu = $('#dashboard details.menu[open] summary')?.dataset.category;
  // A set-up problem stops every publish until it is fixed: it comes first, with where to fix it.
  const setup = body.setupProblem
    ? [
        el(
          'p',
          { className: 'setup-problem', role: 'alert' },
          el('strong', { textContent: 'Set-up problem — publishing stopped. ' }),
          body.setupProblem.message,
          ' ',
          el('a', { href: '#/configure', textContent: 'Fix it on Configure' }),
        ),
      ]
    : [];
  $('#dashboard').replaceChildren(
    ...setup,
    ...body.groups.map((g) => {
      const groupMeta = groups.find((x) => x.id === g.id);
      const rows = g.categories.map((c) => {
        const meta = groupMeta?.categories.find((x) => x.id === c.id);
        const menu = el(
          'details',
          { className: 'menu' },
          el('summary', { textContent: '⋮', title: `Publish ${c.label}`, ariaLabel: `Publish options for ${c.label}`, dataset: { category: c.id } }),
          el(
            'div',
            {},
            // A run without an enabled connection fails at once: the menu says why instead of queueing it.
            body.publishBlocked
              ? el('p', { className: 'menu-why' }, body.publishBlocked, ' ', el('a', { href: '#/configure', textContent: 'Open Configure' }))
              : null,
            ...(meta?.options ?? []).map((o) =>
              el('button', { type: 'button', textContent: o.label, disabled: Boolean(body.publishBlocked), onclick: () => void publish(c.id, o.id) }),
            ),
            // Resync deletes from the ODS what the catalog does not know: an admin's action, asked first.
            role === 'admin'
              ? el('button', { type: 'button', className: 'menu-danger', textContent: 'Resync with the ODS…', onclick: () => void resync(c) })
              : null,
          ),
        );
        const state = c.state === 'publishing' ? '↻ Publishing' : c.state === 'processing' ? '↻ Processing' : c.state === 'waiting' ? 'Waiting' : '';
        // What this profile's type and settings leave out (the guide: inactive categories are shown, marked, and publish nothing).
        const scopeNote =
          c.active === 'yes'
            ? []
            : [
                el(
                  'small',
                  { className: 'scope-note', title: c.inactiveWhy.join(' ') },
                  c.active === 'no' ? 'Inactive' : 'Partly active',
                  ': ',
                  c.inactiveWhy.join(' '),
                ),
              ];
        // Near-real-time publishing deferred for a spike: why, since and until when.
        const deferredNote = c.deferred
          ? [
              el(
                'small',
                { className: 'deferred-note' },
                `Deferred to the nightly run since ${new Date(c.deferred.since).toLocaleString()}: ${c.deferred.why} — ${c.deferred.until}`,
              ),
            ]
          : [];
        // A queued run that failed says so on its own row, not only in the queue at the page's foot.
        const failedNote = c.failedRun
          ? [
              el(
                'small',
                { className: 'failed-note' },
                `✗ Last run failed ${new Date(c.failedRun.at).toLocaleString()}: ${c.failedRun.message} `,
                runLink(c.failedRun.workflowId),
              ),
            ]
          : [];
        // What the last run left out, and why (toggled off, not mapped, inactive for this profile).
        const skippedNote =
          c.skipped.length > 0
            ? [el('small', { className: 'scope-note', textContent: `Not published last run: ${c.skipped.map((x) => `${x.label} — ${x.why}`).join('; ')}` })]
            : [];
        const note =
          publishNote?.categoryId === c.id && publishNote.until > Date.now()
            ? [el('small', { className: publishNote.refused ? 'failed-note' : 'publish-note', role: 'status', textContent: publishNote.text })]
            : [];
        const row = el(
          'tr',
          { className: c.active === 'no' ? 'inactive' : '' },
          el('th', { scope: 'row' }, c.label, ...scopeNote, ...deferredNote, ...failedNote, ...skippedNote, ...note),
          el(
            'td',
            {},
            ...c.entities.map((e) =>
              el('a', {
                className: `entity ${e.mark ? `mark-${e.mark}` : ''}`,
                href: `#/records/${e.resource}`,
                textContent: `${e.mark ? `${MARK[e.mark]} ` : ''}${e.label}`,
              }),
            ),
          ),
          el(
            'td',
            {},
            countsText(c.counts),
            c.counts.error + c.counts.dependency > 0
              ? el('a', { className: 'why', href: `#/causes/${c.id}`, textContent: 'Why?', ariaLabel: `Why ${c.label} records wait or fail` })
              : null,
          ),
          el('td', { textContent: state }),
          el('td', {}, menu),
        );
        return c.progress?.phase === 'publishing'
          ? [row, el('tr', { className: 'progress' }, el('td', { colSpan: 5 }, progressChart(c.label, c.progress)))]
          : [row];
      });
      return el(
        'div',
        { className: 'group' },
        el('h3', { textContent: g.label }),
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ...['Categories', 'Entities', 'Status', '', ''].map((t) => el('th', { textContent: t })))),
          el('tbody', {}, ...rows.flat()),
        ),
      );
    }),
  );
  if (focused) document.querySelector(`#dashboard summary[data-category="${focused}"]`)?.focus();
  const reopen = openMenu ? document.querySelector(`#dashboard summary[data-category="${openMenu}"]`)?.parentElement : null;
  if (reopen) reopen.open = true;
  // The same answer blocks the page's own publish form.
  for (const control of $('#publish-form').elements) control.disabled = Boolean(body.publishBlocked);
  $('#publish-form').title = body.publishBlocked ?? '';
  const published = body.groups.reduce((n, g) => n + g.categories.reduce((m, c) => m + c.counts.published, 0), 0);
  // Only a first publish changes the guide: not every batch of a running one (each redraws the dashboard).
  if (setupSeen.context !== `${profile}|${schoolYear}` || setupSeen.published > 0 !== published > 0) await refreshSetup(published);
}

// ---- setup guide: the guide's setup order with each step's state --------------------------
const SETUP_MARK = { done: '✓', problem: '✗', todo: '○', unknown: '?' };
const SETUP_PAGE = { configure: '#/configure', download: '#/download', mapping: '#/mapping', dashboard: '#/' };
/** Whether records were published when the guide was last read: the first publish reads it again. */
let setupSeen = { context: null, published: -1 };

async function refreshSetup(published) {
  const { profile, schoolYear } = ctx();
  if (!profile) return;
  setupSeen = { context: `${profile}|${schoolYear}`, published };
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/setup?schoolYear=${schoolYear}`);
  if (status !== 200) return;
  const done = body.steps.filter((s) => s.state === 'done').length;
  // Shown until every step is done; a finished install does not carry a checklist around.
  $('#setup-guide').hidden = done === body.steps.length;
  const next = body.steps.find((s) => s.state !== 'done');
  $('#setup-guide-summary').textContent = `Getting started: ${done} of ${body.steps.length} steps done${next ? ` — next: ${next.label}` : ''}`;
  $('#setup-steps').replaceChildren(
    ...body.steps.map((s) =>
      el(
        'li',
        { className: `guide-${s.state}${s === next ? ' guide-next' : ''}`, dataset: { step: s.id } },
        el('span', { className: 'guide-mark', ariaHidden: 'true', textContent: SETUP_MARK[s.state] }),
        el('a', { href: SETUP_PAGE[s.page], textContent: s.label }),
        el('span', { className: 'visually-hidden', textContent: ` (${s.state})` }),
        ' — ',
        s.detail,
      ),
    ),
  );
}

// ---- root causes: what holds records back, grouped --------------------------------------------
const BLOCKER_STATE = {
  error: 'in error',
  dependency: 'waiting too',
  excluded: 'excluded',
  'not-sent': 'not sent yet',
  published: 'published since',
  deleted: 'deleted from the ODS',
  missing: 'not in the catalog',
};

function causeItem(g) {
  const n = g.count.toLocaleString();
  const parts = g.byResource.map((r) => `${r.label} ${r.count.toLocaleString()}`).join(', ');
  const links = [];
  let head;
  if (g.blocker) {
    const b = g.blocker;
    const who = b.records === 1 ? b.label : `${b.records.toLocaleString()} ${b.label.split(' ')[0]} records (e.g. ${b.label})`;
    head = [
      el('strong', { textContent: n }),
      ` record${g.count === 1 ? ' waits' : 's wait'} on `,
      el('strong', { textContent: who }),
      ` — ${BLOCKER_STATE[b.state]}`,
      b.description ? `: ${b.description}` : '',
    ];
    if (b.open) links.push(el('a', { href: `#/records/${b.open.resource}/${encodeURIComponent(b.open.sourceKey)}`, textContent: `Open ${b.label}` }));
  } else {
    head = [
      el('strong', { textContent: n }),
      ` ${g.status === 'error' ? 'error' : 'dependency'}${g.count === 1 ? '' : g.status === 'error' ? 's' : ' records'}: `,
      el('q', { textContent: g.description ?? 'no message' }),
    ];
    if (g.codeSet) links.push(el('a', { href: `#/mapping/${g.codeSet}`, textContent: 'Open the Mapping page' }));
  }
  links.push(el('a', { href: `#/records/${g.sample.resource}/${encodeURIComponent(g.sample.sourceKey)}`, textContent: 'Open one of them' }));
  return el(
    'li',
    { className: `cause cause-${g.status}` },
    el('p', {}, ...head),
    el('p', { className: 'hint', textContent: parts }),
    el('p', { className: 'fix' }, el('span', { textContent: g.fix }), ' ', ...links.flatMap((a, i) => (i === 0 ? [a] : [' · ', a]))),
  );
}

/** Fills a list with the causes of a category's or an entity's records in dependency or error. */
async function renderCauses(target, query) {
  const { profile, schoolYear, school } = ctx();
  const q = new URLSearchParams({ schoolYear, ...query, ...(school ? { school } : {}) });
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/root-causes?${q}`);
  if (status !== 200) {
    target.replaceChildren(el('li', { textContent: body.message ?? 'Could not load the causes.' }));
    return 0;
  }
  target.replaceChildren(
    ...body.groups.map(causeItem),
    ...(body.more > 0 ? [el('li', { className: 'hint', textContent: `and ${body.more} smaller causes: open the entity's records to see them.` })] : []),
  );
  return body.total;
}

/** The entity's root causes above its records, when any of them wait or fail. */
async function refreshRecordCauses() {
  const total = await renderCauses($('#record-causes'), { resource: list.resource });
  $('#record-causes-box').hidden = total === 0;
  $('#record-causes-box').open = total > 0;
  $('#record-causes-summary').textContent = `Root causes of ${total.toLocaleString()} records in dependency or error`;
}

async function showCauses(categoryId) {
  const category = categories().find((c) => c.id === categoryId);
  $('#causes-title').textContent = `Why ${category?.label ?? categoryId} records wait or fail`;
  const total = await renderCauses($('#causes'), { category: categoryId });
  $('#causes-summary').textContent =
    total === 0
      ? 'Nothing waits or fails in this category.'
      : `${total.toLocaleString()} records, by cause — largest first. Fix a cause and the records behind it follow.`;
}

// ---- initial synchronization ---------------------------------------------------------------
let initialSyncTimer;
const STEP_MARK = { completed: '✓', failed: '✗', running: '↻', waiting: '' };
/** A completed category's mark as the dashboard gives it: errors or dependencies left are not a clean ✓. */
const stepMark = (s) => (s.state !== 'completed' ? STEP_MARK[s.state] : s.error > 0 ? MARK.error : s.dependency > 0 ? MARK.dependency : MARK.published);

/** The profile's initial synchronization of the year: category n of m, each one's counts; followed every 2 s while it runs. */
async function refreshInitialSync() {
  clearTimeout(initialSyncTimer);
  const { profile, schoolYear } = ctx();
  if (!profile) return;
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/initial-sync?schoolYear=${schoolYear}`);
  const open = status === 200 && body.open;
  $('#initial-sync-form').querySelector('[type=submit]').hidden = open;
  $('#initial-sync-pause').hidden = !open || body.state === 'paused';
  $('#initial-sync-resume').hidden = !open || body.state !== 'paused';
  $('#initial-sync-cancel').hidden = !open;
  if (status !== 200) {
    $('#initial-sync-state').textContent = 'Not run yet for this school year.';
    $('#initial-sync-steps').replaceChildren();
    return;
  }
  const label = (id) => categories().find((c) => c.id === id)?.label ?? id;
  const current = body.steps[body.current - 1];
  $('#initial-sync-state').replaceChildren(
    `${body.state[0].toUpperCase()}${body.state.slice(1)}: category ${body.current} of ${body.steps.length}`,
    current && open ? ` — ${label(current.category)}` : '',
    body.detail ? el('span', { className: 'detail', textContent: ` ${body.detail}` }) : '',
    body.dataChanges ? el('span', { className: 'detail', textContent: ` ${body.dataChanges}` }) : '',
    ' ',
    runLink(body.workflowId),
  );
  $('#initial-sync-steps').replaceChildren(
    ...body.steps.map((s) =>
      el('li', {
        className: `step-${s.state}`,
        textContent: `${stepMark(s)} ${label(s.category)} (${s.option === 'dependencies' ? 'Now – Dependencies' : s.option === 'all' ? 'Now – All' : 'Now – Changes'})${
          s.published !== undefined ? `: ${s.published.toLocaleString()} published, ${s.dependency} dependency, ${s.error} error` : ''
        }${s.detail ? ` — ${s.detail}` : ''}`,
      }),
    ),
    ...body.skipped.map((s) => el('li', { className: 'step-skipped', textContent: `${label(s.category)}: skipped — ${s.why}` })),
  );
  if (open) initialSyncTimer = setTimeout(() => void refreshInitialSync(), 2000);
}

async function initialSyncAction(action, payload = {}) {
  const { profile, schoolYear, school } = ctx();
  const url = `/api/profiles/${encodeURIComponent(profile)}/initial-sync${action === 'start' ? '' : `/${action}`}`;
  const body = {
    schoolYear: Number(schoolYear),
    ...(action === 'start' ? { scope: school ? { kind: 'school', schoolId: school } : { kind: 'district' }, ...payload } : {}),
  };
  const res = await api(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) $('#initial-sync-state').textContent = `Not done: ${res.body.message}`;
  else await refreshInitialSync();
}

const SVG = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs, ...children) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
};

/** The running category's records sent over time (all outcomes, and published), with its rate, and the ODS's connections in use when adaptive. */
function progressChart(label, p) {
  const w = 320;
  const h = 48;
  const points = p.samples.map((s) => ({ at: s.at, sent: s.published + s.dependency + s.error, published: s.published, connections: s.connections }));
  const t0 = points[0]?.at ?? 0;
  const span = Math.max(1, (points.at(-1)?.at ?? 0) - t0);
  const top = Math.max(1, ...points.map((x) => x.sent));
  const line = (key) => points.map((x) => `${(((x.at - t0) / span) * w).toFixed(1)},${(h - (x[key] / top) * (h - 2)).toFixed(1)}`).join(' ');
  const last = points.at(-1) ?? { sent: 0, published: 0 };
  const rate = Math.round((last.sent / span) * 1000);
  const known = points.filter((x) => x.connections !== undefined);
  const most = Math.max(1, ...known.map((x) => x.connections));
  const connections = known.map((x) => `${(((x.at - t0) / span) * w).toFixed(1)},${(h - (x.connections / most) * (h - 2)).toFixed(1)}`).join(' ');
  const now = known.at(-1)?.connections;
  const text = `${last.sent.toLocaleString()} records sent (${last.published.toLocaleString()} published), ${rate.toLocaleString()} per second, batch ${p.batchesDone} of ${p.batchesTotal}${now !== undefined ? `, ${now} connections to the ODS (${Math.min(...known.map((x) => x.connections))}–${most} during the run)` : ''}`;
  const chart = svg(
    'svg',
    { width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': `Publish progress of ${label}: ${text}` },
    svg('rect', { x: 0, y: 0, width: w, height: h, class: 'chart-bg' }),
    svg('polyline', { points: line('sent'), class: 'chart-sent' }),
    svg('polyline', { points: line('published'), class: 'chart-published' }),
    ...(known.length > 0 ? [svg('polyline', { points: connections, class: 'chart-connections' })] : []),
  );
  return el('div', { className: 'chart' }, chart, el('span', { textContent: text }));
}

// ---- record list ---------------------------------------------------------------------------
// The entity's own columns when its mapper declares them (the guide's: Student Name, Student UID, …),
// else the natural key's fields.
/** A model name as a clerk reads it: `calendarCode` → "Calendar Code", `schoolId` → "School ID", `ed-fi/gradeLevelDescriptors` → "Grade Level Descriptors". */
function humanize(name) {
  const words = name
    .replace(/^[a-z-]+\//, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/^./, (c) => c.toUpperCase());
  return words.replace(/\bId\b/g, 'ID').replace(/\bUid\b/g, 'UID');
}

function listColumns(body) {
  const keys = [...new Set(body.rows.flatMap((r) => Object.keys(r.naturalKey)))];
  const own = body.columns.length > 0 ? body.columns.map((c) => [`col.${c.id}`, c.label]) : keys.map((k) => [`key.${k}`, humanize(k)]);
  return [['schoolId', 'School'], ...own, ['status', 'Status'], ['statusDescription', 'Status description'], ['lastActivity', 'Last activity']];
}

async function refreshRecords() {
  const { profile, schoolYear, school } = ctx();
  const q = new URLSearchParams({
    resource: list.resource,
    schoolYear,
    sort: list.sort,
    order: list.order,
    page: String(list.page),
    pageSize: String(list.pageSize),
    ...(school ? { school } : {}),
  });
  if (list.statuses.size > 0) q.set('status', [...list.statuses].join(','));
  for (const f of list.filters) q.append('filter', `${f.column}:${f.text}`);
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/records?${q}`);
  if (status !== 200) {
    $('#records').replaceChildren(el('tr', {}, el('td', { textContent: body.message ?? 'Could not load the records.' })));
    return;
  }
  const entity = entities().find((e) => e.resource === list.resource);
  $('#records-title').textContent =
    `${school ? ($('#context-form').school.selectedOptions[0]?.textContent ?? `School ${school}`) : 'District Office'} › ${entity?.label ?? list.resource}`;
  // The default filter of the profile (DashboardDetailFilterOption) shows as checked statuses.
  for (const box of document.querySelectorAll('#records-controls input[name=status]')) box.checked = (body.statuses ?? []).includes(box.value);
  const columns = listColumns(body);
  fillSelect(
    $('#f-filter-column'),
    columns.filter(([c]) => c !== 'lastActivity' && c !== 'status'),
  );
  $('#records-head').replaceChildren(
    ...columns.map(([c, label]) => {
      const arrow = list.sort === c ? (list.order === 'asc' ? ' ▲' : ' ▼') : '';
      return el(
        'th',
        { ariaSort: list.sort === c ? (list.order === 'asc' ? 'ascending' : 'descending') : 'none' },
        el('button', {
          type: 'button',
          textContent: `${label}${arrow}`,
          onclick: () => {
            // First click sorts first-to-last, the second last-to-first.
            list.order = list.sort === c && list.order === 'asc' ? 'desc' : 'asc';
            list.sort = c;
            list.page = 1;
            void refreshRecords();
          },
        }),
      );
    }),
    el('th', {}, el('span', { className: 'visually-hidden', textContent: 'Actions' })),
  );
  const cell = (r, c) => {
    if (c === 'schoolId') return r.schoolId === null ? '' : schoolLabel(r.schoolName, r.schoolNumber, r.schoolId);
    if (c === 'status') return STATUS_TEXT[r.status] ?? r.status;
    if (c === 'statusDescription') return r.statusDescription ?? '';
    if (c === 'lastActivity') return new Date(r.lastActivity).toLocaleString();
    if (c.startsWith('col.')) return String(r.display?.[c.slice(4)] ?? '');
    return String(r.naturalKey[c.slice(4)] ?? '');
  };
  // An empty list says why it is empty and what would fill it.
  const empty =
    body.rows.length > 0
      ? []
      : [
          el(
            'tr',
            {},
            el('td', {
              colSpan: columns.length + 1,
              className: 'empty',
              textContent:
                list.filters.length > 0 || (body.statuses ?? []).length > 0
                  ? `No records match these filters${body.statuses?.length > 0 ? ` (status: ${body.statuses.map((x) => STATUS_TEXT[x] ?? x).join(', ')})` : ''}.`
                  : 'No records of this entity yet: publish its category from the dashboard.',
            }),
          ),
        ];
  $('#records').replaceChildren(
    ...empty,
    ...body.rows.map((r) =>
      el(
        'tr',
        {},
        ...columns.map(([c, label], i) =>
          el(
            'td',
            // Narrow windows show each row as a card, each value under its column's name.
            { className: c === 'status' ? `mark-${r.status}` : '', dataset: { label } },
            i === 0 ? el('a', { href: `#/records/${list.resource}/${encodeURIComponent(r.sourceKey)}`, textContent: cell(r, c) || r.sourceKey }) : cell(r, c),
          ),
        ),
        el('td', {}, recordMenu(r, `${entity?.label ?? list.resource} ${cell(r, columns[1]?.[0] ?? 'status') || r.sourceKey}`)),
      ),
    ),
  );
  $('#chips').replaceChildren(
    ...[
      ...list.filters.map((f, i) =>
        el(
          'span',
          { className: 'chip' },
          `${columns.find(([c]) => c === f.column)?.[1] ?? f.column} contains “${f.text}” `,
          el('button', {
            type: 'button',
            ariaLabel: `Remove filter ${f.column}`,
            textContent: '×',
            onclick: () => {
              list.filters.splice(i, 1);
              list.page = 1;
              void refreshRecords();
            },
          }),
        ),
      ),
      list.filters.length > 0
        ? el('button', {
            type: 'button',
            textContent: 'Clear All',
            onclick: () => {
              list.filters = [];
              list.page = 1;
              void refreshRecords();
            },
          })
        : null,
    ].filter((c) => c !== null),
  );
  const pages = Math.max(1, Math.ceil(body.total / list.pageSize));
  $('#pager').replaceChildren(
    el('button', {
      type: 'button',
      textContent: '‹ Previous',
      disabled: list.page <= 1,
      onclick: () => {
        list.page -= 1;
        void refreshRecords();
      },
    }),
    ` Page ${list.page} of ${pages} (${body.total.toLocaleString()} records) `,
    el('button', {
      type: 'button',
      textContent: 'Next ›',
      disabled: list.page >= pages,
      onclick: () => {
        list.page += 1;
        void refreshRecords();
      },
    }),
  );
}

// ---- record details ------------------------------------------------------------------------
async function showDetails(resource, sourceKey) {
  const { profile, schoolYear } = ctx();
  const { status, body } = await api(
    `/api/profiles/${encodeURIComponent(profile)}/records/${encodeURIComponent(resource)}/${encodeURIComponent(sourceKey)}?schoolYear=${schoolYear}`,
  );
  $('#details-back').href = `#/records/${resource}`;
  if (status !== 200) {
    $('#details').replaceChildren(el('dt', { textContent: 'Not found' }), el('dd', { textContent: body.message ?? '' }));
    $('#details-json').textContent = '';
    return;
  }
  const entity = entities().find((e) => e.resource === body.resource);
  const at = (iso) => (iso ? when(iso) : '');
  // The guide's order: what it is, what became of it and when, then the ids support asks for.
  const fields = [
    ['Entity', entity ? `${entity.label} (${body.resource})` : body.resource],
    ['Category', body.category ?? ''],
    ['Resource ID (external)', body.edfiId ?? '(not published)'],
    ['Status', STATUS_TEXT[body.status] ?? body.status],
    ['Status description', body.statusDescription ?? ''],
    ['Date last published', at(body.lastPublishedAt)],
    ['Date last updated', at(body.updatedAt)],
    ['Date created', at(body.createdAt)],
    ['First published', at(body.firstPublishedAt)],
    ['Last attempt', at(body.lastAttemptAt)],
    ['HTTP status', body.httpStatus ?? ''],
    ['Attempts', body.attempts],
    ['Internal id (SIS record)', body.sourceKey],
    ['Organization ID', body.organizationId ?? ''],
    ['School', body.schoolId === null ? '' : schoolLabel(body.schoolName, body.schoolNumber, body.schoolId)],
    ['School year', `${body.schoolYear - 1}-${body.schoolYear}`],
    ['Profile', `${body.profileName} (${body.profileId})`],
    ['Profile type', body.profileType],
  ];
  $('#details').replaceChildren(...fields.flatMap(([k, v]) => [el('dt', { textContent: k }), el('dd', { textContent: String(v) })]));
  // A record never sent has no JSON to show: say so instead of an empty section.
  const sent = body.sentJson !== null && body.sentJson !== undefined;
  $('#details-json-h').textContent = sent ? 'JSON sent' : 'Not sent to the ODS yet';
  $('#details-json').hidden = !sent;
  $('#details-json').textContent = sent ? JSON.stringify(body.sentJson, null, 2) : '';
  shown = { resource, sourceKey, label: `${entity?.label ?? body.resource} ${body.sourceKey}` };
  // Deleting from the ODS is an admin's action (the API refuses it to clerks).
  $('#delete-record').hidden = role !== 'admin';
}

/** Republish or delete one record (each its own small workflow); the answer says what became of it. */
async function postRecordAction(resource, sourceKey, action) {
  const { profile, schoolYear } = ctx();
  const { status, body } = await api(
    `/api/profiles/${encodeURIComponent(profile)}/records/${encodeURIComponent(resource)}/${encodeURIComponent(sourceKey)}/${action}`,
    json('POST', { schoolYear: Number(schoolYear) }),
  );
  const verb = action === 'publish' ? 'Republish' : 'Delete';
  // Say what became of it: a record the ODS refused again, or still held back, is not "Republished" (the answer is why).
  const done =
    action === 'delete'
      ? `Delete: ${body.outcome}`
      : body.outcome === 'published'
        ? 'Republished: published'
        : `Not published: ${STATUS_TEXT[body.outcome] ?? body.outcome}`;
  return status === 200
    ? el('span', {}, `${done} — `, runLink(body.workflowId))
    : el('span', { textContent: `${verb} refused: ${body.message ?? `HTTP ${status}`}` });
}

const DELETE_WHAT =
  'The delete goes to the Ed-Fi API without validation. The record stays in the SIS and in the catalog, marked Deleted; the next Now – Changes, Now – All or Republish sends it again while the SIS still has it.';

async function recordAction(action) {
  if (!shown) return;
  const { resource, sourceKey } = shown;
  $('#action-result').textContent = action === 'publish' ? 'Republishing…' : 'Deleting…';
  $('#action-result').replaceChildren(await postRecordAction(resource, sourceKey, action));
  await showDetails(resource, sourceKey);
}

/** The guide's per-row ⋮ menu of a record list: Details, Republish, and (admins) Delete. */
function recordMenu(r, label) {
  const act = async (action) => {
    $('#records-result').textContent = action === 'publish' ? `Republishing ${label}…` : `Deleting ${label}…`;
    $('#records-result').replaceChildren(`${label}: `, await postRecordAction(list.resource, r.sourceKey, action));
    await refreshRecords();
  };
  const remove = async () => {
    if (await askToRemove(`Delete ${label} from the ODS?`, DELETE_WHAT, 'Delete from the ODS')) await act('delete');
  };
  return el(
    'details',
    { className: 'menu' },
    el('summary', { textContent: '⋮', ariaLabel: `Actions for ${label}` }),
    el(
      'div',
      {},
      el('a', { href: `#/records/${list.resource}/${encodeURIComponent(r.sourceKey)}`, textContent: 'Details' }),
      el('button', { type: 'button', textContent: 'Republish', onclick: () => void act('publish') }),
      role === 'admin' ? el('button', { type: 'button', className: 'menu-danger', textContent: 'Delete from the ODS…', onclick: () => void remove() }) : null,
    ),
  );
}

// ---- configuration (admin) -------------------------------------------------------------------
let connection = { leaId: '', profileId: '' };
/** The profile the profile dialog edits; null while adding one. */
let editingProfile = null;
let editingLea = null;

const json = (method, body) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const connectionBase = (leaId, profileId) => `/api/leas/${encodeURIComponent(leaId)}/connections/${encodeURIComponent(profileId)}`;

/** A connection's state in one word, as the clerk must act on it: only "Enabled" publishes. */
function connectionState(c) {
  if (c.enabled) return ['Enabled', 'badge-ok'];
  if (!c.lastTest) return ['Not tested', 'badge-idle'];
  if (!c.lastTest.forCurrentCredentials) return ['Key changed: test again', 'badge-warn'];
  return c.lastTest.ok ? ['Tested, not enabled', 'badge-warn'] : ['Test failed', 'badge-bad'];
}

const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** Actions that remove or delete ask first, in the page's own dialog: what goes, and what stays. */
function askToRemove(title, what, yes = 'Remove') {
  const dialog = $('#confirm-dialog');
  $('#confirm-dialog-h').textContent = title;
  $('#confirm-dialog-what').textContent = what;
  $('#confirm-yes').textContent = yes;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true }));
}

function switchCell(p, field, label) {
  const box = el('input', { type: 'checkbox', checked: p[field], ariaLabel: `${field} for ${p.name}`, title: label });
  box.addEventListener('change', async () => {
    const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}`, json('PATCH', { [field]: box.checked }));
    $('#profile-result').textContent = status === 200 ? `Saved ${p.name}.` : `Not saved: ${body.message}`;
  });
  return el('td', {}, box);
}

function openProfileDialog(p) {
  editingProfile = p ?? null;
  const f = $('#profile-form');
  $('#profile-dialog-h').textContent = p ? `Edit ${p.name}` : 'Add Profile';
  f.enabled.checked = p ? p.enabled : true;
  f.name.value = p?.name ?? '';
  f.profileType.value = p?.profileType ?? 'SIS';
  // The guide: the type is not on the Edit dialog.
  f.profileType.disabled = Boolean(p);
  $('#f-ptype-hint').textContent = p ? 'Fixed once saved: add a new profile for another type.' : 'Cannot be changed once saved.';
  f.sisProduct.value = p?.sisProduct ?? 'PowerSchool';
  f.apiUrl.value = p?.apiUrl ?? '';
  f.authUrl.value = p?.authUrl ?? '';
  f.schoolYears.value = p ? p.schoolYears.join(', ') : '';
  f.publishDataChanges.checked = p?.publishDataChanges ?? false;
  f.publishDownload.checked = p?.publishDownload ?? true;
  f.publishPublish.checked = p?.publishPublish ?? true;
  $('#profile-dialog-result').textContent = '';
  $('#profile-dialog').showModal();
  f.name.focus();
}

async function saveProfile(f) {
  const payload = {
    enabled: f.enabled.checked,
    name: f.name.value,
    sisProduct: f.sisProduct.value,
    schoolYears: f.schoolYears.value.split(',').map((y) => Number(y.trim())),
    publishDataChanges: f.publishDataChanges.checked,
    publishDownload: f.publishDownload.checked,
    publishPublish: f.publishPublish.checked,
    ...(f.apiUrl.value ? { apiUrl: f.apiUrl.value } : {}),
    ...(f.authUrl.value ? { authUrl: f.authUrl.value } : {}),
  };
  const p = editingProfile;
  const { status, body } = p
    ? await api(`/api/profiles/${encodeURIComponent(p.id)}`, json('PATCH', payload))
    : await api('/api/profiles', json('POST', { ...payload, profileType: f.profileType.value }));
  if (status !== 200 && status !== 201) {
    $('#profile-dialog-result').textContent = `Not saved — ${body.message}`;
    return;
  }
  $('#profile-dialog').close();
  $('#profile-result').textContent = p ? `Saved ${body.name}.` : `Added ${body.name}. Its type cannot be changed later.`;
  await loadConfigure();
}

async function removeProfile(p) {
  if (
    !(await askToRemove(`Remove ${p.name}?`, 'It stops publishing and disappears from every list. Its catalog and mappings are kept: Restore brings it back.'))
  )
    return;
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}`, { method: 'DELETE' });
  $('#profile-result').textContent = status === 200 ? `Removed ${p.name}: restore it under Removed profiles.` : `Not removed — ${body.message}`;
  if (status === 200) await loadConfigure();
}

function openLeaDialog(l) {
  editingLea = l;
  const f = $('#lea-form');
  $('#lea-dialog-h').textContent = `Edit ${l.name}`;
  f.name.value = l.name;
  f.stateNumber.value = l.stateNumber;
  $('#lea-dialog-result').textContent = '';
  $('#lea-dialog').showModal();
}

async function saveLea(f) {
  const { status, body } = await api(`/api/leas/${encodeURIComponent(editingLea.id)}`, json('PATCH', { name: f.name.value, stateNumber: f.stateNumber.value }));
  if (status !== 200) {
    $('#lea-dialog-result').textContent = `Not saved — ${body.message}`;
    return;
  }
  $('#lea-dialog').close();
  $('#connections-result').textContent = `Saved ${body.name}.`;
  await loadConfigure();
}

async function removeLea(l) {
  if (!(await askToRemove(`Remove ${l.name}?`, 'Only an LEA no profile connects to can be removed.'))) return;
  const { status, body } = await api(`/api/leas/${encodeURIComponent(l.id)}`, { method: 'DELETE' });
  $('#connections-result').textContent = status === 204 ? `Removed ${l.name}.` : `Not removed — ${body.message}`;
  if (status === 204) await loadConfigure();
}

async function testConnection(leaId, profileId) {
  $('#connections-result').textContent = 'Testing…';
  const test = await api(`${connectionBase(leaId, profileId)}/test`, { method: 'POST' });
  // On success the message says which LEA the key serves; on failure, what to fix.
  $('#connections-result').textContent = test.body.ok ? test.body.message : `Test failed — ${test.body.message ?? 'no answer'}`;
  await loadConfigure();
  return test.body;
}

async function enableConnection(leaId, profileId, enabled, result) {
  const { status, body } = await api(`${connectionBase(leaId, profileId)}/enabled`, json('PUT', { enabled }));
  result.textContent = status === 200 ? (body.enabled ? 'Connection enabled.' : 'Connection disabled.') : body.message;
  return status === 200;
}

function profileRow(p) {
  const edit = el('button', { type: 'button', className: 'secondary', textContent: 'Edit', ariaLabel: `Edit ${p.name}` });
  edit.addEventListener('click', () => openProfileDialog(p));
  const remove = el('button', { type: 'button', className: 'secondary', textContent: 'Remove', ariaLabel: `Remove ${p.name}` });
  remove.addEventListener('click', () => void removeProfile(p));
  return el(
    'tr',
    {},
    el('td', { textContent: p.name }),
    el('td', { textContent: `${p.profileType} · ${p.sisProduct}` }),
    el('td', { textContent: p.schoolYears.map((y) => `${y - 1}-${y}`).join(', ') }),
    switchCell(p, 'enabled', 'Enabled'),
    switchCell(p, 'publishDataChanges', 'Data Changes'),
    switchCell(p, 'publishDownload', 'Download'),
    switchCell(p, 'publishPublish', 'Publish'),
    el('td', { className: 'actions' }, edit, remove),
  );
}

function connectionRow(l, c, profileName) {
  const [stateText, stateClass] = connectionState(c);
  const name = profileName(c.profileId);
  const test = el('button', { type: 'button', className: 'secondary', textContent: 'Test', ariaLabel: `Test ${name} for ${l.name}` });
  test.addEventListener('click', () => void testConnection(l.id, c.profileId));
  // The guide's easy-to-overlook step: Enable is offered only after a successful test.
  const canEnable = c.enabled || (c.lastTest?.ok === true && c.lastTest.forCurrentCredentials);
  const enable = el('input', { type: 'checkbox', checked: c.enabled, disabled: !canEnable, ariaLabel: `Enable ${name} for ${l.name}` });
  enable.addEventListener('change', async () => {
    if (await enableConnection(l.id, c.profileId, enable.checked, $('#connections-result'))) await loadConfigure();
  });
  const remove = el('button', { type: 'button', className: 'secondary', textContent: 'Remove', ariaLabel: `Remove the connection of ${name} to ${l.name}` });
  remove.addEventListener('click', async () => {
    if (
      !(await askToRemove(
        `Remove the connection of ${name} to ${l.name}?`,
        'Its key and secret are deleted and it stops publishing; what was published stays.',
      ))
    )
      return;
    const { status, body } = await api(connectionBase(l.id, c.profileId), { method: 'DELETE' });
    $('#connections-result').textContent = status === 204 ? `Removed the connection of ${name} to ${l.name}.` : `Not removed — ${body.message}`;
    await loadConfigure();
  });
  return el(
    'tr',
    {},
    el('td', { textContent: l.name }),
    el('td', { textContent: name }),
    el('td', {}, el('code', { textContent: c.key })),
    el('td', {}, el('span', { className: `badge ${stateClass}`, textContent: stateText })),
    el('td', { textContent: c.lastTest ? `${when(c.lastTest.at)} — ${c.lastTest.message}` : '' }),
    el('td', {
      className: c.setupProblem ? 'setup-problem' : '',
      textContent: c.setupProblem ? `${c.setupProblem.message} (Test again once fixed)` : '',
    }),
    el('td', { className: 'actions' }, test, el('label', { className: 'option' }, enable, ' Enabled'), remove),
  );
}

async function loadConfigure() {
  const settings = (await api('/api/settings')).body;
  const sf = $('#settings-form');
  // A reload that lands after the admin began typing (a second route to the page) keeps what they typed.
  if (sf.dataset.edited !== 'true') {
    sf.enableDataExchange.checked = settings.enableDataExchange;
    sf.simultaneousConnections.value = settings.simultaneousConnections;
    sf.adaptiveConnections.checked = settings.adaptiveConnections;
    for (const box of sf.querySelectorAll('input[name="logging"]')) box.checked = settings.loggingOptions.includes(box.value);
  }
  const profiles = (await api('/api/profiles')).body;
  $('#profiles').replaceChildren(
    ...(profiles.length > 0
      ? profiles.map(profileRow)
      : [el('tr', {}, el('td', { colSpan: 8, className: 'empty', textContent: 'No profile yet: Add Profile.' }))]),
  );
  const removed = (await api('/api/removed-profiles')).body;
  $('#removed-profiles-box').hidden = removed.length === 0;
  $('#removed-profiles').replaceChildren(
    ...removed.map((p) => {
      const restore = el('button', { type: 'button', className: 'secondary', textContent: 'Restore', ariaLabel: `Restore ${p.name}` });
      restore.addEventListener('click', async () => {
        const { status, body } = await api(`/api/removed-profiles/${encodeURIComponent(p.id)}/restore`, { method: 'POST' });
        $('#profile-result').textContent = status === 200 ? `Restored ${p.name}, disabled: enable it when ready.` : `Not restored — ${body.message}`;
        await loadConfigure();
      });
      return el('li', {}, `${p.name} (removed ${when(p.removedAt)}) `, restore);
    }),
  );
  fillSelect(
    $('#f-cprofile'),
    profiles.map((p) => [p.id, p.name]),
  );
  // The guide's LEA list, and each profile connection with its state: what a clerk must act on.
  const leas = (await api('/api/leas')).body;
  const profileName = (id) => profiles.find((p) => p.id === id)?.name ?? removed.find((p) => p.id === id)?.name.concat(' (removed)') ?? id;
  $('#leas').replaceChildren(
    ...leas.map((l) => {
      const edit = el('button', { type: 'button', className: 'secondary', textContent: 'Edit', ariaLabel: `Edit ${l.name}` });
      edit.addEventListener('click', () => openLeaDialog(l));
      const remove = el('button', { type: 'button', className: 'secondary', textContent: 'Remove', ariaLabel: `Remove ${l.name}` });
      remove.addEventListener('click', () => void removeLea(l));
      return el(
        'tr',
        {},
        el('td', { textContent: l.name }),
        el('td', { textContent: l.stateNumber }),
        el('td', { textContent: l.connections.map((c) => profileName(c.profileId)).join(', ') || '—' }),
        el('td', { className: 'actions' }, edit, remove),
      );
    }),
  );
  const rows = leas.flatMap((l) => l.connections.map((c) => connectionRow(l, c, profileName)));
  $('#connections').replaceChildren(
    ...(rows.length > 0
      ? rows
      : [el('tr', {}, el('td', { colSpan: 7, className: 'empty', textContent: 'No connection yet: enter the key and secret below.' }))]),
  );
  // A profile added here is at once in the context selector too (the first one becomes the context).
  const hadProfile = Boolean(ctx().profile);
  fillSelect(
    $('#context-form').profile,
    profiles.map((p) => [p.id, p.name]),
  );
  if (!hadProfile && profiles.length > 0) await loadProfile();
}

// ---- settings (admin): the profile's settings and its resource preferences ------------------
/** One profile's settings panel, as the guide lays the page out: the profile's name, then its settings. */
function settingsPanel(p, body) {
  const fields = body.offered.map((o) => {
    const id = `s-${p.id}-${o.name}`;
    const value = body.settings[o.name];
    let input;
    if (typeof o.default === 'boolean') input = el('input', { id, name: o.name, type: 'checkbox', checked: value === true });
    else if (o.choices) {
      input = el('select', { id, name: o.name }, ...o.choices.map((c) => el('option', { value: c, textContent: c })));
      input.value = String(value);
    } else input = el('input', { id, name: o.name, type: typeof o.default === 'number' ? 'number' : 'text', value: String(value) });
    input.dataset.kind = typeof o.default;
    return el(
      'div',
      { className: 'field' },
      el('label', { htmlFor: id, textContent: o.name }),
      input,
      el('span', { className: 'hint', textContent: `${o.description} (default ${String(o.default)})` }),
    );
  });
  const result = el('p', { className: 'profile-settings-result', role: 'status' });
  const form = el('form', {}, el('div', { className: 'settings-grid' }, ...fields), el('button', { type: 'submit', textContent: 'Save profile settings' }));
  const heading = `settings-h-${p.id}`;
  const panel = el('section', { className: 'profile-panel', dataset: { profile: p.id } }, el('h3', { id: heading, textContent: p.name }), form, result);
  // Typed but not saved: a reload of the page (a second route to it) keeps the panel as it is.
  form.addEventListener('input', () => (panel.dataset.edited = 'true'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveSettings(p.id, form, result).then((saved) => {
      if (saved) delete panel.dataset.edited;
    });
  });
  panel.setAttribute('aria-labelledby', heading);
  return panel;
}

/** The profiles the user sees, for the guide's per-profile pages: the context profile's panel first. */
async function profilesContextFirst(profile) {
  const profiles = (await api('/api/profiles')).body;
  return Array.isArray(profiles) ? [...profiles.filter((p) => p.id === profile), ...profiles.filter((p) => p.id !== profile)] : [];
}

async function loadSettings() {
  const { profile } = ctx();
  $('#settings-profile').textContent = $('#context-form').profile.selectedOptions[0]?.textContent ?? profile;
  // Every profile the user sees has its panel, the context profile first.
  const ordered = await profilesContextFirst(profile);
  const panels = [];
  for (const p of ordered) {
    const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}/settings`);
    panels.push(
      status === 200
        ? settingsPanel(p, body)
        : el(
            'section',
            { className: 'profile-panel' },
            el('h3', { textContent: p.name }),
            el('p', { textContent: body.message ?? `Settings not available (HTTP ${status})` }),
          ),
    );
  }
  // Read as the panels are replaced, not before the reads: what was typed meanwhile stays.
  const edited = new Map([...$('#profile-settings').querySelectorAll('.profile-panel[data-edited="true"]')].map((e) => [e.dataset.profile, e]));
  $('#profile-settings').replaceChildren(...panels.map((panel) => edited.get(panel.dataset.profile) ?? panel));
  const prefs = (await api(`/api/profiles/${encodeURIComponent(profile)}/resources`)).body;
  $('#resource-preferences').replaceChildren(
    ...(Array.isArray(prefs) ? prefs : []).map((r) => {
      const save = async (change, saved) => {
        const res = await api(`/api/profiles/${encodeURIComponent(profile)}/resources/${encodeURIComponent(r.resource)}/preferences`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(change),
        });
        $('#resources-result').textContent = res.status === 200 ? `Saved: ${r.label} ${saved}.` : `Not saved — ${res.body.message}`;
      };
      const box = (checked, ariaLabel, onChange) => {
        const input = el('input', { type: 'checkbox', checked, ariaLabel });
        input.addEventListener('change', () => onChange(input.checked));
        return input;
      };
      const enabled = box(r.enabled, `Publish ${r.label}`, (on) => save({ enabled: on }, on ? 'published' : 'not published (what was sent stays)'));
      // The options each resource's mapper declares (calendars: report grade levels).
      const options = (r.options ?? []).map((o) =>
        el(
          'label',
          { className: 'option', title: o.help },
          box(o.value, `${o.label} for ${r.label}`, (on) => save({ options: { [o.key]: on } }, `${o.label.toLowerCase()}: ${on ? 'on' : 'off'}`)),
          ` ${o.label}`,
        ),
      );
      return el(
        'tr',
        {},
        el('td', { textContent: r.category }),
        el('th', { scope: 'row', textContent: r.label }),
        el('td', {}, enabled),
        el('td', {}, ...options),
      );
    }),
  );
}

async function saveSettings(profileId, form, result) {
  const changes = Object.fromEntries(
    [...form.querySelectorAll('[name]')].map((input) => [
      input.name,
      input.dataset.kind === 'boolean' ? input.checked : input.dataset.kind === 'number' ? Number(input.value) : input.value,
    ]),
  );
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profileId)}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(changes),
  });
  result.textContent = status === 200 ? 'Profile settings saved.' : `Not saved — ${body.message}`;
  return status === 200;
}

async function refreshProcessing() {
  const { body } = await api('/api/diagnostics/system-processing');
  $('#f-processing').checked = body.enabled;
  $('#processing-state').textContent = `${body.state}: ${body.detail}`;
  return body.state;
}

// ---- preview ---------------------------------------------------------------------------------
const PREVIEW_KINDS = [
  ['post', 'Posted (new)'],
  ['update', 'Updated'],
  ['rekey', 'Re-keyed'],
  ['delete', 'Deleted'],
];

/** A Preview – Changes run's findings: counts per entity, then a few records of each kind (an update with what changed). */
async function showPreview(workflowId) {
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(ctx().profile)}/preview?workflowId=${encodeURIComponent(workflowId)}`);
  const dialog = $('#preview-dialog');
  if (status !== 200) {
    $('#pv-summary').textContent = body.message;
    $('#pv-counts').replaceChildren();
    $('#pv-samples').replaceChildren();
  } else {
    const t = body.total;
    $('#pv-summary').textContent =
      `Nothing was sent. A Now – Changes would post ${t.post.toLocaleString()} new, update ${t.update.toLocaleString()}, ` +
      `re-key ${t.rekey.toLocaleString()} and delete ${t.delete.toLocaleString()} records.`;
    $('#pv-counts').replaceChildren(
      ...body.entities.map((e) =>
        el(
          'tr',
          { dataset: { resource: e.resource } },
          el('th', { scope: 'row', textContent: e.label }),
          ...PREVIEW_KINDS.map(([k]) => el('td', { className: 'num', textContent: e.counts[k].toLocaleString() })),
        ),
      ),
    );
    const keyText = (naturalKey) =>
      Object.entries(naturalKey)
        .map(([k, v]) => `${k} ${typeof v === 'object' && v !== null ? Object.values(v).join(' / ') : v}`)
        .join(', ');
    $('#pv-samples').replaceChildren(
      ...body.entities
        .filter((e) => e.samples.length > 0)
        .map((e) =>
          el(
            'section',
            { className: 'pv-entity' },
            el('h4', { textContent: e.label }),
            el(
              'ul',
              {},
              ...e.samples.map((s) =>
                el(
                  'li',
                  { dataset: { kind: s.kind } },
                  el('strong', { textContent: `${PREVIEW_KINDS.find(([k]) => k === s.kind)?.[1] ?? s.kind}: ` }),
                  keyText(s.naturalKey),
                  s.changed?.length ? ` — changed: ${s.changed.join(', ')}` : '',
                ),
              ),
            ),
          ),
        ),
    );
  }
  if (!dialog.open) dialog.showModal();
}

// ---- queue (live) --------------------------------------------------------------------------
async function dismissEntry(ticket, what) {
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(ctx().profile)}/publish-queue/${ticket}`, { method: 'DELETE' });
  $('#publish-result').textContent = status === 200 ? `${what} #${ticket}.` : `Not dismissed: ${body.message}`;
  await refreshDashboard();
}

/** The run's OpenTelemetry trace id (tracing on), to find the clerk's click and its ODS answers in the tracing backend. */
function traceOf(item) {
  const id = item.traceId ?? /^[\da-f]{2}-([\da-f]{32})-/.exec(item.request?.traceparent ?? '')?.[1];
  return id ? [' ', el('code', { className: 'trace-id', title: 'OpenTelemetry trace id', textContent: `trace ${id}` })] : [];
}

function renderQueue(view) {
  const row = (item, state, cls, action) => {
    const category = categories().find((c) => c.id === (item.request?.category ?? item.category));
    const optionId = item.request?.option ?? item.option;
    const option = category?.options.find((o) => o.id === optionId)?.label ?? optionId ?? '';
    const year = item.request?.schoolYear ?? item.schoolYear;
    return el(
      'tr',
      {},
      el('td', { textContent: String(item.ticket) }),
      el('td', { textContent: category?.label ?? item.category }),
      el('td', { textContent: option }),
      el('td', { textContent: year ? `${year - 1}-${year}` : '' }),
      el('td', { textContent: state, className: cls ?? '' }),
      el('td', {}, runLink(item.workflowId), ...traceOf(item)),
      el('td', {}, action ?? null),
    );
  };
  const button = (text, label, onClick) => el('button', { type: 'button', className: 'secondary', textContent: text, ariaLabel: label, onclick: onClick });
  const rows = [];
  if (view?.running) rows.push(row(view.running, 'Publishing'));
  // The sweeper's wake of records now ready runs beside the running category, not behind it.
  if (view?.beside) rows.push(row(view.beside, 'Publishing beside (records whose dependency published)'));
  for (const w of view?.waiting ?? [])
    rows.push(
      row(
        w,
        'Waiting',
        '',
        button('Remove', `Remove #${w.ticket} from the queue`, () => void dismissEntry(w.ticket, 'Removed from the queue:')),
      ),
    );
  for (const r of [...(view?.recent ?? [])].reverse())
    rows.push(
      row(
        r,
        r.outcome === 'failed' ? `Failed: ${r.detail ?? ''}` : r.detail !== undefined ? `Done. ${r.detail}` : 'Done',
        r.outcome === 'failed' ? 'failed' : '',
        r.outcome === 'failed'
          ? button('Dismiss', `Dismiss failed #${r.ticket}`, () => void dismissEntry(r.ticket, 'Dismissed'))
          : r.option === 'preview'
            ? button('Show preview', `Show preview #${r.ticket}`, () => void showPreview(r.workflowId))
            : null,
      ),
    );
  $('#queue').replaceChildren(
    ...(rows.length > 0 ? rows : [el('tr', {}, el('td', { colSpan: 7, className: 'empty', textContent: 'Nothing queued or run yet for this profile.' }))]),
  );
}

let dashboardTimer;
function watchQueue() {
  feed?.close();
  const { profile } = ctx();
  if (!profile) return;
  // The server pushes each change (server-sent events); the browser reconnects by itself.
  feed = new EventSource(`/api/profiles/${encodeURIComponent(profile)}/publish-queue/events`);
  // Each change of the queue, and each batch the running category sends (its progress rides along),
  // redraws the dashboard's counts, marks and chart.
  feed.addEventListener('queue', (event) => {
    renderQueue(JSON.parse(event.data));
    clearTimeout(dashboardTimer);
    dashboardTimer = setTimeout(() => void refreshDashboard(), 300);
  });
}

// ---- download ------------------------------------------------------------------------------
const DOWNLOAD_LABELS = { descriptors: 'Descriptors', 'organization-catalog': 'Organization Catalog', 'course-catalog': 'Course Catalog' };
/** The Download page's live feed (server-sent events), open while the page shows. */
let downloadFeed;
let downloadFeedKey = '';

async function requestDownload(categories) {
  const { profile, schoolYear } = ctx();
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/downloads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schoolYear: Number(schoolYear), ...(categories ? { categories } : {}) }),
  });
  $('#download-result').replaceChildren(
    status === 202
      ? el('span', {}, `Requested ${body.categories.map((c) => DOWNLOAD_LABELS[c] ?? c).join(', ')} — `, runLink(body.workflowId))
      : el('span', { textContent: body.message ?? `Refused (HTTP ${status})` }),
  );
}

/** Opens the feed for the profile and year in context; every change redraws the page. */
/** What each profile's downloads stand at, one row per profile (the guide's Download covers them all). */
const downloadRequests = new Map();
async function refreshProfileDownloads() {
  const profiles = (await api('/api/profiles')).body;
  const rows = await Promise.all(
    (Array.isArray(profiles) ? profiles : []).map(async (p) => {
      const year = profileDownloadYear(p);
      const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}/downloads?schoolYear=${year}`);
      const by = new Map((status === 200 ? body : []).map((r) => [r.category, r]));
      const cell = (id) => {
        const r = by.get(id);
        return el('td', { className: `dl-${r?.status ?? 'none'}`, textContent: r ? `${r.status}${r.status === 'done' ? ` (${r.downloaded})` : ''}` : '—' });
      };
      return {
        busy: [...by.values()].some((r) => r.status === 'waiting' || r.status === 'running'),
        row: el(
          'tr',
          {},
          el('th', { scope: 'row', textContent: p.name }),
          el('td', { textContent: `${year - 1}-${year}` }),
          ...Object.keys(DOWNLOAD_LABELS).map(cell),
          el('td', { textContent: downloadRequests.get(p.id) ?? (p.publishDownload && p.enabled ? '' : 'Download is off for this profile') }),
        ),
      };
    }),
  );
  $('#download-profiles').replaceChildren(...rows.map((r) => r.row));
  return rows.some((r) => r.busy);
}

/** The context's school year when the profile has it, else its latest. */
function profileDownloadYear(p) {
  const chosen = Number(ctx().schoolYear);
  return p.schoolYears.includes(chosen) ? chosen : Math.max(...p.schoolYears);
}

async function downloadAllProfiles() {
  const profiles = (await api('/api/profiles')).body;
  for (const p of profiles) {
    if (!p.enabled || !p.publishDownload) {
      downloadRequests.set(p.id, 'not requested: the profile or its Download switch is off');
      continue;
    }
    const { status, body } = await api(`/api/profiles/${encodeURIComponent(p.id)}/downloads`, json('POST', { schoolYear: profileDownloadYear(p) }));
    downloadRequests.set(p.id, status === 202 ? `requested ${body.categories.map((c) => DOWNLOAD_LABELS[c] ?? c).join(', ')}` : `refused: ${body.message}`);
  }
  // Follow them while any runs (the context profile's panel below is live on its own).
  for (let i = 0; i < 120 && !$('#view-download').hidden; i++) {
    if (!(await refreshProfileDownloads()) && i > 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function showDownloads() {
  const { profile, schoolYear } = ctx();
  const key = `${profile}/${schoolYear}`;
  if (downloadFeed && downloadFeedKey === key) return;
  downloadFeed?.close();
  downloadFeedKey = key;
  downloadFeed = new EventSource(`/api/profiles/${encodeURIComponent(profile)}/downloads/events?schoolYear=${schoolYear}`);
  downloadFeed.addEventListener('downloads', (event) => void renderDownloads(JSON.parse(event.data)));
}

function closeDownloads() {
  downloadFeed?.close();
  downloadFeed = undefined;
}

let lastDone = '';
async function renderDownloads(rows) {
  const { profile, schoolYear } = ctx();
  const byCategory = new Map(rows.map((r) => [r.category, r]));
  $('#downloads').replaceChildren(
    ...Object.entries(DOWNLOAD_LABELS).map(([id, label]) => {
      const r = byCategory.get(id);
      const button = el('button', { type: 'button', textContent: `Download ${label}` });
      button.addEventListener('click', () => void requestDownload([id]));
      const status = r ? `${r.status}${r.message ? `: ${r.message}` : ''}` : 'not downloaded yet';
      return el(
        'tr',
        {},
        el('th', { scope: 'row', textContent: label }),
        el('td', { textContent: status, className: `dl-${r?.status ?? 'none'}` }),
        el('td', { textContent: r ? String(r.downloaded) : '' }),
        el('td', { textContent: r ? new Date(r.lastActivity).toLocaleString() : '' }),
        el('td', {}, button),
      );
    }),
  );
  $('#download-stop').hidden = !rows.some((r) => r.status === 'waiting' || r.status === 'running');
  // The descriptor summary changes only when a category finishes.
  const done = JSON.stringify(rows.filter((r) => r.status === 'done').map((r) => [r.category, r.lastActivity]));
  if (done === lastDone && $('#descriptor-summary').childElementCount > 0) return;
  lastDone = done;
  const summary = (await api(`/api/profiles/${encodeURIComponent(profile)}/downloads/descriptors?schoolYear=${schoolYear}`)).body;
  $('#descriptor-summary').replaceChildren(
    ...(Array.isArray(summary) ? summary : []).map((d) =>
      el(
        'tr',
        {},
        el('td', { textContent: humanize(d.resource), title: d.resource }),
        el('td', { textContent: d.description ?? '' }),
        el('td', { textContent: String(d.count) }),
        el('td', { textContent: String(d.gone) }),
      ),
    ),
  );
  const resources = ['ed-fi/localEducationAgencies', 'ed-fi/schools', 'ed-fi/courses', ...(Array.isArray(summary) ? summary.map((d) => d.resource) : [])];
  fillSelect(
    $('#f-dl-resource'),
    resources.map((r) => [r, humanize(r)]),
  );
}

/** One page of what a download brought for a resource, narrowed by "contains"; the page survives a redraw. */
const dlList = { page: 1, pageSize: 50 };
async function showDownloadedRecords() {
  const { profile, schoolYear } = ctx();
  const f = $('#dl-records-form');
  const q = new URLSearchParams({
    schoolYear,
    resource: f.resource.value,
    page: String(dlList.page),
    pageSize: String(dlList.pageSize),
    ...(f.contains.value.trim() ? { contains: f.contains.value.trim() } : {}),
  });
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/downloads/records?${q}`);
  if (status !== 200) {
    $('#dl-records').replaceChildren(el('tr', {}, el('td', { colSpan: 5, textContent: body.message ?? `Not available (HTTP ${status})` })));
    return;
  }
  const described = (doc) => doc.shortDescription ?? doc.nameOfInstitution ?? doc.courseTitle ?? '';
  // The key is the model's natural key (JSON): a descriptor reads as its URI, anything else as its parts.
  const keyShown = (key) => {
    const k = JSON.parse(key);
    return k.namespace !== undefined && k.codeValue !== undefined ? `${k.namespace}#${k.codeValue}` : Object.values(k).join(' / ');
  };
  $('#dl-records').replaceChildren(
    ...body.rows.map((r) =>
      el(
        'tr',
        {},
        el('td', { textContent: keyShown(r.key) }),
        el('td', { textContent: String(described(r.doc)) }),
        el('td', { textContent: r.origin === 'district' ? 'published by the district' : 'state' }),
        el('td', { textContent: r.gone ? 'gone' : '' }),
        el('td', { textContent: new Date(r.updatedAt).toLocaleString() }),
      ),
    ),
  );
  const pages = Math.max(1, Math.ceil(body.total / dlList.pageSize));
  $('#dl-pager').replaceChildren(
    el('button', {
      type: 'button',
      textContent: '‹ Previous',
      disabled: dlList.page <= 1,
      onclick: () => {
        dlList.page -= 1;
        void showDownloadedRecords();
      },
    }),
    ` Page ${dlList.page} of ${pages} (${body.total.toLocaleString()} records) `,
    el('button', {
      type: 'button',
      textContent: 'Next ›',
      disabled: dlList.page >= pages,
      onclick: () => {
        dlList.page += 1;
        void showDownloadedRecords();
      },
    }),
  );
}

async function stopDownload() {
  const { profile, schoolYear } = ctx();
  const { status, body } = await api(`/api/profiles/${encodeURIComponent(profile)}/downloads?schoolYear=${schoolYear}`, { method: 'DELETE' });
  $('#download-result').textContent = status === 202 ? 'Stopping: what was downloaded so far stays.' : (body.message ?? `Not stopped (HTTP ${status})`);
}

// ---- mapping -------------------------------------------------------------------------------
// The guide's layout: a panel per profile listing its code sets, each with Map, which opens the
// code set's mapping dialog (Close at the bottom).
const mappingBase = (profileId) => `/api/profiles/${encodeURIComponent(profileId)}/code-sets`;
/** The code set the mapping dialog shows, and whose profile. */
const mapping = { profile: null, profileName: '', set: null };

/** One profile's panel: what blocks state reporting, then every code set with its counts and Map. */
async function mappingPanel(p) {
  const heading = `mapping-h-${p.id}`;
  const panel = el('section', { className: 'profile-panel', dataset: { profile: p.id } }, el('h3', { id: heading, textContent: p.name }));
  panel.setAttribute('aria-labelledby', heading);
  const sets = (await api(mappingBase(p.id))).body;
  if (!Array.isArray(sets)) {
    panel.append(el('p', { textContent: sets.message ?? 'Mapping is not available.' }));
    return panel;
  }
  const blocking = (await api(`${mappingBase(p.id)}/unmapped`)).body;
  const blockers = Array.isArray(blocking) ? blocking : [];
  const open = (set) => void openMapping(p, set.id);
  panel.append(
    el(
      'p',
      { className: 'mapping-blocking', role: 'status' },
      ...(blockers.length > 0
        ? [
            'Blocks state reporting: ',
            ...blockers.flatMap((b, i) => [
              i > 0 ? ', ' : '',
              el('a', { href: `#/mapping/${b.id}`, textContent: `${b.label} (${b.unmapped.length} unmapped)`, onclick: (e) => (e.preventDefault(), open(b)) }),
            ]),
          ]
        : ['Nothing blocks state reporting.']),
    ),
    el(
      'table',
      { className: 'code-sets' },
      el('thead', {}, el('tr', {}, ...['Code set', 'Local codes', 'Unmapped', ''].map((t) => el('th', { scope: 'col', textContent: t })))),
      el(
        'tbody',
        {},
        ...sets.map((set) =>
          el(
            'tr',
            { dataset: { codeSet: set.id } },
            el(
              'th',
              { scope: 'row' },
              set.label,
              set.requiredForState ? el('small', { className: 'scope-note', textContent: 'Required for state reporting' }) : null,
            ),
            el('td', { textContent: set.localCodes.toLocaleString() }),
            el('td', { className: set.unmapped > 0 && set.requiredForState ? 'mark-error' : '', textContent: set.unmapped.toLocaleString() }),
            el('td', {}, el('button', { type: 'button', textContent: 'Map', ariaLabel: `Map ${set.label}`, onclick: () => open(set) })),
          ),
        ),
      ),
    ),
  );
  return panel;
}

/** Every visible profile's panel, the context profile first; a link to one code set (#/mapping/calendar-types) opens it. */
async function loadMapping(setId) {
  const { profile } = ctx();
  const ordered = await profilesContextFirst(profile);
  const panels = [];
  for (const p of ordered) panels.push(await mappingPanel(p));
  $('#mapping-panels').replaceChildren(...panels);
  const context = ordered.find((p) => p.id === profile);
  if (setId && context) await openMapping(context, setId);
}

async function openMapping(p, setId) {
  Object.assign(mapping, { profile: p.id, profileName: p.name, set: setId });
  $('#m-result').textContent = '';
  $('#m-filter').value = '';
  $('#m-unmapped').checked = false;
  await loadCodes();
  if (!$('#mapping-dialog').open) $('#mapping-dialog').showModal();
}

/** The panel of the dialog's profile again: its counts and blockers follow each save. */
async function refreshMappingPanel() {
  const old = document.querySelector(`#mapping-panels .profile-panel[data-profile="${window.CSS.escape(mapping.profile)}"]`);
  if (old) old.replaceWith(await mappingPanel({ id: mapping.profile, name: mapping.profileName }));
}

async function saveMapping(setBase, row, target) {
  const { status, body } = await api(`${setBase}/mappings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: row.code, schoolId: row.schoolId, target }),
  });
  $('#m-result').textContent =
    status === 200
      ? `Saved: ${row.code} → ${target ? `${target.namespace}#${target.codeValue}` : 'kept as a local descriptor'}`
      : (body.message ?? `Not saved (HTTP ${status})`);
  // The code sets' unmapped counts and what blocks state reporting change with each save.
  await Promise.all([loadCodes(), refreshMappingPanel()]);
}

async function clearMapping(setBase, row) {
  const q = new URLSearchParams({ code: row.code, ...(row.schoolId !== null ? { schoolId: String(row.schoolId) } : {}) });
  const { status } = await api(`${setBase}/mappings?${q}`, { method: 'DELETE' });
  $('#m-result').textContent = status === 204 ? `Cleared: ${row.code}` : `Nothing to clear for ${row.code}`;
  await Promise.all([loadCodes(), refreshMappingPanel()]);
}

/** Every code of the chosen set (one school's, for per-school sets) with its mapping; no paging, so nothing saved drops out of view. */
async function loadCodes() {
  const setId = mapping.set;
  if (!setId) return;
  const setBase = `${mappingBase(mapping.profile)}/${encodeURIComponent(setId)}`;
  const [codes, choices] = await Promise.all([api(`${setBase}/codes`), api(`${setBase}/choices?limit=500`)]);
  const rows = Array.isArray(codes.body) ? codes.body : [];
  const label = document.querySelector(
    `#mapping-panels .profile-panel[data-profile="${window.CSS.escape(mapping.profile)}"] tr[data-code-set="${window.CSS.escape(setId)}"] th`,
  );
  $('#m-title').textContent = `${label?.firstChild?.textContent ?? setId} — ${mapping.profileName}`;
  const perSchool = rows.some((r) => r.schoolId !== null);
  $('#m-school-label').hidden = !perSchool;
  if (perSchool) fillSelect($('#m-school'), [...new Map(rows.map((r) => [String(r.schoolId), r.schoolName ?? `School ${r.schoolId}`]))]);
  const school = perSchool ? $('#m-school').value : '';
  const groupsOfChoices = choices.body.groups ?? [];
  const text = $('#m-filter').value.trim().toLowerCase();
  const unmappedOnly = $('#m-unmapped').checked;
  $('#m-codes').replaceChildren(
    ...rows
      .filter((r) => !perSchool || String(r.schoolId) === school)
      // The filter narrows what shows; a code saved meanwhile stays in view while it matches.
      .filter((r) => !unmappedOnly || (!r.mapping && !r.keptLocal))
      .filter((r) => !text || `${r.code} ${r.name}`.toLowerCase().includes(text))
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
        const published = r.mapping
          ? `${r.mapping.namespace}#${r.mapping.codeValue}${r.mapping.auto ? ' (auto)' : ''}`
          : `${r.localDescriptor} (local${r.keptLocal ? ', kept' : ''})`;
        return el(
          'tr',
          {},
          el('td', { textContent: r.code }),
          el('td', { textContent: r.name }),
          el('td', { textContent: published }),
          el('td', {}, select),
          el('td', {}, keep, clear),
        );
      }),
  );
}

// ---- people and API keys (admin) ------------------------------------------------------------
/** The district choice of the add forms (a deployment admin's: the whole deployment or one LEA); a district's admin adds to their own. */
function districtPayload(form) {
  if (myDistrict != null) return {};
  return { leaId: form.leaId.value === '' ? null : form.leaId.value };
}

function roleText(role, vendor) {
  return [role === 'admin' ? 'Admin' : 'Clerk', vendor ?? 'Any'];
}

async function loadPeople() {
  const [users, keys, leas] = await Promise.all([api('/api/users'), api('/api/api-keys'), api('/api/leas')]);
  const leaName = (id) => (id == null ? 'Whole deployment' : (leas.body.find?.((l) => l.id === id)?.name ?? id));
  for (const select of [$('#user-form').leaId, $('#key-form').leaId])
    fillSelect(select, [['', 'Whole deployment'], ...(Array.isArray(leas.body) ? leas.body : []).map((l) => [l.id, l.name])]);
  $('#users').replaceChildren(
    ...(Array.isArray(users.body) ? users.body : []).map((u) => {
      const remove = el('button', { type: 'button', className: 'secondary', textContent: 'Remove', ariaLabel: `Remove ${u.username}` });
      remove.addEventListener('click', () => void removePerson(u));
      const [roleLabel, vendor] = roleText(u.role, u.vendor);
      return el(
        'tr',
        {},
        el('td', { textContent: u.username }),
        el('td', { textContent: roleLabel }),
        el('td', { textContent: vendor }),
        el('td', { className: 'deployment-only', textContent: leaName(u.leaId) }),
        el('td', { textContent: when(u.createdAt) }),
        el('td', { className: 'actions' }, remove),
      );
    }),
  );
  const live = (Array.isArray(keys.body) ? keys.body : []).filter((k) => !k.revoked);
  $('#api-keys').replaceChildren(
    ...(live.length > 0
      ? live.map((k) => {
          const revoke = el('button', { type: 'button', className: 'secondary', textContent: 'Revoke', ariaLabel: `Revoke ${k.name}` });
          revoke.addEventListener('click', () => void revokeKey(k));
          const [roleLabel, vendor] = roleText(k.role, k.vendor);
          return el(
            'tr',
            {},
            el('td', { textContent: k.name }),
            el('td', { textContent: roleLabel }),
            el('td', { textContent: vendor }),
            el('td', { className: 'deployment-only', textContent: leaName(k.leaId) }),
            el('td', { textContent: when(k.createdAt) }),
            el('td', { textContent: k.lastUsedAt ? when(k.lastUsedAt) : 'never' }),
            el('td', { className: 'actions' }, revoke),
          );
        })
      : [el('tr', {}, el('td', { colSpan: 7, className: 'empty', textContent: 'No API key yet.' }))]),
  );
  // The district column and choice are a deployment admin's only.
  for (const s of document.querySelectorAll('#view-people .deployment-only')) s.classList.toggle('not-for-district', myDistrict != null);
}

async function addPerson(form) {
  const payload = {
    username: form.username.value,
    password: form.password.value,
    role: form.role.value,
    vendor: form.vendor.value || null,
    ...districtPayload(form),
  };
  const { status, body } = await api('/api/users', json('POST', payload));
  // The password never stays in the page once sent.
  form.password.value = '';
  if (status !== 201) {
    $('#user-result').textContent = `Not added: ${body.message ?? status}`;
    return;
  }
  $('#user-result').textContent = `Added ${body.username}: they can sign in now.`;
  form.username.value = '';
  await loadPeople();
}

async function removePerson(u) {
  if (!(await askToRemove(`Remove ${u.username}?`, 'They are signed out at once and cannot sign in again. What they published stays.'))) return;
  const { status, body } = await api(`/api/users/${encodeURIComponent(u.username)}`, { method: 'DELETE' });
  $('#user-result').textContent = status === 204 ? `Removed ${u.username}.` : `Not removed: ${body.message ?? status}`;
  await loadPeople();
}

async function createKey(form) {
  const payload = { name: form.keyName.value, role: form.role.value, vendor: form.vendor.value || null, ...districtPayload(form) };
  const { status, body } = await api('/api/api-keys', json('POST', payload));
  if (status !== 201) {
    $('#key-result').textContent = `Not created: ${body.message ?? status}`;
    return;
  }
  $('#key-result').textContent = `Created ${form.keyName.value}.`;
  $('#new-key-token').textContent = body.token;
  $('#new-key').hidden = false;
  form.keyName.value = '';
  await loadPeople();
}

async function revokeKey(k) {
  if (!(await askToRemove(`Revoke ${k.name}?`, 'Every call with this key is refused from now on; a new key can be created.', 'Revoke'))) return;
  const { status, body } = await api(`/api/api-keys/${encodeURIComponent(k.id)}`, { method: 'DELETE' });
  $('#key-result').textContent = status === 204 ? `Revoked ${k.name}.` : `Not revoked: ${body.message ?? status}`;
  await loadPeople();
}

// ---- navigation ----------------------------------------------------------------------------
function show(view) {
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== `view-${view}`;
  // System status, the publish form and the queue belong to the dashboard, not to every page.
  for (const s of document.querySelectorAll('.dashboard-only')) s.classList.toggle('elsewhere', view !== 'dashboard');
}

async function route() {
  if (!$('#sign-in').hidden) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'download') closeDownloads();
  // A token shown once leaves the page with the clerk: gone from the DOM, not only hidden, once People is left.
  if (parts[0] !== 'people') {
    $('#new-key').hidden = true;
    $('#new-key-token').textContent = '';
  }
  if (parts[0] === 'configure') {
    // Arriving on the page: the settings form shows the saved values again.
    if ($('#view-configure').hidden) delete $('#settings-form').dataset.edited;
    show('configure');
    await loadConfigure();
  } else if (parts[0] === 'settings') {
    show('settings');
    await loadSettings();
  } else if (parts[0] === 'people') {
    show('people');
    await loadPeople();
  } else if (parts[0] === 'diagnostics') {
    show('diagnostics');
    await refreshProcessing();
  } else if (parts[0] === 'download') {
    show('download');
    showDownloads();
    await refreshProfileDownloads();
  } else if (parts[0] === 'mapping') {
    show('mapping');
    await loadMapping(parts[1]);
  } else if (parts[0] === 'causes' && parts[1]) {
    show('causes');
    await showCauses(parts[1]);
  } else if (parts[0] === 'records' && parts[1] && parts[2]) {
    show('details');
    await showDetails(parts[1], parts[2]);
  } else if (parts[0] === 'records' && parts[1]) {
    if (list.resource !== parts[1]) Object.assign(list, { resource: parts[1], statuses: new Set(), filters: [], sort: 'lastActivity', order: 'desc', page: 1 });
    $('#f-entity').value = parts[1];
    show('records');
    await Promise.all([refreshRecords(), refreshRecordCauses()]);
  } else {
    show('dashboard');
    // Coming back from Configure, Download or Mapping: the steps done there show.
    setupSeen = { context: null, published: -1 };
    await refreshDashboard();
    await refreshInitialSync();
  }
}

async function loadProfile() {
  const { profile } = ctx();
  const profiles = (await api('/api/profiles')).body;
  const p = profiles.find((x) => x.id === profile) ?? profiles[0];
  if (!p) return;
  fillSelect(
    $('#context-form').schoolYear,
    [...p.schoolYears].reverse().map((y) => [String(y), `${y - 1}-${y}`]),
  );
  const schools = (await api(`/api/profiles/${encodeURIComponent(p.id)}/schools?schoolYear=${ctx().schoolYear}`)).body;
  fillSelect($('#context-form').school, [
    ['', 'District Office'],
    ...(Array.isArray(schools) ? schools : []).map((s) => [s.id, schoolLabel(s.name, s.number, s.id)]),
  ]);
  // The Temporal UI link lands on this profile's runs, without the dependency-retry sweeper's.
  if (info.temporalUiUrl) $('#temporal-link').href = profileRunsUrl(p.id);
  watchQueue();
  await route();
}

/** The Temporal UI's list of one profile's runs (a visibility query on our ProfileId search attribute). */
function profileRunsUrl(profileId) {
  const query = `ProfileId = "${profileId}" AND WorkflowType != "dependencyRetries" AND WorkflowType != "dependencyRetry"`;
  return `${info.temporalUiUrl}/namespaces/${encodeURIComponent(info.namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

async function loadWork() {
  groups = (await api('/api/categories')).body;
  const profiles = (await api('/api/profiles')).body;
  fillSelect(
    $('#context-form').profile,
    profiles.map((p) => [p.id, p.name]),
  );
  fillSelect(
    $('#f-entity'),
    entities().map((e) => [e.resource, `${e.category} › ${e.label}`]),
  );
  const form = $('#publish-form');
  fillSelect(
    form.category,
    categories().map((c) => [c.id, `${c.group} › ${c.label}`]),
  );
  onCategoryChange();
  await loadProfile();
}

function onCategoryChange() {
  const form = $('#publish-form');
  const category = categories().find((c) => c.id === form.category.value);
  fillSelect(
    form.option,
    (category?.options ?? []).map((o) => [o.id, o.label]),
  );
}

function showSignedIn(me) {
  csrfToken = me.csrfToken ?? '';
  role = me.role;
  myDistrict = me.leaId ?? null;
  $('#sign-in').hidden = true;
  for (const s of document.querySelectorAll('.signed-in:not(.view)')) s.hidden = me.role !== 'admin' && s.classList.contains('admin-only');
  // A district's people work in that district: basic settings and Diagnostics are every district's, for the deployment's IT.
  for (const s of document.querySelectorAll('.deployment-only')) s.classList.toggle('not-for-district', me.leaId != null);
  $('#who').textContent = me.leaId == null ? `${me.name} (${me.role})` : `${me.name} (${me.role}, district ${me.leaId})`;
  // Turning Data Changes on changes the profile: an admin's choice.
  for (const s of document.querySelectorAll('.admin-only-inline')) s.hidden = me.role !== 'admin';
  $('#sign-out').hidden = false;
}

function showSignIn() {
  feed?.close();
  closeDownloads();
  $('#sign-in').hidden = false;
  for (const s of document.querySelectorAll('.signed-in')) s.hidden = true;
  // Before signing in the system status shows with the sign-in form.
  for (const s of document.querySelectorAll('.dashboard-only')) s.classList.remove('elsewhere');
  $('#who').textContent = '';
  $('#sign-out').hidden = true;
}

async function start() {
  info = (await api('/api/info')).body;
  if (info.temporalUiUrl) Object.assign($('#temporal-link'), { href: info.temporalUiUrl, hidden: false });
  $('#sign-in-hint').textContent = info.signInHint ?? '';
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
  $('#user-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void addPerson(event.target);
  });
  $('#key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void createKey(event.target);
  });
  $('#initial-sync-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void initialSyncAction('start', { turnOnDataChanges: role === 'admin' && event.target.dataChanges.checked });
  });
  for (const action of ['pause', 'resume', 'cancel']) $(`#initial-sync-${action}`).addEventListener('click', () => void initialSyncAction(action));
  $('#download-stop').addEventListener('click', () => void stopDownload());
  $('#download-all-profiles').addEventListener('click', () => void downloadAllProfiles());
  $('#dl-records-form').addEventListener('submit', (event) => {
    event.preventDefault();
    dlList.page = 1;
    void showDownloadedRecords();
  });
  $('#republish').addEventListener('click', () => void recordAction('publish'));
  $('#delete-record').addEventListener('click', () => {
    $('#delete-dialog-what').textContent = shown ? `Record: ${shown.label}.` : '';
    $('#delete-dialog').showModal();
  });
  $('#delete-dialog').addEventListener('close', () => {
    if ($('#delete-dialog').returnValue === 'delete') void recordAction('delete');
  });
  $('#m-school').addEventListener('change', () => void loadCodes());
  // A closed dialog leaves the page's own address: a later redraw must not open it again.
  $('#mapping-dialog').addEventListener('close', () => {
    if (location.hash.startsWith('#/mapping/')) window.history.replaceState(null, '', '#/mapping');
  });
  $('#m-filter').addEventListener('input', () => void loadCodes());
  $('#m-unmapped').addEventListener('change', () => void loadCodes());
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
    const { status, body } = await api('/api/session', {
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
    await api('/api/session', { method: 'DELETE' });
    showSignIn();
  });
  for (const type of ['input', 'change']) $('#settings-form').addEventListener(type, () => ($('#settings-form').dataset.edited = 'true'));
  $('#settings-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    const { status, body } = await api('/api/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        enableDataExchange: f.enableDataExchange.checked,
        loggingOptions: [...f.querySelectorAll('input[name="logging"]:checked')].map((b) => b.value),
        simultaneousConnections: Number(f.simultaneousConnections.value),
        adaptiveConnections: f.adaptiveConnections.checked,
      }),
    });
    $('#settings-result').textContent = status === 200 ? 'Settings saved.' : `Not saved — ${body.message}`;
    if (status === 200) delete f.dataset.edited;
  });
  $('#profile-add').addEventListener('click', () => openProfileDialog(null));
  $('#profile-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveProfile(event.target);
  });
  $('#lea-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void saveLea(event.target);
  });
  for (const button of document.querySelectorAll('dialog [data-close]')) button.addEventListener('click', () => button.closest('dialog').close());
  $('#connection-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = event.target;
    $('#enable-row').hidden = true;
    // An LEA already entered (by number) is the one the connection is for, whatever its id; only a
    // new one is added (which a district's admin may not: its own district is there already).
    let leaId = (await api('/api/leas')).body.find?.((l) => l.stateNumber === f.stateNumber.value.trim())?.id;
    if (leaId === undefined) {
      const lea = await api('/api/leas', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: f.leaName.value, stateNumber: f.stateNumber.value }),
      });
      if (lea.status !== 201) {
        $('#connection-result').textContent = `LEA not saved — ${lea.body.message}`;
        return;
      }
      leaId = lea.body.id;
    }
    connection = { leaId, profileId: f.profile.value };
    const saved = await api(connectionBase(connection.leaId, connection.profileId), json('PUT', { key: f.key.value, secret: f.secret.value }));
    f.secret.value = '';
    if (saved.status !== 200) {
      $('#connection-result').textContent = `Not saved — ${saved.body.message}`;
      return;
    }
    $('#connection-result').textContent = 'Testing…';
    const test = await testConnection(connection.leaId, connection.profileId);
    $('#connections-result').textContent = '';
    $('#connection-result').textContent = test.ok ? test.message : `Test failed — ${test.message ?? 'no answer'}`;
    // The guide's easy-to-overlook step: Enable appears only after a successful test.
    $('#enable-row').hidden = !test.ok;
    $('#f-enable-profile').checked = false;
  });
  $('#f-enable-profile').addEventListener('change', async (event) => {
    if (await enableConnection(connection.leaId, connection.profileId, event.target.checked, $('#connection-result'))) await loadConfigure();
  });
  $('#f-processing').addEventListener('change', async (event) => {
    await api('/api/diagnostics/system-processing', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: event.target.checked }),
    });
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
