// A dependency-free SVG plot: stacked panels of grouped horizontal bars (one panel per measurement).
// Unavailable values are drawn as an "n/a" label, never as a bar.
export interface Panel {
  title: string;
  unit: string;
  groups: string[];
  series: { name: string; values: (number | null)[] }[];
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderSvg(title: string, subtitle: string, panels: Panel[]): string {
  const width = 900;
  const left = 170;
  const barH = 12;
  const plotW = width - left - 110;
  let y = 56;
  const parts: string[] = [];
  parts.push(`<text x="12" y="22" font-size="16" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<text x="12" y="40" font-size="11" fill="#555">${esc(subtitle)}</text>`);
  for (const p of panels) {
    y += 10;
    parts.push(`<text x="12" y="${y + 12}" font-size="13" font-weight="bold">${esc(p.title)} (${esc(p.unit)})</text>`);
    // Legend.
    let lx = left;
    p.series.forEach((s, i) => {
      parts.push(`<rect x="${lx}" y="${y + 18}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`);
      parts.push(`<text x="${lx + 14}" y="${y + 27}" font-size="10">${esc(s.name)}</text>`);
      lx += 24 + s.name.length * 6;
    });
    y += 36;
    const max = Math.max(1e-9, ...p.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v))));
    p.groups.forEach((g, gi) => {
      const gh = p.series.length * (barH + 2) + 8;
      parts.push(`<text x="${left - 8}" y="${y + gh / 2}" font-size="11" text-anchor="end">${esc(g)}</text>`);
      p.series.forEach((s, si) => {
        const v = s.values[gi];
        const by = y + si * (barH + 2);
        if (v === null || !Number.isFinite(v)) {
          parts.push(`<text x="${left + 4}" y="${by + barH - 2}" font-size="10" fill="#999">${esc(s.name)}: n/a</text>`);
          return;
        }
        const w = Math.max(1, (v / max) * plotW);
        parts.push(`<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="${barH}" fill="${COLORS[si % COLORS.length]}"/>`);
        parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${by + barH - 2}" font-size="10">${fmt(v)}</text>`);
      });
      y += gh;
    });
  }
  y += 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`;
}

function fmt(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString('en-US');
  if (v >= 1) return v.toFixed(1);
  return v.toFixed(3);
}
