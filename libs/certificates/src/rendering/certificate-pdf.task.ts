import type { MessagePort } from 'node:worker_threads';
import { portWritable, workerTask } from '@shipei/core';
import { CertificateRenderer, RenderSummary } from './certificate-renderer';
import { CertificateTemplateRef } from './certificate-templates';
import { CertificateView } from './certificate-view';

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

/**
 * Runs in a worker thread: draws the PDF page by page into `ports.out`, which the main thread reads
 * (and acknowledges) as the client downloads it, so even 5,000 pages stay in flat memory.
 */
export async function renderCertificatePdf(
  job: CertificatePdfJob,
  ports: { out: MessagePort },
): Promise<RenderSummary> {
  const out = portWritable(ports.out);
  renderer ??= new CertificateRenderer();
  const nameOf = new Map(job.views.map((v, i) => [v, job.templateNames[i]]));
  try {
    return await renderer.renderToStream(job.views, out, { template: (v) => job.templates[nameOf.get(v)!] });
  } catch (err) {
    // The reader learns of it (and the job's promise rejects with the same error).
    if (!out.destroyed) out.destroy(err as Error);
    throw err;
  }
}
