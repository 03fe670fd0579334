import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The part of a fontkit font this module relies on. fontkit ships no type declarations; pdfkit
 * accepts such an object wherever it takes a font file (it checks for `layout`).
 */
export interface ParsedFont {
  readonly postscriptName: string;
  readonly numGlyphs: number;
  layout(text: string): unknown;
}

/** Noto Serif SC (Simplified Chinese, OFL), regular and bold, each parsed once per process. */
export interface CertificateFonts {
  readonly regular: ParsedFont;
  readonly bold: ParsedFont;
}

/** Paths of the TTF files in `@expo-google-fonts/noto-serif-sc`, resolved like any dependency. */
export function certificateFontFiles(): { regular: string; bold: string } {
  const root = dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
  return {
    regular: join(root, '400Regular', 'NotoSerifSC_400Regular.ttf'),
    bold: join(root, '700Bold', 'NotoSerifSC_700Bold.ttf'),
  };
}

let loading: Promise<CertificateFonts> | undefined;

/**
 * Reads and parses the fonts on first call and returns the same objects forever after. Reusing the
 * parsed fonts (rather than handing pdfkit the 15 MB file each time) keeps fontkit's cmap, layout
 * tables and glyph cache warm across documents; pdfkit still makes a fresh subset per document.
 */
export function loadCertificateFonts(): Promise<CertificateFonts> {
  loading ??= loadFonts().catch((err: unknown) => {
    loading = undefined; // let a later call retry, e.g. after a transient I/O error
    throw err;
  });
  return loading;
}

async function loadFonts(): Promise<CertificateFonts> {
  const files = certificateFontFiles();
  const [regular, bold] = await Promise.all([parseFont(files.regular), parseFont(files.bold)]);
  return { regular, bold };
}

async function parseFont(file: string): Promise<ParsedFont> {
  // Loaded here rather than at the top so importing this module stays free of work.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('fontkit') as { create(data: Uint8Array): unknown };
  const font = fontkit.create(await readFile(file)) as Partial<ParsedFont> | null;
  if (!font || typeof font.layout !== 'function') throw new Error(`Not a single TrueType/OpenType font: ${file}`);
  // fontkit decodes tables lazily; one layout now pulls in cmap and GSUB/GPOS before the first page.
  font.layout('证书编号：0123456789');
  return font as ParsedFont;
}
