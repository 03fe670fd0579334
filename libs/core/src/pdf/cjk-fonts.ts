import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The part of a fontkit font the PDF writers rely on. fontkit ships no type declarations; pdfkit
 * accepts such an object wherever it takes a font file (it checks for `layout`).
 */
export interface CjkFont {
  readonly postscriptName: string;
  readonly numGlyphs: number;
  layout(text: string): unknown;
}

/** Noto Serif SC (Simplified Chinese, OFL, shipped as a dependency), regular and bold. */
export interface CjkFonts {
  readonly regular: CjkFont;
  readonly bold: CjkFont;
}

/** Paths of the TTF files in `@expo-google-fonts/noto-serif-sc`, resolved like any dependency. */
export function cjkFontFiles(): { regular: string; bold: string } {
  const root = dirname(require.resolve('@expo-google-fonts/noto-serif-sc/package.json'));
  return {
    regular: join(root, '400Regular', 'NotoSerifSC_400Regular.ttf'),
    bold: join(root, '700Bold', 'NotoSerifSC_700Bold.ttf'),
  };
}

let loading: Promise<CjkFonts> | undefined;

/**
 * Reads and parses both fonts on the first call and returns the same objects afterwards, for every
 * PDF the app draws (certificates, sign-in sheets, records' reports): one parse per process, shared
 * by all modules. Handing pdfkit the parsed font instead of the 15 MB file keeps fontkit's tables
 * warm; pdfkit still embeds a fresh subset per document (each PDF carries the glyphs it uses).
 */
export function loadCjkFonts(): Promise<CjkFonts> {
  loading ??= parseBoth().catch((err: unknown) => {
    loading = undefined; // a later call may retry, e.g. after a transient I/O error
    throw err;
  });
  return loading;
}

async function parseBoth(): Promise<CjkFonts> {
  const files = cjkFontFiles();
  const [regular, bold] = await Promise.all([parseFont(files.regular), parseFont(files.bold)]);
  return { regular, bold };
}

async function parseFont(file: string): Promise<CjkFont> {
  // Required here, not at the top, so importing this module does no work.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fontkit = require('fontkit') as { create(data: Uint8Array): unknown };
  const font = fontkit.create(await readFile(file)) as Partial<CjkFont> | null;
  if (!font || typeof font.layout !== 'function') throw new Error(`Not a single TrueType/OpenType font: ${file}`);
  // fontkit decodes tables lazily; one layout pulls in cmap and GSUB/GPOS before the first document.
  font.layout('签到表 证书编号：序号 姓名 学校 0123456789');
  return font as CjkFont;
}
