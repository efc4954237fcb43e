// L1 queue items as the store keeps them (JSON with bigints as "<digits>n").
import type { L1QueueItem } from '../l1/types.js';

export function queueItemToJson(item: L1QueueItem): string {
  return JSON.stringify(item, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function queueItemFromJson(json: string): L1QueueItem {
  return JSON.parse(json, (_k, v) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as L1QueueItem;
}
