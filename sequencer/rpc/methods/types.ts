import type { Handler } from '../dispatch.js';
import type { RpcContext } from '../context.js';

export type Methods = Record<string, Handler<RpcContext>>;
