// The flag walk every CLI of the project shares: each argument is handed to `onFlag` with a reader for the
// value that follows it; a flag missing its value is an error of the caller's type.
export function walkFlags(argv: readonly string[], onFlag: (flag: string, value: () => string) => void, error: (message: string) => Error): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    onFlag(flag, () => {
      const v = argv[++i];
      if (v === undefined) throw error(`${flag} needs a value`);
      return v;
    });
  }
}

/** `value` as 0x hex, lower-cased: exactly `bytes` bytes, or any whole number of bytes when `bytes` is omitted. */
export function hexFlag(value: string, flag: string, error: (message: string) => Error, bytes?: number): `0x${string}` {
  const re = bytes === undefined ? /^0x([0-9a-fA-F]{2})*$/ : new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`);
  if (!re.test(value)) throw error(`${flag} must be 0x and ${bytes === undefined ? 'whole bytes' : `${bytes} bytes`} of hex, got ${value}`);
  return value.toLowerCase() as `0x${string}`;
}
