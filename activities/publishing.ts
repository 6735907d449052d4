/**
 * The publishing engine's activities: extract a resource from the SIS and plan it against the
 * catalog, send one batch of the plan (deletes, or posts), publish local descriptors, and retry
 * one record in dependency. Each takes ids, works on at most one batch, and can be retried:
 * what a batch already did is in the catalog, and doing it again gives the same result.
 */
import { ApplicationFailure } from '@temporalio/common';
import type pg from 'pg';
import { resilientPool } from '../db/pool.js';
import { runLog } from './runLog.js';
import { batchLogLevel, statusTally } from '../publishing/logging.js';
import { heartbeating } from './heartbeat.js';
import { PLAN_LOST, SETUP_PROBLEM } from '../publishing/failureTypes.js';
import { recordSetupProblem } from '../db/setupProblems.js';
import { holdReason, type HoldSwitches } from '../publishing/holds.js';
import { LeaConnectionSchema, BasicSettingsSchema } from '../db/entities/configuration.js';
import { ProfileSchema, type Profile } from '../db/entities/profile.js';
import { EdfiClient } from '../edfi/client/api.js';
import { edfiModel } from '../edfi/model/index.js';
import type { EdfiModel, ResourceModel, TedsVersion } from '../edfi/model/types.js';
import { documentProblem, naturalKeyOf, payloadHash, payloadHashOf, referencesOf, canonicalJson } from '../edfi/documents.js';
import {
  batchesWithDeletes,
  clearRun,
  markPlanned,
  plannedPosts,
  planLost,
  planResource,
  restage,
  stageChangeScope,
  stageExtract,
  usesExtract,
  type ExtractedRecord,
  type PlanCounts,
  type PlanScope,
} from '../db/catalogPlan.js';
import { forgetWatermarks, promoteWatermarks, readWatermark, setPendingWatermark } from '../db/changeWatermark.js';
import { eventExists, latestEventId, readEventsOf, replicaLoad } from '../sis/events.js';
import { tableDef } from '../sis/model.js';
import { changeSetOf, type ChangeEvent, type ChangeSources } from '../publishing/changeSet.js';
import { createHash } from 'node:crypto';
import { catalogInOds, profileLeaNumber, publishedEdOrgIds } from '../db/resync.js';
import { catalogDependents, markCascaded, sentDocument, type CatalogDependent } from '../db/cascade.js';
import { dependentFilters } from '../publishing/cascade.js';
import {
  analyzeKeys,
  batchHasDeletes,
  batchRows,
  legacyDependentsOf,
  forgetRecords,
  unresolvedReferences,
  writeOutcomes,
  type BatchRow,
  type CatalogWrite,
} from '../db/catalog.js';
import { EXTRACT_REVISION, mapperFor, NOT_SENT } from '../resources/index.js';
import { DEFAULT_PREFERENCES, type EdfiDocument, type MappedRecord, type PublishContext, type ResourcePreferences } from '../resources/mapper.js';
import { MappingLookup, type LocalDescriptorMet, type StoredDecision } from '../publishing/descriptorLookup.js';
import { classifyResponse, dependencyRetryDelayMinutes, networkFailure, type DependencySource, type Outcome } from '../publishing/outcome.js';
import { CATEGORIES, findCategory, type PublishOption } from '../publishing/categories.js';
import type { PublishScope } from '../publishing/publishRequest.js';
import { entityLevels, entityResource } from '../publishing/entityOrder.js';
import { SETTING_RULES } from '../publishing/profileSettings.js';
import {
  blockerPublishedSignal,
  dependencyRetriesWorkflowId,
  dependencyWorkflowId,
  DEPENDENCY_RETRIES_WORKFLOW,
  wakeDependencyRetriesSignal,
} from '../workflows/dependencyNames.js';
import {
  dueRetries,
  nextRetryAt,
  queueRetries,
  rescheduleStillBlocked,
  scheduleRetries,
  setDependsOn,
  stillUnresolved,
  wakeRetries,
  type DueRetry,
} from '../db/dependencyQueue.js';
import { bulkRetryCategories, nextTry, type TryResult } from '../publishing/dependencyTimetable.js';
import { signalPublish } from '../api/temporal/publishQueue.js';
import { ProfileIdKey } from '../workflows/searchAttributes.js';
import type { ActivityDeps } from './deps.js';

/** Records per batch: one activity's worth. */
export const BATCH_SIZE = 2000;
/** Records extracted again whole per query in Now – Changes' second pass. */
const RESTAGE_CHUNK = 5_000;
/** The ODS/API's largest page (`limit`), for reading what the ODS holds. */
const ODS_PAGE = 500;
/** Events read per query while tracing Now – Changes. */
const EVENT_PAGE = 10_000;
/** More relevant events than this since the last complete run: extracting everything is the cheaper way. */
const MOST_EVENTS = 250_000;
/** Changed keys per tracing query. */
const TRACE_CHUNK = 10_000;

/** How a run read the SIS for one resource: only what the event queue says changed, or all of it (and why). */
import type { Extraction } from '../publishing/extraction.js';
export type { Extraction };

export interface EntityRun {
  /** This entity's run id: `{workflowId}/{runId}:{resource}`. */
  readonly runId: string;
  readonly profileId: string;
  readonly schoolYear: number;
  readonly resource: string;
  readonly option: PublishOption;
  /** SIS school id of the dashboard's school context; the district when undefined. */
  readonly schoolId?: string | undefined;
}

export interface CategoryPlan {
  /** Why nothing can be published (a configuration to fix). */
  readonly refused?: string;
  /** Resources in publish order: each level after the ones before it, a level's resources side by side. */
  readonly levels: string[][];
  readonly skipped: Array<{ resource: string; why: string }>;
  /** The Descriptors category: local descriptors only. */
  readonly descriptors: boolean;
}

/** What a resync did to one resource: forgot what the ODS lost, deleted what the SIS no longer sends and the district's strays. */
export interface ResyncCounts {
  /** Catalog records the ODS lost, forgotten (the next Now – Changes sends them again). */
  readonly dropped: number;
  /** Records the SIS no longer sends (excluded or removed), deleted from the ODS. */
  readonly leftSis: number;
  /** The district's ODS records nothing in the catalog matches, deleted. */
  readonly deleted: number;
  readonly errors: number;
}

export interface BatchSummary {
  readonly published: number;
  readonly dependency: number;
  readonly error: number;
  readonly deleted: number;
  readonly forgotten: number;
}

interface ProfileRuntime {
  readonly profile: Profile;
  readonly model: EdfiModel;
  readonly client: EdfiClient;
  readonly fingerprint: string;
  readonly limit: Semaphore;
}

/** At most `n` requests in flight for one profile, across every batch this worker runs. */
class Semaphore {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** The catalog names a record by the dashboard's entity name (Appendix A): the resource path without its project. */
export function catalogName(resourcePath: string): string {
  return resourcePath.slice(resourcePath.indexOf('/') + 1);
}

export function tedsOf(stateExtension: string): TedsVersion | undefined {
  const m = /^TX-(\d{4}\.\d\.\d)$/.exec(stateExtension);
  return m?.[1] as TedsVersion | undefined;
}

function modelFor(profile: Profile): EdfiModel {
  const teds = tedsOf(profile.stateExtension);
  return edfiModel({ dataStandard: profile.dataStandard === '5.x' ? '5.x' : '4.0', ...(teds !== undefined ? { teds } : {}) });
}

/** A document the model refuses: a computed error naming the field, never a round trip to the API. */
export function notSent(problem: string): string {
  return `Not sent: ${problem}. Correct it in the SIS, then run Now – Errors.`;
}

/** "Calendar Record: …" — the guide's dependency wording for a reference not yet published. */
export function referenceDependency(model: EdfiModel, ref: { property: string; target: string }): string {
  const entity = model.resource(ref.target)?.entity ?? ref.target.split('/').pop() ?? ref.target;
  return `${entity} Record: the referenced ${entity} (${ref.property}) has not been published yet. It is retried automatically once it is; if it is not published, check its category for dependencies or errors.`;
}

/** How long a profile's settings read from the database serve the batches of a run. */
const RUNTIME_FRESH_MS = 2_000;

export function publishingActivities(deps: ActivityDeps) {
  const db = resilientPool({ connectionString: deps.orm.config.get('clientUrl'), max: 6, label: 'app database (publishing)' });
  const runtimes = new Map<string, ProfileRuntime>();

  const sis = (): pg.Pool => {
    if (deps.sis === undefined) throw ApplicationFailure.nonRetryable('the worker has no SIS replica: set SIS_DATABASE_URL');
    return deps.sis;
  };

  /** When each profile's runtime was last read from the database. */
  const readAt = new Map<string, number>();

  /**
   * The profile's API client, one per profile and credentials, sized by Simultaneous Connections.
   * Read again at most every RUNTIME_FRESH_MS (or now, with `fresh`): a run's many batches share
   * one read, and a changed profile, secret or connection count is picked up within that time.
   */
  const runtime = async (profileId: string, fresh = false): Promise<ProfileRuntime> => {
    const held = runtimes.get(profileId);
    if (!fresh && held !== undefined && Date.now() - (readAt.get(profileId) ?? 0) < RUNTIME_FRESH_MS) return held;
    const em = deps.orm.em.fork();
    const profile = await em.findOne(ProfileSchema, { id: profileId });
    if (profile === null) throw ApplicationFailure.nonRetryable(`no profile "${profileId}"`);
    if (profile.apiUrl === null) throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no Data Exchange (API) URL: set it first`);
    const connection = await em.findOne(LeaConnectionSchema, { profileId, enabled: true });
    if (connection === null)
      throw ApplicationFailure.nonRetryable(`profile "${profile.name}" has no enabled LEA connection: enter the key and secret, Test, then Enable`);
    const settings = await em.findOne(BasicSettingsSchema, { id: 1 });
    const connections = settings?.simultaneousConnections ?? 200;
    const fingerprint = `${profile.apiUrl}|${profile.authUrl ?? ''}|${connection.secretFingerprint}|${connections}|${profile.dataStandard}|${profile.stateExtension}`;
    readAt.set(profileId, Date.now());
    if (held !== undefined && held.fingerprint === fingerprint) {
      const updated = { ...held, profile };
      runtimes.set(profileId, updated);
      return updated;
    }
    if (held !== undefined) void held.client.close();
    const client = new EdfiClient({
      apiUrl: profile.apiUrl,
      ...(profile.authUrl !== null ? { authUrl: profile.authUrl } : {}),
      key: connection.key,
      secret: deps.secrets.open(connection.secretEncrypted),
      connections,
    });
    const made: ProfileRuntime = { profile, model: modelFor(profile), client, fingerprint, limit: new Semaphore(connections) };
    runtimes.set(profileId, made);
    return made;
  };

  const publishContext = async (
    profile: Profile,
    schoolYear: number,
    schoolId: string | undefined,
  ): Promise<{ ctx: PublishContext; lookup: MappingLookup; fingerprint: (replicaLoad: string | null) => string }> => {
    const conn = deps.orm.em.getConnection();
    const mappings = await conn.execute<
      Array<{ code_set: string; school_id: number; local_code: string; namespace: string | null; code_value: string | null; auto: boolean }>
    >('SELECT code_set, school_id, local_code, namespace, code_value, auto FROM code_mapping WHERE profile_id = ?', [profile.id]);
    const decisions: StoredDecision[] = mappings.map((m) => ({
      codeSet: m.code_set,
      schoolId: m.school_id === 0 ? null : m.school_id,
      code: m.local_code,
      mapping: m.namespace !== null && m.code_value !== null ? { namespace: m.namespace, codeValue: m.code_value, auto: m.auto } : null,
    }));
    const prefs = await conn.execute<Array<{ resource: string; enabled: boolean; report_grade_levels: boolean }>>(
      'SELECT resource, enabled, report_grade_levels FROM resource_preference WHERE profile_id = ?',
      [profile.id],
    );
    const byResource = new Map<string, ResourcePreferences>(prefs.map((p) => [p.resource, { enabled: p.enabled, reportGradeLevels: p.report_grade_levels }]));
    const prefix = profile.settings.DescriptorNameSpacePrefixToPublish ?? SETTING_RULES.DescriptorNameSpacePrefixToPublish.defaultFor(profile);
    const lookup = new MappingLookup(decisions, prefix);
    const teds = tedsOf(profile.stateExtension);
    const ctx: PublishContext = {
      profileId: profile.id,
      schoolYear,
      dataStandard: profile.dataStandard === '5.x' ? '5.x' : '4.0',
      teds,
      schoolId: schoolId !== undefined ? Number(schoolId) : undefined,
      descriptors: lookup,
      preferences: (resource) => byResource.get(catalogName(resource)) ?? DEFAULT_PREFERENCES,
    };
    // Everything besides the SIS rows that decides the JSON, and which load of the replica it read:
    // when it changes, the SIS's events no longer say which records changed, so Now – Changes reads everything once.
    const fingerprint = (replicaLoad: string | null): string =>
      createHash('sha256')
        .update(
          JSON.stringify([
            EXTRACT_REVISION,
            profile.dataStandard,
            profile.stateExtension,
            prefix,
            mappings.map((m) => [m.code_set, m.school_id, m.local_code, m.namespace, m.code_value]).sort(),
            prefs.map((p) => [p.resource, p.enabled, p.report_grade_levels]).sort(),
            replicaLoad,
          ]),
        )
        .digest('hex');
    return { ctx, lookup, fingerprint };
  };

  /**
   * The SIS objects of one resource changed since its watermark, staged as the run's change scope;
   * or why they cannot be known (then the run extracts everything).
   */
  const traceChanges = async (
    sisClient: pg.ClientBase,
    client: pg.ClientBase,
    scope: PlanScope & { changed: ChangeSources },
    fingerprint: string,
    latest: number,
  ): Promise<{ objects: string[] } | { why: string }> => {
    const mark = await readWatermark(client, scope.profileId, scope.schoolYear, scope.resource);
    if (mark === undefined) return { why: 'no complete run to start from' };
    if (mark.fingerprint !== fingerprint) return { why: 'mappings, resource preferences, the profile or the replica changed since the last complete run' };
    if (mark.eventId > 0 && !(await eventExists(sisClient, mark.eventId)))
      return { why: 'the SIS event queue no longer holds the last event read (reloaded or purged)' };
    const tables = Object.keys(scope.changed.tables);
    const events: ChangeEvent[] = [];
    for (let after = mark.eventId; ;) {
      const page = await readEventsOf(sisClient, tables, after, latest, EVENT_PAGE);
      events.push(...page);
      if (events.length > MOST_EVENTS) return { why: `more than ${MOST_EVENTS.toLocaleString('en-US')} changes since the last complete run` };
      if (page.length < EVENT_PAGE) break;
      after = page[page.length - 1].id;
    }
    const set = changeSetOf(scope.changed, events, (t) => tableDef(t).key);
    if (set.kind === 'everything') return { why: set.why };
    const objects = new Set(set.objects);
    for (const [table, keys] of set.traced) {
      const follow = scope.changed.tables[table];
      if (typeof follow !== 'object') continue;
      const all = [...keys];
      for (let i = 0; i < all.length; i += TRACE_CHUNK) {
        const { rows } = await sisClient.query<{ object: string }>(follow.sql, [all.slice(i, i + TRACE_CHUNK)]);
        for (const r of rows) objects.add(r.object);
      }
    }
    await stageChangeScope(client, scope.runId, objects);
    return { objects: [...objects].sort() };
  };

  /**
   * Local descriptors met while extracting go into the catalog, pending, so the run publishes them
   * before the records that use them. Answers how many were new there.
   */
  const stageLocalDescriptors = async (profileId: string, schoolYear: number, met: readonly LocalDescriptorMet[]): Promise<number> => {
    const writes = met.map((d) => {
      const doc = { namespace: d.namespace, codeValue: d.codeValue, shortDescription: d.codeValue, description: `Local code ${d.codeValue}` };
      return {
        resource: catalogName(d.resource),
        sourceKey: d.uri,
        naturalKey: JSON.stringify({ namespace: d.namespace, codeValue: d.codeValue }),
        hash: payloadHash(doc),
        doc,
      };
    });
    if (writes.length === 0) return 0;
    const inserted = await db.query(
      `INSERT INTO catalog (profile_id, school_year, resource, source_key, school_id, natural_key, payload_hash, sent_json, status, updated_at)
       SELECT $1, $2, w.resource, w."sourceKey", NULL, w."naturalKey", w.hash, w.doc, 'pending', now()
         FROM jsonb_to_recordset($3::jsonb) AS w(resource text, "sourceKey" text, "naturalKey" text, hash text, doc jsonb)
       ON CONFLICT (profile_id, school_year, resource, source_key) DO NOTHING`,
      [profileId, schoolYear, JSON.stringify(writes)],
    );
    return inserted.rowCount ?? 0;
  };

  /** Wakes the profile's dependency sweeper, starting it when it is not running: one call per batch, never per record. */
  const wakeSweeper = async (profileId: string): Promise<void> => {
    await deps.temporal.workflow.signalWithStart(DEPENDENCY_RETRIES_WORKFLOW, {
      workflowId: dependencyRetriesWorkflowId(profileId),
      taskQueue: deps.temporalConfig.taskQueues.dependencyRetries,
      args: [{ profileId }],
      signal: wakeDependencyRetriesSignal,
      signalArgs: [],
      typedSearchAttributes: [{ key: ProfileIdKey, value: profileId }],
    });
  };

  /** Records that just went into dependency join the timetable (1 or 10 minutes to their first try). */
  const queueDependencyRetries = async (
    profileId: string,
    schoolYear: number,
    resource: string,
    entries: ReadonlyArray<{ sourceKey: string; source: DependencySource }>,
  ): Promise<void> => {
    if (entries.length === 0) return;
    const now = Date.now();
    await queueRetries(
      db,
      profileId,
      schoolYear,
      resource,
      entries.map((e) => ({ sourceKey: e.sourceKey, retryAtMs: now + dependencyRetryDelayMinutes(e.source, 0) * 60_000 })),
    );
    await wakeSweeper(profileId);
  };

  /** Brings forward the records waiting for what this batch published, then wakes the sweeper — and the per-record workflows of earlier versions. */
  const wakeDependents = async (model: EdfiModel, profileId: string, schoolYear: number, blockers: readonly string[]): Promise<void> => {
    if (blockers.length === 0) return;
    if ((await wakeRetries(db, profileId, schoolYear, blockers, Date.now())) > 0) await wakeSweeper(profileId);
    for (const d of await legacyDependentsOf(db, profileId, schoolYear, blockers)) {
      const path = entityResource(model, d.resource);
      if (path === undefined) continue;
      // A record of an earlier version whose workflow has ended meanwhile: nothing to wake.
      await deps.temporal.workflow
        .getHandle(dependencyWorkflowId(profileId, schoolYear, path, d.sourceKey))
        .signal(blockerPublishedSignal)
        .catch(() => undefined);
    }
  };

  /** Sends one document and says what became of it (a network failure is an error worth retrying). */
  const send = async (
    rt: ProfileRuntime,
    resource: string,
    doc: Record<string, unknown> | string,
  ): Promise<{ outcome: Outcome; http: number | null; id: string | undefined }> => {
    const started = Date.now();
    try {
      const answer = await rt.limit.run(() => (typeof doc === 'string' ? rt.client.postText(resource, doc) : rt.client.post(resource, doc)));
      runLog('DEBUG', 'POST answered', { resource, http: answer.status, ms: Date.now() - started });
      return { outcome: classifyResponse('POST', answer.status, answer.body), http: answer.status, id: answer.id };
    } catch (err) {
      runLog('DEBUG', 'POST failed without an answer', { resource, ms: Date.now() - started });
      return { outcome: networkFailure((err as Error).message), http: null, id: undefined };
    }
  };

  /**
   * The ODS refused for a reason of its set-up: the connection remembers it, so the dashboard and
   * Configure say what to fix. Answers the problem as the clerk reads it.
   */
  const noteSetupProblem = async (profileId: string, resource: string, outcome: Outcome): Promise<string> => {
    const problem = `${catalogName(resource)}: ${outcome.message}${outcome.hint !== undefined ? ` — ${outcome.hint}` : ''}`;
    await recordSetupProblem(db, profileId, problem);
    runLog('ERROR', 'set-up problem', { resource, setup: outcome.setup });
    return problem;
  };
  /** A batch that met a set-up refusal stops its run: every other record would meet the same. */
  const setupFailure = async (profileId: string, resource: string, outcome: Outcome): Promise<ApplicationFailure> =>
    ApplicationFailure.nonRetryable(`Set-up problem, the run stopped. ${await noteSetupProblem(profileId, resource, outcome)}`, SETUP_PROBLEM);

  const outcomeWrite = (
    base: Omit<CatalogWrite, 'status' | 'statusDescription' | 'httpStatus' | 'dependencySource' | 'dependsOn' | 'attempted' | 'edfiId'>,
    edfiId: string | null,
    o: Outcome,
    http: number | null,
  ): CatalogWrite => ({
    ...base,
    edfiId,
    status: o.status,
    statusDescription: o.status === 'published' ? null : [o.message, o.hint].filter((t) => t !== undefined && t !== '').join(' — '),
    httpStatus: http,
    dependencySource: o.status === 'dependency' ? (o.dependencySource ?? 'api') : null,
    dependsOn: null,
    attempted: true,
  });

  /**
   * A record's fate before any request: withheld (dependency / error) or to be sent. `doc` is checked
   * against the model when given; a run's staged records were checked when extracted.
   */
  const precheck = (
    resourceModel: ResourceModel,
    model: EdfiModel,
    row: { error: string | null; dependency: string | null; doc?: Record<string, unknown> },
    unresolved: { property: string; target: string; key: string } | undefined,
  ): Omit<CatalogWrite, 'sourceKey' | 'schoolId' | 'naturalKey' | 'payloadHash' | 'sentJson' | 'edfiId' | 'attempted'> | undefined => {
    if (row.error !== null) return { status: 'error', statusDescription: row.error, httpStatus: null, dependencySource: null, dependsOn: null };
    if (row.dependency !== null)
      return { status: 'dependency', statusDescription: row.dependency, httpStatus: null, dependencySource: 'computed', dependsOn: null };
    const problem = row.doc === undefined ? undefined : documentProblem(resourceModel, row.doc);
    if (problem !== undefined) return { status: 'error', statusDescription: notSent(problem), httpStatus: null, dependencySource: null, dependsOn: null };
    if (unresolved !== undefined)
      return {
        status: 'dependency',
        statusDescription: referenceDependency(model, unresolved),
        httpStatus: null,
        dependencySource: 'computed',
        dependsOn: `${catalogName(unresolved.target)}|${unresolved.key}`,
      };
    return undefined;
  };

  /** Local descriptors waiting in the catalog (met while extracting), or every one with `all`. */
  const publishLocalDescriptors = async (input: { profileId: string; schoolYear: number; all?: boolean; errorsOnly?: boolean }): Promise<BatchSummary> => {
    const rt = await runtime(input.profileId);
    const statuses = input.errorsOnly === true ? ['error'] : input.all === true ? ['pending', 'error', 'published'] : ['pending', 'error'];
    const { rows } = await db.query<{
      resource: string;
      sourceKey: string;
      naturalKey: string;
      payloadHash: string;
      doc: Record<string, unknown>;
      edfiId: string | null;
    }>(
      `SELECT resource, source_key AS "sourceKey", natural_key AS "naturalKey", payload_hash AS "payloadHash", sent_json AS doc, edfi_id AS "edfiId"
         FROM catalog WHERE profile_id = $1 AND school_year = $2 AND status = ANY($3) AND sent_json IS NOT NULL
          -- Which descriptor resources hold any, from the dashboard's counts: a pattern on the
          -- catalog itself would walk every record of the year (a million in a large district).
          AND resource IN (SELECT resource FROM catalog_counts WHERE profile_id = $1 AND school_year = $2 AND resource LIKE '%Descriptors' AND status = ANY($3) AND n > 0)`,
      [input.profileId, input.schoolYear, statuses],
    );
    const summary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
    const byResource = new Map<string, CatalogWrite[]>();
    await Promise.all(
      rows.map(async (r) => {
        // The ODS answers 200 when the value is already there: that is a success, not an error.
        const { outcome, http, id } = await send(rt, `ed-fi/${r.resource}`, r.doc);
        const w = outcomeWrite(
          { sourceKey: r.sourceKey, schoolId: null, naturalKey: r.naturalKey, payloadHash: r.payloadHash, sentJson: r.doc },
          id ?? r.edfiId,
          outcome,
          http,
        );
        byResource.set(r.resource, [...(byResource.get(r.resource) ?? []), w]);
        if (outcome.status === 'published') summary.published++;
        else summary.error++;
      }),
    );
    for (const [resource, writes] of byResource) await writeOutcomes(db, input.profileId, input.schoolYear, resource, writes);
    if (rows.length > 0) {
      const failed = statusTally(
        [...byResource.values()]
          .flat()
          .filter((w) => w.status === 'error')
          .map((w) => w.httpStatus),
      );
      runLog(batchLogLevel(summary), 'local descriptors sent', { ...summary, ...(failed !== '' ? { failed } : {}) });
    }
    return summary;
  };

  /**
   * Publishes one record on its own: re-extracted from the SIS, checked, sent if it can be. With
   * `onlyInDependency`, a record that left dependency another way is left alone. `published` is its
   * key as a blocker when it published; its dependents are woken here unless the caller wakes a
   * whole batch's at once (`wake: false`).
   */
  const publishOne = async (
    input: { profileId: string; schoolYear: number; resource: string; sourceKey: string },
    onlyInDependency: boolean,
    wake = true,
  ): Promise<{ done: boolean; outcome: string; source: DependencySource; published?: string }> => {
    const name = catalogName(input.resource);
    const current = await db.query<{ status: string; edfi_id: string | null }>(
      'SELECT status, edfi_id FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4',
      [input.profileId, input.schoolYear, name, input.sourceKey],
    );
    const row = current.rows[0];
    if (row === undefined) return { done: true, outcome: 'removed from the catalog', source: 'computed' };
    if (onlyInDependency && row.status !== 'dependency') return { done: true, outcome: `no longer in dependency (${row.status})`, source: 'computed' };
    const rt = await runtime(input.profileId);
    const resourceModel = rt.model.resource(input.resource);
    const mapper = mapperFor(input.resource);
    if (resourceModel === undefined || mapper === undefined) return { done: true, outcome: `${input.resource} is no longer published`, source: 'computed' };
    const { ctx, lookup } = await publishContext(rt.profile, input.schoolYear, undefined);
    const sisClient = await sis().connect();
    let record;
    try {
      for await (const r of mapper.extract(sisClient, ctx, [input.sourceKey])) record = r;
    } finally {
      sisClient.release();
    }
    if (record === undefined) return { done: true, outcome: 'left the source', source: 'computed' };
    await stageLocalDescriptors(input.profileId, input.schoolYear, lookup.localDescriptorsMet());
    const doc: EdfiDocument = record.doc;
    const nk = naturalKeyOf(resourceModel, doc);
    let unresolved: { property: string; target: string; key: string } | undefined;
    for (const ref of referencesOf(rt.model, resourceModel, doc)) {
      const found = await db.query(
        `SELECT 1 FROM jsonb_to_recordset($3::jsonb) AS k(target text, key text)
           JOIN catalog c ON c.profile_id = $1 AND c.school_year = $2 AND c.resource = split_part(k.target, '/', 2) AND c.natural_key = k.key AND c.status = 'published' LIMIT 1`,
        [input.profileId, input.schoolYear, JSON.stringify(ref.candidates)],
      );
      const first = ref.candidates[0];
      if (found.rowCount === 0 && first !== undefined) {
        unresolved = { property: ref.property, target: first.target, key: first.key };
        break;
      }
    }
    const base = {
      sourceKey: input.sourceKey,
      schoolId: record.schoolId === null ? null : String(record.schoolId),
      naturalKey: nk.key,
      payloadHash: payloadHash(doc),
      sentJson: doc,
    };
    const withheld = precheck(resourceModel, rt.model, { error: record.error ?? null, dependency: record.dependency ?? null, doc }, unresolved);
    if (withheld !== undefined) {
      await writeOutcomes(db, input.profileId, input.schoolYear, name, [{ ...base, edfiId: row.edfi_id, ...withheld, attempted: false }]);
      return { done: withheld.status !== 'dependency', outcome: withheld.statusDescription ?? withheld.status, source: 'computed' };
    }
    await publishLocalDescriptors({ profileId: input.profileId, schoolYear: input.schoolYear });
    const { outcome, http, id } = await send(rt, input.resource, doc);
    await writeOutcomes(db, input.profileId, input.schoolYear, name, [outcomeWrite(base, id ?? row.edfi_id, outcome, http)]);
    if (outcome.setup !== undefined) await noteSetupProblem(input.profileId, input.resource, outcome);
    const published = outcome.status === 'published' ? `${name}|${base.naturalKey}` : undefined;
    if (published !== undefined && wake) await wakeDependents(rt.model, input.profileId, input.schoolYear, [published]);
    return {
      done: outcome.status !== 'dependency',
      outcome: outcome.status === 'published' ? 'published' : outcome.message,
      source: outcome.status === 'dependency' ? 'api' : 'computed',
      ...(published !== undefined ? { published } : {}),
    };
  };

  /**
   * A referenced record's natural key changed (a school's number): everything in the ODS that refers
   * to its old key — across categories, and what refers to those — is deleted first, deepest first,
   * and left pending with its resource read whole next time, so it is sent again with the new key;
   * the categories that hold it are queued (Now – Changes) behind this run. Answers how many could
   * not be deleted (the old record then stays, as the ODS would refuse it).
   */
  const cascadeDependents = async (
    rt: ProfileRuntime,
    profileId: string,
    schoolYear: number,
    resource: string,
    sourceKey: string,
  ): Promise<{ deleted: number; errors: number }> => {
    const old = await sentDocument(db, profileId, schoolYear, catalogName(resource), sourceKey);
    if (old === null) return { deleted: 0, errors: 0 };
    const found = new Map<string, CatalogDependent & { path: string }>();
    let frontier: Array<{ path: string; doc: Record<string, unknown> }> = [{ path: resource, doc: old }];
    while (frontier.length > 0) {
      const filters = frontier.flatMap((f) => dependentFilters(rt.model, f.path, f.doc));
      const pathOf = new Map(filters.map((f) => [catalogName(f.resource), f.resource]));
      const rows = await catalogDependents(
        db,
        profileId,
        schoolYear,
        filters.map((f) => ({ resource: catalogName(f.resource), contains: f.contains })),
      );
      frontier = [];
      for (const r of rows) {
        const key = `${r.resource}|${r.sourceKey}`;
        const path = pathOf.get(r.resource);
        if (found.has(key) || path === undefined) continue;
        found.set(key, { ...r, path });
        frontier.push({ path, doc: r.sentJson });
      }
    }
    if (found.size === 0) return { deleted: 0, errors: 0 };
    const dependents = [...found.values()];
    const deleted: CatalogDependent[] = [];
    let errors = 0;
    for (const level of entityLevels(rt.model, [...new Set(dependents.map((d) => d.path))]).reverse()) {
      await Promise.all(
        dependents
          .filter((d) => level.includes(d.path))
          .map(async (d) => {
            const answer = await rt.limit.run(() => rt.client.delete(d.path, d.edfiId)).catch(() => undefined);
            if (answer !== undefined && classifyResponse('DELETE', answer.status, answer.body).status === 'deleted') deleted.push(d);
            else errors++;
          }),
      );
    }
    await markCascaded(
      db,
      profileId,
      schoolYear,
      deleted,
      `deleted from the ODS because the ${catalogName(resource).replace(/s$/, '')} it refers to changed its key; sent again with the new one`,
    );
    const resources = [...new Set(deleted.map((d) => d.resource))];
    await forgetWatermarks(db, profileId, schoolYear, resources);
    const categories = new Set(
      resources.map((r) => CATEGORIES.find((c) => c.entities.some((e) => catalogName(e.resource) === r))?.id).filter((c): c is string => c !== undefined),
    );
    for (const category of categories)
      await signalPublish(deps.temporal, deps.temporalConfig, profileId, {
        category,
        option: 'changes',
        schoolYear,
        scope: { kind: 'district' },
        requestedBy: `key change of a ${catalogName(resource).replace(/s$/, '')} (its dependents are sent again)`,
      });
    runLog(errors > 0 ? 'ERROR' : 'INFO', 'dependents deleted for a key change', { resource, deleted: deleted.length, errors, categories: [...categories] });
    return { deleted: deleted.length, errors };
  };

  /** One line per sent batch, as loud as its worst record; failed records counted by HTTP status. */
  const logBatch = (run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }, summary: BatchSummary, writes: readonly CatalogWrite[]): void => {
    const failed = statusTally(writes.filter((w) => w.status === 'error').map((w) => w.httpStatus));
    runLog(batchLogLevel(summary), 'batch sent', {
      resource: run.resource,
      phase: run.phase,
      batch: run.batchNo,
      ...summary,
      ...(failed !== '' ? { failed } : {}),
    });
  };

  const switches = async (): Promise<HoldSwitches> => deps.orm.em.fork().findOneOrFail(BasicSettingsSchema, { id: 1 });

  const activities = {
    /** Prepares a category run: which entities publish, in which order, and what is refused or skipped. */
    async prepareCategory(input: {
      profileId: string;
      schoolYear: number;
      category: string;
      option: PublishOption;
      scope: PublishScope;
      includeToggledOff?: boolean;
    }): Promise<CategoryPlan> {
      const refuse = (why: string): CategoryPlan => {
        runLog('WARN', 'category run refused', { category: input.category, option: input.option, schoolYear: input.schoolYear, why });
        return { refused: why, levels: [], skipped: [], descriptors: false };
      };
      let rt: ProfileRuntime;
      try {
        // A run starts from the profile as it is now (its switches may have just changed).
        rt = await runtime(input.profileId, true);
      } catch (err) {
        if (err instanceof ApplicationFailure) return refuse(err.message);
        throw err;
      }
      const { profile, model } = rt;
      const category = findCategory(input.category);
      if (category === undefined) return refuse(`unknown category "${input.category}"`);
      const held = holdReason(await switches(), profile, 'category run');
      if (held !== undefined) return refuse(held);
      // The scope-year rule: data is sent only for school years with valid configuration.
      if (!profile.schoolYears.includes(input.schoolYear))
        return refuse(
          `school year ${input.schoolYear} is not configured on profile "${profile.name}" (it has ${profile.schoolYears.join(', ')}): add it to the profile first`,
        );
      const years = await sis().query('SELECT 1 FROM schoolyear WHERE endYear = $1', [input.schoolYear]);
      if (years.rowCount === 0) return refuse(`the SIS has no school year ending ${input.schoolYear}: nothing to publish for it`);
      if (category.id === 'descriptors') return { levels: [], skipped: [], descriptors: true };
      const prefs = await db.query<{ resource: string }>('SELECT resource FROM resource_preference WHERE profile_id = $1 AND NOT enabled', [profile.id]);
      const off = new Set(prefs.rows.map((r) => r.resource));
      const skipped: Array<{ resource: string; why: string }> = [];
      const publishable: string[] = [];
      for (const entity of category.entities) {
        const resource = entityResource(model, entity.resource);
        if (resource === undefined)
          skipped.push({
            resource: entity.resource,
            why: `not in the Ed-Fi model of this profile (Data Standard ${profile.dataStandard}, ${profile.stateExtension})`,
          });
        else if (mapperFor(resource) === undefined) skipped.push({ resource, why: NOT_SENT.get(entity.resource) ?? 'not implemented yet' });
        else if (off.has(catalogName(resource)) && input.includeToggledOff !== true)
          skipped.push({ resource, why: 'toggled off in the resource preferences: what was sent stays, nothing new is sent' });
        else publishable.push(resource);
      }
      // The previous category grew the catalog by thousands of rows: fresh statistics, once per
      // category rather than once per entity, keep this run's plans and reference checks on indexes.
      await analyzeKeys(db, 'catalog');
      for (const skip of skipped) runLog('INFO', 'resource not published', { category: category.id, resource: skip.resource, why: skip.why });
      return { levels: entityLevels(model, publishable), skipped, descriptors: false };
    },

    /** Extracts a resource into this run's stage and plans it against the catalog; answers with the plan's size. */
    async extractAndPlan(run: EntityRun): Promise<PlanCounts & Extraction & { deleteBatches: number[]; newLocalDescriptors: number }> {
      const { profile, model } = await runtime(run.profileId);
      const resourceModel = model.resource(run.resource);
      if (resourceModel === undefined)
        throw ApplicationFailure.nonRetryable(
          `${run.resource} is not part of the Ed-Fi model of profile "${profile.name}" (Data Standard ${profile.dataStandard}, ${profile.stateExtension})`,
        );
      const mapper = mapperFor(run.resource);
      if (mapper === undefined) throw ApplicationFailure.nonRetryable(`${run.resource} has no mapper yet`);
      const client = await db.connect();
      let staged = 0;
      try {
        const scope = {
          runId: run.runId,
          profileId: run.profileId,
          schoolYear: run.schoolYear,
          resource: catalogName(run.resource),
          ...(run.schoolId !== undefined ? { schoolId: run.schoolId } : {}),
        };
        const plan = async (changed?: ChangeSources): Promise<PlanCounts> => {
          // The stage grows by thousands of rows in a run: fresh statistics keep the plan and the
          // reference checks on their indexes instead of scanning (the catalog's are fresh from
          // the category's start).
          await analyzeKeys(client, 'extract_stage');
          const counts = await planResource(client, { ...scope, ...(changed !== undefined ? { changed } : {}) }, run.option, BATCH_SIZE);
          await markPlanned(client, run.runId, counts.batches);
          return counts;
        };
        if (!usesExtract(run.option)) {
          // Remove – Unpublished forgets records no SIS event will bring back: the next Now – Changes reads everything.
          if (run.option === 'remove-unpublished') await forgetWatermarks(client, run.profileId, run.schoolYear, [scope.resource]);
          const counts = await plan();
          runLog('INFO', 'planned', { resource: run.resource, option: run.option, mode: 'from the catalog', ...counts });
          return {
            ...counts,
            deleteBatches: await batchesWithDeletes(client, run.runId, scope.resource),
            newLocalDescriptors: 0,
            resource: run.resource,
            mode: 'full',
            staged,
          };
        }
        const { ctx, lookup, fingerprint: fingerprintOf } = await publishContext(profile, run.schoolYear, run.schoolId);
        /** A record as staged: whole (JSON, references, model check), or only what the plan compares. */
        const staging = (r: MappedRecord, whole: boolean): ExtractedRecord => {
          const base = {
            sourceKey: r.sourceKey,
            schoolId: r.schoolId === null ? null : String(r.schoolId),
            naturalKey: naturalKeyOf(resourceModel, r.doc).key,
            ...(r.dependency !== undefined ? { dependency: r.dependency } : {}),
          };
          const doc = canonicalJson(r.doc);
          if (!whole) return { ...base, payloadHash: payloadHashOf(doc), ...(r.error !== undefined ? { error: r.error } : {}) };
          // The model check happens here, once, so a batch sends the staged text unparsed.
          const problem = r.error === undefined && r.dependency === undefined ? documentProblem(resourceModel, r.doc) : undefined;
          return {
            ...base,
            payloadHash: payloadHashOf(doc),
            doc,
            refs: JSON.stringify(referencesOf(model, resourceModel, r.doc)),
            ...(r.error !== undefined ? { error: r.error } : problem !== undefined ? { error: notSent(problem) } : {}),
          };
        };
        const sisClient = await sis().connect();
        try {
          const extractWhole = async function* (keys: readonly string[]): AsyncGenerator<ExtractedRecord> {
            for await (const r of mapper.extract(sisClient, ctx, keys)) yield staging(r, true);
          };
          // Read before extracting: a change committed while this run extracts is read again next time.
          const latest = await latestEventId(sisClient);
          const fingerprint = fingerprintOf(await replicaLoad(sisClient));
          const districtWide = run.schoolId === undefined;
          let mode: Extraction['mode'] = 'full';
          let why: string | undefined;
          let counts: PlanCounts | undefined;
          if (run.option === 'changes') {
            if (!districtWide) why = 'one school: read whole';
            else {
              const traced = await traceChanges(sisClient, client, { ...scope, changed: mapper.changes }, fingerprint, latest);
              if ('why' in traced) why = traced.why;
              else {
                const records = async function* (): AsyncGenerator<ExtractedRecord> {
                  for (let i = 0; i < traced.objects.length; i += RESTAGE_CHUNK) {
                    for await (const r of extractWhole(traced.objects.slice(i, i + RESTAGE_CHUNK))) {
                      staged++;
                      yield r;
                    }
                  }
                };
                await stageExtract(client, run.runId, records());
                counts = await plan(mapper.changes);
                mode = 'changes';
              }
            }
          }
          if (counts === undefined) {
            // Now – Changes usually sends a few records of many: the first pass stages only what the plan
            // compares; the records it will post are then extracted again whole and planned once more.
            const lazy = run.option === 'changes';
            const records = async function* (): AsyncGenerator<ExtractedRecord> {
              for await (const r of mapper.extract(sisClient, ctx)) {
                staged++;
                yield staging(r, !lazy);
              }
            };
            await stageExtract(client, run.runId, records());
            counts = await plan();
            if (lazy) {
              const posts = await plannedPosts(client, run.runId, scope.resource);
              // A record gone from the SIS meanwhile is not staged again: the second plan deletes it.
              for (let i = 0; i < posts.length; i += RESTAGE_CHUNK) {
                const keys = posts.slice(i, i + RESTAGE_CHUNK);
                await restage(client, run.runId, keys, extractWhole(keys));
              }
              if (posts.length > 0) counts = await plan();
            }
          }
          // Only a district-wide Now – Changes or Now – All leaves the whole resource as the SIS has it.
          if (districtWide && (run.option === 'changes' || run.option === 'all'))
            await setPendingWatermark(client, run.runId, run.profileId, run.schoolYear, scope.resource, { eventId: latest, fingerprint });
          const newLocalDescriptors = await stageLocalDescriptors(run.profileId, run.schoolYear, lookup.localDescriptorsMet());
          // Most batches only post: the workflow runs the delete pass for these alone.
          const deleteBatches = await batchesWithDeletes(client, run.runId, scope.resource);
          runLog('INFO', 'planned', {
            resource: run.resource,
            option: run.option,
            mode,
            ...(why !== undefined ? { why } : {}),
            staged,
            ...counts,
            newLocalDescriptors,
          });
          return { ...counts, deleteBatches, newLocalDescriptors, resource: run.resource, mode, staged, ...(why !== undefined ? { why } : {}) };
        } finally {
          sisClient.release();
        }
      } finally {
        client.release();
      }
    },

    /**
     * One batch of a plan. The delete phase (dependents first) deletes what left the source and the
     * old records of changed natural keys; the post phase (in dependency order) sends the rest.
     */
    async sendBatch(run: EntityRun & { batchNo: number; phase: 'delete' | 'post' }): Promise<BatchSummary> {
      const rt = await runtime(run.profileId);
      const resourceModel = rt.model.resource(run.resource);
      if (resourceModel === undefined) throw ApplicationFailure.nonRetryable(`${run.resource} is not part of the profile's Ed-Fi model`);
      const name = catalogName(run.resource);
      const summary = { published: 0, dependency: 0, error: 0, deleted: 0, forgotten: 0 };
      // Most batches hold only posts: the delete phase need not read their JSON (runs from before the
      // workflow listed the batches that delete still send every batch through it).
      const lost = (): ApplicationFailure => {
        runLog('WARN', 'plan lost: the run plans again', { resource: run.resource, batch: run.batchNo, phase: run.phase });
        return ApplicationFailure.nonRetryable(
          `the plan of ${run.resource} was lost (Postgres restarted or failed over): nothing of this batch counts as sent; the run plans again`,
          PLAN_LOST,
        );
      };
      if (run.phase === 'delete' && !(await batchHasDeletes(db, run.runId, name, run.batchNo))) {
        if (await planLost(db, run.runId)) throw lost();
        return summary;
      }
      const rows = await batchRows(db, run.runId, name, run.batchNo, run.profileId, run.schoolYear);
      // Every planned batch has rows: none means the plan is gone, not that there was nothing to send.
      if (rows.length === 0 && (await planLost(db, run.runId))) throw lost();
      const writes: CatalogWrite[] = [];
      /** The first set-up refusal met: the run stops after this batch. */
      let setup: Outcome | undefined;
      if (run.phase === 'delete') {
        const forget: string[] = [];
        await Promise.all(
          rows.map(async (row) => {
            if (row.action === 'post') return;
            if (row.action === 'forget' || row.edfiId === null) {
              if (row.action !== 'rekey') forget.push(row.sourceKey);
              return;
            }
            let outcome: Outcome;
            let http: number | null = null;
            // A new key for a record others refer to: they go first, or the ODS refuses the delete (409).
            if (row.action === 'rekey') await cascadeDependents(rt, run.profileId, run.schoolYear, run.resource, row.sourceKey);
            try {
              const started = Date.now();
              const answer = await rt.limit.run(() => rt.client.delete(run.resource, row.edfiId!));
              http = answer.status;
              runLog('DEBUG', 'DELETE answered', { resource: run.resource, http, ms: Date.now() - started });
              outcome = classifyResponse('DELETE', answer.status, answer.body);
            } catch (err) {
              outcome = networkFailure((err as Error).message);
            }
            const base = {
              sourceKey: row.sourceKey,
              schoolId: row.catalogSchoolId,
              naturalKey: row.catalogNaturalKey ?? '',
              payloadHash: row.catalogHash ?? '',
              sentJson: null,
            };
            setup ??= outcome.setup !== undefined ? outcome : undefined;
            if (outcome.status === 'deleted') {
              summary.deleted++;
              // A re-keyed record is posted anew in the post phase; a gone one stays as "deleted".
              writes.push({
                ...base,
                edfiId: null,
                status: row.action === 'rekey' ? 'pending' : 'deleted',
                statusDescription: row.action === 'rekey' ? 'natural key changed: old record deleted, new one to be posted' : null,
                httpStatus: http,
                dependencySource: null,
                dependsOn: null,
                attempted: true,
              });
            } else {
              summary.error++;
              writes.push({ ...outcomeWrite(base, row.edfiId, outcome, http), status: 'error' });
            }
          }),
        );
        await forgetRecords(db, run.profileId, run.schoolYear, name, forget);
        summary.forgotten = forget.length;
        await writeOutcomes(db, run.profileId, run.schoolYear, name, writes);
        logBatch(run, summary, writes);
        if (setup !== undefined) throw await setupFailure(run.profileId, run.resource, setup);
        return summary;
      }

      const unresolved = await unresolvedReferences(db, run.runId, name, run.batchNo, run.profileId, run.schoolYear);
      const published: string[] = [];
      const retries: Array<{ sourceKey: string; source: DependencySource }> = [];
      await Promise.all(
        rows.map(async (row: BatchRow) => {
          if (row.action !== 'post' && row.action !== 'rekey') return;
          // The old record could not be deleted: posting the new one would leave two in the ODS.
          if (row.action === 'rekey' && row.edfiId !== null && row.docText !== null) return;
          const doc = row.docText ?? row.sentJson;
          if (doc === null) return;
          const base = {
            sourceKey: row.sourceKey,
            schoolId: row.schoolId,
            naturalKey: row.naturalKey ?? row.catalogNaturalKey ?? '',
            // A planned record is staged or in the catalog, and both keep its hash.
            payloadHash: row.payloadHash ?? row.catalogHash ?? '',
            // Staged JSON is copied into the catalog by SQL; only a catalog resend carries it here.
            sentJson: typeof doc === 'string' ? null : doc,
          };
          // Staged text was checked against the model when extracted; a catalog resend is checked now.
          const withheld = precheck(
            resourceModel,
            rt.model,
            { error: row.error, dependency: row.dependency, ...(typeof doc === 'string' ? {} : { doc }) },
            unresolved.get(row.sourceKey),
          );
          if (withheld !== undefined) {
            writes.push({ ...base, edfiId: row.edfiId, ...withheld, attempted: false });
            if (withheld.status === 'dependency') {
              summary.dependency++;
              retries.push({ sourceKey: row.sourceKey, source: 'computed' });
            } else summary.error++;
            return;
          }
          const { outcome, http, id } = await send(rt, run.resource, doc);
          writes.push(outcomeWrite(base, id ?? row.edfiId, outcome, http));
          setup ??= outcome.setup !== undefined ? outcome : undefined;
          if (outcome.status === 'published') {
            summary.published++;
            published.push(`${name}|${base.naturalKey}`);
          } else if (outcome.status === 'dependency') {
            summary.dependency++;
            retries.push({ sourceKey: row.sourceKey, source: 'api' });
          } else summary.error++;
        }),
      );
      await writeOutcomes(db, run.profileId, run.schoolYear, name, writes, run.runId);
      await queueDependencyRetries(run.profileId, run.schoolYear, name, retries);
      await wakeDependents(rt.model, run.profileId, run.schoolYear, published);
      logBatch(run, summary, writes);
      if (setup !== undefined) throw await setupFailure(run.profileId, run.resource, setup);
      return summary;
    },

    publishLocalDescriptors,

    async finishRun(input: { runIds: string[] }): Promise<void> {
      const client = await db.connect();
      try {
        // The run ended well: Now – Changes may start from what it read.
        await promoteWatermarks(client, input.runIds);
        for (const id of input.runIds) await clearRun(client, id);
        runLog('INFO', 'run finished: watermarks moved, plans cleared', { runs: input.runIds.length });
      } finally {
        client.release();
      }
    },

    /**
     * One attempt of a record in dependency. `done` when it published, failed for good, left the
     * source or the catalog, or left dependency another way.
     */
    /**
     * The sweeper's batch: the profile's records due at `nowMs`, each tried once (re-extracted and
     * sent) unless its known blocker is still unpublished — then the try would change nothing and
     * only its next time moves — or the exchange, System Processing or Publish holds it (its time
     * moves, its count does not). Answers whether more are due and when the next one is.
     */
    async retryDueDependencies(input: {
      profileId: string;
      nowMs: number;
      limit: number;
    }): Promise<{ tried: number; skipped: number; held: number; queued: number; moreDue: boolean; nextAtMs: number | null }> {
      const counts = { tried: 0, skipped: 0, held: 0, queued: 0 };
      let rt: ProfileRuntime | undefined;
      let held: string | undefined;
      try {
        rt = await runtime(input.profileId, true);
        held = holdReason(await switches(), rt.profile, 'dependency retry');
      } catch (err) {
        // A profile that cannot publish now (no enabled connection, …) holds its retries like a pause.
        if (!(err instanceof ApplicationFailure)) throw err;
        held = err.message;
      }
      // Records whose blocker is still unpublished move on in one statement; only the rest are looked at.
      if (held === undefined) counts.skipped = await rescheduleStillBlocked(db, input.profileId, input.nowMs);
      const due = await dueRetries(db, input.profileId, input.nowMs, input.limit);
      const next: Parameters<typeof scheduleRetries>[2][number][] = [];
      const record = (d: DueRetry, result: TryResult): void => {
        const { retryAtMs, attempts } = nextTry(input.nowMs, d, result);
        next.push({ schoolYear: d.schoolYear, resource: d.resource, sourceKey: d.sourceKey, retryAtMs, attempts });
      };
      if (held !== undefined || rt === undefined) {
        counts.held = due.length;
        for (const d of due) record(d, { kind: 'held' });
      } else {
        const model = rt.model;
        // Blocked by something else than what it last waited for: found in SQL from its last JSON, not tried.
        const withRefs = due.flatMap((d) => {
          const resourceModel = model.resource(entityResource(model, d.resource) ?? '');
          return d.doc === null || resourceModel === undefined ? [] : [{ d, refs: referencesOf(model, resourceModel, d.doc) }];
        });
        const unresolved = await stillUnresolved(
          db,
          input.profileId,
          withRefs.map(({ d, refs }) => ({ schoolYear: d.schoolYear, sourceKey: d.sourceKey, refs })),
        );
        const blockedBy = (d: DueRetry) => unresolved.get(`${d.schoolYear}|${d.sourceKey}`);
        await setDependsOn(
          db,
          input.profileId,
          due.flatMap((d) => {
            const b = blockedBy(d);
            return b === undefined
              ? []
              : [{ schoolYear: d.schoolYear, resource: d.resource, sourceKey: d.sourceKey, dependsOn: `${catalogName(b.target)}|${b.key}` }];
          }),
        );
        const ready: DueRetry[] = [];
        for (const d of due) {
          if (d.stillBlocked || blockedBy(d) !== undefined) {
            counts.skipped++;
            record(d, { kind: 'still-blocked' });
          } else ready.push(d);
        }
        // Many ready in one category (a cascade after a blocker published): the engine's Now – Dependencies, not one by one.
        const categoryOf = (resource: string): string | undefined => CATEGORIES.find((c) => c.entities.some((e) => e.resource === resource))?.id;
        const tally = new Map<string, { schoolYear: number; resource: string; count: number }>();
        for (const d of ready) {
          const t = tally.get(`${d.schoolYear}|${d.resource}`) ?? { schoolYear: d.schoolYear, resource: d.resource, count: 0 };
          t.count++;
          tally.set(`${d.schoolYear}|${d.resource}`, t);
        }
        const bulk = bulkRetryCategories([...tally.values()], categoryOf);
        for (const b of bulk)
          await signalPublish(deps.temporal, deps.temporalConfig, input.profileId, {
            category: b.category,
            option: 'dependencies',
            schoolYear: b.schoolYear,
            scope: { kind: 'district' },
            requestedBy: 'dependency retries (many records ready at once)',
          });
        const inBulk = (d: DueRetry): boolean => bulk.some((b) => b.schoolYear === d.schoolYear && b.resources.includes(d.resource));
        const publishedNow = new Map<number, string[]>();
        // A few at a time: the sweeper must not crowd a clerk's publish out of the connections.
        const limit = new Semaphore(4);
        await Promise.all(
          ready.map((d) =>
            limit.run(async () => {
              if (inBulk(d)) {
                counts.queued++;
                return record(d, { kind: 'still-blocked' });
              }
              const path = entityResource(model, d.resource);
              const result =
                path === undefined
                  ? { done: true, source: d.source }
                  : await publishOne({ profileId: input.profileId, schoolYear: d.schoolYear, resource: path, sourceKey: d.sourceKey }, true, false);
              counts.tried++;
              if ('published' in result && result.published !== undefined)
                (publishedNow.get(d.schoolYear) ?? publishedNow.set(d.schoolYear, []).get(d.schoolYear)!).push(result.published);
              record(d, { kind: 'tried', done: result.done, source: result.source });
            }),
          ),
        );
        // What published wakes what waits for it: one update and one signal per batch, not per record.
        for (const [year, blockers] of publishedNow) await wakeDependents(model, input.profileId, year, blockers);
      }
      await scheduleRetries(db, input.profileId, next);
      if (due.length > 0 || counts.skipped > 0)
        runLog(held !== undefined ? 'WARN' : 'INFO', 'dependency retries swept', { ...counts, due: due.length, ...(held !== undefined ? { held } : {}) });
      return { ...counts, moreDue: due.length === input.limit, nextAtMs: await nextRetryAt(db, input.profileId) };
    },

    /** One retry of a record in dependency (earlier versions' per-record workflow) — or none while the exchange, System Processing or the profile's Publish holds it (`held`: not an attempt). */
    async retryDependency(input: {
      profileId: string;
      schoolYear: number;
      resource: string;
      sourceKey: string;
    }): Promise<{ done: boolean; outcome: string; source: DependencySource; held?: true }> {
      const { profile } = await runtime(input.profileId, true);
      const held = holdReason(await switches(), profile, 'dependency retry');
      if (held !== undefined) return { done: false, outcome: `held: ${held}`, source: 'computed', held: true };
      return publishOne(input, true);
    },

    /** The record details' "Publish": this one record, re-extracted and sent now. */
    republishRecord: (input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }) => publishOne(input, false),

    /** The record details' "Delete from the ODS": sent without validation, as the guide says; the catalog keeps the row as deleted. */
    async deleteRecord(input: { profileId: string; schoolYear: number; resource: string; sourceKey: string }): Promise<{ outcome: string }> {
      const name = catalogName(input.resource);
      const found = await db.query<{ edfi_id: string | null; natural_key: string; payload_hash: string; school_id: string | null }>(
        'SELECT edfi_id, natural_key, payload_hash, school_id FROM catalog WHERE profile_id = $1 AND school_year = $2 AND resource = $3 AND source_key = $4',
        [input.profileId, input.schoolYear, name, input.sourceKey],
      );
      const row = found.rows[0];
      if (row === undefined) throw ApplicationFailure.nonRetryable(`no ${name} record "${input.sourceKey}" in the catalog for ${input.schoolYear}`);
      if (row.edfi_id === null) return { outcome: 'never published: nothing to delete in the ODS' };
      const rt = await runtime(input.profileId);
      const answer = await rt.limit.run(() => rt.client.delete(input.resource, row.edfi_id!));
      const o = classifyResponse('DELETE', answer.status, answer.body);
      const base = { sourceKey: input.sourceKey, schoolId: row.school_id, naturalKey: row.natural_key, payloadHash: row.payload_hash, sentJson: null };
      // No SIS event will say to send it again: the next Now – Changes reads the resource whole.
      if (o.status === 'deleted') await forgetWatermarks(db, input.profileId, input.schoolYear, [name]);
      await writeOutcomes(db, input.profileId, input.schoolYear, name, [
        o.status === 'deleted'
          ? {
              ...base,
              edfiId: null,
              status: 'deleted',
              statusDescription: 'deleted from the ODS on request',
              httpStatus: answer.status,
              dependencySource: null,
              dependsOn: null,
              attempted: true,
            }
          : outcomeWrite(base, row.edfi_id, o, answer.status),
      ]);
      return { outcome: o.status === 'deleted' ? 'deleted' : o.message };
    },

    /**
     * Resync of one resource (seed 001): catalog records the ODS no longer has leave the catalog (a
     * later Now – Changes sends them again); ODS records of the district's schools that match
     * nothing in the catalog are deleted from the ODS.
     */
    /**
     * Resync (seed 001) of one resource: catalog records the ODS lost are forgotten (the next Now –
     * Changes sends them again); records the SIS no longer sends — excluded after being sent, or
     * removed — are deleted from the ODS, even with the resource toggled off; and the district's
     * ODS records nothing in the catalog matches (strays) are deleted. The district is its LEA and
     * every school the ODS lists under it, published by this profile or not.
     */
    async resyncResource(input: { profileId: string; schoolYear: number; resource: string }): Promise<ResyncCounts> {
      const rt = await runtime(input.profileId);
      const name = catalogName(input.resource);
      const ods = new Map<string, Record<string, unknown>>();
      for (let offset = 0; ; offset += ODS_PAGE) {
        const page = (await rt.limit.run(() => rt.client.page(input.resource, offset, ODS_PAGE))) as Array<Record<string, unknown>>;
        for (const doc of page) if (typeof doc.id === 'string') ods.set(doc.id, doc);
        if (page.length < ODS_PAGE) break;
      }
      const catalog = await catalogInOds(db, input.profileId, input.schoolYear, name);
      const known = new Set(catalog.map((r) => r.edfiId));
      const gone = catalog.filter((r) => !ods.has(r.edfiId)).map((r) => r.sourceKey);
      await forgetRecords(db, input.profileId, input.schoolYear, name, gone);
      // Forgotten records come back only from a full read of the SIS.
      if (gone.length > 0) await forgetWatermarks(db, input.profileId, input.schoolYear, [name]);

      // What the SIS sends today: a record in the ODS that it no longer sends is deleted there.
      const mapper = mapperFor(input.resource);
      const sent = new Set<string>();
      if (mapper !== undefined) {
        const { ctx } = await publishContext(rt.profile, input.schoolYear, undefined);
        const sisClient = await sis().connect();
        try {
          for await (const r of mapper.extract(sisClient, ctx)) sent.add(r.sourceKey);
        } finally {
          sisClient.release();
        }
      }
      const leftSis = mapper === undefined ? [] : catalog.filter((r) => ods.has(r.edfiId) && !sent.has(r.sourceKey));
      let errors = 0;
      const writes: CatalogWrite[] = [];
      for (const r of leftSis) {
        const answer = await rt.limit.run(() => rt.client.delete(input.resource, r.edfiId));
        const outcome = classifyResponse('DELETE', answer.status, answer.body);
        const base = { sourceKey: r.sourceKey, schoolId: r.schoolId, naturalKey: r.naturalKey, payloadHash: r.payloadHash, sentJson: null };
        if (outcome.status === 'deleted')
          writes.push({
            ...base,
            edfiId: null,
            status: 'deleted',
            statusDescription: 'no longer sent by the SIS (excluded or removed): deleted from the ODS by resync',
            httpStatus: answer.status,
            dependencySource: null,
            dependsOn: null,
            attempted: true,
          });
        else {
          errors++;
          writes.push({ ...outcomeWrite(base, r.edfiId, outcome, answer.status), status: 'error' });
        }
      }
      await writeOutcomes(db, input.profileId, input.schoolYear, name, writes);

      // Strays: only the district's own — its LEA and the schools the ODS lists under it.
      const ours = new Set(await publishedEdOrgIds(db, input.profileId, input.schoolYear));
      const lea = await profileLeaNumber(db, input.profileId);
      if (lea !== undefined) {
        ours.add(String(Number(lea)));
        for (let offset = 0; ; offset += ODS_PAGE) {
          const page = (await rt.limit.run(() => rt.client.page('ed-fi/schools', offset, ODS_PAGE, { localEducationAgencyId: String(Number(lea)) }))) as Array<
            Record<string, unknown>
          >;
          for (const s of page) ours.add(String(s.schoolId));
          if (page.length < ODS_PAGE) break;
        }
      }
      let deleted = 0;
      for (const [id, doc] of ods) {
        if (known.has(id)) continue;
        const orgIds =
          JSON.stringify(doc)
            .match(/"(?:schoolId|localEducationAgencyId|educationOrganizationId)":(\d+)/g)
            ?.map((m) => m.split(':')[1] ?? '') ?? [];
        if (!orgIds.some((o) => ours.has(o))) continue;
        const answer = await rt.limit.run(() => rt.client.delete(input.resource, id));
        if (classifyResponse('DELETE', answer.status, answer.body).status === 'deleted') deleted++;
        else errors++;
      }
      const counts = { dropped: gone.length, leftSis: writes.length - errors, deleted, errors };
      runLog(errors > 0 ? 'ERROR' : 'INFO', 'resynced', { resource: input.resource, schoolYear: input.schoolYear, ...counts });
      return counts;
    },
  };
  // The long ones beat while they run (their workflows set a 30-second heartbeat timeout).
  return {
    ...activities,
    extractAndPlan: heartbeating(activities.extractAndPlan.bind(activities)),
    sendBatch: heartbeating(activities.sendBatch.bind(activities)),
    publishLocalDescriptors: heartbeating(activities.publishLocalDescriptors),
    resyncResource: heartbeating(activities.resyncResource.bind(activities)),
    retryDueDependencies: heartbeating(activities.retryDueDependencies.bind(activities)),
  };
}
