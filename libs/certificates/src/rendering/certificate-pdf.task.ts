import type { MessagePort } from 'node:worker_threads';
import { portWritable, workerTask } from '@shipei/core';
import { CertificateRenderer, RenderSummary } from './certificate-renderer';
import { CertificateTemplateRef, CertificateTemplates } from './certificate-templates';
import { assertCertificateView, CertificateView } from './certificate-view';

/**
 * The certificates of one PDF as the worker receives them: the views (in print order), each with the
 * name of its template, and the templates by name (built-ins by name, a program's own by its source).
 */
export interface CertificatePdfJob {
  views: CertificateView[];
  templateNames: string[];
  templates: Record<string, CertificateTemplateRef>;
}

/** The task below, for {@link WorkerPool.stream}. */
export const CERTIFICATE_PDF_TASK = workerTask(__filename, 'certificate-pdf.task', 'renderCertificatePdf');

// One renderer per worker thread: fonts parsed and templates compiled once, then reused by every job.
let renderer: CertificateRenderer | undefined;
let templates: CertificateTemplates | undefined;

/**
 * Runs in a worker thread: draws the PDF page by page into `ports.out`, which the main thread reads
 * (and acknowledges) as the client downloads it, so even 5,000 pages stay in flat memory.
 *
 * Every certificate is checked (its data, and its template on it) before the first byte, so bad data
 * is still a clean 400; the pages are then laid out one at a time as they are drawn, instead of all
 * 5,000 layouts being held at once.
 */
export async function renderCertificatePdf(
  job: CertificatePdfJob,
  ports: { out: MessagePort },
): Promise<RenderSummary> {
  const out = portWritable(ports.out);
  renderer ??= new CertificateRenderer();
  templates ??= new CertificateTemplates();
  const nameOf = new Map(job.views.map((v, i) => [v, job.templateNames[i]]));
  const template = (v: CertificateView) => job.templates[nameOf.get(v)!];
  try {
    job.views.forEach((v, i) => {
      assertCertificateView(v, i);
      templates!.resolve(template(v)).render(v);
    });
    // An iterable (not the array): the renderer lays out each page as it draws it.
    const views = (function* () {
      yield* job.views;
    })();
    return await renderer.renderToStream(views, out, { template });
  } catch (err) {
    // The reader learns of it (and the job's promise rejects with the same error).
    if (!out.destroyed) out.destroy(err as Error);
    throw err;
  }
}
