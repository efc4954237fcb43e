// The JSON shapes of execution-apis (ethereum/execution-apis src/schemas) that the chain tests check
// responses against, as small validators: required fields and their hex formats. No schema package is
// installed; these follow the spec's definitions (uint, bytes, hash32, address, bytes256, ...) by hand.
import { strict as assert } from 'node:assert';

export type Schema = (v: unknown, path: string) => void;

const pattern =
  (re: RegExp, what: string): Schema =>
  (v, path) =>
    assert.ok(typeof v === 'string' && re.test(v), `${path}: expected ${what}, got ${JSON.stringify(v)}`);

export const uint = pattern(/^0x(0|[1-9a-f][0-9a-f]*)$/, 'uint (0x-hex, no leading zeros)');
export const bytes = pattern(/^0x([0-9a-f]{2})*$/, 'bytes (0x-hex, even length)');
export const hash32 = pattern(/^0x[0-9a-f]{64}$/, 'hash32');
export const bytes8 = pattern(/^0x[0-9a-f]{16}$/, 'bytes8');
export const bytes4 = pattern(/^0x[0-9a-f]{8}$/, 'bytes4');
export const bytes256 = pattern(/^0x[0-9a-f]{512}$/, 'bytes256');
export const address = pattern(/^0x[0-9a-fA-F]{40}$/, 'address');
export const byte = pattern(/^0x([0-9a-f]{1,2})$/, 'byte');
export const bool: Schema = (v, path) => assert.equal(typeof v, 'boolean', `${path}: expected boolean`);
export const string: Schema = (v, path) => assert.equal(typeof v, 'string', `${path}: expected string`);
export const number: Schema = (v, path) => assert.ok(Number.isSafeInteger(v), `${path}: expected a JSON integer, got ${JSON.stringify(v)}`);

export const nullable =
  (s: Schema): Schema =>
  (v, path) => {
    if (v !== null) s(v, path);
  };
export const oneOf =
  (...values: unknown[]): Schema =>
  (v, path) =>
    assert.ok(values.includes(v), `${path}: expected one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
export const array =
  (s: Schema): Schema =>
  (v, path) => {
    assert.ok(Array.isArray(v), `${path}: expected array`);
    v.forEach((x, i) => s(x, `${path}[${i}]`));
  };
export const record =
  (key: Schema, value: Schema): Schema =>
  (v, path) => {
    assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `${path}: expected object`);
    for (const [k, x] of Object.entries(v)) {
      key(k, `${path} key`);
      value(x, `${path}.${k}`);
    }
  };
/** An object with these required fields (and optional ones); other fields are allowed, as the spec does. */
export const object =
  (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema =>
  (v, path) => {
    assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), `${path}: expected object, got ${JSON.stringify(v)}`);
    const o = v as Record<string, unknown>;
    for (const [k, s] of Object.entries(required)) {
      assert.ok(k in o, `${path}.${k}: required field missing`);
      s(o[k], `${path}.${k}`);
    }
    for (const [k, s] of Object.entries(optional)) if (k in o && o[k] !== undefined) s(o[k], `${path}.${k}`);
  };

export const accessList = array(object({ address, storageKeys: array(hash32) }));

/** Log (execution-apis receipt.yaml), with the blockTimestamp execution-apis added. */
export const log = object({
  removed: bool,
  logIndex: uint,
  transactionIndex: uint,
  transactionHash: hash32,
  blockHash: hash32,
  blockNumber: uint,
  blockTimestamp: uint,
  address,
  data: bytes,
  topics: array(hash32),
});

const txCommon = { type: byte, nonce: uint, to: nullable(address), gas: uint, value: uint, input: bytes, r: uint, s: uint };
const signed1559 = object({ ...txCommon, maxPriorityFeePerGas: uint, maxFeePerGas: uint, gasPrice: uint, accessList, chainId: uint, yParity: uint }, { v: uint });
const signedLegacy = object({ ...txCommon, gasPrice: uint, v: uint }, { chainId: uint });

/** TransactionInfo: a signed transaction with its place in the chain (null fields while pending). */
export function transactionInfo(mined: boolean): Schema {
  const place: Record<string, Schema> = mined
    ? { blockHash: hash32, blockNumber: uint, blockTimestamp: uint, transactionIndex: uint }
    : { blockHash: oneOf(null), blockNumber: oneOf(null), transactionIndex: oneOf(null) };
  const info = object({ ...place, from: address, hash: hash32 });
  return (v, path) => {
    info(v, path);
    const type = (v as { type: string }).type;
    if (type === '0x2') signed1559(v, path);
    else if (type === '0x0') signedLegacy(v, path);
    else assert.fail(`${path}.type: unexpected ${type}`);
  };
}

export const receipt = object(
  {
    transactionHash: hash32,
    transactionIndex: uint,
    blockHash: hash32,
    blockNumber: uint,
    from: address,
    to: nullable(address),
    cumulativeGasUsed: uint,
    gasUsed: uint,
    contractAddress: nullable(address),
    logs: array(log),
    logsBloom: bytes256,
    effectiveGasPrice: uint,
    status: oneOf('0x0', '0x1'),
    type: byte,
  },
  { blobGasUsed: uint, blobGasPrice: uint },
);

/** Block (execution-apis block.yaml) through Cancun; transactions as hashes or full objects. */
export function block(fullTransactions: boolean): Schema {
  return object({
    hash: hash32,
    parentHash: hash32,
    sha3Uncles: hash32,
    miner: address,
    stateRoot: hash32,
    transactionsRoot: hash32,
    receiptsRoot: hash32,
    logsBloom: bytes256,
    difficulty: uint,
    number: uint,
    gasLimit: uint,
    gasUsed: uint,
    timestamp: uint,
    extraData: bytes,
    mixHash: hash32,
    nonce: bytes8,
    size: uint,
    baseFeePerGas: uint,
    withdrawalsRoot: hash32,
    blobGasUsed: uint,
    excessBlobGas: uint,
    parentBeaconBlockRoot: hash32,
    transactions: array(fullTransactions ? transactionInfo(true) : hash32),
    uncles: array(hash32),
    withdrawals: array(object({})),
  });
}

const decimalKey = pattern(/^(0|[1-9][0-9]*)$/, 'decimal nonce');

/** geth's txpool namespace. */
export const txpoolStatus = object({ pending: uint, queued: uint });
export const txpoolContent = object({
  pending: record(address, record(decimalKey, transactionInfo(false))),
  queued: record(address, record(decimalKey, transactionInfo(false))),
});
export const txpoolContentFrom = object({ pending: record(decimalKey, transactionInfo(false)), queued: record(decimalKey, transactionInfo(false)) });
export const txpoolInspect = object({
  pending: record(address, record(decimalKey, pattern(/^(0x[0-9a-fA-F]{40}|contract creation): \d+ wei \+ \d+ gas × \d+ wei$/, 'summary'))),
  queued: record(address, record(decimalKey, pattern(/^(0x[0-9a-fA-F]{40}|contract creation): \d+ wei \+ \d+ gas × \d+ wei$/, 'summary'))),
});

/** EIP-7910 fork configuration. */
const forkConfig = object({
  activationTime: number,
  blobSchedule: object({ baseFeeUpdateFraction: number, max: number, target: number }),
  chainId: uint,
  forkId: bytes4,
  precompiles: record(string, address),
  systemContracts: record(string, address),
});
export const ethConfig = object({ current: forkConfig, next: nullable(forkConfig), last: nullable(forkConfig) });

/** eth_simulateV1: blocks with their call results. */
export const simulateResult = array((v, path) => {
  block(false)(v, path);
  object({
    calls: array(
      object(
        { returnData: bytes, logs: array(log), gasUsed: uint, status: oneOf('0x0', '0x1') },
        { error: object({ code: number, message: string }, { data: bytes }) },
      ),
    ),
  })(v, path);
});

/** A 65-byte signature (eth_sign, personal_sign, eth_signTypedData_v4). */
export const signature = pattern(/^0x[0-9a-f]{130}$/, '65-byte signature');

export function validate(schema: Schema, value: unknown, what: string): void {
  schema(value, what);
}
