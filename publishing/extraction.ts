/**
 * How a category run read one resource: only what the SIS event queue says changed, only the
 * records in the option's status (Now – Errors, Now – Dependencies), or whole (and why).
 */
export interface Extraction {
  readonly resource: string;
  readonly mode: 'changes' | 'status' | 'full';
  readonly staged: number;
  readonly why?: string;
}
