/** Who is asking: a signed-in user or an API key, with its role and vendor. */
import type { Role, Vendor } from '../../db/entities/auth.js';

export interface Principal {
  readonly kind: 'user' | 'key';
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly vendor: Vendor | null;
  /** The one district the caller works for; null: every district (the deployment's IT). */
  readonly leaId: string | null;
  /** Web sessions only: the token unsafe requests must echo in `x-csrf-token`. */
  readonly csrfToken?: string;
}
