// eth_subscribe / eth_unsubscribe over WebSocket: newHeads, logs, newPendingTransactions.
import { randomBytes } from 'node:crypto';
import { ErrorCode, RpcError, invalidParams, limitExceeded } from '../errors.js';
import { formatHeader, formatLog, formatTransaction } from '../format.js';
import { arity, object, optBool, typeName } from '../params.js';
import { logCriteria, matchesLog } from './logs.js';
import type { Methods } from './types.js';

const notificationsUnsupported = () => new RpcError(ErrorCode.METHOD_NOT_FOUND, 'notifications not supported');

const KINDS = new Set(['newHeads', 'logs', 'newPendingTransactions', 'syncing']);

export const subscriptionMethods: Methods = {
  eth_subscribe: async (p, { ctx, connection }) => {
    if (!connection) throw notificationsUnsupported();
    arity(p, 1, 2);
    if (typeof p[0] !== 'string') throw invalidParams(`subscription name: expected string, got ${typeName(p[0])}`);
    if (!KINDS.has(p[0])) throw invalidParams(`no "${p[0]}" subscription in eth namespace`);
    if (connection.subscriptions.size >= ctx.limits.maxSubscriptionsPerConnection) {
      throw limitExceeded(`too many subscriptions on this connection (limit ${ctx.limits.maxSubscriptionsPerConnection})`);
    }
    const id = `0x${randomBytes(16).toString('hex')}`;
    const notify = (result: unknown) => connection.send({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: id, result } });
    let unsubscribe: () => void;
    switch (p[0]) {
      case 'newHeads':
        if (p.length > 1) throw invalidParams('newHeads takes no arguments');
        unsubscribe = ctx.node.onBlock((b) => notify(formatHeader(b.header)));
        break;
      case 'logs': {
        const criteria = p[1] === undefined ? {} : logCriteria(object(p[1], 'filter'), 'filter');
        unsubscribe = ctx.node.onLogs((logs) => {
          for (const l of logs) if (matchesLog(l, criteria)) notify(formatLog(l));
        });
        break;
      }
      case 'newPendingTransactions': {
        const full = optBool(p[1], 'fullTransactions', false);
        unsubscribe = ctx.node.onPendingTransaction((p) => {
          if (!full) return notify(p.hash);
          const tx = p.view();
          if (tx) notify(formatTransaction(tx));
        });
        break;
      }
      case 'syncing':
        unsubscribe = () => {};
        break;
      default:
        throw invalidParams(`no "${p[0]}" subscription in eth namespace`);
    }
    connection.subscriptions.set(id, unsubscribe);
    return id;
  },
  eth_unsubscribe: (p, { connection }) => {
    if (!connection) throw notificationsUnsupported();
    arity(p, 1, 1);
    if (typeof p[0] !== 'string') throw invalidParams('subscription id: expected string');
    const unsub = connection.subscriptions.get(p[0].toLowerCase());
    if (!unsub) return false;
    unsub();
    connection.subscriptions.delete(p[0].toLowerCase());
    return true;
  },
};
