import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { CjkFonts, loadCjkFonts } from '@shipei/core';
import PDFDocument from 'pdfkit';
import { CertificateLayout, layoutTitle } from './certificate-layout';
import { drawCertificatePage, FONT_BOLD, FONT_REGULAR } from './certificate-page';
import { EmptyCertificateBatchError } from './certificate-rendering.errors';
import { CertificateTemplateRef, CertificateTemplates } from './certificate-templates';
import { assertCertificateView, CertificateView } from './certificate-view';

export type CertificateSource = Iterable<CertificateView> | AsyncIterable<CertificateView>;

export interface RenderOptions {
  /**
   * Template for every certificate (a built-in name or a program's own source), or a function
   * choosing one per certificate (e.g. a person's certificates from several programs). Default: 'default'.
   */
  template?: CertificateTemplateRef | ((view: CertificateView) => CertificateTemplateRef);
  /**
   * PDF CreationDate. Default: the first certificate's issue date at 00:00 China time, so that
   * re-printing the same certificates gives the same bytes.
   */
  creationDate?: Date;
  /** PDF document title. Default: the first certificate's title line (e.g. 培训结业证书). */
  title?: string;
  /** End `out` when the PDF is complete (default true); false to append more to it, e.g. a zip entry. */
  end?: boolean;
}

export interface RenderSummary {
  pages: number;
  bytes: number;
}

interface PreparedPage {
  view: CertificateView;
  layout: CertificateLayout;
}

/**
 * Draws certificates (spec §6) as A4-landscape PDF pages, one page per certificate, in Noto Serif SC
 * embedded as a subset. No database, no HTTP: callers pass what to print and where to write it.
 */
@Injectable()
export class CertificateRenderer {
  private readonly templates = new CertificateTemplates();

  /** Loads the fonts and compiles the built-in templates, so the first request does not pay for it. */
  async warmUp(): Promise<void> {
    await loadCjkFonts();
    this.templates.builtin('default');
    this.templates.builtin('service');
  }

  /**
   * Checks a program's template before it is saved. Throws `CertificateTemplateError` (400,
   * CERTIFICATE_TEMPLATE_INVALID) with the reason; a valid template stays compiled in the cache.
   */
  validateTemplate(source: string): void {
    this.templates.compile(source);
  }

  /**
   * Writes one PDF with a page per certificate to `out`, page by page, respecting backpressure.
   *
   * With an array, every certificate is validated and laid out before the first byte is written, so
   * bad data fails cleanly (`CertificateViewError`, `CertificateTemplateError`). With another
   * iterable, items are validated as they come; an error then destroys `out` mid-file.
   */
  async renderToStream(
    certificates: CertificateSource,
    out: Writable,
    options: RenderOptions = {},
  ): Promise<RenderSummary> {
    const pages = this.prepare(certificates, options);
    const first = await pages.next();
    if (first.done) throw new EmptyCertificateBatchError();
    const fonts = await loadCjkFonts();

    const doc = this.createDocument(fonts, first.value, options);
    let bytes = 0;
    doc.on('data', (chunk: Buffer) => (bytes += chunk.length));
    let failure: unknown;
    const piping = pipeline(doc, out, { end: options.end ?? true });
    piping.catch((err: unknown) => (failure ??= err));

    let count = 0;
    try {
      for (let page: IteratorResult<PreparedPage> = first; !page.done; page = await pages.next()) {
        if (failure) throw failure;
        doc.addPage(); // also flushes the previous page to the stream
        drawCertificatePage(doc, page.value.layout, page.value.view.verifyUrl);
        count++;
        await writable(out);
      }
      doc.end();
    } catch (err) {
      doc.destroy(err as Error);
      await piping.catch(() => undefined);
      throw err;
    }
    await piping;
    return { pages: count, bytes };
  }

  /** All certificates in one PDF, in memory (for small batches, tests, attachments). */
  async renderToBuffer(certificates: CertificateSource, options: Omit<RenderOptions, 'end'> = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    await this.renderToStream(certificates, sink, options);
    return Buffer.concat(chunks);
  }

  /** One certificate as a one-page PDF. */
  renderOne(view: CertificateView, options: Omit<RenderOptions, 'end'> = {}): Promise<Buffer> {
    return this.renderToBuffer([view], options);
  }

  private async *prepare(certificates: CertificateSource, options: RenderOptions): AsyncGenerator<PreparedPage> {
    const prepareOne = (view: CertificateView, index: number): PreparedPage => {
      assertCertificateView(view, index);
      const ref = typeof options.template === 'function' ? options.template(view) : (options.template ?? 'default');
      return { view, layout: this.templates.resolve(ref).render(view) };
    };
    if (Array.isArray(certificates)) {
      // Arrays are checked completely before anything is written.
      yield* (certificates as CertificateView[]).map(prepareOne);
      return;
    }
    let index = 0;
    for await (const view of certificates) yield prepareOne(view, index++);
  }

  private createDocument(fonts: CjkFonts, first: PreparedPage, options: RenderOptions): PDFKit.PDFDocument {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 0,
      autoFirstPage: false,
      pdfVersion: '1.4',
      lang: 'zh-CN',
      // No Helvetica: the document uses only the embedded CJK font.
      font: null as unknown as string,
      info: {
        Title: options.title ?? layoutTitle(first.layout) ?? '证书',
        Creator: '师培 Shipei',
        Producer: 'PDFKit',
        CreationDate: options.creationDate ?? new Date(`${first.view.issueDate}T00:00:00+08:00`),
      },
    });
    // pdfkit takes an already parsed fontkit font in place of a file (it checks for `layout`).
    doc.registerFont(FONT_REGULAR, fonts.regular as unknown as Buffer);
    doc.registerFont(FONT_BOLD, fonts.bold as unknown as Buffer);
    doc.font(FONT_REGULAR);
    return doc;
  }
}

/**
 * Lets the event loop move the finished page to `out`, and waits while `out` is full, so a large
 * batch streams out instead of piling up in memory.
 */
async function writable(out: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  while (out.writableNeedDrain && !out.destroyed) {
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('close', done);
        out.off('error', done);
        resolve();
      };
      out.on('drain', done);
      out.on('close', done);
      out.on('error', done);
    });
  }
}
