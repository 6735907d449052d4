/** How a category run read one resource: only what the SIS event queue says changed, or whole (and why). */
export interface Extraction {
  readonly resource: string;
  readonly mode: 'changes' | 'full';
  readonly staged: number;
  readonly why?: string;
}
