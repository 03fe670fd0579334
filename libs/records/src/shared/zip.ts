import { Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { ZipArchive } from 'archiver';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The files of a (small, non-zip64) ZIP held in memory, in central-directory order: enough for the
 * .xlsx files this module writes or receives from the other modules, and for tests.
 */
export function readZipEntries(zip: Buffer): ZipEntry[] {
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
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(p) !== CENTRAL) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (zip.readUInt32LE(localOffset) !== LOCAL) throw new Error(`corrupt zip local header of ${name}`);
    const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`unsupported zip compression ${method} in ${name}`);
    entries.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
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
 * workbook built twice from the same data is byte for byte the same file.
 */
export async function normaliseXlsx(xlsx: Buffer, date: Date): Promise<Buffer> {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const entries = readZipEntries(xlsx).map((e) =>
    e.name === 'docProps/core.xml'
      ? {
          name: e.name,
          data: Buffer.from(
            e.data
              .toString('utf8')
              .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
              .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`),
            'utf8',
          ),
        }
      : e,
  );
  return writeZip(entries, date);
}
