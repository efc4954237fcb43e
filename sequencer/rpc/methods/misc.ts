// web3_*, net_*, and the eth_* answers a node gives wallets about itself (no mining; synced, or a replica's lag).
import { keccak256 } from '../../primitives/keccak.js';
import { bytesToHex, hexToU8 } from '../../primitives/types.js';
import { q } from '../format.js';
import { arity, data } from '../params.js';
import type { Methods } from './types.js';

export const CLIENT_VERSION = `gpu-evm-sequencer/v0.1.0/${process.platform}-${process.arch}/node${process.versions.node}`;

export const miscMethods: Methods = {
  web3_clientVersion: (p, { ctx }) => {
    arity(p, 0, 0);
    return ctx.node.clientVersion ?? CLIENT_VERSION;
  },
  web3_sha3: (p) => {
    arity(p, 1, 1);
    return bytesToHex(keccak256(hexToU8(data(p[0], 'data'))));
  },
  net_version: (p, { ctx }) => {
    arity(p, 0, 0);
    return ctx.node.chainId.toString(10);
  },
  net_listening: (p) => {
    arity(p, 0, 0);
    return true;
  },
  net_peerCount: (p) => {
    arity(p, 0, 0);
    return '0x0';
  },
  eth_chainId: (p, { ctx }) => {
    arity(p, 0, 0);
    return q(ctx.node.chainId);
  },
  eth_syncing: (p, { ctx }) => {
    arity(p, 0, 0);
    const s = ctx.node.syncing?.() ?? false;
    return s === false ? false : { startingBlock: q(s.startingBlock), currentBlock: q(s.currentBlock), highestBlock: q(s.highestBlock) };
  },
  eth_coinbase: (p, { ctx }) => {
    arity(p, 0, 0);
    return ctx.node.nextBlockEnv().coinbase;
  },
  eth_mining: (p) => {
    arity(p, 0, 0);
    return false;
  },
  eth_hashrate: (p) => {
    arity(p, 0, 0);
    return '0x0';
  },
  rpc_modules: (p) => {
    arity(p, 0, 0);
    return { eth: '1.0', net: '1.0', web3: '1.0', debug: '1.0', txpool: '1.0', personal: '1.0', rpc: '1.0' };
  },
};
