// The console page: one self-contained HTML file (inline CSS, JS and SVG charts; no CDN, no external library).
import { readFileSync } from 'node:fs';

export const CONSOLE_PAGE: string = readFileSync(new URL('./page.html', import.meta.url), 'utf8');
