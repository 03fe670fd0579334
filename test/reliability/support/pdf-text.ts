/**
 * The text of a PDF as a reader would copy it, enough to check what pdfkit wrote: objects are read
 * from the file, Flate streams inflated, each page's fonts mapped through their ToUnicode CMaps, and
 * the strings of its text operators (Tj, TJ, ', ") decoded. Not a general PDF parser: no object
 * streams, no encryption (pdfkit writes neither).
 */
import { inflateSync } from 'node:zlib';

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    if (s >= 0 && /^stream\r?\n/.test(body.slice(s))) {
      const dict = body.slice(0, s);
      const dataStart = start + s + (body[s + 6] === '\r' ? 8 : 7);
      const len = /\/Length (\d+)(?! 0 R)/.exec(dict);
      const dataEnd = len ? dataStart + Number(len[1]) : start + body.lastIndexOf('endstream');
      let data = pdf.subarray(dataStart, dataEnd);
      if (/\/FlateDecode/.test(dict)) data = inflateSync(data);
      objects.set(Number(m[1]), { dict, stream: data });
    } else {
      objects.set(Number(m[1]), { dict: body });
    }
    re.lastIndex = end;
  }
  return objects;
}

/** code (hex, as written in the content stream) → text, from a ToUnicode CMap. */
function parseCMap(cmap: string): { map: Map<string, string>; bytes: number } {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => {
    const units: number[] = [];
    for (let i = 0; i < hex.length; i += 4) units.push(parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  };
  let bytes = 1;
  for (const block of cmap.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const [, src, dst] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      map.set(src.toLowerCase(), utf16(dst));
      bytes = src.length / 2;
    }
  }
  for (const block of cmap.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const [, lo, hi, rest] of block.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
    )) {
      bytes = lo.length / 2;
      const from = parseInt(lo, 16);
      const to = parseInt(hi, 16);
      const targets = rest.startsWith('[') ? [...rest.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => x[1]) : null;
      for (let c = from; c <= to; c++) {
        const key = c.toString(16).padStart(lo.length, '0');
        if (targets) map.set(key, utf16(targets[c - from] ?? ''));
        else {
          const base = parseInt(rest.slice(1, -1), 16) + (c - from);
          map.set(key, utf16(base.toString(16).padStart(rest.length - 2, '0')));
        }
      }
    }
  }
  return { map, bytes };
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

/** The text of every page, in page order. */
export function pdfPages(pdf: Buffer): string[] {
  const objects = readObjects(pdf);
  const fontMaps = new Map<number, { map: Map<string, string>; bytes: number } | null>();
  const fontMap = (id: number) => {
    if (!fontMaps.has(id)) {
      const font = objects.get(id);
      const tu = font ? ref(font.dict, 'ToUnicode') : null;
      const stream = tu !== null ? objects.get(tu)?.stream : undefined;
      fontMaps.set(id, stream ? parseCMap(stream.toString('latin1')) : null);
    }
    return fontMaps.get(id)!;
  };
  const pages: string[] = [];
  for (const [, obj] of [...objects.entries()].sort(([a], [b]) => a - b)) {
    if (!/\/Type\s*\/Page\b/.test(obj.dict)) continue;
    let resources = obj.dict;
    const resRef = ref(obj.dict, 'Resources');
    if (resRef !== null) resources = objects.get(resRef)?.dict ?? '';
    const fontsDictRef = ref(resources, 'Font');
    const fontsDict =
      fontsDictRef !== null
        ? (objects.get(fontsDictRef)?.dict ?? '')
        : (/\/Font\s*<<([\s\S]*?)>>/.exec(resources)?.[1] ?? '');
    const fonts = new Map(
      [...fontsDict.matchAll(/\/([A-Za-z0-9_.+-]+)\s+(\d+) 0 R/g)].map((f) => [f[1], Number(f[2])]),
    );
    const contentIds = (() => {
      const arr = /\/Contents\s*\[([^\]]*)\]/.exec(obj.dict);
      if (arr) return [...arr[1].matchAll(/(\d+) 0 R/g)].map((x) => Number(x[1]));
      const one = ref(obj.dict, 'Contents');
      return one !== null ? [one] : [];
    })();
    let out = '';
    for (const cid of contentIds) {
      const content = objects.get(cid)?.stream?.toString('latin1') ?? '';
      let current: { map: Map<string, string>; bytes: number } | null = null;
      const tokens =
        /\/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\((?:\\.|[^\\)])*\)|(Tj|TJ|'|"|ET|T\*|Td|TD)\b/g;
      let t: RegExpExecArray | null;
      while ((t = tokens.exec(content))) {
        if (t[1]) current = fonts.has(t[1]) ? fontMap(fonts.get(t[1])!) : null;
        else if (t[2] !== undefined) {
          const hex = t[2].replace(/\s+/g, '').toLowerCase();
          if (current)
            for (let i = 0; i < hex.length; i += current.bytes * 2)
              out += current.map.get(hex.slice(i, i + current.bytes * 2)) ?? '';
          else out += Buffer.from(hex, 'hex').toString('latin1');
        } else if (t[0].startsWith('(')) {
          out += t[0].slice(1, -1).replace(/\\([()\\])/g, '$1');
        } else if (t[3] === 'ET' || t[3] === 'T*' || t[3] === 'Td' || t[3] === 'TD') out += '\n';
      }
    }
    pages.push(out);
  }
  return pages;
}

/** All the text of a PDF, pages joined. */
export function pdfText(pdf: Buffer): string {
  return pdfPages(pdf).join('\n');
}
