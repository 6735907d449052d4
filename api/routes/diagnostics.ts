/**
 * Diagnostics' "Enable System Processing": off pauses background processing — schedules paused,
 * every profile's publish queue holds, running work finishes its current batch — and on resumes
 * it. Both report progress until done: the status says what is still finishing.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { SCHEDULE_KINDS, scheduleId } from '../../publishing/schedules.js';
import { BasicSettingsSchema } from '../../db/entities/configuration.js';
import { ProfileSchema } from '../../db/entities/profile.js';
import { readQueue, setQueueProcessing } from '../../temporal/client/publishQueue.js';

export interface DiagnosticsDeps {
  readonly orm: MikroORM;
  readonly temporal: Client;
}

const status = z.object({
  enabled: z.boolean(),
  /** running | pausing (work still finishing) | paused | resuming (a queue not yet told) */
  state: z.enum(['running', 'pausing', 'paused', 'resuming']),
  detail: z.string(),
  queues: z.array(z.object({ profileId: z.string(), holding: z.boolean(), finishing: z.string().nullable() })),
  schedules: z.array(z.object({ id: z.string(), paused: z.boolean() })),
});
type Status = z.infer<typeof status>;

/** The weekday-nightly and weekend schedules of this installation's profiles (the namespace may hold others'). */
async function ourSchedules(temporal: Client, profileIds: readonly string[]): Promise<Array<{ id: string; paused: boolean }>> {
  const out: Array<{ id: string; paused: boolean }> = [];
  for (const profileId of profileIds) {
    for (const kind of SCHEDULE_KINDS) {
      const id = scheduleId(kind, profileId);
      try {
        const d = await temporal.schedule.getHandle(id).describe();
        out.push({ id, paused: d.state.paused });
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    }
  }
  return out;
}

async function readStatus(deps: DiagnosticsDeps): Promise<Status> {
  const em = deps.orm.em.fork();
  const settings = await em.findOneOrFail(BasicSettingsSchema, { id: 1 });
  const profiles = await em.find(ProfileSchema, {}, { orderBy: { id: 'asc' } });
  const queues = [];
  for (const p of profiles) {
    const view = await readQueue(deps.temporal, p.id);
    if (view === undefined) continue;
    queues.push({ profileId: p.id, holding: view.paused, finishing: view.running?.workflowId ?? view.beside?.workflowId ?? null });
  }
  const schedules = await ourSchedules(
    deps.temporal,
    profiles.map((p) => p.id),
  );
  const enabled = settings.systemProcessingEnabled;
  if (enabled) {
    const behind = queues.filter((q) => q.holding).length + schedules.filter((s) => s.paused).length;
    return {
      enabled,
      state: behind === 0 ? 'running' : 'resuming',
      detail: behind === 0 ? 'processing normally' : `${behind} queue(s) or schedule(s) not resumed yet`,
      queues,
      schedules,
    };
  }
  const finishing = queues.filter((q) => q.finishing !== null);
  const notHolding = queues.filter((q) => !q.holding).length + schedules.filter((s) => !s.paused).length;
  const done = finishing.length === 0 && notHolding === 0;
  return {
    enabled,
    state: done ? 'paused' : 'pausing',
    detail: done
      ? 'background processing is paused'
      : [
          finishing.length > 0 ? `${finishing.length} run(s) finishing their current batch` : '',
          notHolding > 0 ? `${notHolding} queue(s) or schedule(s) not paused yet` : '',
        ]
          .filter((x) => x !== '')
          .join('; '),
    queues,
    schedules,
  };
}

export function diagnosticsRoutes(deps: DiagnosticsDeps) {
  return (root: FastifyInstance, _opts: unknown, done: (err?: Error) => void): void => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/diagnostics/system-processing',
      {
        // One switch for every district on the deployment, and its progress names every profile.
        config: { access: 'deployment' },
        schema: {
          tags: ['diagnostics'],
          description: 'Enable System Processing: the switch and how far pausing or resuming has got.',
          response: { 200: status },
        },
      },
      () => readStatus(deps),
    );

    app.put(
      '/api/diagnostics/system-processing',
      {
        // One switch for every district on the deployment, and its progress names every profile.
        config: { access: 'deployment' },
        schema: {
          tags: ['diagnostics'],
          description: 'Switch background processing off (pause) or on (resume). Answers 202 with the progress; poll GET until the state is paused or running.',
          body: z.object({ enabled: z.boolean() }),
          response: { 202: status },
        },
      },
      async (req, reply) => {
        const em = deps.orm.em.fork();
        const settings = await em.findOneOrFail(BasicSettingsSchema, { id: 1 });
        settings.systemProcessingEnabled = req.body.enabled;
        await em.flush();
        const profiles = await em.find(ProfileSchema, {});
        for (const p of profiles) await setQueueProcessing(deps.temporal, p.id, req.body.enabled);
        for (const s of await ourSchedules(
          deps.temporal,
          profiles.map((p) => p.id),
        )) {
          const handle = deps.temporal.schedule.getHandle(s.id);
          if (req.body.enabled) await handle.unpause('system processing enabled (Diagnostics)');
          else await handle.pause('system processing disabled (Diagnostics)');
        }
        return reply.code(202).send(await readStatus(deps));
      },
    );
    done();
  };
}
