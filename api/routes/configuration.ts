/**
 * The guide's Configuration page over HTTP: basic settings, profiles (type fixed once saved),
 * per-profile settings, LEAs and their connections (key + encrypted secret; Test, then Enable).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problem } from '../schemas.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TemporalConfig } from '../../temporal.config.js';
import { syncSchedules } from '../../temporal/client/schedules.js';
import { syncDataChanges } from '../../temporal/client/dataChanges.js';
import { readQueue } from '../../temporal/client/publishQueue.js';
import { readInitialSync } from '../../temporal/client/initialSync.js';
import { leaRemovalRefusal, profileRemovalRefusal, stateNumberChangeVoidsTests } from '../../publishing/removal.js';
import {
  BasicSettingsSchema,
  LeaConnectionSchema,
  LeaSchema,
  LOGGING_OPTIONS,
  type BasicSettings,
  type LeaConnection,
} from '../../db/entities/configuration.js';
import { DATA_STANDARDS, ODS_API_VERSIONS, ProfileSchema, STATE_EXTENSIONS, type Profile } from '../../db/entities/profile.js';
import { createProfile, editProfile, ProfileTypeFixedError } from '../../db/profiles.js';
import type { SecretBox } from '../../db/secrets.js';
import { enableRefusal, enterCredentials, testConnection } from '../connections.js';
import { inCallersDistrict, profileVisibleTo } from '../../publishing/profileVisibility.js';
import { routeLea, routeProfile } from '../auth/plugin.js';
import { districtForNew } from '../visibleProfile.js';
import { applySettingChanges, PROFILE_TYPES, SETTING_NAMES, SETTING_RULES, SIS_PRODUCTS, defaultSettings } from '../../publishing/profileSettings.js';

export interface ConfigurationDeps {
  readonly orm: MikroORM;
  readonly secrets: SecretBox;
  readonly temporal: Client;
  readonly temporalConfig: TemporalConfig;
}

// `problems` when values were refused; absent when the body itself was malformed (the common 400).
const settingProblems = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  problems: z.array(z.object({ setting: z.string(), message: z.string() })).optional(),
});
const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an http(s) URL, e.g. https://api.state.gov/odsedfiapi2025' }).max(500);
const schoolYear = z.number().int().min(1991).max(2100);
const leaName = z.string().trim().min(1, 'an LEA needs a name').max(200);
const stateNumber = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'the state LEA number has six digits (Texas county-district number), e.g. 101912');

const basicSettings = z.object({
  enableDataExchange: z.boolean(),
  loggingOptions: z.array(z.enum(LOGGING_OPTIONS)).describe('Extra logging; errors are always logged'),
  simultaneousConnections: z.number().int(),
  adaptiveConnections: z.boolean().describe('On: Simultaneous Connections is the most; the exchange finds how many requests the ODS takes well'),
  systemProcessingEnabled: z.boolean(),
});

const profileView = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  profileType: z.enum(PROFILE_TYPES),
  sisProduct: z.enum(SIS_PRODUCTS),
  odsApiVersion: z.enum(ODS_API_VERSIONS),
  dataStandard: z.enum(DATA_STANDARDS),
  stateExtension: z.enum(STATE_EXTENSIONS),
  apiUrl: z.string().nullable(),
  authUrl: z.string().nullable(),
  schoolYears: z.array(z.number()),
  publishDataChanges: z.boolean(),
  publishDownload: z.boolean(),
  publishPublish: z.boolean(),
  leaId: z.string().nullable().describe("The district (LEA) it publishes for; null: the deployment's own"),
  removedAt: z.string().nullable().describe('When Remove hid it (its catalog is kept); null for a profile in use'),
});

const profileEditable = {
  name: z.string().trim().min(1, 'a profile needs a name').max(100, 'at most 100 characters (a short name is best)'),
  enabled: z.boolean().optional(),
  profileType: z.enum(PROFILE_TYPES),
  sisProduct: z.enum(SIS_PRODUCTS).optional(),
  odsApiVersion: z.enum(ODS_API_VERSIONS).optional(),
  dataStandard: z.enum(DATA_STANDARDS).optional(),
  stateExtension: z.enum(STATE_EXTENSIONS).optional(),
  apiUrl: httpUrl.optional(),
  authUrl: httpUrl.optional(),
  schoolYears: z.array(schoolYear).min(1, 'choose at least one school year'),
  publishDataChanges: z.boolean().optional(),
  publishDownload: z.boolean().optional(),
  publishPublish: z.boolean().optional(),
};

const connectionView = z.object({
  leaId: z.string(),
  profileId: z.string(),
  key: z.string(),
  hasSecret: z.literal(true),
  enabled: z.boolean(),
  lastTest: z.object({ at: z.string(), ok: z.boolean(), message: z.string(), forCurrentCredentials: z.boolean() }).nullable(),
  setupProblem: z
    .object({ at: z.string(), message: z.string() })
    .nullable()
    .describe("The last set-up problem a publish met (another LEA's key, a claim set without a resource), until a Test passes"),
});

function viewSettings(s: BasicSettings): z.infer<typeof basicSettings> {
  return {
    enableDataExchange: s.enableDataExchange,
    loggingOptions: s.loggingOptions,
    simultaneousConnections: s.simultaneousConnections,
    adaptiveConnections: s.adaptiveConnections,
    systemProcessingEnabled: s.systemProcessingEnabled,
  };
}

function viewProfile(p: Profile): z.infer<typeof profileView> {
  return {
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    profileType: p.profileType,
    sisProduct: p.sisProduct,
    odsApiVersion: p.odsApiVersion,
    dataStandard: p.dataStandard,
    stateExtension: p.stateExtension,
    apiUrl: p.apiUrl,
    authUrl: p.authUrl,
    schoolYears: p.schoolYears,
    publishDataChanges: p.publishDataChanges,
    publishDownload: p.publishDownload,
    publishPublish: p.publishPublish,
    leaId: p.leaId,
    removedAt: p.removedAt?.toISOString() ?? null,
  };
}

// The secret never appears here: only that there is one.
function viewConnection(c: LeaConnection): z.infer<typeof connectionView> {
  return {
    leaId: c.leaId,
    profileId: c.profileId,
    key: c.key,
    hasSecret: true,
    enabled: c.enabled,
    lastTest:
      c.lastTestAt === null
        ? null
        : {
            at: c.lastTestAt.toISOString(),
            ok: c.lastTestOk === true,
            message: c.lastTestMessage ?? '',
            forCurrentCredentials: c.testedFingerprint === c.secretFingerprint,
          },
    setupProblem:
      c.setupProblem === null || c.setupProblem === undefined ? null : { at: (c.setupProblemAt ?? c.updatedAt).toISOString(), message: c.setupProblem },
  };
}

const notFound = (what: string) => ({ error: 'Not Found', message: `no ${what}` });

export function configurationRoutes(deps: ConfigurationDeps) {
  // A plain (non-async) plugin: fastify awaits the returned promise, and routes need no await.
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();
    const em = () => deps.orm.em.fork();
    /** The profile's nightly and weekend schedules follow its switches as soon as it is saved. */
    const schedulesFor = async (profile: Profile): Promise<void> => {
      const settings = await em().findOneOrFail(BasicSettingsSchema, { id: 1 });
      await syncSchedules(deps.temporal, deps.temporalConfig, profile, { processingEnabled: settings.systemProcessingEnabled });
      await syncDataChanges(deps.temporal, deps.temporalConfig, profile);
    };

    app.get(
      '/api/settings',
      { config: { access: 'admin' }, schema: { tags: ['configuration'], description: 'Basic settings.', response: { 200: basicSettings } } },
      async () => {
        return viewSettings(await em().findOneOrFail(BasicSettingsSchema, { id: 1 }));
      },
    );

    app.put(
      '/api/settings',
      {
        // Shared by every district on the deployment: Simultaneous Connections, logging, Enable Data Exchange.
        config: { access: 'deployment' },
        schema: {
          tags: ['configuration'],
          description:
            'Change basic settings. Simultaneous Connections: 20–500 (200 is a good start). Adaptive Connections (on by default): Simultaneous Connections is the most, and publishing finds how many the ODS takes well — fewer when it answers 5xx or 429 or slows down.',
          body: z.object({
            enableDataExchange: z.boolean().optional(),
            loggingOptions: z.array(z.enum(LOGGING_OPTIONS)).optional(),
            simultaneousConnections: z
              .number()
              .int()
              .min(20, 'at least 20: lower settings publish very slowly (200 is a good start)')
              .max(500, 'at most 500: higher settings cause frequent 500 errors from the API (200 is a good start)')
              .optional(),
            adaptiveConnections: z.boolean().optional(),
          }),
          response: { 200: basicSettings },
        },
      },
      async (req) => {
        const m = em();
        const s = await m.findOneOrFail(BasicSettingsSchema, { id: 1 });
        if (req.body.enableDataExchange !== undefined) s.enableDataExchange = req.body.enableDataExchange;
        if (req.body.loggingOptions !== undefined) s.loggingOptions = [...new Set(req.body.loggingOptions)];
        if (req.body.simultaneousConnections !== undefined) s.simultaneousConnections = req.body.simultaneousConnections;
        if (req.body.adaptiveConnections !== undefined) s.adaptiveConnections = req.body.adaptiveConnections;
        await m.flush();
        return viewSettings(s);
      },
    );

    app.post(
      '/api/profiles',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            'Add a profile. The profile type cannot be changed later. The Authentication URL defaults to the API URL (Texas uses the same URL for both).',
          body: z.object({
            id: id.optional(),
            ...profileEditable,
            leaId: id.nullable().optional().describe("The district it publishes for; left out: the caller's own (none for the deployment's IT)"),
          }),
          response: { 201: profileView, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const district = await districtForNew(deps.orm, req.body.leaId, req.principal!);
        if ('notFound' in district) return reply.code(404).send({ error: 'Not Found', message: district.notFound, field: 'leaId' });
        const taken = req.body.id === undefined ? null : await m.findOne(ProfileSchema, { id: req.body.id });
        if (taken !== null)
          return reply.code(409).send({
            error: 'Conflict',
            message:
              taken.removedAt === null
                ? `a profile "${taken.id}" already exists`
                : `the removed profile "${taken.name}" has the id "${taken.id}": restore it (Configure) or choose another id`,
            field: 'id',
          });
        const profile = createProfile(m, { ...req.body, leaId: district.leaId });
        await m.flush();
        await schedulesFor(profile);
        return reply.code(201).send(viewProfile(profile));
      },
    );

    app.get(
      '/api/profiles',
      {
        config: { access: 'clerk' },
        schema: { tags: ['configuration'], description: 'The publishing profiles this caller may see.', response: { 200: z.array(profileView) } },
      },
      async (req) => {
        const rows = await em().find(ProfileSchema, {}, { orderBy: { name: 'asc' } });
        return rows.filter((p) => profileVisibleTo(p, req.principal!)).map(viewProfile);
      },
    );

    // Visibility (404 otherwise) is the auth plugin's profile hook, as on every profile route.
    app.get(
      '/api/profiles/:profileId',
      { config: { access: 'clerk' }, schema: { tags: ['configuration'], params: z.object({ profileId: id }), response: { 200: profileView, 404: problem } } },
      (req) => viewProfile(routeProfile(req)),
    );

    app.patch(
      '/api/profiles/:profileId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Edit a profile. Sending a different profileType is refused (409): add a new profile instead.',
          params: z.object({ profileId: id }),
          body: z.object({
            ...profileEditable,
            name: profileEditable.name.optional(),
            profileType: profileEditable.profileType.optional(),
            schoolYears: profileEditable.schoolYears.optional(),
            leaId: id.nullable().optional().describe('Move the profile to another district (an admin of the whole deployment only)'),
          }),
          response: { 200: profileView, 403: problem, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const profile = await m.findOneOrFail(ProfileSchema, { id: routeProfile(req).id });
        const { leaId: movedTo, ...changes } = req.body;
        if (movedTo !== undefined && movedTo !== profile.leaId) {
          if (req.principal!.leaId !== null)
            return reply
              .code(403)
              .send({ error: 'Forbidden', message: 'only an admin of the whole deployment (no district) moves a profile to another district' });
          const district = await districtForNew(deps.orm, movedTo, req.principal!);
          if ('notFound' in district) return reply.code(404).send({ error: 'Not Found', message: district.notFound, field: 'leaId' });
          profile.leaId = district.leaId;
        }
        try {
          editProfile(profile, changes);
        } catch (err) {
          if (err instanceof ProfileTypeFixedError) return reply.code(409).send({ error: 'Conflict', message: err.message, field: 'profileType' });
          throw err;
        }
        await m.flush();
        await schedulesFor(profile);
        return viewProfile(profile);
      },
    );

    /** Why a profile cannot be removed now (a run going or queued, an initial sync open), or undefined. */
    const removalRefusal = async (profile: Profile): Promise<string | undefined> => {
      const why = profileRemovalRefusal(await readQueue(deps.temporal, profile.id));
      if (why !== undefined) return why;
      for (const year of profile.schoolYears) {
        const sync = await readInitialSync(deps.temporal, profile.id, year);
        if (sync?.open === true) return `an initial synchronization of ${year - 1}-${year} is running for this profile: cancel it on the Dashboard first`;
      }
      return undefined;
    };

    app.delete(
      '/api/profiles/:profileId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            'Remove a profile: it disappears from every list, its schedules and Data Changes stop, and its catalog, mappings and connections are kept so Restore brings it back as it was (disabled). Refused (409) while it publishes or has publishes queued, or while an initial synchronization runs.',
          params: z.object({ profileId: id }),
          response: { 200: profileView, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const profile = await m.findOneOrFail(ProfileSchema, { id: routeProfile(req).id });
        const wasEnabled = profile.enabled;
        // Hidden first, checked second: once hidden no route queues anything for it, so a publish
        // asked for meanwhile is either refused (404) or already in the queue read below.
        profile.removedAt = new Date();
        profile.enabled = false;
        await m.flush();
        const why = await removalRefusal(profile);
        if (why !== undefined) {
          profile.removedAt = null;
          profile.enabled = wasEnabled;
          await m.flush();
          return reply.code(409).send({ error: 'Conflict', message: why });
        }
        await schedulesFor(profile);
        return viewProfile(profile);
      },
    );

    app.get(
      '/api/removed-profiles',
      {
        config: { access: 'admin' },
        schema: { tags: ['configuration'], description: 'Removed profiles, newest first: each can be restored.', response: { 200: z.array(profileView) } },
      },
      async (req) =>
        (await em().find(ProfileSchema, { removedAt: { $ne: null } }, { orderBy: { removedAt: 'desc' } }))
          .filter((p) => inCallersDistrict(p.leaId, req.principal!))
          .map(viewProfile),
    );

    app.post(
      '/api/removed-profiles/:removedId/restore',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Restore a removed profile as it was, disabled: enable it (and its Data Changes) when ready.',
          params: z.object({ removedId: id }),
          response: { 200: profileView, 404: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const profile = await m.findOne(ProfileSchema, { id: req.params.removedId, removedAt: { $ne: null } });
        if (profile === null || !inCallersDistrict(profile.leaId, req.principal!))
          return reply.code(404).send(notFound(`removed profile "${req.params.removedId}"`));
        profile.removedAt = null;
        await m.flush();
        return viewProfile(profile);
      },
    );

    const settingsView = z.object({
      settings: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      offered: z.array(
        z.object({
          name: z.string(),
          description: z.string(),
          default: z.union([z.string(), z.number(), z.boolean()]),
          choices: z.array(z.string()).optional(),
        }),
      ),
    });
    const describeSettings = (p: Profile): z.infer<typeof settingsView> => {
      const kind = { profileType: p.profileType, sisProduct: p.sisProduct };
      const defaults = defaultSettings(kind);
      return {
        settings: { ...defaults, ...p.settings },
        offered: SETTING_NAMES.filter((n) => SETTING_RULES[n].offered(kind)).map((n) => {
          const choices = SETTING_RULES[n].choices;
          return {
            name: n,
            description: SETTING_RULES[n].description,
            default: defaults[n] as string | number | boolean,
            ...(choices !== undefined ? { choices: [...choices] } : {}),
          };
        }),
      };
    };

    app.get(
      '/api/profiles/:profileId/settings',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: "The profile's Settings panel: values, and the settings its type offers.",
          params: z.object({ profileId: id }),
          response: { 200: settingsView, 404: problem },
        },
      },
      async (req, reply) => {
        const profile = await em().findOne(ProfileSchema, { id: req.params.profileId });
        return profile === null ? reply.code(404).send(notFound(`profile "${req.params.profileId}"`)) : describeSettings(profile);
      },
    );

    app.put(
      '/api/profiles/:profileId/settings',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Change settings; all or nothing. Each refused setting is named with its allowed values.',
          params: z.object({ profileId: id }),
          body: z.record(z.string(), z.unknown()),
          response: { 200: settingsView, 400: settingProblems, 404: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const profile = await m.findOne(ProfileSchema, { id: req.params.profileId });
        if (profile === null) return reply.code(404).send(notFound(`profile "${req.params.profileId}"`));
        const result = applySettingChanges({ profileType: profile.profileType, sisProduct: profile.sisProduct }, profile.settings, req.body);
        if (!result.ok)
          return reply
            .code(400)
            .send({ error: 'Bad Request', message: result.problems.map((p) => `${p.setting}: ${p.message}`).join('; '), problems: result.problems });
        profile.settings = result.settings;
        await m.flush();
        return describeSettings(profile);
      },
    );

    const leaView = z.object({ id: z.string(), name: z.string(), stateNumber: z.string(), connections: z.array(connectionView) });

    app.get(
      '/api/leas',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Districts and their profile connections (secrets are never returned).',
          response: { 200: z.array(leaView) },
        },
      },
      async (req) => {
        const m = em();
        const leas = (await m.find(LeaSchema, {}, { orderBy: { name: 'asc' } })).filter((l) => inCallersDistrict(l.id, req.principal!));
        const connections = await m.find(LeaConnectionSchema, { leaId: { $in: leas.map((l) => l.id) } });
        return leas.map((l) => ({ ...l, connections: connections.filter((c) => c.leaId === l.id).map(viewConnection) }));
      },
    );

    app.post(
      '/api/leas',
      {
        // A new district on the deployment: its IT's decision, not another district's.
        config: { access: 'deployment' },
        schema: {
          tags: ['configuration'],
          body: z.object({ id: id.optional(), name: leaName, stateNumber }),
          response: { 201: leaView, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const leaId = req.body.id ?? req.body.stateNumber;
        if ((await m.count(LeaSchema, { $or: [{ id: leaId }, { stateNumber: req.body.stateNumber }] })) > 0)
          return reply.code(409).send({ error: 'Conflict', message: `an LEA with id "${leaId}" or state number ${req.body.stateNumber} already exists` });
        const lea = m.create(LeaSchema, { id: leaId, name: req.body.name, stateNumber: req.body.stateNumber });
        await m.flush();
        return reply.code(201).send({ ...lea, connections: [] });
      },
    );

    const connectionParams = z.object({ leaId: id, profileId: id });
    /** The route's LEA and profile (checked the caller's by the auth hooks), loaded in the handler's session: a Test writes what it detects into the profile. */
    const loadBoth = async (m: ReturnType<typeof em>, req: FastifyRequest) => ({
      lea: await m.findOneOrFail(LeaSchema, { id: routeLea(req).id }),
      profile: await m.findOneOrFail(ProfileSchema, { id: routeProfile(req).id }),
    });

    app.put(
      '/api/leas/:leaId/connections/:profileId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Enter the key and secret from the state. New credentials switch the connection off until they pass Test.',
          params: connectionParams,
          body: z.object({ key: z.string().min(1).max(200), secret: z.string().min(1).max(500) }),
          response: { 200: connectionView, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const { lea, profile } = await loadBoth(m, req);
        if (profile.leaId !== null && profile.leaId !== lea.id)
          return reply.code(409).send({
            error: 'Conflict',
            message: `profile "${profile.name}" publishes for LEA "${profile.leaId}": enter its key and secret under that LEA`,
            field: 'leaId',
          });
        const c = await enterCredentials(m, deps.secrets, lea, profile, req.body.key, req.body.secret);
        await m.flush();
        return viewConnection(c);
      },
    );

    app.post(
      '/api/leas/:leaId/connections/:profileId/test',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            "Test: get an OAuth2 token from the profile's Authentication URL with the stored key and secret, read the API's discovery document for its versions, and check the key serves this LEA (7.x: token introspection; 6.1: a read of the LEA). A key of another LEA fails the Test (wrong-lea), so Enable is refused.",
          params: connectionParams,
          response: {
            200: z.object({
              ok: z.boolean(),
              message: z.string(),
              failure: z.enum(['whitespace', 'bad-credentials', 'wrong-url', 'unreachable', 'tls', 'rejected', 'wrong-lea']).optional(),
              detected: z
                .object({
                  odsApiVersion: z.string().optional(),
                  dataStandard: z.string().optional(),
                  stateExtension: z.string().optional(),
                  version: z.string().optional(),
                })
                .optional(),
              connection: connectionView,
            }),
            404: problem,
            409: problem,
          },
        },
      },
      async (req, reply) => {
        const m = em();
        const { lea, profile } = await loadBoth(m, req);
        const c = await m.findOne(LeaConnectionSchema, { leaId: req.params.leaId, profileId: req.params.profileId });
        if (c === null)
          return reply
            .code(404)
            .send(notFound(`connection of LEA "${req.params.leaId}" to profile "${req.params.profileId}" (enter the key and secret first)`));
        const result = await testConnection(deps.secrets, profile, lea, c);
        if ('noAuthUrl' in result)
          return reply
            .code(409)
            .send({ error: 'Conflict', message: `profile "${profile.name}" has no Authentication URL: set it (the state's API URL) first`, field: 'authUrl' });
        await m.flush();
        return { ...result, connection: viewConnection(c) };
      },
    );

    app.put(
      '/api/leas/:leaId/connections/:profileId/enabled',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: 'Enable Profile: only after a successful Test of the current key and secret (409 otherwise).',
          params: connectionParams,
          body: z.object({ enabled: z.boolean() }),
          response: { 200: connectionView, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const c = await m.findOne(LeaConnectionSchema, { leaId: req.params.leaId, profileId: req.params.profileId });
        if (c === null) return reply.code(404).send(notFound(`connection of LEA "${req.params.leaId}" to profile "${req.params.profileId}"`));
        const why = req.body.enabled ? enableRefusal(c) : undefined;
        if (why !== undefined) {
          return reply.code(409).send({
            error: 'Conflict',
            message: `Test the connection first: ${why}. Enable Profile is offered only after a successful Test.`,
            field: 'enabled',
          });
        }
        c.enabled = req.body.enabled;
        await m.flush();
        return viewConnection(c);
      },
    );
    app.patch(
      '/api/leas/:leaId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description: "Edit an LEA's name or state number. A new state number switches its connections off until each passes Test again.",
          params: z.object({ leaId: id }),
          body: z.object({ name: leaName.optional(), stateNumber: stateNumber.optional() }),
          response: { 200: leaView, 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const lea = await m.findOneOrFail(LeaSchema, { id: routeLea(req).id });
        const connections = await m.find(LeaConnectionSchema, { leaId: lea.id });
        if (stateNumberChangeVoidsTests(lea.stateNumber, req.body.stateNumber)) {
          if ((await m.count(LeaSchema, { stateNumber: req.body.stateNumber!, id: { $ne: lea.id } })) > 0)
            return reply.code(409).send({ error: 'Conflict', message: `another LEA has state number ${req.body.stateNumber!}`, field: 'stateNumber' });
          lea.stateNumber = req.body.stateNumber!;
          const message = `the LEA's state number changed to ${lea.stateNumber}: Test again`;
          for (const c of connections) Object.assign(c, { enabled: false, lastTestOk: false, lastTestMessage: message });
        }
        if (req.body.name !== undefined) lea.name = req.body.name;
        await m.flush();
        return { ...lea, connections: connections.map(viewConnection) };
      },
    );

    app.delete(
      '/api/leas/:leaId',
      {
        config: { access: 'deployment' },
        schema: {
          tags: ['configuration'],
          description:
            'Remove an LEA that no profile in use connects to or publishes for (409 names them). The users and API keys of that district go with it: they would have nothing left to see.',
          params: z.object({ leaId: id }),
          response: { 204: z.null(), 404: problem, 409: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const lea = await m.findOneOrFail(LeaSchema, { id: routeLea(req).id });
        const connections = await m.find(LeaConnectionSchema, { leaId: lea.id });
        // Connections of removed profiles go with the LEA (the database cascades them).
        const profiles = await m.find(ProfileSchema, { $or: [{ id: { $in: connections.map((c) => c.profileId) } }, { leaId: lea.id }], removedAt: null });
        const connected = new Set(connections.map((c) => c.profileId));
        const why = leaRemovalRefusal({
          connected: profiles.filter((p) => connected.has(p.id)).map((p) => p.name),
          publishingFor: profiles.filter((p) => p.leaId === lea.id).map((p) => p.name),
        });
        if (why !== undefined) return reply.code(409).send({ error: 'Conflict', message: why });
        m.remove(lea);
        await m.flush();
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/api/leas/:leaId/connections/:profileId',
      {
        config: { access: 'admin' },
        schema: {
          tags: ['configuration'],
          description:
            "Remove a profile's connection to the LEA (the guide's 'x'): its key and secret are deleted and the profile stops publishing for the LEA. What was published stays in the ODS and the catalog.",
          params: connectionParams,
          response: { 204: z.null(), 404: problem },
        },
      },
      async (req, reply) => {
        const m = em();
        const c = await m.findOne(LeaConnectionSchema, { leaId: req.params.leaId, profileId: req.params.profileId });
        if (c === null) return reply.code(404).send(notFound(`connection of LEA "${req.params.leaId}" to profile "${req.params.profileId}"`));
        m.remove(c);
        await m.flush();
        return reply.code(204).send(null);
      },
    );
    done();
  };
}
