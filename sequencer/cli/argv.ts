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
