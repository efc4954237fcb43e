// The announced head of the chain: the latest block that is durable (DESIGN invariant 4). Reads (head(),
// blockNumber(), 'latest' state through stateAt(head)) follow it, never a block still being sealed.
import type { BlockHeader } from '@ethereumjs/block';
import { headerView } from '../block/builder.js';
import type { Hex } from '../primitives/types.js';
import type { BlockView } from '../node/types.js';

/** BLOCKHASH reaches 256 blocks back. */
const RECENT_HASHES = 256;

export class ChainHead {
  private current: BlockHeader;
  private currentView: BlockView;
  private recent: Hex[];

  constructor(header: BlockHeader, size: number, txHashes: Hex[], recentHashes: Hex[]) {
    this.current = header;
    this.currentView = { header: headerView(header, size), txHashes };
    this.recent = recentHashes.slice(0, RECENT_HASHES);
  }

  get header(): BlockHeader {
    return this.current;
  }

  get view(): BlockView {
    return this.currentView;
  }

  get number(): bigint {
    return this.currentView.header.number;
  }

  get hash(): Hex {
    return this.currentView.header.hash;
  }

  /** Hashes of the head and its ancestors, newest first (at most 256). */
  get recentHashes(): Hex[] {
    return this.recent;
  }

  /** Moves the head to a block that just became durable. */
  advance(header: BlockHeader, size: number, txHashes: Hex[]): void {
    this.current = header;
    this.currentView = { header: headerView(header, size), txHashes };
    this.recent = [this.currentView.header.hash, ...this.recent].slice(0, RECENT_HASHES);
  }
}
