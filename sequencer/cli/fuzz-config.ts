// A fuzz.json config file: one JSON object whose keys are the settings' flags in camelCase (fuzz-option-specs.ts
// lists them; sequencer/fuzz/README.md documents them). An unknown key or a value of the wrong kind is a
// FuzzError naming the file and the key; relative paths are relative to the file's folder.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FuzzError } from '../fuzz/types.js';
import { configKey, OPTION_SPECS, settingValue, type FuzzSettings } from './fuzz-option-specs.js';

export const CONFIG_FILE_NAME = 'fuzz.json';

export function readFuzzConfig(file: string): FuzzSettings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FuzzError(`config ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FuzzError(`config ${file} must hold a JSON object`);
  const byKey = new Map(OPTION_SPECS.map((s) => [configKey(s), s]));
  const settings: FuzzSettings = {};
  for (const [key, raw] of Object.entries(json)) {
    const spec = byKey.get(key);
    if (spec === undefined) throw new FuzzError(`config ${file}: unknown key "${key}" (known: ${[...byKey.keys()].join(', ')})`);
    const value = settingValue(spec, raw, `config ${file}: ${key}`);
    Object.assign(settings, { [spec.key]: spec.kind.type === 'path' ? resolve(dirname(file), value as string) : value });
  }
  return settings;
}
