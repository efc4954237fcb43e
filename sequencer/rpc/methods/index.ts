import { blockMethods } from './blocks.js';
import { configMethods } from './config.js';
import { debugMethods } from './debug.js';
import { executionMethods } from './execution.js';
import { feeMethods } from './fees.js';
import { logMethods } from './logs.js';
import { miscMethods } from './misc.js';
import { signingMethods } from './signing.js';
import { simulateMethods } from './simulate.js';
import { stateMethods } from './state.js';
import { subscriptionMethods } from './subscribe.js';
import { transactionMethods } from './transactions.js';
import { txpoolMethods } from './txpool.js';
import type { Methods } from './types.js';

export const allMethods: Methods = {
  ...miscMethods,
  ...blockMethods,
  ...stateMethods,
  ...transactionMethods,
  ...executionMethods,
  ...feeMethods,
  ...logMethods,
  ...subscriptionMethods,
  ...debugMethods,
  ...txpoolMethods,
  ...configMethods,
  ...simulateMethods,
  ...signingMethods,
};
