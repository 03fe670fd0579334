import { Readable, Transform, Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AccessPolicy, Actor, AppConfig } from '@shipei/core';
import { Cohort, COHORT_KIND, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { CertificateRenderer, CertificateView, RenderSummary } from '../rendering';
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
 */
@Injectable()
export class CertificatePrinter {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
    private readonly renderer: CertificateRenderer,
    private readonly templates: CertificateTemplateStore,
    private readonly config: AppConfig,
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
    const { views, template } = await this.prepare(certificates);
    return this.renderer.renderToStream(views, out, { template, end });
  }

  private async printableCohort(actor: Actor, cohortId: number): Promise<{ cohort: Cohort; program: Program }> {
    const cohort = await this.access.load<Cohort>(this.em, actor, COHORT_KIND, cohortId);
    const program = await this.em.findOneByOrFail(Program, { id: cohort.programId });
    if ((await this.access.allowed(this.em, actor, PROGRAM_KIND, [program.id], 'write')).has(program.id))
      return { cohort, program };
    if (await trainsCohort(this.em, actor, cohort.id)) return { cohort, program };
    throw certificateErrors.notPrinter();
  }

  private async prepare(certificates: Certificate[]) {
    const refs = await this.templates.resolve(
      this.em,
      certificates.map((c) => c.template),
    );
    const byView = new Map<CertificateView, string>();
    const views = certificates.map((c) => {
      const view = toCertificateView(c, this.config.publicBaseUrl);
      byView.set(view, c.template);
      return view;
    });
    return { views, template: (view: CertificateView) => refs.get(byView.get(view)!)! };
  }

  /**
   * Starts rendering into a stream and waits for its first bytes: everything that can fail before
   * the PDF begins (data, templates) fails here, as an error the HTTP layer answers with 4xx/5xx.
   * After that, an error destroys the stream (the client sees a cut-off download).
   */
  private async stream(certificates: Certificate[]): Promise<Readable> {
    const { views, template } = await this.prepare(certificates);
    let started!: () => void;
    const firstBytes = new Promise<void>((resolve) => (started = resolve));
    const out = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        started();
        done(null, chunk);
      },
    });
    const rendering = this.renderer.renderToStream(views, out, { template });
    rendering.catch((err: unknown) => out.destroy(err as Error));
    await Promise.race([firstBytes, rendering]);
    return out;
  }
}
