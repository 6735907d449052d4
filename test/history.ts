/**
 * A workflow's whole history as searchable text: the proto JSON the Temporal UI and CLI show, plus
 * every payload decoded from base64 (where inputs, results and signals actually sit).
 */
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

function decodedPayloads(value: unknown, out: string[]): void {
  if (Array.isArray(value)) for (const v of value) decodedPayloads(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'data' && typeof v === 'string') out.push(Buffer.from(v, 'base64').toString('utf8'));
      else decodedPayloads(v, out);
    }
  }
}

export async function historyText(client: Client, workflowId: string): Promise<string> {
  const json = historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory());
  const decoded: string[] = [];
  decodedPayloads(JSON.parse(json), decoded);
  return `${json}\n${decoded.join('\n')}`;
}
