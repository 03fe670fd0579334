import { constants, crc32, deflateRawSync } from 'node:zlib';

/** One zip entry: its name, the deflated bytes, and the CRC and size of what they inflate to. */
interface Entry {
  name: string;
  data: Buffer[];
  crc: number;
  size: number;
}

function plain(name: string, text: string): Entry {
  const bytes = Buffer.from(text, 'utf8');
  return { name, data: [deflateRawSync(bytes)], crc: crc32(bytes), size: bytes.length };
}

/**
 * An entry whose text is `head`, then `body` `times` times, then `tail`, without ever holding the
 * inflated text: `body` is deflated once as a self-contained run of blocks (a full flush before and
 * after, so it refers to nothing outside itself) and that run is repeated.
 */
function repeated(name: string, head: string, body: Buffer, times: number, tail: string): Entry {
  const h = Buffer.from(head);
  const t = Buffer.from(tail);
  const flush = { finishFlush: constants.Z_FULL_FLUSH };
  const headZ = deflateRawSync(h, flush);
  const bodyZ = deflateRawSync(body, flush);
  const tailZ = deflateRawSync(t);
  let crc = crc32(h);
  for (let i = 0; i < times; i++) crc = crc32(body, crc);
  crc = crc32(t, crc);
  return {
    name,
    data: [headZ, ...Array.from({ length: times }, () => bodyZ), tailZ],
    crc,
    size: h.length + body.length * times + t.length,
  };
}

/** A zip of deflated entries (no data descriptors, no zip64: every size is under 4 GB). */
function zip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const csize = e.data.reduce((n, b) => n + b.length, 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(csize, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    parts.push(local, name, ...e.data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(0, 12);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(csize, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + csize;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook that is well formed except for the size of its shared strings. */
function workbook(sharedStrings: Entry): Buffer {
  return zip([
    plain(
      '[Content_Types].xml',
      `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
    ),
    plain(
      '_rels/.rels',
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    plain(
      'xl/workbook.xml',
      `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="教师" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    plain(
      'xl/_rels/workbook.xml.rels',
      `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
    sharedStrings,
    plain(
      'xl/worksheets/sheet1.xml',
      `${XML}<worksheet xmlns="${NS}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    ),
  ]);
}

/** Shared strings that inflate to about 1.5 GB: millions of short strings (the 3.8 MB file). */
export function manyStringsBomb(): Buffer {
  const si = '<si><t>炸弹字符串</t></si>';
  const body = Buffer.from(si.repeat(Math.ceil((1 << 20) / Buffer.byteLength(si))));
  const times = Math.round((1.5 * 2 ** 30) / body.length);
  return workbook(repeated('xl/sharedStrings.xml', `${XML}<sst xmlns="${NS}">`, body, times, '</sst>'));
}

/** One shared string of about 400 MB (the 410 KB file). */
export function longStringBomb(): Buffer {
  const body = Buffer.alloc(1 << 20, 'A');
  return workbook(repeated('xl/sharedStrings.xml', `${XML}<sst xmlns="${NS}"><si><t>`, body, 400, '</t></si></sst>'));
}
