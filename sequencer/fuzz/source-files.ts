// Which file each compiler source id of an artifact's source map names. The ids are those of the compiler
// run that built the artifact, and forge keeps one build-info per run (`out/build-info/<id>.json`, with
// `source_id_to_path`); its cache (`<cache_path>/solidity-files-cache.json`) names the build of each
// artifact. Without both (artifacts copied elsewhere, compiled in memory) only the artifact's own file is
// known, by its `id`: lines of imported files are then left out of the report.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ContractArtifact } from './artifacts.js';

/** Source id → path relative to the project (as the compiler saw it). */
export type SourcePaths = ReadonlyMap<number, string>;

interface ForgeCache {
  files?: Record<string, { artifacts?: Record<string, Record<string, Record<string, { path?: string; build_id?: string }>>> }>;
}

/** The forge project an artifact folder belongs to: the folder above `out` when it holds foundry.toml. */
export function projectOfArtifact(artifact: ContractArtifact): string | undefined {
  if (artifact.file === undefined) return undefined;
  const project = dirname(outDirOf(artifact.file));
  return existsSync(join(project, 'foundry.toml')) ? project : undefined;
}

/** `<out>/<File.sol>/<Name>.json` → `<out>`. */
function outDirOf(artifactFile: string): string {
  return dirname(dirname(artifactFile));
}

export function sourcePaths(artifact: ContractArtifact): SourcePaths {
  const own = new Map<number, string>();
  if (artifact.sourceId !== undefined && artifact.sourcePath !== '') own.set(artifact.sourceId, artifact.sourcePath);
  const project = projectOfArtifact(artifact);
  if (project === undefined || artifact.file === undefined) return own;
  const buildId = buildIdOf(project, artifact);
  const info = buildId === undefined ? undefined : join(outDirOf(artifact.file), 'build-info', `${buildId}.json`);
  if (info === undefined || !existsSync(info)) return own;
  const paths = (JSON.parse(readFileSync(info, 'utf8')) as { source_id_to_path?: Record<string, string> }).source_id_to_path ?? {};
  const all = new Map(Object.entries(paths).map(([id, path]) => [Number(id), path]));
  // A build-info that disagrees about the artifact's own file is not its build.
  return artifact.sourceId === undefined || all.get(artifact.sourceId) === artifact.sourcePath ? all : own;
}

function buildIdOf(project: string, artifact: ContractArtifact): string | undefined {
  const toml = readFileSync(join(project, 'foundry.toml'), 'utf8');
  const cachePath = /^\s*cache_path\s*=\s*"([^"]+)"/m.exec(toml)?.[1] ?? 'cache';
  const file = join(project, cachePath, 'solidity-files-cache.json');
  if (!existsSync(file)) return undefined;
  const cache = JSON.parse(readFileSync(file, 'utf8')) as ForgeCache;
  const wanted = relative(outDirOf(artifact.file!), artifact.file!);
  const byName = cache.files?.[artifact.sourcePath]?.artifacts?.[artifact.name] ?? {};
  for (const profiles of Object.values(byName)) {
    for (const entry of Object.values(profiles)) if (entry.path === wanted && entry.build_id !== undefined) return entry.build_id;
  }
  return undefined;
}
