// The HTML source view of a line coverage (index.html, self-contained): a table of files with their lines hit,
// then every file's source with each executable line marked hit (ran in a call that succeeded), reverted (ran
// only in calls that reverted or halted) or never reached, and per line the calls that ran it (✓ succeeded,
// ✗ failed).
import type { FileCoverage, LineCount, LineCoverage } from './line-coverage.js';

export type LineState = 'hit' | 'reverted' | 'missed';

export function lineState(l: LineCount): LineState {
  return l.ok > 0 ? 'hit' : l.failed > 0 ? 'reverted' : 'missed';
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
table.summary { border-collapse: collapse; margin-bottom: 1.5em; }
table.summary td, table.summary th { border: 1px solid #ccc; padding: 0.25em 0.75em; text-align: left; }
.legend span { display: inline-block; padding: 0 0.5em; margin-right: 0.5em; }
pre.source { font: 13px/1.35 ui-monospace, monospace; margin: 0; }
.source .line { display: block; white-space: pre; }
.source .no { display: inline-block; width: 4em; color: #888; text-align: right; padding-right: 0.75em; }
.source .calls { display: inline-block; width: 9em; color: #555; }
.hit { background: #d9f5d6; }
.reverted { background: #fde8b4; }
.missed { background: #f9d0d0; }
h2 { font-size: 1.1em; margin-top: 2em; }
`;

export function coverageHtml(coverage: LineCoverage, title: string): string {
  const rows = coverage.files.map((f) => {
    const states = f.lines.map(lineState);
    const count = (s: LineState): number => states.filter((x) => x === s).length;
    return `<tr><td><a href="#${anchor(f.path)}">${escape(f.path)}</a></td><td>${count('hit')}</td><td>${count('reverted')}</td><td>${count('missed')}</td><td>${f.lines.length}</td></tr>`;
  });
  const unreadable = coverage.unreadable.length === 0 ? '' : `<p>Sources not found (left out): ${coverage.unreadable.map(escape).join(', ')}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escape(title)}</h1>
<p class="legend"><span class="hit">hit</span><span class="reverted">reverted only</span><span class="missed">never reached</span> calls per line: ✓ succeeded ✗ reverted or halted</p>
<table class="summary"><thead><tr><th>file</th><th>hit</th><th>reverted only</th><th>never reached</th><th>lines</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${unreadable}
${coverage.files.map(fileSection).join('\n')}
</body></html>
`;
}

function fileSection(f: FileCoverage): string {
  const byLine = new Map(f.lines.map((l) => [l.line, l]));
  const text = f.source.endsWith('\n') ? f.source.slice(0, -1) : f.source;
  const lines = text.split('\n').map((src, i) => {
    const l = byLine.get(i + 1);
    const calls = l === undefined ? '' : `✓ ${l.ok} ✗ ${l.failed}`;
    const cls = l === undefined ? 'line' : `line ${lineState(l)}`;
    return `<span class="${cls}" data-line="${i + 1}"><span class="no">${i + 1}</span><span class="calls">${calls}</span>${escape(src)}</span>`;
  });
  return `<h2 id="${anchor(f.path)}">${escape(f.path)}</h2>\n<pre class="source">${lines.join('')}</pre>`;
}

function anchor(path: string): string {
  return `file-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
