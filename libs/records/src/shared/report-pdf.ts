import { Writable } from 'node:stream';
import { CjkFonts } from '@shipei/core';
import PDFDocument from 'pdfkit';

const REGULAR = 'records-regular';
const BOLD = 'records-bold';
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 42;
const FOOTER = 28;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const BOTTOM = A4.height - MARGIN - FOOTER;

export interface PdfColumn {
  header: string;
  /** Share of the content width (the shares of a table are scaled to fill it). */
  weight: number;
  align?: 'left' | 'center' | 'right';
}

/**
 * A plain A4 portrait report in Noto Serif SC (embedded as a subset): a title, key/value lines,
 * section headings and tables whose header repeats on every page they run onto, page numbers at the
 * bottom. Table cells wrap within their column. For files of one person or one
 * list; everything is buffered (pages are numbered at the end).
 */
export class ReportPdf {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly finished: Promise<void>;
  private y = MARGIN;

  constructor(fonts: CjkFonts, info: { title: string; creationDate: Date }) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      bufferPages: true,
      autoFirstPage: false,
      pdfVersion: '1.4',
      lang: 'zh-CN',
      font: null as unknown as string, // no Helvetica: only the embedded CJK font
      info: { Title: info.title, Creator: '师培 Shipei', Producer: 'PDFKit', CreationDate: info.creationDate },
    });
    this.doc.registerFont(REGULAR, fonts.regular as unknown as Buffer);
    this.doc.registerFont(BOLD, fonts.bold as unknown as Buffer);
    const chunks = this.chunks;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    this.finished = new Promise<void>((resolve, reject) => {
      sink.on('finish', resolve);
      sink.on('error', reject);
      this.doc.on('error', reject);
    });
    this.doc.pipe(sink);
    this.newPage();
  }

  private newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.y = MARGIN;
  }

  private ensure(height: number): boolean {
    if (this.y + height <= BOTTOM) return false;
    this.newPage();
    return true;
  }

  private fit(text: string, width: number): string {
    if (this.doc.widthOfString(text) <= width) return text;
    let chars = [...text];
    while (chars.length && this.doc.widthOfString(`${chars.join('')}…`) > width) chars = chars.slice(0, -1);
    return `${chars.join('')}…`;
  }

  title(text: string, subtitle?: string): this {
    this.doc.font(BOLD).fontSize(18).fillColor('#000000');
    const h = this.doc.heightOfString(text, { width: CONTENT_WIDTH, align: 'center' });
    this.doc.text(text, MARGIN, this.y, { width: CONTENT_WIDTH, align: 'center' });
    this.y += h + 6;
    if (subtitle) {
      this.doc.font(REGULAR).fontSize(10).fillColor('#444444');
      this.doc.text(this.fit(subtitle, CONTENT_WIDTH), MARGIN, this.y, {
        width: CONTENT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
      this.y += 18;
    }
    this.doc.fillColor('#000000');
    return this;
  }

  /** Label/value pairs, two per line. */
  facts(pairs: [string, string][]): this {
    this.doc.font(REGULAR).fontSize(10.5);
    const half = CONTENT_WIDTH / 2;
    for (let i = 0; i < pairs.length; i += 2) {
      this.ensure(18);
      pairs.slice(i, i + 2).forEach(([label, value], j) => {
        this.doc.text(this.fit(`${label}：${value || '—'}`, half - 8), MARGIN + j * half, this.y, { lineBreak: false });
      });
      this.y += 18;
    }
    this.y += 4;
    return this;
  }

  paragraph(text: string, size = 9.5): this {
    this.doc.font(REGULAR).fontSize(size).fillColor('#333333');
    const h = this.doc.heightOfString(text, { width: CONTENT_WIDTH });
    this.ensure(h + 4);
    this.doc.text(text, MARGIN, this.y, { width: CONTENT_WIDTH });
    this.y += h + 6;
    this.doc.fillColor('#000000');
    return this;
  }

  heading(text: string): this {
    this.ensure(22 + 40); // keep a heading with the first lines under it
    this.y += 6;
    this.doc.font(BOLD).fontSize(12.5).fillColor('#000000').text(text, MARGIN, this.y, { lineBreak: false });
    this.y += 20;
    return this;
  }

  table(columns: PdfColumn[], rows: string[][], empty = '无'): this {
    const total = columns.reduce((s, c) => s + c.weight, 0);
    const widths = columns.map((c) => (c.weight / total) * CONTENT_WIDTH);
    const headerHeight = 18;
    const header = () => {
      this.doc.rect(MARGIN, this.y, CONTENT_WIDTH, headerHeight).fill('#eeeeee');
      this.doc.fillColor('#000000').font(BOLD).fontSize(9);
      let x = MARGIN;
      columns.forEach((c, i) => {
        this.doc.text(this.fit(c.header, widths[i] - 6), x + 3, this.y + 5, {
          width: widths[i] - 6,
          align: 'center',
          lineBreak: false,
        });
        x += widths[i];
      });
      this.line(this.y);
      this.y += headerHeight;
      this.line(this.y);
    };
    this.ensure(headerHeight * 2);
    header();
    if (!rows.length) rows = [[empty, ...columns.slice(1).map(() => '')]];
    this.doc.font(REGULAR).fontSize(9);
    for (const row of rows) {
      // Cells wrap within their column; the row is as tall as its tallest cell.
      const height = Math.max(
        headerHeight,
        ...row.map((text, i) => (text ? this.doc.heightOfString(text, { width: widths[i] - 6 }) + 9 : 0)),
      );
      if (this.ensure(height)) {
        header();
        this.doc.font(REGULAR).fontSize(9);
      }
      let x = MARGIN;
      row.forEach((text, i) => {
        if (text) this.doc.text(text, x + 3, this.y + 5, { width: widths[i] - 6, align: columns[i].align ?? 'left' });
        x += widths[i];
      });
      this.y += height;
      this.line(this.y);
    }
    this.y += 8;
    return this;
  }

  private line(y: number): void {
    this.doc
      .lineWidth(0.5)
      .strokeColor('#999999')
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + CONTENT_WIDTH, y)
      .stroke();
  }

  /** Numbers the pages ("第 n 页 / 共 m 页" and an optional left footer) and returns the PDF. */
  async end(footer = ''): Promise<Buffer> {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      this.doc.font(REGULAR).fontSize(8.5).fillColor('#555555');
      const y = A4.height - MARGIN - 8;
      if (footer) this.doc.text(this.fit(footer, CONTENT_WIDTH / 2), MARGIN, y, { lineBreak: false });
      this.doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, MARGIN, y, {
        width: CONTENT_WIDTH,
        align: 'right',
        lineBreak: false,
      });
    }
    this.doc.end();
    await this.finished;
    return Buffer.concat(this.chunks);
  }
}
