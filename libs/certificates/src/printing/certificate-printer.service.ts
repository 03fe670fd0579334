import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AccessPolicy, Actor, AppConfig, StreamedJob, WorkerPool } from '@shipei/core';
import { Cohort, COHORT_KIND, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { RenderSummary } from '../rendering';
import { CERTIFICATE_PDF_TASK, CertificatePdfJob } from '../rendering/certificate-pdf.task';
import { Certificate, CERTIFICATE_KIND_LABELS } from '../certificate.entity';
import { toCertificateView } from '../certificate-mapping';
import { CertificateTemplateStore } from '../certificate-template-store';
import { CERTIFICATE_KIND, CERTIFICATE_PRINT_KIND, trainsCohort } from '../certificates.access';
import { certificateErrors } from '../certificates.errors';

/** A PDF on its way out: the stream starts only once the first bytes exist, so errors before it are clean 4xx. */
export interface PdfDownload {
  filename: string;
  stream: Readable;
}

/**
 * Prints issued certificates from their stored snapshot (spec §6): one, or a whole cohort as one
 * PDF streamed page by page, for the program's owner, the cohort's trainers and the holder.
 * The data is read here; the pages are drawn in a worker thread (WorkerPool, spec §16) and stream
 * back as they are made, so a 400-page batch never holds up the requests on the event loop.
 */
@Injectable()
export class CertificatePrinter {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly templates: CertificateTemplateStore,
    private readonly config: AppConfig,
    private readonly workers: WorkerPool,
  ) {}

  /** One certificate's PDF: 404 when the caller may not see it, 403 when it may see but not print, 409 when revoked. */
  async printOne(actor: Actor, id: number): Promise<PdfDownload> {
    const printable = (await this.access.allowed(this.em, actor, CERTIFICATE_PRINT_KIND, [id])).has(id);
    if (!printable) {
      await this.access.require(this.em, actor, CERTIFICATE_KIND, id);
      throw certificateErrors.notPrinter();
    }
    const certificate = await this.em.findOneByOrFail(Certificate, { id });
    if (certificate.status !== 'VALID') throw certificateErrors.revoked();
    return {
      filename: `${certificate.kind === 'SERVICE' ? CERTIFICATE_KIND_LABELS.SERVICE : '结业证书'}-${certificate.number}.pdf`,
      stream: await this.stream([certificate]),
    };
  }

  /** Every valid certificate of a cohort, in number order, as one PDF for printing. */
  async printCohort(actor: Actor, cohortId: number): Promise<PdfDownload> {
    const { cohort, program } = await this.printableCohort(actor, cohortId);
    const certificates = await this.cohortCertificates(cohort.id);
    if (!certificates.length) throw certificateErrors.noCertificates();
    return { filename: `${program.title}-${cohort.name}-结业证书.pdf`, stream: await this.stream(certificates) };
  }

  /** The cohort's valid certificates, in number order. */
  cohortCertificates(cohortId: number): Promise<Certificate[]> {
    return this.em.find(Certificate, {
      where: { cohortId, status: 'VALID' },
      order: { programId: 'ASC', sequence: 'ASC' },
    });
  }

  /** Renders certificates into `out` (e.g. a file or a zip entry of the cohort archive). */
  async renderTo(certificates: Certificate[], out: Writable, end = true): Promise<RenderSummary> {
    const { stream, result } = await this.render(certificates);
    const [summary] = await Promise.all([result, pipeline(stream, out, { end })]);
    return summary;
  }

  private async printableCohort(actor: Actor, cohortId: number): Promise<{ cohort: Cohort; program: Program }> {
    const cohort = await this.access.load<Cohort>(this.em, actor, COHORT_KIND, cohortId);
    const program = await this.em.findOneByOrFail(Program, { id: cohort.programId });
    if ((await this.access.allowed(this.em, actor, PROGRAM_KIND, [program.id], 'write')).has(program.id))
      return { cohort, program };
    if (await trainsCohort(this.em, actor, cohort.id)) return { cohort, program };
    throw certificateErrors.notPrinter();
  }

  /** The job for the worker: every view with its template's name, and each template once. */
  private async render(certificates: Certificate[]): Promise<StreamedJob<RenderSummary>> {
    const refs = await this.templates.resolve(
      this.em,
      certificates.map((c) => c.template),
    );
    const job: CertificatePdfJob = {
      views: certificates.map((c) => toCertificateView(c, this.config.publicBaseUrl)),
      templateNames: certificates.map((c) => c.template),
      templates: Object.fromEntries(refs),
    };
    return this.workers.stream<RenderSummary>(CERTIFICATE_PDF_TASK, job);
  }

  /**
   * Starts rendering and waits for the first bytes: everything that can fail before the PDF begins
   * (data, templates, the worker) fails here, as an error the HTTP layer answers with 4xx/503.
   * After that, an error destroys the stream (the client sees a cut-off download).
   */
  private async stream(certificates: Certificate[]): Promise<Readable> {
    const { stream, result } = await this.render(certificates);
    let started!: () => void;
    const firstBytes = new Promise<void>((resolve) => (started = resolve));
    const out = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        started();
        done(null, chunk);
      },
    });
    stream.on('error', (err) => out.destroy(err));
    // Failing before the first bytes, `out` is never handed to anyone: its error must not go unheard
    // (the caller gets it from the race below). Later the HTTP layer listens too.
    out.on('error', () => undefined);
    // A download given up (the client went away): the worker stops drawing instead of waiting forever.
    out.on('close', () => {
      if (!stream.readableEnded) stream.destroy();
    });
    stream.pipe(out);
    // The stream's own error is the result's too: handled there, and by `out` once it is returned.
    result.catch(() => undefined);
    await Promise.race([firstBytes, result, new Promise((resolve) => out.once('end', resolve))]);
    return out;
  }
}
