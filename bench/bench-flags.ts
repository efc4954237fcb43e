// The flag walk every bench shares: the project's CLI walk (sequencer/cli/argv.ts) with the bench's usage line
// in each error, and the value readers the benches need.
import { walkFlags } from '../sequencer/cli/argv.js';

export interface BenchFlagValue {
  text(): string;
  /** An integer >= 1. */
  positiveInt(): number;
  /** A finite number > 0. */
  positiveNumber(): number;
}

/** Hands each argument to `onFlag`, which returns false for one it does not know (an error naming it). */
export function walkBenchFlags(argv: readonly string[], usage: string, onFlag: (flag: string, value: BenchFlagValue) => boolean): void {
  const error = (message: string) => new Error(`${message}\n${usage}`);
  walkFlags(
    argv,
    (flag, text) => {
      const number = (ok: (v: number) => boolean, what: string) => {
        const v = Number(text());
        if (!ok(v)) throw error(`${flag} needs ${what}`);
        return v;
      };
      const value: BenchFlagValue = {
        text,
        positiveInt: () => number((v) => Number.isInteger(v) && v >= 1, 'a positive integer'),
        positiveNumber: () => number((v) => Number.isFinite(v) && v > 0, 'a positive number'),
      };
      if (!onFlag(flag, value)) throw error(`unknown argument ${flag}`);
    },
    error,
  );
}
