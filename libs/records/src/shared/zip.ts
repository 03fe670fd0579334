import { Writable } from 'node:stream';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { ZipArchive } from 'archiver';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** One entry as stored: its bytes still compressed, with what the central directory says about them. */
interface RawEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  crc: number;
  size: number;
  raw: Buffer;
}

/** The entries of a (small, non-zip64) ZIP in central-directory order, without decompressing them. */
function readRawEntries(zip: Buffer): RawEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries: RawEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(localOffset) !== LOCAL) throw new Error(`corrupt zip local header of ${name}`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    if (method !== 0 && method !== 8) throw new Error(`unsupported zip compression ${method} in ${name}`);
    entries.push({ name, method, crc, size, raw: zip.subarray(start, start + compressedSize) });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The files of a (small, non-zip64) ZIP held in memory, in central-directory order: enough for the
 * .xlsx files this module writes or receives from the other modules, and for tests.
 */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  return readRawEntries(zip).map((e) => ({ name: e.name, data: e.method === 8 ? inflateRawSync(e.raw) : Buffer.from(e.raw) }));
}

/** MS-DOS date and time (2-second resolution) of `date` in UTC, as archiver writes them by default. */
function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.min(2043, Math.max(1980, date.getUTCFullYear()));
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** A (non-zip64) ZIP of already compressed entries, every one dated `date`, UTF-8 names. */
function writeRawZip(entries: RawEntry[], date: Date): Buffer {
  const { time, day } = dosDateTime(date);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  // The fields a local header and its central-directory record share, in the same order, from `at`.
  const common = (header: Buffer, at: number, e: RawEntry, nameLength: number) => {
    header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
    header.writeUInt16LE(0x0800, at + 2); // names in UTF-8
    header.writeUInt16LE(e.method, at + 4);
    header.writeUInt16LE(time, at + 6);
    header.writeUInt16LE(day, at + 8);
    header.writeUInt32LE(e.crc, at + 10);
    header.writeUInt32LE(e.raw.length, at + 14);
    header.writeUInt32LE(e.size, at + 18);
    header.writeUInt16LE(nameLength, at + 22);
  };
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    common(local, 4, e, name.length);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4); // made by: 2.0, MS-DOS attributes
    common(dir, 6, e, name.length);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, e.raw);
    central.push(dir, name);
    offset += 30 + name.length + e.raw.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** Writes entries into a ZIP in memory, every entry dated `date`: the same entries give the same bytes. */
export async function writeZip(entries: ZipEntry[], date: Date): Promise<Buffer> {
  const archive = new ZipArchive({ zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
    archive.on('error', reject);
  });
  archive.pipe(sink);
  for (const e of entries) archive.append(e.data, { name: e.name, date });
  await archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/**
 * The same workbook, made reproducible: exceljs stamps every file inside the .xlsx with the time it
 * was written and the document properties with "now" unless told otherwise. This rewrites the
 * container with every entry dated `date` and sets 创建/修改时间 (docProps/core.xml) to `date`, so a
 * workbook built twice from the same data is byte for byte the same file. The other entries keep
 * their compressed bytes as they are (exceljs' deflate is deterministic): nothing is inflated and
 * deflated again, which for a 400-row sheet was most of the time this took.
 */
export async function normaliseXlsx(xlsx: Buffer, date: Date): Promise<Buffer> {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries = readRawEntries(xlsx).map((e): RawEntry => {
    if (e.name !== 'docProps/core.xml') return e;
    const xml = (e.method === 8 ? inflateRawSync(e.raw) : e.raw)
      .toString('utf8')
      .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
      .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`);
    const data = Buffer.from(xml, 'utf8');
    return { name: e.name, method: 8, crc: crc32(data), size: data.length, raw: deflateRawSync(data, { level: 6 }) };
  });
  return writeRawZip(entries, date);
}
