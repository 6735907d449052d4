/** Schemas every route shares. */
import { z } from 'zod';

/** The body of every refusal: what went wrong, and the field to fix when there is one. */
export const problem = z.object({ error: z.string(), message: z.string(), field: z.string().optional() });
